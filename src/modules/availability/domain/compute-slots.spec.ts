import { bookingBusyInterval, computeSlots, isSlotAvailable, mergeIntervals } from './compute-slots.js';
import type { HostAvailability, SlotQuery, WallInterval, WeeklyRule } from './slot-engine.types.js';
import { dayOfWeekOf, wallTimeToInstant, zonedIso } from './wall-clock.js';

// Pinned clock, well before every scenario unless a test says otherwise.
const NOW = Date.parse('2026-12-01T00:00:00Z');
const Z = (iso: string): number => Date.parse(iso);

function wall(hhmmRange: string): WallInterval {
  const [a, b] = hhmmRange.split('-').map((t) => {
    const [h, m] = t.split(':').map(Number);
    return h * 60 + m;
  });
  return { startMinute: a, endMinute: b };
}

function everyDay(...ranges: string[]): WeeklyRule[] {
  return [0, 1, 2, 3, 4, 5, 6].flatMap((dayOfWeek) => ranges.map((r) => ({ dayOfWeek, ...wall(r) })));
}

function host(timeZone: string, extra: Partial<HostAvailability> = {}): HostAvailability {
  return { hostId: 'h1', timeZone, rules: everyDay('09:00-17:00'), overrides: [], busy: [], ...extra };
}

function query(extra: Partial<SlotQuery> = {}): SlotQuery {
  return {
    rangeStart: Z('2027-01-11T00:00:00Z'),
    rangeEnd: Z('2027-01-12T00:00:00Z'),
    now: NOW,
    durationMinutes: 60,
    intervalMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    bookingWindowDays: null,
    maxBookingsPerDay: null,
    kind: 'one_on_one',
    ...extra,
  };
}

/** The host-local day `date` in `timeZone` as a query range. */
function localDay(date: string, timeZone: string): Pick<SlotQuery, 'rangeStart' | 'rangeEnd'> {
  return { rangeStart: wallTimeToInstant(date, 0, timeZone), rangeEnd: wallTimeToInstant(date, 1440, timeZone) };
}

const starts = (slots: { start: number }[], timeZone: string): string[] => slots.map((s) => zonedIso(s.start, timeZone));
const utc = (slots: { start: number }[]): string[] => slots.map((s) => new Date(s.start).toISOString());

describe('computeSlots: clock changes and odd offsets', () => {
  // [case, zone, local date, window, duration, step, expected local starts]
  const cases: [string, string, string, string, number, number, string[]][] = [
    [
      'New York spring-forward: 01:00-04:00 is 2h',
      'America/New_York',
      '2027-03-14',
      '01:00-04:00',
      60,
      60,
      ['2027-03-14T01:00:00-05:00', '2027-03-14T03:00:00-04:00'],
    ],
    [
      'New York fall-back: 01:00-04:00 is 4h',
      'America/New_York',
      '2027-11-07',
      '01:00-04:00',
      60,
      60,
      ['2027-11-07T01:00:00-04:00', '2027-11-07T01:00:00-05:00', '2027-11-07T02:00:00-05:00', '2027-11-07T03:00:00-05:00'],
    ],
    [
      'New York: a window starting in the gap starts at its end',
      'America/New_York',
      '2027-03-14',
      '02:30-05:00',
      30,
      30,
      ['2027-03-14T03:30:00-04:00', '2027-03-14T04:00:00-04:00', '2027-03-14T04:30:00-04:00'],
    ],
    [
      'New York: an ambiguous start is the earlier instant',
      'America/New_York',
      '2027-11-07',
      '01:30-03:00',
      30,
      30,
      [
        '2027-11-07T01:30:00-04:00',
        '2027-11-07T01:00:00-05:00',
        '2027-11-07T01:30:00-05:00',
        '2027-11-07T02:00:00-05:00',
        '2027-11-07T02:30:00-05:00',
      ],
    ],
    [
      'London spring-forward',
      'Europe/London',
      '2027-03-28',
      '00:00-03:00',
      60,
      60,
      ['2027-03-28T00:00:00+00:00', '2027-03-28T02:00:00+01:00'],
    ],
    [
      'London fall-back',
      'Europe/London',
      '2027-10-31',
      '00:00-03:00',
      60,
      60,
      ['2027-10-31T00:00:00+01:00', '2027-10-31T01:00:00+01:00', '2027-10-31T01:00:00+00:00', '2027-10-31T02:00:00+00:00'],
    ],
    [
      'Sydney April fall-back',
      'Australia/Sydney',
      '2027-04-04',
      '01:00-04:00',
      60,
      60,
      ['2027-04-04T01:00:00+11:00', '2027-04-04T02:00:00+11:00', '2027-04-04T02:00:00+10:00', '2027-04-04T03:00:00+10:00'],
    ],
    [
      'Sydney October spring-forward',
      'Australia/Sydney',
      '2027-10-03',
      '01:00-04:00',
      60,
      60,
      ['2027-10-03T01:00:00+10:00', '2027-10-03T03:00:00+11:00'],
    ],
    [
      'Lord Howe: 30-minute fall-back',
      'Australia/Lord_Howe',
      '2027-04-04',
      '01:00-03:00',
      30,
      30,
      [
        '2027-04-04T01:00:00+11:00',
        '2027-04-04T01:30:00+11:00',
        '2027-04-04T01:30:00+10:30',
        '2027-04-04T02:00:00+10:30',
        '2027-04-04T02:30:00+10:30',
      ],
    ],
    [
      'Lord Howe: 30-minute spring-forward',
      'Australia/Lord_Howe',
      '2027-10-03',
      '01:00-03:00',
      30,
      30,
      ['2027-10-03T01:00:00+10:30', '2027-10-03T01:30:00+10:30', '2027-10-03T02:30:00+11:00'],
    ],
    ['Kolkata +05:30', 'Asia/Kolkata', '2027-01-11', '09:00-11:00', 60, 60, ['2027-01-11T09:00:00+05:30', '2027-01-11T10:00:00+05:30']],
    ['Kathmandu +05:45', 'Asia/Kathmandu', '2027-01-11', '09:00-10:00', 30, 30, ['2027-01-11T09:00:00+05:45', '2027-01-11T09:30:00+05:45']],
    ['Chatham +13:45 (summer)', 'Pacific/Chatham', '2027-01-11', '09:00-10:00', 60, 60, ['2027-01-11T09:00:00+13:45']],
    ['Chatham +12:45 (winter)', 'Pacific/Chatham', '2027-07-12', '09:00-10:00', 60, 60, ['2027-07-12T09:00:00+12:45']],
    [
      'Chatham spring-forward (02:45 -> 03:45)',
      'Pacific/Chatham',
      '2027-09-26',
      '02:00-05:00',
      60,
      60,
      ['2027-09-26T02:00:00+12:45', '2027-09-26T04:00:00+13:45'],
    ],
    ['24:00 end', 'UTC', '2027-01-11', '22:00-24:00', 60, 60, ['2027-01-11T22:00:00+00:00', '2027-01-11T23:00:00+00:00']],
  ];

  it.each(cases)('%s', (_name, zone, date, window, duration, step, expected) => {
    const h = host(zone, { rules: [{ dayOfWeek: dayOfWeekOf(date), ...wall(window) }] });
    const q = query({ ...localDay(date, zone), durationMinutes: duration, intervalMinutes: step });
    const slots = computeSlots([h], q);
    expect(starts(slots, zone)).toEqual(expected);
    for (const s of slots) expect(s.end - s.start).toBe(duration * 60_000);
  });

  it('crosses the date line: an invitee day in Pago Pago (-11) spans two host days in Kiritimati (+14)', () => {
    // Invitee day 2027-01-11 in Pago Pago = [11:00Z Jan 11, 11:00Z Jan 12) = Kiritimati 01:00 Tue Jan 12 .. 01:00 Wed.
    const h = host('Pacific/Kiritimati', {
      rules: [
        { dayOfWeek: 2, ...wall('00:00-02:00') },
        { dayOfWeek: 2, ...wall('22:00-24:00') },
        { dayOfWeek: 3, ...wall('00:00-02:00') },
      ],
    });
    const slots = computeSlots([h], query(localDay('2027-01-11', 'Pacific/Pago_Pago')));
    expect(starts(slots, 'Pacific/Kiritimati')).toEqual([
      '2027-01-12T01:00:00+14:00',
      '2027-01-12T22:00:00+14:00',
      '2027-01-12T23:00:00+14:00',
      '2027-01-13T00:00:00+14:00',
    ]);
    expect(starts(slots, 'Pacific/Pago_Pago')).toEqual([
      '2027-01-11T00:00:00-11:00',
      '2027-01-11T21:00:00-11:00',
      '2027-01-11T22:00:00-11:00',
      '2027-01-11T23:00:00-11:00',
    ]);
  });
});

describe('computeSlots: schedule rules', () => {
  const tz = 'America/New_York';
  const day = localDay('2027-01-11', tz); // a Monday

  it('an override replaces the weekly hours of that date only', () => {
    const h = host(tz, { overrides: [{ date: '2027-01-11', intervals: [wall('13:00-15:00')] }] });
    const q = query({ rangeStart: day.rangeStart, rangeEnd: day.rangeStart + 2 * 86_400_000 });
    expect(starts(computeSlots([h], q), tz)).toEqual([
      '2027-01-11T13:00:00-05:00',
      '2027-01-11T14:00:00-05:00',
      ...[9, 10, 11, 12, 13, 14, 15, 16].map((hh) => `2027-01-12T${String(hh).padStart(2, '0')}:00:00-05:00`),
    ]);
  });

  it('an override with no intervals is a day off', () => {
    const h = host(tz, { overrides: [{ date: '2027-01-11', intervals: [] }] });
    expect(computeSlots([h], query(day))).toEqual([]);
  });

  it('several intervals a day, listed in any order', () => {
    const h = host(tz, {
      rules: [
        { dayOfWeek: 1, ...wall('13:00-14:30') },
        { dayOfWeek: 1, ...wall('09:00-10:00') },
      ],
    });
    expect(starts(computeSlots([h], query(day)), tz)).toEqual(['2027-01-11T09:00:00-05:00', '2027-01-11T13:00:00-05:00']);
  });

  it('overlapping intervals do not produce duplicate starts', () => {
    const h = host(tz, {
      rules: [
        { dayOfWeek: 1, ...wall('09:00-11:00') },
        { dayOfWeek: 1, ...wall('09:30-11:30') },
      ],
    });
    const q = query({ ...day, durationMinutes: 30, intervalMinutes: 30 });
    expect(starts(computeSlots([h], q), tz)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00'].map((t) => `2027-01-11T${t}:00-05:00`));
  });

  it('steps by the interval from the window start, and a slot must fit inside the window', () => {
    const h = host(tz, { rules: [{ dayOfWeek: 1, ...wall('09:10-11:00') }] });
    const q = query({ ...day, durationMinutes: 45, intervalMinutes: 20 });
    expect(starts(computeSlots([h], q), tz)).toEqual(['09:10', '09:30', '09:50', '10:10'].map((t) => `2027-01-11T${t}:00-05:00`));
  });

  it('takes slots whose start lies in the range, even if they end after it', () => {
    const h = host('UTC', { rules: everyDay('09:00-12:00') });
    const q = query({ rangeStart: Z('2027-01-11T09:30:00Z'), rangeEnd: Z('2027-01-11T11:00:00Z') });
    expect(utc(computeSlots([h], q))).toEqual(['2027-01-11T10:00:00.000Z']);
  });
});

describe('computeSlots: booking policy', () => {
  const h = (extra: Partial<HostAvailability> = {}) => host('UTC', { rules: everyDay('09:00-12:00'), ...extra });

  it('buffers widen the slot against busy time', () => {
    const busy = [{ start: Z('2027-01-11T10:00:00Z'), end: Z('2027-01-11T10:30:00Z') }];
    const q = query({ durationMinutes: 30, intervalMinutes: 30, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 });
    expect(utc(computeSlots([h({ busy })], q))).toEqual([
      '2027-01-11T09:00:00.000Z',
      '2027-01-11T11:00:00.000Z',
      '2027-01-11T11:30:00.000Z',
    ]);
  });

  it('busy time that only touches a slot does not block it', () => {
    const busy = [{ start: Z('2027-01-11T10:00:00Z'), end: Z('2027-01-11T11:00:00Z') }];
    expect(utc(computeSlots([h({ busy })], query()))).toEqual(['2027-01-11T09:00:00.000Z', '2027-01-11T11:00:00.000Z']);
  });

  it('unsorted, overlapping busy intervals are merged', () => {
    const busy = [
      { start: Z('2027-01-11T10:30:00Z'), end: Z('2027-01-11T11:10:00Z') },
      { start: Z('2027-01-11T09:50:00Z'), end: Z('2027-01-11T10:40:00Z') },
      { start: Z('2027-01-11T10:00:00Z'), end: Z('2027-01-11T10:05:00Z') },
    ];
    expect(utc(computeSlots([h({ busy })], query()))).toEqual([]);
  });

  it('a booking holds its own buffers (bookingBusyInterval), the new slot adds its own', () => {
    const booked = bookingBusyInterval(Z('2027-01-11T10:00:00Z'), Z('2027-01-11T10:30:00Z'), 10, 10);
    expect(booked).toEqual({ start: Z('2027-01-11T09:50:00Z'), end: Z('2027-01-11T10:40:00Z') });
    const q = query({ durationMinutes: 30, intervalMinutes: 10, bufferBeforeMinutes: 10, bufferAfterMinutes: 10 });
    const s = utc(computeSlots([h({ busy: [booked] })], q));
    expect(s).toContain('2027-01-11T09:10:00.000Z'); // 09:40 + 10 = 09:50: touches the booking's buffer
    expect(s).not.toContain('2027-01-11T09:20:00.000Z');
    expect(s).toContain('2027-01-11T10:50:00.000Z'); // 10:50 - 10 = 10:40
    expect(s).not.toContain('2027-01-11T10:40:00.000Z');
  });

  it('minimum notice drops early starts but keeps the window grid', () => {
    const q = query({ now: Z('2027-01-11T09:10:00Z'), minimumNoticeMinutes: 60, intervalMinutes: 30 });
    expect(utc(computeSlots([h()], q))).toEqual(['2027-01-11T10:30:00.000Z', '2027-01-11T11:00:00.000Z']);
  });

  it('booking window counts host-local dates from the host-local today', () => {
    const tz = 'America/New_York';
    const ny = host(tz); // 09:00-17:00 daily
    // 22:00 on Jan 11 in New York, already Jan 12 in UTC.
    const now = Z('2027-01-12T03:00:00Z');
    const range = { rangeStart: now, rangeEnd: now + 5 * 86_400_000 };
    const days = (n: number) => {
      const slots = computeSlots([ny], query({ ...range, now, bookingWindowDays: n }));
      return [...new Set(slots.map((s) => zonedIso(s.start, tz).slice(0, 10)))];
    };
    expect(days(0)).toEqual([]);
    expect(days(1)).toEqual(['2027-01-12']);
    expect(days(2)).toEqual(['2027-01-12', '2027-01-13']);
  });

  it('daily limit: a host-local date with enough bookings offers nothing', () => {
    const tz = 'America/New_York';
    // 03:00Z on Jan 12 is still Jan 11 in New York.
    const limitedBookingStarts = [Z('2027-01-11T15:00:00Z'), Z('2027-01-12T03:00:00Z'), Z('2027-01-12T15:00:00Z')];
    const ny = host(tz, { limitedBookingStarts });
    const q = query({ ...localDay('2027-01-11', tz), rangeEnd: localDay('2027-01-12', tz).rangeEnd });
    const dates = (max: number | null) => [
      ...new Set(computeSlots([ny], { ...q, maxBookingsPerDay: max }).map((s) => zonedIso(s.start, tz).slice(0, 10))),
    ];
    expect(dates(null)).toEqual(['2027-01-11', '2027-01-12']);
    expect(dates(3)).toEqual(['2027-01-11', '2027-01-12']);
    expect(dates(2)).toEqual(['2027-01-12']);
    expect(dates(1)).toEqual([]);
  });

  it('returns nothing for an empty host list or a range wholly inside the notice', () => {
    expect(computeSlots([], query())).toEqual([]);
    expect(computeSlots([h()], query({ now: Z('2027-01-11T00:00:00Z'), minimumNoticeMinutes: 24 * 60 }))).toEqual([]);
  });

  it('one_on_one takes exactly one host', () => {
    expect(() => computeSlots([h(), h({ hostId: 'h2' })], query())).toThrow(RangeError);
  });
});

describe('computeSlots: meeting kinds', () => {
  it('group: seats remaining per start, full starts omitted', () => {
    const g = host('UTC', { rules: everyDay('09:00-12:00') });
    const seatsTaken = new Map([
      [Z('2027-01-11T09:00:00Z'), 1],
      [Z('2027-01-11T10:00:00Z'), 3],
    ]);
    const slots = computeSlots([g], query({ kind: 'group', seats: 3, seatsTaken }));
    expect(slots.map((s) => [new Date(s.start).toISOString(), s.seatsRemaining])).toEqual([
      ['2027-01-11T09:00:00.000Z', 2],
      ['2027-01-11T11:00:00.000Z', 3],
    ]);
  });

  it('round robin: union of the hosts, each slot naming the hosts free then', () => {
    const a = host('UTC', {
      hostId: 'a',
      rules: everyDay('09:00-12:00'),
      busy: [{ start: Z('2027-01-11T09:00:00Z'), end: Z('2027-01-11T10:00:00Z') }],
    });
    // 09:00-12:00 in Berlin (+01:00) is 08:00-11:00Z.
    const b = host('Europe/Berlin', {
      hostId: 'b',
      rules: everyDay('09:00-12:00'),
      busy: [{ start: Z('2027-01-11T10:00:00Z'), end: Z('2027-01-11T11:00:00Z') }],
    });
    const slots = computeSlots([a, b], query({ kind: 'round_robin' }));
    expect(slots.map((s) => [new Date(s.start).toISOString().slice(11, 16), s.hostIds])).toEqual([
      ['08:00', ['b']],
      ['09:00', ['b']],
      ['10:00', ['a']],
      ['11:00', ['a']],
    ]);
  });

  it('round robin with hosts on different grids keeps both grids', () => {
    const a = host('UTC', { hostId: 'a', rules: everyDay('09:00-10:00') });
    const k = host('Asia/Kathmandu', { hostId: 'k', rules: everyDay('15:00-16:00') }); // 09:15-10:15Z
    const slots = computeSlots([a, k], query({ kind: 'round_robin', durationMinutes: 30, intervalMinutes: 30 }));
    expect(slots.map((s) => [new Date(s.start).toISOString().slice(11, 16), s.hostIds.join()])).toEqual([
      ['09:00', 'a'],
      ['09:15', 'k'],
      ['09:30', 'a'],
      ['09:45', 'k'],
    ]);
  });

  it('collective: only times when every host is free, stepping from the start of the common window', () => {
    const a = host('UTC', {
      hostId: 'a',
      rules: everyDay('09:00-13:00'),
      busy: [{ start: Z('2027-01-11T11:30:00Z'), end: Z('2027-01-11T11:45:00Z') }],
    });
    // 15:00-18:00 Kathmandu = 09:15-12:15Z: the common window is 09:15-12:15Z.
    const k = host('Asia/Kathmandu', { hostId: 'k', rules: everyDay('15:00-18:00') });
    const slots = computeSlots([a, k], query({ kind: 'collective' }));
    expect(slots.map((s) => [new Date(s.start).toISOString().slice(11, 16), s.hostIds])).toEqual([
      ['09:15', ['a', 'k']],
      ['10:15', ['a', 'k']],
    ]);
  });
});

describe('isSlotAvailable', () => {
  const h = host('America/New_York');
  const q = query({ rangeStart: Z('2027-01-01T00:00:00Z'), rangeEnd: Z('2027-01-02T00:00:00Z') }); // range ignored

  it('returns the slot for a free start on the grid', () => {
    expect(isSlotAvailable([h], q, Z('2027-01-11T14:00:00Z'))).toEqual({
      start: Z('2027-01-11T14:00:00Z'),
      end: Z('2027-01-11T15:00:00Z'),
      hostIds: ['h1'],
    });
  });

  it('returns null off the grid, outside hours, or when busy', () => {
    expect(isSlotAvailable([h], q, Z('2027-01-11T14:30:00Z'))).toBeNull();
    expect(isSlotAvailable([h], q, Z('2027-01-11T13:00:00Z'))).toBeNull();
    const busy = host('America/New_York', {
      busy: [{ start: Z('2027-01-11T14:59:00Z'), end: Z('2027-01-11T15:00:00Z') }],
    });
    expect(isSlotAvailable([busy], q, Z('2027-01-11T14:00:00Z'))).toBeNull();
  });
});

describe('mergeIntervals', () => {
  it('sorts, merges overlapping and touching intervals, drops empty ones', () => {
    expect(
      mergeIntervals([
        { start: 5, end: 7 },
        { start: 1, end: 3 },
        { start: 3, end: 4 },
        { start: 9, end: 9 },
        { start: 6, end: 8 },
      ]),
    ).toEqual([
      { start: 1, end: 4 },
      { start: 5, end: 8 },
    ]);
  });
});
