import fc from 'fast-check';
import {
  addDays,
  dayOfWeekOf,
  isValidTimeZone,
  localDateOf,
  localDayNumberOf,
  offsetAt,
  wallDayToInstant,
  wallTimeToInstant,
  zonedIso,
} from './wall-clock.js';

const Z = (iso: string): number => Date.parse(iso);

describe('wallTimeToInstant', () => {
  // [zone, date, wall time, expected instant, why]
  const cases: [string, string, string, string, string][] = [
    ['America/New_York', '2027-03-14', '01:00', '2027-03-14T06:00:00Z', 'before the gap (EST)'],
    ['America/New_York', '2027-03-14', '02:00', '2027-03-14T07:00:00Z', 'gap start = 03:00 EDT'],
    ['America/New_York', '2027-03-14', '02:30', '2027-03-14T07:30:00Z', 'in the gap: moves forward to 03:30 EDT'],
    ['America/New_York', '2027-03-14', '03:00', '2027-03-14T07:00:00Z', 'after the gap (EDT)'],
    ['America/New_York', '2027-11-07', '01:30', '2027-11-07T05:30:00Z', 'ambiguous: earlier (EDT)'],
    ['America/New_York', '2027-11-07', '02:00', '2027-11-07T07:00:00Z', 'after the overlap (EST)'],
    ['Europe/London', '2027-03-28', '01:30', '2027-03-28T01:30:00Z', 'in the gap: 02:30 BST'],
    ['Europe/London', '2027-10-31', '01:30', '2027-10-31T00:30:00Z', 'ambiguous: earlier (BST)'],
    ['Australia/Sydney', '2027-04-04', '02:30', '2027-04-03T15:30:00Z', 'April fall-back: earlier (AEDT)'],
    ['Australia/Sydney', '2027-10-03', '02:30', '2027-10-02T16:30:00Z', 'October gap: 03:30 AEDT'],
    ['Australia/Lord_Howe', '2027-04-04', '01:45', '2027-04-03T14:45:00Z', '30-min overlap: earlier (+11)'],
    ['Australia/Lord_Howe', '2027-04-04', '02:00', '2027-04-03T15:30:00Z', 'after the overlap (+10:30)'],
    ['Australia/Lord_Howe', '2027-10-03', '02:15', '2027-10-02T15:45:00Z', '30-min gap: 02:45 (+11)'],
    ['Asia/Kolkata', '2027-01-11', '09:00', '2027-01-11T03:30:00Z', '+05:30'],
    ['Asia/Kathmandu', '2027-01-11', '09:00', '2027-01-11T03:15:00Z', '+05:45'],
    ['Pacific/Chatham', '2027-01-11', '09:00', '2027-01-10T19:15:00Z', '+13:45 in (southern) summer'],
    ['Pacific/Chatham', '2027-07-12', '09:00', '2027-07-11T20:15:00Z', '+12:45 in winter'],
    ['Pacific/Kiritimati', '2027-01-12', '01:00', '2027-01-11T11:00:00Z', '+14'],
    ['Pacific/Pago_Pago', '2027-01-11', '14:00', '2027-01-12T01:00:00Z', '-11'],
    ['UTC', '2027-01-11', '24:00', '2027-01-12T00:00:00Z', 'minute 1440 = next midnight'],
    ['America/New_York', '2027-11-06', '24:00', '2027-11-07T04:00:00Z', '24:00 before a fall-back night (EDT)'],
  ];
  it.each(cases)('%s %s %s -> %s (%s)', (zone, date, hhmm, expected) => {
    const [h, m] = hhmm.split(':').map(Number);
    expect(new Date(wallTimeToInstant(date, h * 60 + m, zone)).toISOString()).toBe(new Date(Z(expected)).toISOString());
  });

  it('rejects bad input', () => {
    expect(() => wallTimeToInstant('2027-02-30', 0, 'UTC')).toThrow(RangeError);
    expect(() => wallTimeToInstant('2027-1-1', 0, 'UTC')).toThrow(RangeError);
    expect(() => wallTimeToInstant('2027-01-01', 1441, 'UTC')).toThrow(RangeError);
    expect(() => wallTimeToInstant('2027-01-01', 0, 'Mars/Olympus')).toThrow(RangeError);
  });

  it('round-trips every existing wall time, choosing the earlier instant when ambiguous', () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kathmandu'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Z('2026-01-01T00:00:00Z') / 60_000, max: Z('2029-01-01T00:00:00Z') / 60_000 }),
        (zone, minute) => {
          const t = minute * 60_000;
          const local = t + offsetAt(t, zone);
          const day = Math.floor(local / 86_400_000);
          const back = wallDayToInstant(day, (local - day * 86_400_000) / 60_000, zone);
          expect(back).toBeLessThanOrEqual(t);
          expect(back + offsetAt(back, zone)).toBe(local);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('offsetAt', () => {
  it('switches at the exact instant of a half-hour-offset transition (Lord_Howe, 15:30Z)', () => {
    expect(offsetAt(Z('2027-10-02T15:29:59Z'), 'Australia/Lord_Howe')).toBe(10.5 * 3_600_000);
    expect(offsetAt(Z('2027-10-02T15:30:00Z'), 'Australia/Lord_Howe')).toBe(11 * 3_600_000);
  });
});

describe('dates', () => {
  it.each([
    ['2027-01-11T10:00:00Z', 'Pacific/Kiritimati', '2027-01-12'],
    ['2027-01-11T10:00:00Z', 'Pacific/Pago_Pago', '2027-01-10'],
    ['2027-03-14T04:59:59Z', 'America/New_York', '2027-03-13'],
    ['2027-03-14T05:00:00Z', 'America/New_York', '2027-03-14'],
    ['2027-01-10T10:15:00Z', 'Pacific/Chatham', '2027-01-11'],
  ])('localDateOf(%s, %s) = %s', (iso, zone, date) => {
    const t = Z(iso);
    expect(localDateOf(t, zone)).toBe(date);
    expect(localDayNumberOf(t, zone)).toBe(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
  });

  it('dayOfWeekOf and addDays', () => {
    expect(dayOfWeekOf('2027-01-11')).toBe(1);
    expect(dayOfWeekOf('2027-01-10')).toBe(0);
    expect(dayOfWeekOf('1969-12-31')).toBe(3);
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
  });

  it('isValidTimeZone accepts IANA names only', () => {
    expect(isValidTimeZone('Asia/Kathmandu')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('+05:30')).toBe(false);
    expect(isValidTimeZone(42)).toBe(false);
  });
});

describe('zonedIso', () => {
  it.each([
    ['2027-03-14T07:00:00Z', 'America/New_York', '2027-03-14T03:00:00-04:00'],
    ['2027-03-14T06:59:59.999Z', 'America/New_York', '2027-03-14T01:59:59-05:00'],
    ['2027-01-11T03:15:00Z', 'Asia/Kathmandu', '2027-01-11T09:00:00+05:45'],
    ['2027-01-10T19:15:00Z', 'Pacific/Chatham', '2027-01-11T09:00:00+13:45'],
    ['2027-01-12T01:00:00Z', 'Pacific/Pago_Pago', '2027-01-11T14:00:00-11:00'],
    ['2027-01-11T00:00:00Z', 'UTC', '2027-01-11T00:00:00+00:00'],
  ])('zonedIso(%s, %s) = %s', (instant, zone, iso) => {
    const t = Z(instant);
    expect(zonedIso(t, zone)).toBe(iso);
    expect(Date.parse(iso)).toBe(Math.floor(t / 1000) * 1000);
  });
});
