import fc from 'fast-check';
import { computeSlots } from '../../availability/domain/compute-slots.js';
import type { HostAvailability, SlotQuery } from '../../availability/domain/slot-engine.types.js';
import { periodStart, rankRoundRobinHosts, simulateAssignments, targetShares, type RoundRobinCandidate } from './round-robin.js';

const c = (userId: string, o: Partial<RoundRobinCandidate> = {}): RoundRobinCandidate => ({
  userId,
  priority: 0,
  weight: 100,
  bookingsInPeriod: 0,
  lastBookedAt: null,
  ...o,
});

describe('rankRoundRobinHosts', () => {
  it.each([
    [
      'fewest bookings first (equal weights)',
      [c('a', { bookingsInPeriod: 2 }), c('b', { bookingsInPeriod: 1 })],
      ['b', 'a'],
      'weighted_least_served',
    ],
    [
      'lowest (bookings + 1) / weight first',
      [c('a', { weight: 1, bookingsInPeriod: 1 }), c('b', { weight: 4, bookingsInPeriod: 6 })],
      ['b', 'a'],
      'weighted_least_served',
    ],
    ['then higher priority', [c('a'), c('b', { priority: 5 })], ['b', 'a'], 'priority'],
    ['then least recently booked', [c('a', { lastBookedAt: 2000 }), c('b', { lastBookedAt: 1000 })], ['b', 'a'], 'least_recently_booked'],
    ['never booked before booked', [c('a', { lastBookedAt: 1 }), c('b')], ['b', 'a'], 'least_recently_booked'],
    ['then host id', [c('b'), c('a')], ['a', 'b'], 'host_id'],
    [
      'a fallback host only after the others',
      [c('a', { fallback: true }), c('b', { bookingsInPeriod: 9 })],
      ['b', 'a'],
      'weighted_least_served',
    ],
  ])('%s', (_name, candidates, order, rule) => {
    const ranked = rankRoundRobinHosts(candidates);
    expect(ranked.map((r) => r.userId)).toEqual(order);
    expect(ranked[0].reason.rule).toBe(rule);
  });

  it('equal loads with different weights tie on load: (1+1)/2 = (0+1)/1', () => {
    const ranked = rankRoundRobinHosts([c('a', { weight: 1 }), c('b', { weight: 2, bookingsInPeriod: 1, priority: 1 })]);
    expect(ranked.map((r) => r.userId)).toEqual(['b', 'a']);
    expect(ranked[0].reason.rule).toBe('priority');
  });

  it('leaves out hosts at their cap, and books a fallback host when no one else is left', () => {
    const ranked = rankRoundRobinHosts([c('a', { maxBookingsPerPeriod: 2, bookingsInPeriod: 2 }), c('f', { fallback: true })]);
    expect(ranked.map((r) => r.userId)).toEqual(['f']);
    expect(ranked[0].reason.rule).toBe('only_candidate');
    const two = rankRoundRobinHosts([
      c('a', { maxBookingsPerPeriod: 0 }),
      c('f', { fallback: true }),
      c('g', { fallback: true, bookingsInPeriod: 1 }),
    ]);
    expect(two.map((r) => r.userId)).toEqual(['f', 'g']);
    expect(two[0].reason.rule).toBe('fallback_host');
  });

  it('is deterministic whatever the input order', () => {
    const hosts = [c('x', { bookingsInPeriod: 1 }), c('y'), c('z', { priority: 1 })];
    const a = rankRoundRobinHosts(hosts).map((r) => r.userId);
    const b = rankRoundRobinHosts([...hosts].reverse()).map((r) => r.userId);
    expect(a).toEqual(b);
    expect(a).toEqual(['z', 'y', 'x']);
  });

  it('says when there was only one candidate', () => {
    expect(rankRoundRobinHosts([c('a')])[0].reason.rule).toBe('only_candidate');
  });
});

describe('simulateAssignments', () => {
  it('weights 1/1/2/4 over 8 bookings give 1/1/2/4', () => {
    const hosts = [c('a', { weight: 1 }), c('b', { weight: 1 }), c('c', { weight: 2 }), c('d', { weight: 4 })];
    const next = simulateAssignments(hosts, 8, 0);
    const count = (id: string) => next.filter((x) => x === id).length;
    expect([count('a'), count('b'), count('c'), count('d')]).toEqual([1, 1, 2, 4]);
    expect(next[0]).toBe('d');
  });

  it('stops when every host is at its cap, and uses the fallback host last', () => {
    const next = simulateAssignments([c('a', { maxBookingsPerPeriod: 2 }), c('f', { fallback: true, maxBookingsPerPeriod: 1 })], 10, 0);
    expect(next).toEqual(['a', 'a', 'f']);
  });
});

describe('targetShares', () => {
  it('is weight over the non-fallback weights', () => {
    const shares = targetShares([c('a', { weight: 1 }), c('b', { weight: 3 }), c('f', { weight: 5, fallback: true })]);
    expect([shares.get('a'), shares.get('b'), shares.get('f')]).toEqual([0.25, 0.75, 0]);
  });
});

describe('the fairness bound (property)', () => {
  const RUNS = 500;
  it(`q_i − 1 ≤ c_i ≤ q_i + (K − 1)·w_i/W after every booking, from any fair start (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ weight: fc.integer({ min: 1, max: 20 }), priority: fc.integer({ min: 0, max: 3 }) }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer({ min: 1, max: 300 }),
        (specs, n) => {
          const hosts = specs.map((s, i) => c(`h${i}`, s));
          const W = hosts.reduce((s, h) => s + h.weight, 0);
          const K = hosts.length;
          const counts = new Map(hosts.map((h) => [h.userId, 0]));
          const state = hosts.map((h) => ({ ...h }));
          for (let step = 1; step <= n; step++) {
            const [first] = rankRoundRobinHosts(state);
            const host = state.find((h) => h.userId === first.userId) as RoundRobinCandidate;
            host.bookingsInPeriod += 1;
            host.lastBookedAt = step;
            counts.set(host.userId, (counts.get(host.userId) ?? 0) + 1);
            for (const h of hosts) {
              const q = (step * h.weight) / W;
              const ci = counts.get(h.userId) ?? 0;
              if (ci < q - 1 - 1e-9 || ci > q + ((K - 1) * h.weight) / W + 1e-9) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('simulateAssignments is what booking one after another does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 50 }),
        (weights, n) => {
          const hosts = weights.map((weight, i) => c(`h${i}`, { weight }));
          const next = simulateAssignments(hosts, n, 0);
          return next.length === n;
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('periodStart', () => {
  const now = new Date('2026-03-01T03:30:00Z');
  it('rolling_30_days: 30 days back', () => {
    expect(periodStart('rolling_30_days', now, 'UTC').toISOString()).toBe('2026-01-30T03:30:00.000Z');
  });
  it('calendar_month: the 1st at midnight in the zone', () => {
    expect(periodStart('calendar_month', now, 'UTC').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    // Still February in New York (22:30 on the 28th, UTC−5).
    expect(periodStart('calendar_month', now, 'America/New_York').toISOString()).toBe('2026-02-01T05:00:00.000Z');
    expect(periodStart('calendar_month', now, 'Europe/Berlin').toISOString()).toBe('2026-02-28T23:00:00.000Z');
    // The month after a DST change: April in Berlin starts at UTC+2.
    expect(periodStart('calendar_month', new Date('2026-04-15T12:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-03-31T22:00:00.000Z');
  });
});

describe('the slot engine and the ranking agree on caps (property)', () => {
  // The slots endpoint (computeSlots) and the booking command (rankRoundRobinHosts) decide with the one rule of
  // round-robin-cap.ts: a round-robin start is offered exactly when the ranking has a host to book there, and the
  // hosts it offers are the ones the ranking may pick.
  const t0 = Date.parse('2027-03-08T00:00:00Z'); // a Monday
  const query: SlotQuery = {
    rangeStart: t0,
    rangeEnd: t0 + 86_400_000,
    now: t0 - 86_400_000,
    durationMinutes: 60,
    intervalMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    bookingWindowDays: null,
    maxBookingsPerDay: null,
    kind: 'round_robin',
  };
  const hostArb = fc.record({
    free: fc.boolean(),
    cap: fc.option(fc.integer({ min: 0, max: 3 })),
    count: fc.integer({ min: 0, max: 4 }),
    fallback: fc.boolean(),
  });
  it('offered exactly when some free host is under their cap', () => {
    fc.assert(
      fc.property(fc.array(hostArb, { minLength: 1, maxLength: 5 }), (spec) => {
        const hosts: HostAvailability[] = spec.map((h, i) => ({
          hostId: `h${i}`,
          timeZone: 'UTC',
          rules: [{ dayOfWeek: 1, startMinute: 9 * 60, endMinute: 10 * 60 }],
          overrides: [],
          busy: h.free ? [] : [{ start: t0, end: t0 + 86_400_000 }],
          ...(h.cap !== null ? { roundRobinCap: { limit: h.cap, bookingsInPeriod: h.count, period: 'calendar_month' as const } } : {}),
        }));
        const offered = computeSlots(hosts, query);
        const ranked = rankRoundRobinHosts(
          spec.flatMap((h, i) =>
            h.free ? [c(`h${i}`, { maxBookingsPerPeriod: h.cap, bookingsInPeriod: h.count, fallback: h.fallback })] : [],
          ),
        );
        expect(offered.length > 0).toBe(ranked.length > 0);
        if (offered.length > 0) expect([...offered[0].hostIds].sort()).toEqual(ranked.map((r) => r.userId).sort());
      }),
      { numRuns: 500, seed: 19 },
    );
  });
});
