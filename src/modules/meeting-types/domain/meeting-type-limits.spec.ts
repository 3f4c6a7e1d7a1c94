import type { Problem } from '../../../shared/http/domain-error.js';
import { DEFAULT_LIMITS, resolveLimits } from './meeting-type-limits.js';

describe('resolveLimits', () => {
  const run = (
    current: Parameters<typeof resolveLimits>[0],
    changes: Parameters<typeof resolveLimits>[1],
    perDay: number | null = null,
  ) => {
    const problems: Problem[] = [];
    const value = resolveLimits(current, changes, perDay, 30, problems);
    return { value, problems };
  };

  it('defaults to no caps and calendar days', () => {
    expect(run(null, undefined)).toEqual({ value: DEFAULT_LIMITS, problems: [] });
  });

  it('keeps what is not sent, clears what is sent as null', () => {
    const current = {
      ...DEFAULT_LIMITS,
      maxBookingsPerWeek: 5,
      bookingWindowType: 'business_days' as const,
      cancellationCutoffMinutes: 60,
    };
    const { value } = run(current, { maxBookingsPerWeek: null, bookingWindowType: null, maxBookingsPerMonth: 20 });
    expect(value).toEqual({ ...DEFAULT_LIMITS, maxBookingsPerMonth: 20, cancellationCutoffMinutes: 60 });
  });

  it.each([
    [{ maxBookingsPerWeek: 2 }, 3, 'max_bookings_per_week', 'below_shorter_period'],
    [{ maxBookingsPerWeek: 5, maxBookingsPerMonth: 4 }, null, 'max_bookings_per_month', 'below_shorter_period'],
    [{ maxBookingsPerMonth: 10, maxBookingsPerYear: 9 }, null, 'max_bookings_per_year', 'below_shorter_period'],
    [{ maxBookedMinutesPerDay: 120, maxBookedMinutesPerWeek: 60 }, null, 'max_booked_minutes_per_week', 'below_shorter_period'],
    [{ maxBookedMinutesPerDay: 20 }, null, 'max_booked_minutes_per_day', 'below_duration'],
  ] as const)('%j (daily %s): %s %s', (changes, perDay, field, code) => {
    expect(run(null, changes, perDay).problems).toEqual([expect.objectContaining({ field, code })]);
  });

  it('equal caps across periods are fine', () => {
    expect(run(null, { maxBookingsPerWeek: 3, maxBookingsPerMonth: 3, maxBookingsPerYear: 3 }, 3).problems).toEqual([]);
  });
});
