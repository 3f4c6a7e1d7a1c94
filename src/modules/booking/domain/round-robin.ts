import { atRoundRobinCap } from '../../availability/domain/round-robin-cap.js';

/**
 * Round-robin host choice (issue #19 part 3). Pure and deterministic: the same candidates and stats always give the
 * same order.
 *
 * The rule, "weighted least served": among the free hosts that are under their cap, take the one with the lowest
 * load `(bookings_in_period + 1) / weight`; ties go to the higher priority, then the least recently booked (never
 * booked first), then the lower host id. A fallback host ("only if no one else is free") is only tried after every
 * other free host under its cap. Loads are compared by cross-multiplication, so no rounding ever decides.
 *
 * The bound (docs: README "Fair round robin"). Let K hosts with weights w_i (W = Σ w_i) take n bookings one after
 * another, each with every host free, under its cap and none a fallback; c_i is host i's count and q_i = n·w_i/W its
 * weight-proportional share. Every choice keeps the invariant c_i / w_i ≤ (c_j + 1) / w_j for all i, j (the chosen
 * host had the lowest (c + 1) / w, and the others' counts do not move). Summing it over j ≠ i (times w_j) gives
 *
 *     q_i − 1  ≤  c_i  ≤  q_i + (K − 1) · w_i / W
 *
 * — never more than one booking short of its share, and over it by at most (K − 1)·w_i/W (< K − 1). With weights
 * 1/1/2/4 that is −1 ≤ c_i − q_i ≤ 0.375, 0.375, 0.75, 1.5. The order of ties does not matter to the bound, so
 * priority only ever breaks ties. Busy hosts, caps and fallbacks suspend the premise for the bookings they touch.
 */
export interface RoundRobinCandidate {
  userId: string;
  priority: number; // higher first among equal loads
  weight: number; // ≥ 1; a host of weight 2 gets twice the bookings of a host of weight 1
  bookingsInPeriod: number; // live bookings of this meeting type assigned to the host in the current period
  lastBookedAt: number | null; // epoch ms of the host's most recent booking of this type
  /** Only booked when no other free host (under its cap) is left. */
  fallback?: boolean;
  /** The most bookings of this type the host takes per period; null = no cap. */
  maxBookingsPerPeriod?: number | null;
}

export type RoundRobinRule =
  'weighted_least_served' | 'priority' | 'least_recently_booked' | 'host_id' | 'only_candidate' | 'fallback_host';

export interface RoundRobinChoice {
  userId: string;
  reason: {
    rule: RoundRobinRule;
    bookings_in_period: number;
    weight: number;
    candidates: number;
  };
}

// The counting period and the cap rule live with the slot engine, which excludes capped hosts by the same rule.
export { periodStart, ROUND_ROBIN_PERIODS, type RoundRobinPeriod } from '../../availability/domain/round-robin-cap.js';

/** Whether the host may take one more booking in this period. */
export function underCap(c: RoundRobinCandidate): boolean {
  return !atRoundRobinCap(c.maxBookingsPerPeriod, c.bookingsInPeriod);
}

/**
 * Orders the free hosts the caller tries, in turn: non-fallback hosts by the rule above, then fallback hosts by the
 * same rule. Hosts at their cap are left out.
 */
export function rankRoundRobinHosts(candidates: RoundRobinCandidate[]): RoundRobinChoice[] {
  const open = candidates.filter(underCap);
  const sorted = [...open.filter((c) => !c.fallback).sort(compare), ...open.filter((c) => c.fallback).sort(compare)];
  return sorted.map((c, i) => ({
    userId: c.userId,
    reason: {
      rule:
        sorted.length === 1 ? 'only_candidate' : c.fallback && i === 0 ? 'fallback_host' : decidingRule(c, sorted[i + 1] ?? sorted[i - 1]),
      bookings_in_period: c.bookingsInPeriod,
      weight: c.weight,
      candidates: sorted.length,
    },
  }));
}

/** Lower load first: (a.count + 1) / a.weight < (b.count + 1) / b.weight, without division. */
function compareLoad(a: RoundRobinCandidate, b: RoundRobinCandidate): number {
  return (a.bookingsInPeriod + 1) * b.weight - (b.bookingsInPeriod + 1) * a.weight;
}

function compare(a: RoundRobinCandidate, b: RoundRobinCandidate): number {
  return (
    compareLoad(a, b) ||
    b.priority - a.priority ||
    (a.lastBookedAt ?? -Infinity) - (b.lastBookedAt ?? -Infinity) ||
    (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0)
  );
}

function decidingRule(a: RoundRobinCandidate, b: RoundRobinCandidate): RoundRobinRule {
  if (Boolean(a.fallback) !== Boolean(b.fallback)) return a.fallback ? 'fallback_host' : 'weighted_least_served';
  if (compareLoad(a, b) !== 0) return 'weighted_least_served';
  if (a.priority !== b.priority) return 'priority';
  if ((a.lastBookedAt ?? -Infinity) !== (b.lastBookedAt ?? -Infinity)) return 'least_recently_booked';
  return 'host_id';
}

/**
 * The next `n` assignments the rule would make with every host free (calendars aside): each step books the first
 * ranked host, counts it and makes it the most recently booked. Stops early when every host is at its cap.
 */
export function simulateAssignments(candidates: RoundRobinCandidate[], n: number, now: number): string[] {
  const state = candidates.map((c) => ({ ...c }));
  const out: string[] = [];
  for (let step = 0; step < n; step++) {
    const ranked = rankRoundRobinHosts(state);
    if (ranked.length === 0) break;
    const host = state.find((c) => c.userId === ranked[0].userId) as RoundRobinCandidate;
    host.bookingsInPeriod += 1;
    host.lastBookedAt = now + step + 1;
    out.push(host.userId);
  }
  return out;
}

/** Target share: weight over the weights of the non-fallback hosts (a fallback host's target is 0). */
export function targetShares(candidates: Pick<RoundRobinCandidate, 'userId' | 'weight' | 'fallback'>[]): Map<string, number> {
  const total = candidates.filter((c) => !c.fallback).reduce((s, c) => s + c.weight, 0);
  return new Map(candidates.map((c) => [c.userId, c.fallback || total === 0 ? 0 : c.weight / total]));
}
