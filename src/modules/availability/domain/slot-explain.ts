// Why a start is or is not bookable, with the slot engine itself: `bookable` is isSlotAvailable's answer, and each
// reason is found by running the same engine with one rule lifted (the rule whose lifting makes a difference is one
// that stands in the way). Pure: no I/O, no clock.

import { type CapHit, capReached } from './booking-caps.js';
import { isSlotAvailable } from './compute-slots.js';
import { atRoundRobinCap, roundRobinCapMessage } from './round-robin-cap.js';
import type { BusySourceKind, HostAvailability, Interval, SlotQuery } from './slot-engine.types.js';
import { localDateOf } from './wall-clock.js';

const MINUTE = 60_000;

export type ExplainCode =
  | 'outside_hours'
  | 'override'
  | 'not_on_grid'
  | 'time_off'
  | 'holiday'
  | 'busy_booking'
  | 'busy_calendar'
  | 'pending_approval'
  | 'held'
  | 'buffer_before'
  | 'buffer_after'
  | 'minimum_notice'
  | 'booking_window'
  | 'seats_full'
  | 'daily_limit'
  | 'max_bookings_per_week'
  | 'max_bookings_per_month'
  | 'max_bookings_per_year'
  | 'max_booked_minutes_per_day'
  | 'max_booked_minutes_per_week'
  | 'max_bookings_per_period';

export const EXPLAIN_CODES: readonly ExplainCode[] = [
  'outside_hours',
  'override',
  'not_on_grid',
  'time_off',
  'holiday',
  'busy_booking',
  'busy_calendar',
  'pending_approval',
  'held',
  'buffer_before',
  'buffer_after',
  'minimum_notice',
  'booking_window',
  'seats_full',
  'daily_limit',
  'max_bookings_per_week',
  'max_bookings_per_month',
  'max_bookings_per_year',
  'max_booked_minutes_per_day',
  'max_booked_minutes_per_week',
  'max_bookings_per_period',
];

export interface ExplainDetail {
  /** The cap reached (daily_limit and the other caps) and its limit and scope (type or host). */
  cap?: string;
  limit?: number;
  scope?: string;
  /** buffer_before / buffer_after: what the buffer keeps the meeting away from. */
  source?: BusySourceKind;
  /** holiday: its name. */
  holiday?: string;
  /** override: the host-local date whose hours an override replaces. */
  date?: string;
  /** not_on_grid: the step between offered starts, in minutes. */
  interval_minutes?: number;
  /** busy_calendar: the calendar's name (host detail only; filled by the service). */
  calendar?: string;
}

/**
 * A reason's sentence as a catalog message (`explain.<name>` in src/shared/i18n/catalogs/admin/explain.ts) and its
 * arguments, so the edges can say it in the reader's language; `message` is the same sentence in English.
 */
export interface ExplainText {
  name: ExplainMessageName;
  values?: Record<string, string | number>;
}

export type ExplainMessageName =
  | 'minimumNotice'
  | 'notOnGrid'
  | 'notOnGridCommon'
  | 'override'
  | 'outsideHours'
  | 'bookingWindow'
  | 'busyBooking'
  | 'pendingApproval'
  | 'held'
  | 'busyCalendar'
  | 'busyCalendarNamed'
  | 'busyPublic'
  | 'timeOff'
  | 'holiday'
  | 'bufferBefore'
  | 'bufferAfter'
  | 'seatsFull'
  | 'capBookings'
  | 'capMinutes'
  | 'capRoundRobin';

export interface ExplainReason {
  code: ExplainCode;
  message: string;
  text: ExplainText;
  /** The host the reason is about (team kinds only). */
  hostId?: string;
  /** The meeting, event, time off or holiday that stands in the way (busy kinds), epoch ms. */
  interval?: { start: number; end: number };
  detail?: ExplainDetail;
}

export interface Explanation {
  bookable: boolean;
  reasons: ExplainReason[];
}

const TEAM_KINDS = new Set(['round_robin', 'collective']);

/** A cap that closes a time: a period cap (booking-caps.ts) or a round-robin host's cap (round-robin-cap.ts). */
export type BlockingCap = Omit<CapHit, 'cap'> & { cap: CapHit['cap'] | 'max_bookings_per_period' };

/** The round-robin cap the host has reached (round-robin-cap.ts), or null. */
export function roundRobinCapHit(host: HostAvailability): BlockingCap | null {
  const state = host.roundRobinCap;
  if (!state || !atRoundRobinCap(state.limit, state.bookingsInPeriod)) return null;
  return { cap: 'max_bookings_per_period', scope: 'meeting_type', limit: state.limit, message: roundRobinCapMessage(state) };
}

/**
 * The cap that closes `start` for the meeting: for one host, its cap; round robin, a cap only when every host who
 * would be free there without the caps is capped, by a period cap or their round-robin cap (else another host could
 * take it); collective, the first host capped. Null when no cap stands in the way. The booking re-check names a 409
 * with it.
 */
export function capBlocking(hosts: HostAvailability[], query: SlotQuery, start: number): (BlockingCap & { hostId: string }) | null {
  const team = TEAM_KINDS.has(query.kind);
  const hitOf = (h: HostAvailability) => {
    const hit =
      (query.kind === 'round_robin' ? roundRobinCapHit(h) : null) ??
      capReached(query.typeCaps ?? null, h.caps, h.timeZone, query.durationMinutes, start, team);
    return hit ? { ...hit, hostId: h.hostId } : null;
  };
  if (query.kind === 'round_robin') {
    // Who would take the time with every cap lifted: the refusal is a cap's when each of them is capped.
    const uncapped = isSlotAvailable(
      hosts.map((h) => ({ ...h, caps: undefined, roundRobinCap: undefined })),
      { ...query, typeCaps: null, maxBookingsPerDay: null },
      start,
    );
    if (!uncapped) return null;
    const hits = hosts.filter((h) => uncapped.hostIds.includes(h.hostId)).map(hitOf);
    return hits.every((h) => h !== null) ? hits[0] : null;
  }
  return hosts.map(hitOf).find((h) => h !== null) ?? null;
}

/** The query for one host on its own (team kinds explained host by host). */
function single(query: SlotQuery): SlotQuery {
  return TEAM_KINDS.has(query.kind) ? { ...query, kind: 'one_on_one' } : query;
}

const BUSY_CODE: Record<BusySourceKind, { code: ExplainCode; message: string; name: ExplainMessageName }> = {
  booking: { code: 'busy_booking', message: 'the host has another booking then', name: 'busyBooking' },
  pending_booking: { code: 'pending_approval', message: "a booking awaiting the host's approval holds this time", name: 'pendingApproval' },
  hold: { code: 'held', message: 'someone is holding this time while they book', name: 'held' },
  calendar: { code: 'busy_calendar', message: "an event in the host's calendar makes them busy then", name: 'busyCalendar' },
  time_off: { code: 'time_off', message: 'the host is away (time off)', name: 'timeOff' },
  holiday: { code: 'holiday', message: 'a public holiday of the host', name: 'holiday' },
};

/** A cap's sentence as a message: the same words as the cap's own (booking-caps.ts), in parts a catalog can order. */
function capText(hit: CapHit, team: boolean): ExplainText {
  const [, unit = 'bookings', period = 'day'] = /^max_(bookings|booked_minutes)_per_(\w+)$/.exec(hit.cap) ?? [];
  return {
    name: unit === 'bookings' ? 'capBookings' : 'capMinutes',
    values: { scope: hit.scope, limit: hit.limit, period, perHost: hit.scope === 'meeting_type' && team ? 'yes' : 'no', cap: hit.cap },
  };
}

/** Why `source` blocks: the meeting itself, or only the buffers around it. */
function busyReason(b: Interval, start: number, blocksBare: boolean): ExplainReason {
  const src = b.source;
  const interval = src ? { start: src.start, end: src.end } : { start: b.start, end: b.end };
  const kind = src?.kind ?? 'booking';
  if (!blocksBare) {
    const before = interval.end <= start;
    return {
      code: before ? 'buffer_before' : 'buffer_after',
      message: before
        ? 'too soon after another commitment ends (the buffers kept between meetings)'
        : 'too close to the start of another commitment (the buffers kept between meetings)',
      text: { name: before ? 'bufferBefore' : 'bufferAfter' },
      interval,
      detail: { source: kind },
    };
  }
  const { code, message, name } = BUSY_CODE[kind];
  return { code, message, text: { name }, interval, ...(src?.name ? { detail: { holiday: src.name } } : {}) };
}

/**
 * Every reason `start` is not bookable (none when it is), host by host for team kinds. Each reason is the engine's
 * own answer with one rule lifted or one busy interval kept: a rule stands in the way when the engine refuses the
 * start with it and offers it without it.
 */
export function explainStart(hosts: HostAvailability[], query: SlotQuery, start: number): Explanation {
  const bookable = isSlotAvailable(hosts, query, start) !== null;
  const reasons: ExplainReason[] = [];
  const team = TEAM_KINDS.has(query.kind);
  if (start < query.now + Math.max(0, query.minimumNoticeMinutes) * MINUTE) {
    reasons.push({
      code: 'minimum_notice',
      message: `bookings need ${query.minimumNoticeMinutes} minutes' notice`,
      text: { name: 'minimumNotice', values: { minutes: query.minimumNoticeMinutes } },
    });
  }
  const durMs = query.durationMinutes * MINUTE;
  const reach = { before: Math.max(0, query.bufferBeforeMinutes) * MINUTE, after: Math.max(0, query.bufferAfterMinutes) * MINUTE };
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
      // On a one-millisecond grid the hours alone decide: a start they allow is only off the type's grid.
      if (isSlotAvailable([bare], { ...open, intervalMinutes: 1 / 60_000 }, start)) {
        // Collective starts step from the common window's start, not this host's: the grid is judged at the end.
        if (query.kind === 'collective') continue;
        const step = q.intervalMinutes > 0 ? q.intervalMinutes : q.durationMinutes;
        reasons.push({
          code: 'not_on_grid',
          message: `starts are offered every ${step} minutes from the start of the host's hours`,
          text: { name: 'notOnGrid', values: { step } },
          ...hostId,
          detail: { interval_minutes: step },
        });
        continue;
      }
      const date = localDateOf(start, host.timeZone);
      if (host.overrides.some((o) => o.date === date)) {
        reasons.push({
          code: 'override',
          message: `a date override sets the host's hours on ${date}`,
          text: { name: 'override', values: { date } },
          ...hostId,
          detail: { date },
        });
      } else {
        reasons.push({
          code: 'outside_hours',
          message: "the meeting would not fit in the host's weekly hours",
          text: { name: 'outsideHours' },
          ...hostId,
        });
      }
      continue;
    }
    if (!isSlotAvailable([bare], { ...open, bookingWindowDays: q.bookingWindowDays }, start)) {
      reasons.push({
        code: 'booking_window',
        message: `bookings open at most ${q.bookingWindowDays} days ahead`,
        text: { name: 'bookingWindow', values: { days: q.bookingWindowDays ?? 0 } },
        ...hostId,
      });
    }
    // Each busy interval that can reach the meeting with the buffers, tried alone, then without any buffer.
    const unbuffered: SlotQuery = { ...open, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 };
    for (const b of host.busy) {
      if (!(b.start < start + durMs + reach.after && b.end > start - reach.before)) continue;
      if (isSlotAvailable([{ ...bare, busy: [b] }], open, start)) continue;
      const raw = b.source ? { start: b.source.start, end: b.source.end } : b;
      const blocksBare = !isSlotAvailable([{ ...bare, busy: [raw] }], unbuffered, start);
      reasons.push({ ...busyReason(b, start, blocksBare), ...hostId });
    }
    if (q.kind === 'group' && !isSlotAvailable([bare], { ...open, seatsTaken: q.seatsTaken }, start)) {
      reasons.push({ code: 'seats_full', message: 'every seat at this time is taken', text: { name: 'seatsFull' }, ...hostId });
    }
    const rrHit = query.kind === 'round_robin' ? roundRobinCapHit(host) : null;
    if (rrHit) {
      reasons.push({
        code: 'max_bookings_per_period',
        message: rrHit.message,
        text: { name: 'capRoundRobin', values: { limit: rrHit.limit, period: host.roundRobinCap?.period ?? 'calendar_month' } },
        ...hostId,
        detail: { cap: rrHit.cap, limit: rrHit.limit, scope: rrHit.scope },
      });
    }
    const hit = capReached(q.typeCaps ?? null, host.caps, host.timeZone, q.durationMinutes, start, team);
    if (hit) {
      reasons.push({
        code: hit.cap === 'max_bookings_per_day' ? 'daily_limit' : hit.cap,
        message: hit.message,
        text: capText(hit, team),
        ...hostId,
        detail: { cap: hit.cap, limit: hit.limit, scope: hit.scope },
      });
    }
  }
  if (!bookable && reasons.length === 0) {
    // Each host is free on their own, but a collective meeting needs a start on a common window's grid.
    const step = query.intervalMinutes > 0 ? query.intervalMinutes : query.durationMinutes;
    reasons.push({
      code: 'not_on_grid',
      message: `starts are offered every ${step} minutes from the start of the hosts' common hours`,
      text: { name: 'notOnGridCommon', values: { step } },
      detail: { interval_minutes: step },
    });
  }
  // Round robin is bookable when one host is free: the others' reasons stay as information.
  return { bookable, reasons: bookable && query.kind !== 'round_robin' ? [] : reasons };
}
