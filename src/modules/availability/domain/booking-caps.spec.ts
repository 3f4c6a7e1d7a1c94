import {
  type CapLimits,
  type CountedBooking,
  type HostCapInput,
  NO_CAPS,
  businessDaysSpan,
  capFilter,
  capHorizon,
  capReached,
  monthOf,
  weekOf,
  weekStartDay,
  yearOf,
} from './booking-caps.js';
import { computeSlots, isSlotAvailable } from './compute-slots.js';
import type { HostAvailability, SlotQuery, WeeklyRule } from './slot-engine.types.js';
import { capBlocking, explainStart } from './slot-explain.js';
import { dayNumberOf, localDateOf, wallTimeToInstant, zonedIso } from './wall-clock.js';

const Z = (iso: string): number => Date.parse(iso);
const caps = (c: Partial<CapLimits>): CapLimits => ({ ...NO_CAPS, ...c });
const booking = (iso: string, minutes = 30): CountedBooking => ({ start: Z(iso), minutes });
const input = (typeBookings: CountedBooking[], extra: Partial<HostCapInput> = {}): HostCapInput => ({
  weekStart: 1,
  hostLimits: null,
  typeBookings,
  allBookings: [],
  ...extra,
});
const day = (date: string) => dayNumberOf(date);

describe('calendar periods', () => {
  it.each([
    // [date, week start, first date of its week]
    ['2027-03-10', 'monday', '2027-03-08'], // a Wednesday
    ['2027-03-10', 'sunday', '2027-03-07'],
    ['2027-03-07', 'monday', '2027-03-01'], // a Sunday ends a Monday week
    ['2027-03-07', 'sunday', '2027-03-07'], // and starts a Sunday one
    ['2027-03-12', 'saturday', '2027-03-06'],
    ['2027-01-01', 'monday', '2026-12-28'], // a week across the new year
  ] as const)('%s in a week from %s starts on %s', (date, start, first) => {
    expect(weekOf(day(date), weekStartDay(start))).toBe(day(first));
  });

  it('months and years are those of the local date', () => {
    expect(monthOf(day('2027-02-28'))).toBe(2027 * 12 + 1);
    expect(monthOf(day('2027-03-01'))).toBe(2027 * 12 + 2);
    expect(yearOf(day('2026-12-31'))).toBe(2026);
    expect(yearOf(day('2027-01-01'))).toBe(2027);
  });

  it('the horizon is the coarsest period of any cap', () => {
    expect(capHorizon(null)).toBe(0);
    expect(capHorizon(NO_CAPS)).toBe(0);
    expect(capHorizon(caps({ maxBookedMinutesPerDay: 60 }))).toBe(1);
    expect(capHorizon(caps({ maxBookingsPerDay: 1, maxBookedMinutesPerWeek: 60 }))).toBe(2);
    expect(capHorizon(caps({ maxBookingsPerMonth: 9 }))).toBe(3);
    expect(capHorizon(caps({ maxBookingsPerWeek: 2, maxBookingsPerYear: 9 }))).toBe(4);
  });
});

describe('capReached: counts by the local start date, in calendar periods of the zone', () => {
  const weekly3 = caps({ maxBookingsPerWeek: 3 });

  it('a weekly cap closes the rest of the week and nothing after it', () => {
    const held = input([booking('2027-03-08T10:00:00Z'), booking('2027-03-09T10:00:00Z'), booking('2027-03-10T10:00:00Z')]);
    expect(capReached(weekly3, held, 'UTC', 30, Z('2027-03-14T10:00:00Z'))?.cap).toBe('max_bookings_per_week');
    expect(capReached(weekly3, held, 'UTC', 30, Z('2027-03-15T10:00:00Z'))).toBeNull();
    expect(capReached(caps({ maxBookingsPerWeek: 4 }), held, 'UTC', 30, Z('2027-03-14T10:00:00Z'))).toBeNull();
  });

  it('names the cap and its scope in the message', () => {
    const held = input([booking('2027-03-08T10:00:00Z'), booking('2027-03-09T10:00:00Z'), booking('2027-03-10T10:00:00Z')]);
    expect(capReached(weekly3, held, 'UTC', 30, Z('2027-03-11T10:00:00Z'))).toEqual({
      cap: 'max_bookings_per_week',
      scope: 'meeting_type',
      limit: 3,
      message: 'this meeting type takes at most 3 bookings a week (max_bookings_per_week)',
    });
    const host = input([], { hostLimits: caps({ maxBookingsPerDay: 1 }), allBookings: [booking('2027-03-11T09:00:00Z')] });
    expect(capReached(null, host, 'UTC', 30, Z('2027-03-11T15:00:00Z'))?.message).toBe(
      'this host takes at most 1 booking a day (max_bookings_per_day)',
    );
  });

  it('week_start moves the boundary: Sunday 10:00 belongs to the next Sunday week', () => {
    const held = input([booking('2027-03-08T10:00:00Z'), booking('2027-03-09T10:00:00Z'), booking('2027-03-10T10:00:00Z')], {
      weekStart: weekStartDay('sunday'),
    });
    expect(capReached(weekly3, held, 'UTC', 30, Z('2027-03-13T10:00:00Z'))?.cap).toBe('max_bookings_per_week'); // Saturday
    expect(capReached(weekly3, held, 'UTC', 30, Z('2027-03-14T10:00:00Z'))).toBeNull(); // Sunday: a new week
  });

  it('London spring-forward week (167 hours): 00:30 BST on Monday is still next week though it is Sunday in UTC', () => {
    const tz = 'Europe/London';
    // Mon 22 .. Sun 28 March 2027 (clocks go forward on the 28th).
    const held = input([
      booking('2027-03-22T09:00:00Z'),
      booking('2027-03-24T09:00:00Z'),
      booking('2027-03-28T22:30:00Z'), // Sunday 23:30 BST
    ]);
    expect(capReached(weekly3, held, tz, 30, Z('2027-03-28T08:00:00Z'))?.cap).toBe('max_bookings_per_week');
    // Monday 29th 00:30 BST = Sunday 28th 23:30 UTC: a new local week.
    expect(capReached(weekly3, held, tz, 30, Z('2027-03-28T23:30:00Z'))).toBeNull();
    // The same three bookings in UTC periods would close that instant.
    expect(capReached(weekly3, held, 'UTC', 30, Z('2027-03-28T23:30:00Z'))?.cap).toBe('max_bookings_per_week');
  });

  it('New York fall-back week (169 hours) ends at local midnight after the repeated hour', () => {
    const tz = 'America/New_York';
    // Mon 1 .. Sun 7 November 2027 (clocks go back on the 7th).
    const held = input([booking('2027-11-01T14:00:00Z'), booking('2027-11-07T05:30:00Z') /* 00:30 EST, after the change */]);
    const two = caps({ maxBookingsPerWeek: 2 });
    expect(localDateOf(Z('2027-11-08T04:59:00Z'), tz)).toBe('2027-11-07');
    expect(capReached(two, held, tz, 30, Z('2027-11-08T04:30:00Z'))?.cap).toBe('max_bookings_per_week'); // Sun 23:30 EST
    expect(capReached(two, held, tz, 30, Z('2027-11-08T05:00:00Z'))).toBeNull(); // Mon 00:00 EST
  });

  it('a month is the local month: Auckland on 31 January 12:00 UTC is already February', () => {
    const tz = 'Pacific/Auckland';
    const held = input([booking('2027-01-31T12:00:00Z')]); // 1 February 01:00 NZDT
    const monthly = caps({ maxBookingsPerMonth: 1 });
    expect(capReached(monthly, held, tz, 30, Z('2027-02-10T01:00:00Z'))?.cap).toBe('max_bookings_per_month');
    expect(capReached(monthly, held, tz, 30, Z('2027-01-30T01:00:00Z'))).toBeNull(); // 30 January local
    expect(capReached(monthly, held, 'UTC', 30, Z('2027-02-10T01:00:00Z'))).toBeNull(); // in UTC it was January
  });

  it('a yearly cap counts the local year', () => {
    const held = input([booking('2027-06-01T10:00:00Z'), booking('2027-12-31T10:00:00Z')]);
    const yearly = caps({ maxBookingsPerYear: 2 });
    expect(capReached(yearly, held, 'UTC', 30, Z('2027-01-04T10:00:00Z'))?.cap).toBe('max_bookings_per_year');
    expect(capReached(yearly, held, 'UTC', 30, Z('2028-01-03T10:00:00Z'))).toBeNull();
  });

  it('a minute cap closes a day when one more meeting of this length would pass it', () => {
    const held = input([booking('2027-03-10T09:00:00Z', 30)]);
    const minutes = caps({ maxBookedMinutesPerDay: 60 });
    expect(capReached(minutes, held, 'UTC', 30, Z('2027-03-10T12:00:00Z'))).toBeNull(); // 30 + 30 = 60
    expect(capReached(minutes, held, 'UTC', 45, Z('2027-03-10T12:00:00Z'))?.cap).toBe('max_booked_minutes_per_day');
    const weekly = caps({ maxBookedMinutesPerWeek: 90 });
    const week = input([booking('2027-03-08T09:00:00Z', 60)]);
    expect(capReached(weekly, week, 'UTC', 30, Z('2027-03-14T12:00:00Z'))).toBeNull();
    expect(capReached(weekly, week, 'UTC', 60, Z('2027-03-14T12:00:00Z'))?.cap).toBe('max_booked_minutes_per_week');
  });

  it("host caps count every type's bookings; type caps only the type's", () => {
    const other = booking('2027-03-10T09:00:00Z');
    const c = input([], { hostLimits: caps({ maxBookingsPerDay: 1 }), allBookings: [other] });
    expect(capReached(caps({ maxBookingsPerDay: 1 }), c, 'UTC', 30, Z('2027-03-10T12:00:00Z'))).toMatchObject({ scope: 'host' });
    expect(
      capReached(caps({ maxBookingsPerDay: 1 }), input([], { allBookings: [other] }), 'UTC', 30, Z('2027-03-10T12:00:00Z')),
    ).toBeNull();
  });

  it('no caps: no filter at all', () => {
    expect(capFilter(null, input([booking('2027-03-10T09:00:00Z')]), 'UTC', 30)).toBeNull();
    expect(capFilter(NO_CAPS, undefined, 'UTC', 30)).toBeNull();
  });
});

describe('businessDaysSpan', () => {
  it.each([
    // [today, business days, calendar days to the last one]
    ['2027-03-12', 1, 3], // Friday -> Monday
    ['2027-03-08', 5, 7], // Monday -> next Monday
    ['2027-03-13', 1, 2], // Saturday -> Monday
    ['2027-03-14', 1, 1], // Sunday -> Monday
    ['2027-03-10', 2, 2], // Wednesday -> Friday
    ['2027-03-10', 0, 0],
  ] as const)('from %s, %d business days span %d calendar days', (today, n, span) => {
    expect(businessDaysSpan(day(today), n)).toBe(span);
  });
});

// ---- the engine with caps -----------------------------------------------------------------------------------------

const NOW = Z('2027-03-01T00:00:00Z');
const weekdays = (from: number, to: number): WeeklyRule[] =>
  [1, 2, 3, 4, 5].map((dayOfWeek) => ({ dayOfWeek, startMinute: from, endMinute: to }));

function hostOf(id: string, timeZone: string, extra: Partial<HostAvailability> = {}): HostAvailability {
  return { hostId: id, timeZone, rules: weekdays(9 * 60, 17 * 60), overrides: [], busy: [], ...extra };
}

function q(extra: Partial<SlotQuery> = {}): SlotQuery {
  return {
    rangeStart: Z('2027-03-08T00:00:00Z'),
    rangeEnd: Z('2027-03-22T00:00:00Z'),
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

const localDates = (slots: { start: number }[], tz: string) => [...new Set(slots.map((s) => localDateOf(s.start, tz)))];

describe('computeSlots with caps', () => {
  const tz = 'Europe/Berlin';
  const held = [booking('2027-03-08T09:00:00Z', 60), booking('2027-03-09T09:00:00Z', 60), booking('2027-03-10T09:00:00Z', 60)];

  it('a reached weekly cap removes the rest of that week, and the next week is open', () => {
    const h = hostOf('h1', tz, { caps: input(held) });
    const slots = computeSlots([h], q({ typeCaps: caps({ maxBookingsPerWeek: 3 }) }));
    expect(localDates(slots, tz)).toEqual(['2027-03-15', '2027-03-16', '2027-03-17', '2027-03-18', '2027-03-19']);
    const open = computeSlots([h], q({ typeCaps: caps({ maxBookingsPerWeek: 4 }) }));
    expect(localDates(open, tz)).toHaveLength(10);
  });

  it('offered = bookable: isSlotAvailable agrees with the list, and capBlocking names the cap', () => {
    const h = hostOf('h1', tz, { caps: input(held) });
    const query = q({ typeCaps: caps({ maxBookingsPerWeek: 3 }) });
    const thursday = wallTimeToInstant('2027-03-11', 10 * 60, tz);
    expect(isSlotAvailable([h], query, thursday)).toBeNull();
    expect(capBlocking([h], query, thursday)).toMatchObject({ cap: 'max_bookings_per_week', hostId: 'h1' });
    const monday = wallTimeToInstant('2027-03-15', 10 * 60, tz);
    expect(isSlotAvailable([h], query, monday)).not.toBeNull();
    expect(capBlocking([h], query, monday)).toBeNull();
  });

  it('round robin: a capped host drops out; the start closes only when every host is capped', () => {
    const capped = hostOf('a', tz, { caps: input(held) });
    const free = hostOf('b', tz, { caps: input([]) });
    const query = q({ kind: 'round_robin', typeCaps: caps({ maxBookingsPerWeek: 3 }) });
    const thursday = wallTimeToInstant('2027-03-11', 10 * 60, tz);
    expect(isSlotAvailable([capped, free], query, thursday)?.hostIds).toEqual(['b']);
    expect(capBlocking([capped, free], query, thursday)).toBeNull();
    const both = hostOf('b', tz, { caps: input(held) });
    expect(isSlotAvailable([capped, both], query, thursday)).toBeNull();
    expect(capBlocking([capped, both], query, thursday)?.message).toBe(
      'this meeting type takes at most 3 bookings a week per host (max_bookings_per_week)',
    );
  });

  it('collective: one capped host closes the start for all', () => {
    const query = q({ kind: 'collective', typeCaps: caps({ maxBookingsPerWeek: 3 }) });
    const thursday = wallTimeToInstant('2027-03-11', 10 * 60, tz);
    const hosts = [hostOf('a', tz, { caps: input([]) }), hostOf('b', tz, { caps: input(held) })];
    expect(isSlotAvailable(hosts, query, thursday)).toBeNull();
    expect(capBlocking(hosts, query, thursday)).toMatchObject({ hostId: 'b' });
  });

  it('group: a reached cap closes new sessions only; seats in the sessions that exist can still be taken', () => {
    const session = wallTimeToInstant('2027-03-09', 10 * 60, tz);
    const h = hostOf('h1', tz, { caps: input([{ start: session, minutes: 60 }]) });
    const query = q({
      kind: 'group',
      seats: 3,
      seatsTaken: new Map([[session, 1]]),
      typeCaps: caps({ maxBookingsPerWeek: 1, maxBookedMinutesPerDay: 60 }),
    });
    const week = computeSlots([h], { ...query, rangeEnd: Z('2027-03-15T00:00:00Z') });
    expect(week).toEqual([{ start: session, end: session + 60 * 60_000, hostIds: ['h1'], seatsRemaining: 2 }]);
    expect(isSlotAvailable([h], query, session)).not.toBeNull();
    expect(capBlocking([h], query, wallTimeToInstant('2027-03-09', 11 * 60, tz))?.cap).toBe('max_bookings_per_week');
  });

  it('a host cap applies to every type, through the host input', () => {
    const h = hostOf('h1', tz, { caps: input([], { hostLimits: caps({ maxBookingsPerWeek: 3 }), allBookings: held }) });
    expect(localDates(computeSlots([h], q()), tz)[0]).toBe('2027-03-15');
  });

  it('business-day window: on a Friday, 2 business days reach through Tuesday', () => {
    const h = hostOf('h1', tz);
    const friday = wallTimeToInstant('2027-03-12', 12 * 60, tz);
    const slots = computeSlots([h], q({ now: friday, bookingWindowDays: 2, bookingWindowType: 'business_days' }));
    expect(localDates(slots, tz)).toEqual(['2027-03-12', '2027-03-15', '2027-03-16']);
    const calendar = computeSlots([h], q({ now: friday, bookingWindowDays: 2 }));
    expect(localDates(calendar, tz)).toEqual(['2027-03-12']); // Saturday and Sunday have no hours
  });
});

describe('explainStart', () => {
  const tz = 'UTC';
  const start = Z('2027-03-10T10:00:00Z');

  it('bookable: no reasons', () => {
    expect(explainStart([hostOf('h1', tz)], q(), start)).toEqual({ bookable: true, reasons: [] });
  });

  it.each([
    ['outside_hours', hostOf('h1', tz), q(), Z('2027-03-10T18:00:00Z')],
    ['busy_booking', hostOf('h1', tz, { busy: [{ start: Z('2027-03-10T10:30:00Z'), end: Z('2027-03-10T11:00:00Z') }] }), q(), start],
    ['minimum_notice', hostOf('h1', tz), q({ now: Z('2027-03-10T09:30:00Z'), minimumNoticeMinutes: 60 }), start],
    ['booking_window', hostOf('h1', tz), q({ bookingWindowDays: 3 }), start],
    [
      'max_bookings_per_week',
      hostOf('h1', tz, { caps: input([booking('2027-03-08T10:00:00Z')]) }),
      q({ typeCaps: caps({ maxBookingsPerWeek: 1 }) }),
      start,
    ],
  ] as const)('names %s', (code, h, query, at) => {
    const e = explainStart([h], query, at);
    expect(e.bookable).toBe(false);
    expect(e.reasons.map((r) => r.code)).toEqual([code]);
    expect(e.bookable).toBe(isSlotAvailable([h], query, at) !== null);
  });

  it('names every host for team kinds', () => {
    const query = q({ kind: 'collective' });
    const e = explainStart([hostOf('a', tz), hostOf('b', tz, { rules: [] })], query, start);
    expect(e).toEqual({ bookable: false, reasons: [expect.objectContaining({ code: 'outside_hours', hostId: 'b' })] });
  });

  it('agrees with the engine on every start of a week (with caps, busy time and notice)', () => {
    const h = hostOf('h1', 'America/New_York', {
      busy: [{ start: Z('2027-03-09T15:00:00Z'), end: Z('2027-03-09T17:00:00Z') }],
      caps: input([booking('2027-03-11T15:00:00Z', 60)]),
    });
    const query = q({ now: Z('2027-03-08T14:00:00Z'), minimumNoticeMinutes: 120, typeCaps: caps({ maxBookedMinutesPerDay: 60 }) });
    for (let t = Z('2027-03-08T00:00:00Z'); t < Z('2027-03-15T00:00:00Z'); t += 30 * 60_000) {
      const e = explainStart([h], query, t);
      expect(e.bookable).toBe(isSlotAvailable([h], query, t) !== null);
      expect(e.bookable).toBe(e.reasons.length === 0);
    }
    expect(zonedIso(Z('2027-03-11T15:00:00Z'), 'America/New_York')).toBe('2027-03-11T10:00:00-05:00');
  });
});
