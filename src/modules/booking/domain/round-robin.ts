/** Round-robin host choice. Pure and deterministic: the same candidates and stats always give the same order. */
export interface RoundRobinCandidate {
  userId: string;
  priority: number; // higher first
  weight: number; // higher first
  bookingsInPeriod: number; // live bookings of this meeting type in the current period
  lastBookedAt: number | null; // epoch ms of the host's most recent booking of this type
}

export interface RoundRobinChoice {
  userId: string;
  reason: {
    rule: 'fewest_bookings_in_period' | 'priority' | 'weight' | 'least_recently_booked' | 'host_id' | 'only_candidate';
    bookings_in_period: number;
    candidates: number;
  };
}

/**
 * Orders free hosts: fewest bookings in the current period, then higher priority, then higher weight, then least
 * recently booked (never booked first), then host id. The caller tries them in this order.
 */
export function rankRoundRobinHosts(candidates: RoundRobinCandidate[]): RoundRobinChoice[] {
  const sorted = [...candidates].sort(compare);
  return sorted.map((c, i) => ({
    userId: c.userId,
    reason: {
      rule: sorted.length === 1 ? 'only_candidate' : decidingRule(c, sorted[i + 1] ?? sorted[i - 1]),
      bookings_in_period: c.bookingsInPeriod,
      candidates: sorted.length,
    },
  }));
}

function compare(a: RoundRobinCandidate, b: RoundRobinCandidate): number {
  return (
    a.bookingsInPeriod - b.bookingsInPeriod ||
    b.priority - a.priority ||
    b.weight - a.weight ||
    (a.lastBookedAt ?? -Infinity) - (b.lastBookedAt ?? -Infinity) ||
    (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0)
  );
}

function decidingRule(a: RoundRobinCandidate, b: RoundRobinCandidate): RoundRobinChoice['reason']['rule'] {
  if (a.bookingsInPeriod !== b.bookingsInPeriod) return 'fewest_bookings_in_period';
  if (a.priority !== b.priority) return 'priority';
  if (a.weight !== b.weight) return 'weight';
  if ((a.lastBookedAt ?? -Infinity) !== (b.lastBookedAt ?? -Infinity)) return 'least_recently_booked';
  return 'host_id';
}
