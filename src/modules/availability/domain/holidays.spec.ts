import { buildEngineInput } from './build-host-inputs.js';
import { computeSlots } from './compute-slots.js';
import { holidayIntervals, holidaysInZone, holidaysOfYear, resolveHolidaySetting } from './holidays.js';

const Z = (iso: string): number => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const HOUR = 3_600_000;

describe('resolveHolidaySetting', () => {
  it.each([
    [' de ', null, { country: 'DE', region: null }],
    ['DE', 'by', { country: 'DE', region: 'BY' }],
    ['de', 'DE-BY', { country: 'DE', region: 'BY' }],
    ['US', 'NY', { country: 'US', region: 'NY' }],
    ['US', '', { country: 'US', region: null }],
  ])('%j / %j is %j', (country, region, setting) => {
    expect(resolveHolidaySetting(country, region)).toEqual({ setting, problems: [] });
  });

  it.each([
    ['XX', null, 'country', 'unknown_country'],
    ['Germany', null, 'country', 'unknown_country'],
    ['DE', 'ZZ', 'region', 'unknown_region'],
    ['DE', 'US-NY', 'region', 'unknown_region'],
    ['BY', 'MINSK', 'region', 'unknown_region'], // Belarus has no regions in the dataset
  ])('%j / %j is refused on %s (%s)', (country, region, field, code) => {
    const { setting, problems } = resolveHolidaySetting(country, region);
    expect(setting).toBeNull();
    expect(problems).toEqual([expect.objectContaining({ field, code })]);
  });
});

describe('holidaysOfYear', () => {
  it('takes public and bank holidays, not optional days or observances', () => {
    const us = holidaysOfYear({ country: 'US', region: null }, 2027);
    const names = us.map((h) => `${h.date} ${h.name}`);
    expect(names).toContain('2027-07-04 Independence Day');
    expect(names).toContain('2027-07-05 Independence Day (substitute day)');
    expect(names).not.toContain('2027-12-24 Christmas Eve'); // optional
    expect(names).not.toContain("2027-05-09 Mother's Day"); // observance
    expect(new Set(us.map((h) => h.type))).toEqual(new Set(['public']));
  });

  it('knows region-specific holidays: Corpus Christi in Bavaria, not in Germany as a whole', () => {
    const by = holidaysOfYear({ country: 'DE', region: 'BY' }, 2027).map((h) => h.date);
    const de = holidaysOfYear({ country: 'DE', region: null }, 2027).map((h) => h.date);
    expect(by).toContain('2027-05-27');
    expect(by).toContain('2027-01-06'); // Epiphany
    expect(de).not.toContain('2027-05-27');
    expect(de).not.toContain('2027-01-06');
  });

  it('keeps a start time (Christmas Eve from 14:00 in Germany, a bank holiday) and several-day holidays', () => {
    expect(holidaysOfYear({ country: 'DE', region: null }, 2027).find((h) => h.date === '2027-12-24')).toMatchObject({
      startMinute: 14 * 60,
      days: 1,
      type: 'bank',
    });
    const seollal = holidaysOfYear({ country: 'KR', region: null }, 2027).find((h) => h.name === 'Korean New Year');
    expect(seollal).toMatchObject({ startMinute: 0, days: 3 });
  });
});

describe('holidaysInZone: whole local days, DST-correct', () => {
  it('Europe/Berlin: Easter Sunday 2027 (DE-BB) is 23 hours, Reformation Day 2027 (DE-SN) 25 hours', () => {
    const bb = holidaysInZone({ country: 'DE', region: 'BB' }, 2027, 'Europe/Berlin');
    const easter = bb.find((h) => h.date === '2027-03-28');
    expect(easter && [iso(easter.start), iso(easter.end)]).toEqual(['2027-03-27T23:00:00Z', '2027-03-28T22:00:00Z']);
    expect(easter && (easter.end - easter.start) / HOUR).toBe(23);
    const sn = holidaysInZone({ country: 'DE', region: 'SN' }, 2027, 'Europe/Berlin');
    const reformation = sn.find((h) => h.date === '2027-10-31');
    expect(reformation && [iso(reformation.start), iso(reformation.end)]).toEqual(['2027-10-30T22:00:00Z', '2027-10-31T23:00:00Z']);
    // Not a holiday in Bavaria.
    expect(holidaysInZone({ country: 'DE', region: 'BY' }, 2027, 'Europe/Berlin').some((h) => h.date === '2027-10-31')).toBe(false);
  });

  it("America/New_York: a host there takes the day in New York's zone, 23 hours in March and 25 in November", () => {
    const andorra = holidaysInZone({ country: 'AD', region: null }, 2027, 'America/New_York').find((h) => h.date === '2027-03-14');
    expect(andorra && [iso(andorra.start), iso(andorra.end)]).toEqual(['2027-03-14T05:00:00Z', '2027-03-15T04:00:00Z']);
    const belarus = holidaysInZone({ country: 'BY', region: null }, 2027, 'America/New_York').find((h) => h.date === '2027-11-07');
    expect(belarus && [iso(belarus.start), iso(belarus.end)]).toEqual(['2027-11-07T04:00:00Z', '2027-11-08T05:00:00Z']);
    // The same date for a host in Berlin is Berlin's day: the dataset's date, never its own instants.
    const july4 = holidaysInZone({ country: 'US', region: null }, 2027, 'Europe/Berlin').find((h) => h.date === '2027-07-04');
    expect(july4 && [iso(july4.start), iso(july4.end)]).toEqual(['2027-07-03T22:00:00Z', '2027-07-04T22:00:00Z']);
  });

  it('a holiday of the Islamic calendar (dated from the evening before) covers its whole local dates', () => {
    const eid = holidaysInZone({ country: 'AE', region: null }, 2027, 'Asia/Dubai').find((h) => h.date === '2027-03-09');
    expect(eid).toMatchObject({ days: 3, startMinute: 0 });
    expect(eid && [iso(eid.start), iso(eid.end)]).toEqual(['2027-03-08T20:00:00Z', '2027-03-11T20:00:00Z']);
  });

  it('a holiday that begins at 14:00 is busy from 14:00 local', () => {
    const eve = holidaysInZone({ country: 'DE', region: null }, 2027, 'Europe/Berlin').find((h) => h.date === '2027-12-24');
    expect(eve && [iso(eve.start), iso(eve.end)]).toEqual(['2027-12-24T13:00:00Z', '2027-12-24T23:00:00Z']);
  });
});

describe('holidayIntervals', () => {
  it('returns the holidays overlapping a range, across a year boundary', () => {
    const got = holidayIntervals({ country: 'DE', region: null }, 'Europe/Berlin', {
      start: Z('2027-12-30T00:00:00Z'),
      end: Z('2028-01-03T00:00:00Z'),
    });
    expect(got.map((i) => iso(i.start))).toEqual(['2027-12-31T13:00:00Z', '2027-12-31T23:00:00Z']); // New Year's Eve (bank), New Year
  });

  it('is empty for an empty range', () => {
    expect(holidayIntervals({ country: 'DE', region: null }, 'Europe/Berlin', { start: 5, end: 5 })).toEqual([]);
  });
});

describe('the engine with holidays', () => {
  const type = {
    id: 't1',
    kind: 'one_on_one' as const,
    seats: null,
    durationMinutes: 60,
    slotIntervalMinutes: null,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    bookingWindowDays: null,
    maxBookingsPerDay: null,
  };
  const everyDay = [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({ dayOfWeek, startMinute: 9 * 60, endMinute: 17 * 60 }));
  const slotsOn = (holidays: { country: string; region: string | null } | null, timeZone: string, range: [string, string]) => {
    const schedules = new Map([['h1', { timeZone, rules: everyDay, overrides: [], holidays }]]);
    const { hosts, query } = buildEngineInput(
      type,
      ['h1'],
      schedules,
      [],
      { start: Z(range[0]), end: Z(range[1]) },
      Z('2027-01-01T00:00:00Z'),
    );
    return computeSlots(hosts, query).map((s) => iso(s.start));
  };

  it('offers nothing on a Bavarian holiday (Corpus Christi) and the whole next day', () => {
    const range: [string, string] = ['2027-05-26T22:00:00Z', '2027-05-28T22:00:00Z'];
    const without = slotsOn(null, 'Europe/Berlin', range);
    const bavaria = slotsOn({ country: 'DE', region: 'BY' }, 'Europe/Berlin', range);
    expect(without).toHaveLength(16);
    expect(bavaria).toHaveLength(8);
    expect(bavaria.every((s) => s.startsWith('2027-05-28'))).toBe(true);
    expect(slotsOn({ country: 'DE', region: null }, 'Europe/Berlin', range)).toEqual(without);
  });

  it('a New York host on Belarus holidays is off on the fall-back Sunday, New York time', () => {
    const range: [string, string] = ['2027-11-07T04:00:00Z', '2027-11-09T05:00:00Z'];
    const slots = slotsOn({ country: 'BY', region: null }, 'America/New_York', range);
    expect(slots[0]).toBe('2027-11-08T14:00:00Z'); // 09:00 EST on Monday
    expect(slots).toHaveLength(8);
  });
});
