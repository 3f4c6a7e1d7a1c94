// Why a start is or is not bookable, with the slot engine itself: `bookable` is isSlotAvailable's answer, and each
// reason is found by running the same engine with one rule lifted (the rule whose lifting makes a difference is one
// that stands in the way). Pure: no I/O, no clock.

import { type CapHit, capReached } from './booking-caps.js';
import { isSlotAvailable } from './compute-slots.js';
import type { HostAvailability, SlotQuery } from './slot-engine.types.js';

export type ExplainCode =
  | 'outside_hours'
  | 'busy'
  | 'min_notice'
  | 'booking_window'
  | 'no_seats_left'
  | 'max_bookings_per_day'
  | 'max_bookings_per_week'
  | 'max_bookings_per_month'
  | 'max_bookings_per_year'
  | 'max_booked_minutes_per_day'
  | 'max_booked_minutes_per_week';

export interface ExplainReason {
  code: ExplainCode;
  message: string;
  /** The host the reason is about (team kinds only). */
  hostId?: string;
}

export interface Explanation {
  bookable: boolean;
  reasons: ExplainReason[];
}

const TEAM_KINDS = new Set(['round_robin', 'collective']);

/**
 * The cap that closes `start` for the meeting: for one host, its cap; round robin, a cap only when every host is
 * capped there (else another host could take it); collective, the first host capped. Null when no cap stands in the
 * way. The booking re-check names a 409 with it.
 */
export function capBlocking(hosts: HostAvailability[], query: SlotQuery, start: number): (CapHit & { hostId: string }) | null {
  const team = TEAM_KINDS.has(query.kind);
  const hits = hosts.map((h) => {
    const hit = capReached(query.typeCaps ?? null, h.caps, h.timeZone, query.durationMinutes, start, team);
    return hit ? { ...hit, hostId: h.hostId } : null;
  });
  if (query.kind === 'round_robin') return hits.every((h) => h !== null) ? hits[0] : null;
  return hits.find((h) => h !== null) ?? null;
}

/** The query for one host on its own (team kinds explained host by host). */
function single(query: SlotQuery): SlotQuery {
  return TEAM_KINDS.has(query.kind) ? { ...query, kind: 'one_on_one' } : query;
}

/** Every reason `start` is not bookable (none when it is), host by host for team kinds. */
export function explainStart(hosts: HostAvailability[], query: SlotQuery, start: number): Explanation {
  const bookable = isSlotAvailable(hosts, query, start) !== null;
  const reasons: ExplainReason[] = [];
  const team = TEAM_KINDS.has(query.kind);
  const minute = 60_000;
  if (start < query.now + Math.max(0, query.minimumNoticeMinutes) * minute) {
    reasons.push({ code: 'min_notice', message: `bookings need ${query.minimumNoticeMinutes} minutes' notice` });
  }
  for (const host of hosts) {
    const hostId = team ? { hostId: host.hostId } : {};
    const q = single(query);
    // Everything lifted but the hours (and the range, which is the start itself).
    const open: SlotQuery = {
      ...q,
      minimumNoticeMinutes: 0,
      now: Math.min(query.now, start),
      bookingWindowDays: null,
      maxBookingsPerDay: null,
      typeCaps: null,
      seatsTaken: undefined,
    };
    const bare: HostAvailability = { ...host, busy: [], caps: undefined, limitedBookingStarts: [] };
    if (!isSlotAvailable([bare], open, start)) {
      reasons.push({
        code: 'outside_hours',
        message: "the start is not one of the host's bookable times (hours, date overrides, slot grid)",
        ...hostId,
      });
      continue;
    }
    if (!isSlotAvailable([bare], { ...open, bookingWindowDays: q.bookingWindowDays }, start)) {
      reasons.push({ code: 'booking_window', message: `bookings open at most ${q.bookingWindowDays} days ahead`, ...hostId });
    }
    if (!isSlotAvailable([{ ...bare, busy: host.busy }], open, start)) {
      reasons.push({
        code: 'busy',
        message: 'the host is busy then (another booking, a hold or a calendar event, with buffers)',
        ...hostId,
      });
    }
    if (q.kind === 'group' && !isSlotAvailable([bare], { ...open, seatsTaken: q.seatsTaken }, start)) {
      reasons.push({ code: 'no_seats_left', message: 'every seat at this time is taken', ...hostId });
    }
    const hit = capReached(q.typeCaps ?? null, host.caps, host.timeZone, q.durationMinutes, start, team);
    if (hit) reasons.push({ code: hit.cap, message: hit.message, ...hostId });
  }
  if (!bookable && reasons.length === 0) {
    // Each host is free on their own, but a collective meeting needs a start on a common window's grid.
    reasons.push({ code: 'outside_hours', message: 'the hosts have no common bookable time at this start' });
  }
  // Round robin is bookable when one host is free: the others' reasons stay as information.
  return { bookable, reasons: bookable && !team ? [] : reasons };
}
