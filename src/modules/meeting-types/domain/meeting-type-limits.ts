// Rules for a meeting type's period caps and invitee policies (issue #17 item 3). Pure.
import type { Problem } from '../../../shared/http/domain-error.js';
import type { MeetingTypeLimits } from './meeting-type.js';

export const BOOKING_WINDOW_TYPES: readonly MeetingTypeLimits['bookingWindowType'][] = ['calendar_days', 'business_days'];

export const DEFAULT_LIMITS: MeetingTypeLimits = {
  maxBookingsPerWeek: null,
  maxBookingsPerMonth: null,
  maxBookingsPerYear: null,
  maxBookedMinutesPerDay: null,
  maxBookedMinutesPerWeek: null,
  maxActiveBookingsPerInvitee: null,
  cancellationCutoffMinutes: null,
  rescheduleCutoffMinutes: null,
  bookingWindowType: 'calendar_days',
};

/** A request's limit fields: undefined = not sent (keep), null = clear (booking_window_type: back to calendar_days). */
export type LimitChanges = { [K in keyof MeetingTypeLimits]?: MeetingTypeLimits[K] | null };

/**
 * The limits an update produces, and what is wrong with them: a longer period must allow at least what a shorter
 * one does (a weekly cap below the daily one would make the daily one meaningless, and is most likely a typo).
 */
export function resolveLimits(
  current: MeetingTypeLimits | null,
  changes: LimitChanges | undefined,
  maxBookingsPerDay: number | null,
  durationMinutes: number,
  problems: Problem[],
): MeetingTypeLimits {
  const base = current ?? DEFAULT_LIMITS;
  const out = { ...base };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof MeetingTypeLimits)[]) {
    const sent = changes?.[key];
    if (sent === undefined) continue;
    (out as Record<string, unknown>)[key] = sent ?? DEFAULT_LIMITS[key];
  }
  const order: [number | null, string, number | null, string][] = [
    [maxBookingsPerDay, 'max_bookings_per_day', out.maxBookingsPerWeek, 'max_bookings_per_week'],
    [out.maxBookingsPerWeek, 'max_bookings_per_week', out.maxBookingsPerMonth, 'max_bookings_per_month'],
    [out.maxBookingsPerMonth, 'max_bookings_per_month', out.maxBookingsPerYear, 'max_bookings_per_year'],
    [out.maxBookedMinutesPerDay, 'max_booked_minutes_per_day', out.maxBookedMinutesPerWeek, 'max_booked_minutes_per_week'],
  ];
  for (const [shorter, shortName, longer, longName] of order) {
    if (shorter !== null && longer !== null && longer < shorter) {
      problems.push({ field: longName, code: 'below_shorter_period', message: `${longName} must be at least ${shortName} (${shorter})` });
    }
  }
  for (const [value, name] of [
    [out.maxBookedMinutesPerDay, 'max_booked_minutes_per_day'],
    [out.maxBookedMinutesPerWeek, 'max_booked_minutes_per_week'],
  ] as const) {
    if (value !== null && durationMinutes > 0 && value < durationMinutes) {
      problems.push({
        field: name,
        code: 'below_duration',
        message: `${name} must be at least duration_minutes (${durationMinutes}), or no meeting would ever fit`,
      });
    }
  }
  return out;
}
