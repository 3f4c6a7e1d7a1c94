// Booking and minute caps per calendar period (issue #17 item 3). Pure: no I/O, no clock, no Nest.
// A cap counts live bookings by the host-local date they START on, in calendar periods of the host's zone: the day,
// the week (from the host's week_start), the month and the year of that date. Day numbers come from wall-clock.ts,
// so a period's bounds follow the zone's rules (a DST week is still seven local dates, of 167 or 169 hours).
// A date whose period is full offers no slot; the slots endpoint and the booking re-check both filter with
// `capFilter` and name a refusal with `capReached`, so what is offered is what can be booked.

import { dayOfWeekOfDayNumber, localDayNumberOf } from './wall-clock.js';

const DAY_MS = 86_400_000;

/** Caps of one scope; null = none. */
export interface CapLimits {
  maxBookingsPerDay: number | null;
  maxBookingsPerWeek: number | null;
  maxBookingsPerMonth: number | null;
  maxBookingsPerYear: number | null;
  maxBookedMinutesPerDay: number | null;
  maxBookedMinutesPerWeek: number | null;
}

export const NO_CAPS: CapLimits = {
  maxBookingsPerDay: null,
  maxBookingsPerWeek: null,
  maxBookingsPerMonth: null,
  maxBookingsPerYear: null,
  maxBookedMinutesPerDay: null,
  maxBookedMinutesPerWeek: null,
};

export const WEEK_STARTS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type WeekStart = (typeof WEEK_STARTS)[number];

/** A live booking as the caps count it: its start and its length in minutes (buffers not included). */
export interface CountedBooking {
  start: number;
  minutes: number;
}

/** What one host's caps need besides the type's own limits (HostAvailability.caps). */
export interface HostCapInput {
  /** 0 = Sunday .. 6 = Saturday. */
  weekStart: number;
  /** The host's own caps across all their meeting types (their schedule settings), or null. */
  hostLimits: CapLimits | null;
  /** The host's live bookings of the offered meeting type. */
  typeBookings: CountedBooking[];
  /** The host's live bookings of every meeting type (read only when hostLimits is set). */
  allBookings: CountedBooking[];
}

export type CapName =
  | 'max_bookings_per_day'
  | 'max_bookings_per_week'
  | 'max_bookings_per_month'
  | 'max_bookings_per_year'
  | 'max_booked_minutes_per_day'
  | 'max_booked_minutes_per_week';
export type CapScope = 'meeting_type' | 'host';

/** The cap a date's period has reached, for a 409 or an explanation. */
export interface CapHit {
  cap: CapName;
  scope: CapScope;
  limit: number;
  message: string;
}

/** How far back and ahead of a range bookings must be counted: the coarsest period any cap uses. */
export type CapHorizon = 0 | 1 | 2 | 3 | 4; // none, day, week, month, year

export function capHorizon(limits: CapLimits | null): CapHorizon {
  if (limits === null) return 0;
  if (limits.maxBookingsPerYear !== null) return 4;
  if (limits.maxBookingsPerMonth !== null) return 3;
  if (limits.maxBookingsPerWeek !== null || limits.maxBookedMinutesPerWeek !== null) return 2;
  if (limits.maxBookingsPerDay !== null || limits.maxBookedMinutesPerDay !== null) return 1;
  return 0;
}

export function hasCaps(limits: CapLimits | null): limits is CapLimits {
  return capHorizon(limits) > 0;
}

export function weekStartDay(weekStart: WeekStart): number {
  return WEEK_STARTS.indexOf(weekStart);
}

/** The day number of the first date of the week holding `day`, for a week starting on `weekStart` (0 = Sunday). */
export function weekOf(day: number, weekStart: number): number {
  return day - ((dayOfWeekOfDayNumber(day) - weekStart + 7) % 7);
}

/** Year * 12 + month (0-based) of a day number, by UTC calendar arithmetic on the date itself. */
export function monthOf(day: number): number {
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

export function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

interface Tally {
  n: number;
  minutes: number;
}

type Checker = (day: number) => CapHit | null;

const WHAT: Record<CapScope, string> = { meeting_type: 'this meeting type takes', host: 'this host takes' };

function hit(cap: CapName, scope: CapScope, limit: number, teamHost: boolean): CapHit {
  const [, unit, period] = /^max_(bookings|booked_minutes)_per_(\w+)$/.exec(cap) ?? [];
  const amount = unit === 'bookings' ? `${limit} ${limit === 1 ? 'booking' : 'bookings'}` : `${limit} booked minutes`;
  const perHost = scope === 'meeting_type' && teamHost ? ' per host' : '';
  return { cap, scope, limit, message: `${WHAT[scope]} at most ${amount} a ${period}${perHost} (${cap})` };
}

/** Checks one scope's limits against its bookings; null when the scope has no caps. */
function scopeChecker(
  limits: CapLimits | null,
  bookings: readonly CountedBooking[],
  scope: CapScope,
  tz: string,
  weekStart: number,
  slotMinutes: number,
  teamHost: boolean,
): Checker | null {
  if (!hasCaps(limits)) return null;
  const days = new Map<number, Tally>();
  const weeks = new Map<number, Tally>();
  const months = new Map<number, number>();
  const years = new Map<number, number>();
  const add = (map: Map<number, Tally>, key: number, minutes: number) => {
    const t = map.get(key);
    if (t) {
      t.n++;
      t.minutes += minutes;
    } else map.set(key, { n: 1, minutes });
  };
  for (const b of bookings) {
    const d = localDayNumberOf(b.start, tz);
    add(days, d, b.minutes);
    add(weeks, weekOf(d, weekStart), b.minutes);
    if (limits.maxBookingsPerMonth !== null) months.set(monthOf(d), (months.get(monthOf(d)) ?? 0) + 1);
    if (limits.maxBookingsPerYear !== null) years.set(yearOf(d), (years.get(yearOf(d)) ?? 0) + 1);
  }
  const L = limits;
  // A booking cap is reached when the period has `limit` bookings; a minute cap when one more slot would pass it.
  return (day) => {
    const dt = days.get(day);
    if (L.maxBookingsPerDay !== null && (dt?.n ?? 0) >= L.maxBookingsPerDay)
      return hit('max_bookings_per_day', scope, L.maxBookingsPerDay, teamHost);
    const wt = weeks.get(weekOf(day, weekStart));
    if (L.maxBookingsPerWeek !== null && (wt?.n ?? 0) >= L.maxBookingsPerWeek)
      return hit('max_bookings_per_week', scope, L.maxBookingsPerWeek, teamHost);
    if (L.maxBookingsPerMonth !== null && (months.get(monthOf(day)) ?? 0) >= L.maxBookingsPerMonth) {
      return hit('max_bookings_per_month', scope, L.maxBookingsPerMonth, teamHost);
    }
    if (L.maxBookingsPerYear !== null && (years.get(yearOf(day)) ?? 0) >= L.maxBookingsPerYear) {
      return hit('max_bookings_per_year', scope, L.maxBookingsPerYear, teamHost);
    }
    if (L.maxBookedMinutesPerDay !== null && (dt?.minutes ?? 0) + slotMinutes > L.maxBookedMinutesPerDay) {
      return hit('max_booked_minutes_per_day', scope, L.maxBookedMinutesPerDay, teamHost);
    }
    if (L.maxBookedMinutesPerWeek !== null && (wt?.minutes ?? 0) + slotMinutes > L.maxBookedMinutesPerWeek) {
      return hit('max_booked_minutes_per_week', scope, L.maxBookedMinutesPerWeek, teamHost);
    }
    return null;
  };
}

/**
 * For one host: which host-local dates a cap closes, or null when neither the type nor the host has caps (the
 * engine then does no work for them). The type's caps count the host's bookings of that type (per host, like
 * max_bookings_per_day: a round-robin type with a weekly cap of 3 gives each host at most 3 a week); the host's caps
 * count every booking they host. `teamHost` only words the message.
 */
export function capFilter(
  typeLimits: CapLimits | null,
  caps: HostCapInput | undefined,
  tz: string,
  slotMinutes: number,
  teamHost = false,
): Checker | null {
  const weekStart = caps?.weekStart ?? 1;
  const type = scopeChecker(typeLimits, caps?.typeBookings ?? [], 'meeting_type', tz, weekStart, slotMinutes, teamHost);
  const host = scopeChecker(caps?.hostLimits ?? null, caps?.allBookings ?? [], 'host', tz, weekStart, slotMinutes, teamHost);
  if (type === null) return host;
  if (host === null) return type;
  return (day) => type(day) ?? host(day);
}

/** The cap that closes the host-local date of `start` for this host, or null. */
export function capReached(
  typeLimits: CapLimits | null,
  caps: HostCapInput | undefined,
  tz: string,
  slotMinutes: number,
  start: number,
  teamHost = false,
): CapHit | null {
  const check = capFilter(typeLimits, caps, tz, slotMinutes, teamHost);
  return check === null ? null : check(localDayNumberOf(start, tz));
}

/**
 * The rolling window in calendar days that `n` business days (Monday to Friday) from local date `today` span: the
 * window ends with the n-th business day after today (today itself does not count, as with calendar days, where
 * n = 1 means until the end of tomorrow).
 */
export function businessDaysSpan(today: number, n: number): number {
  let days = 0;
  for (let left = Math.max(0, Math.floor(n)); left > 0;) {
    days++;
    const dow = dayOfWeekOfDayNumber(today + days);
    if (dow !== 0 && dow !== 6) left--;
  }
  return days;
}
