// A host's own booking caps across all their meeting types, and the day their weeks start (issue #17 item 3). Pure.
// The slot engine applies them (availability/domain/booking-caps.ts); here they are only checked and defaulted.
import type { Problem } from '../../../shared/http/domain-error.js';

export const WEEK_START_DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type WeekStartDay = (typeof WEEK_START_DAYS)[number];

/** null = no cap. */
export interface HostLimitsSettings {
  maxBookingsPerDay: number | null;
  maxBookingsPerWeek: number | null;
  maxBookingsPerMonth: number | null;
  maxBookingsPerYear: number | null;
  maxBookedMinutesPerDay: number | null;
  maxBookedMinutesPerWeek: number | null;
  weekStart: WeekStartDay;
}

export const DEFAULT_HOST_LIMITS: HostLimitsSettings = {
  maxBookingsPerDay: null,
  maxBookingsPerWeek: null,
  maxBookingsPerMonth: null,
  maxBookingsPerYear: null,
  maxBookedMinutesPerDay: null,
  maxBookedMinutesPerWeek: null,
  weekStart: 'monday',
};

/** A longer period must allow at least what a shorter one does: anything else is most likely a typo. */
export function hostLimitsProblems(l: HostLimitsSettings): Problem[] {
  const problems: Problem[] = [];
  const order: [number | null, string, number | null, string][] = [
    [l.maxBookingsPerDay, 'max_bookings_per_day', l.maxBookingsPerWeek, 'max_bookings_per_week'],
    [l.maxBookingsPerWeek, 'max_bookings_per_week', l.maxBookingsPerMonth, 'max_bookings_per_month'],
    [l.maxBookingsPerMonth, 'max_bookings_per_month', l.maxBookingsPerYear, 'max_bookings_per_year'],
    [l.maxBookedMinutesPerDay, 'max_booked_minutes_per_day', l.maxBookedMinutesPerWeek, 'max_booked_minutes_per_week'],
  ];
  for (const [shorter, shortName, longer, longName] of order) {
    if (shorter !== null && longer !== null && longer < shorter) {
      problems.push({ field: longName, code: 'below_shorter_period', message: `${longName} must be at least ${shortName} (${shorter})` });
    }
  }
  return problems;
}
