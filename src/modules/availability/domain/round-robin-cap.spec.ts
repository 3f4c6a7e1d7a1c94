import {
  atRoundRobinCap,
  periodStart,
  roundRobinCapMessage,
  roundRobinCapsLiftAt,
  roundRobinCapStates,
  roundRobinCapStatesFromCounts,
} from './round-robin-cap.js';
import { computeSlots } from './compute-slots.js';
import type { HostAvailability, SlotQuery } from './slot-engine.types.js';
import { explainStart } from './slot-explain.js';

const DAY = 86_400_000;
const ms = (iso: string) => Date.parse(iso);

describe('atRoundRobinCap', () => {
  it.each([
    [null, 5, false],
    [undefined, 5, false],
    [2, 1, false],
    [2, 2, true],
    [2, 3, true],
    [0, 0, true],
  ] as const)('cap %s with %s bookings: %s', (limit, count, expected) => {
    expect(atRoundRobinCap(limit, count)).toBe(expected);
  });
});

describe('roundRobinCapStates', () => {
  const hosts = [
    { userId: 'a', maxBookingsPerPeriod: 2 },
    { userId: 'b', maxBookingsPerPeriod: null },
    { userId: 'c', maxBookingsPerPeriod: 1 },
  ];
  it('counts the starts from the period start on, for capped hosts only', () => {
    const start = ms('2027-03-01T00:00:00Z');
    const states = roundRobinCapStates(
      hosts,
      { a: [ms('2027-05-01T09:00:00Z'), ms('2027-03-01T00:00:00Z')], c: [ms('2027-02-28T23:59:00Z')] },
      'calendar_month',
      start,
    );
    // A booking after the month still counts (the period containing now, whatever the start); one before does not.
    expect(Object.fromEntries(states)).toEqual({
      a: { limit: 2, bookingsInPeriod: 2, period: 'calendar_month' },
      c: { limit: 1, bookingsInPeriod: 0, period: 'calendar_month' },
    });
  });
  it('takes counts read elsewhere (the booking command) the same way', () => {
    expect(Object.fromEntries(roundRobinCapStatesFromCounts(hosts, new Map([['a', 2]]), 'rolling_30_days'))).toEqual({
      a: { limit: 2, bookingsInPeriod: 2, period: 'rolling_30_days' },
      c: { limit: 1, bookingsInPeriod: 0, period: 'rolling_30_days' },
    });
  });
});

describe('roundRobinCapsLiftAt', () => {
  it('a calendar month lifts at the next month in the owner zone', () => {
    const zone = 'America/New_York';
    const start = periodStart('calendar_month', new Date('2027-03-15T12:00:00Z'), zone).getTime();
    const states = new Map([['a', { limit: 1, bookingsInPeriod: 1, period: 'calendar_month' as const }]]);
    expect(
      new Date(roundRobinCapsLiftAt(states, { a: [ms('2027-03-20T15:00:00Z')] }, 'calendar_month', start, zone) ?? 0).toISOString(),
    ).toBe('2027-04-01T04:00:00.000Z');
  });
  it('30 rolling days lift when the oldest counted booking leaves them; hosts under the cap and caps of 0 never', () => {
    const now = ms('2027-03-15T12:00:00Z');
    const start = now - 30 * DAY;
    const starts = { a: [ms('2027-03-20T10:00:00Z'), ms('2027-03-01T10:00:00Z')], b: [ms('2027-03-02T10:00:00Z')] };
    const states = new Map([
      ['a', { limit: 2, bookingsInPeriod: 2, period: 'rolling_30_days' as const }],
      ['b', { limit: 2, bookingsInPeriod: 1, period: 'rolling_30_days' as const }],
      ['z', { limit: 0, bookingsInPeriod: 0, period: 'rolling_30_days' as const }],
    ]);
    const lift = roundRobinCapsLiftAt(states, starts, 'rolling_30_days', start, 'UTC') as number;
    expect(lift).toBe(ms('2027-03-01T10:00:00Z') + 30 * DAY + 1);
    // One millisecond before, the booking still counts; at the lift, it no longer does.
    const countAt = (t: number) =>
      roundRobinCapStates([{ userId: 'a', maxBookingsPerPeriod: 2 }], starts, 'rolling_30_days', t - 30 * DAY).get('a');
    expect(countAt(lift - 1)?.bookingsInPeriod).toBe(2);
    expect(countAt(lift)?.bookingsInPeriod).toBe(1);
    expect(roundRobinCapsLiftAt(new Map([...states].filter(([id]) => id !== 'a')), starts, 'rolling_30_days', start, 'UTC')).toBeNull();
  });
});

describe('the engine and explain with round-robin caps', () => {
  const t0 = ms('2027-03-08T00:00:00Z'); // a Monday
  const host = (hostId: string, roundRobinCap?: HostAvailability['roundRobinCap']): HostAvailability => ({
    hostId,
    timeZone: 'UTC',
    rules: [{ dayOfWeek: 1, startMinute: 9 * 60, endMinute: 11 * 60 }],
    overrides: [],
    busy: [],
    ...(roundRobinCap ? { roundRobinCap } : {}),
  });
  const query: SlotQuery = {
    rangeStart: t0,
    rangeEnd: t0 + DAY,
    now: t0 - DAY,
    durationMinutes: 60,
    intervalMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    bookingWindowDays: null,
    maxBookingsPerDay: null,
    kind: 'round_robin',
  };
  const capped = { limit: 1, bookingsInPeriod: 1, period: 'calendar_month' as const };

  it('leaves a capped host out of every slot; no slot when every host is capped', () => {
    expect(computeSlots([host('a', capped), host('b', { ...capped, bookingsInPeriod: 0 })], query).map((s) => s.hostIds)).toEqual([
      ['b'],
      ['b'],
    ]);
    expect(computeSlots([host('a', capped), host('b', capped)], query)).toEqual([]);
    // Other kinds never carry the cap, and the engine ignores it for them.
    expect(computeSlots([host('a', capped)], { ...query, kind: 'one_on_one' })).toHaveLength(2);
  });

  it('explain names the cap per host, with its message', () => {
    const e = explainStart([host('a', capped), host('b', capped)], query, t0 + 9 * 3_600_000);
    expect(e.bookable).toBe(false);
    expect(e.reasons).toEqual(
      ['a', 'b'].map((hostId) => ({
        code: 'max_bookings_per_period',
        message: roundRobinCapMessage(capped),
        text: { name: 'capRoundRobin', values: { limit: 1, period: 'calendar_month' } },
        hostId,
        detail: { cap: 'max_bookings_per_period', limit: 1, scope: 'meeting_type' },
      })),
    );
    expect(roundRobinCapMessage(capped)).toBe(
      'this host takes at most 1 booking of this meeting type per calendar month and has reached it (max_bookings_per_period)',
    );
  });
});
