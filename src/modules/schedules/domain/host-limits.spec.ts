import { DEFAULT_HOST_LIMITS, hostLimitsProblems } from './host-limits.js';

describe('hostLimitsProblems', () => {
  it('accepts no caps and consistent caps', () => {
    expect(hostLimitsProblems(DEFAULT_HOST_LIMITS)).toEqual([]);
    expect(hostLimitsProblems({ ...DEFAULT_HOST_LIMITS, maxBookingsPerDay: 2, maxBookingsPerWeek: 8, maxBookingsPerYear: 200 })).toEqual(
      [],
    );
  });

  it.each([
    [{ maxBookingsPerDay: 3, maxBookingsPerWeek: 2 }, 'max_bookings_per_week'],
    [{ maxBookingsPerWeek: 5, maxBookingsPerMonth: 4 }, 'max_bookings_per_month'],
    [{ maxBookingsPerMonth: 10, maxBookingsPerYear: 9 }, 'max_bookings_per_year'],
    [{ maxBookedMinutesPerDay: 300, maxBookedMinutesPerWeek: 200 }, 'max_booked_minutes_per_week'],
  ])('%j: %s', (caps, field) => {
    expect(hostLimitsProblems({ ...DEFAULT_HOST_LIMITS, ...caps })).toEqual([
      expect.objectContaining({ field, code: 'below_shorter_period' }),
    ]);
  });
});
