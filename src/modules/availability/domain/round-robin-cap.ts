// Round-robin host caps (issue #19): a host of a round-robin type takes at most `max_bookings_per_period` bookings of
// it per counting period. Pure: no I/O, no clock. The ONE definition of "at the cap", shared by the slots endpoint,
// the explain endpoint, the booking re-check (slot engine, compute-slots.ts) and the booking command's host ranking
// (booking/domain/round-robin.ts), so a time is offered exactly when a host under their cap is free there.
//
// What counts: the host's live (confirmed or pending) bookings of the type that START at or after the start of the
// counting period that contains NOW, whatever the time being booked (a booking next month counts against this
// month's cap while this month lasts). So a capped host is closed for every time until the period turns (calendar
// month) or their oldest counted booking leaves the window (rolling 30 days), or a booking of theirs is cancelled.

import { localDateOf, wallTimeToInstant } from './wall-clock.js';

export type RoundRobinPeriod = 'rolling_30_days' | 'calendar_month';
export const ROUND_ROBIN_PERIODS: readonly RoundRobinPeriod[] = ['rolling_30_days', 'calendar_month'];

const DAY_MS = 86_400_000;

/**
 * How far before now the starts of counted bookings are read: below every period start (30 days; or a month of at
 * most 31 days in a zone up to 14 hours from UTC), so the read needs neither the owner's zone nor the period.
 */
export const ROUND_ROBIN_LOOK_BACK_MS = 32 * DAY_MS;

/** One host's cap and how many of their bookings count in the current period (at most the cap; see countedInPeriod). */
export interface RoundRobinCapState {
  limit: number;
  bookingsInPeriod: number;
  period: RoundRobinPeriod;
}

/** Whether the host may take no more bookings of the type in this period. A cap of null (or absent) is no cap. */
export function atRoundRobinCap(limit: number | null | undefined, bookingsInPeriod: number): boolean {
  return limit !== null && limit !== undefined && bookingsInPeriod >= limit;
}

/**
 * The first instant of the counting period that contains `now`: 30 days back for `rolling_30_days`; the first of the
 * month at 00:00 in `timeZone` (the type owner's) for `calendar_month`.
 */
export function periodStart(period: RoundRobinPeriod, now: Date, timeZone: string): Date {
  if (period === 'rolling_30_days') return new Date(now.getTime() - 30 * DAY_MS);
  const today = localDateOf(now.getTime(), timeZone);
  return new Date(wallTimeToInstant(`${today.slice(0, 8)}01`, 0, timeZone));
}

/**
 * Each capped host's cap and count, from the starts of their latest bookings of the type (at most `limit` of them,
 * newest first: enough to tell whether `limit` fall in the period). Hosts without a cap are left out.
 */
export function roundRobinCapStates(
  hosts: readonly { userId: string; maxBookingsPerPeriod: number | null }[],
  latestStarts: Readonly<Record<string, readonly number[]>>,
  period: RoundRobinPeriod,
  periodStartMs: number,
): Map<string, RoundRobinCapState> {
  const out = new Map<string, RoundRobinCapState>();
  for (const h of hosts) {
    if (h.maxBookingsPerPeriod === null) continue;
    const bookingsInPeriod = (latestStarts[h.userId] ?? []).filter((s) => s >= periodStartMs).length;
    out.set(h.userId, { limit: h.maxBookingsPerPeriod, bookingsInPeriod, period });
  }
  return out;
}

/** The same from counts the caller has already read (the booking command's fairness figures). */
export function roundRobinCapStatesFromCounts(
  hosts: readonly { userId: string; maxBookingsPerPeriod: number | null }[],
  counts: ReadonlyMap<string, number>,
  period: RoundRobinPeriod,
): Map<string, RoundRobinCapState> {
  const out = new Map<string, RoundRobinCapState>();
  for (const h of hosts) {
    if (h.maxBookingsPerPeriod !== null) {
      out.set(h.userId, { limit: h.maxBookingsPerPeriod, bookingsInPeriod: counts.get(h.userId) ?? 0, period });
    }
  }
  return out;
}

/**
 * The earliest instant from which time alone may lift a host's cap (a cached answer is good until then; a booking
 * or a cancellation changes counts otherwise, and bumps the host's version): the next month's start for a calendar
 * month, else the moment the oldest counted booking leaves the 30 days. Null when no host is at their cap. Early
 * rather than late: a host with more bookings than their cap may still be at it then (the answer is recomputed).
 */
export function roundRobinCapsLiftAt(
  states: ReadonlyMap<string, RoundRobinCapState>,
  latestStarts: Readonly<Record<string, readonly number[]>>,
  period: RoundRobinPeriod,
  periodStartMs: number,
  timeZone: string,
): number | null {
  let earliest: number | null = null;
  for (const [hostId, state] of states) {
    // A cap of 0 is never lifted by time.
    if (!atRoundRobinCap(state.limit, state.bookingsInPeriod) || state.limit === 0) continue;
    const counted = (latestStarts[hostId] ?? []).filter((s) => s >= periodStartMs);
    const lift =
      period === 'calendar_month'
        ? // 32 days after the 1st is always inside the next month.
          periodStart(period, new Date(periodStartMs + 32 * DAY_MS), timeZone).getTime()
        : // A booking is counted while it starts at or after now − 30 days.
          Math.min(...counted) + 30 * DAY_MS + 1;
    if (earliest === null || lift < earliest) earliest = lift;
  }
  return earliest;
}

const PERIOD_WORDS: Record<RoundRobinPeriod, string> = {
  calendar_month: 'per calendar month',
  rolling_30_days: 'in any 30 days',
};

/** Why a capped host takes no booking now (explain's reason and the booking's 409). */
export function roundRobinCapMessage(state: RoundRobinCapState): string {
  const amount = `${state.limit} ${state.limit === 1 ? 'booking' : 'bookings'}`;
  return `this host takes at most ${amount} of this meeting type ${PERIOD_WORDS[state.period]} and has reached it (max_bookings_per_period)`;
}
