// How far from today the slots of a calendar day may be asked for. Beyond it nothing can be booked (the longest
// booking window is 3650 days, and the past has no slots), and far dates break date arithmetic (year 9999, year 0050).

/** Days before today (UTC) still answered: the past has no slots, but a zone ahead of UTC may be a day ahead. */
export const SLOTS_DAYS_BEFORE_TODAY = 366;
/** Days after today: the longest booking window (3650 days) plus room for every zone. */
export const SLOTS_DAYS_AFTER_TODAY = 3660;

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The first and last calendar dates (YYYY-MM-DD) the slots endpoint and the booking pages accept at `now`. */
export function slotDateBounds(now: Date): { first: string; last: string } {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return { first: isoDay(today - SLOTS_DAYS_BEFORE_TODAY * DAY_MS), last: isoDay(today + SLOTS_DAYS_AFTER_TODAY * DAY_MS) };
}

/**
 * A problem with the asked range ({field, message}) or null. Dates are YYYY-MM-DD strings, which compare in
 * calendar order, so this runs before any date arithmetic.
 */
export function slotDateRangeProblem(date: string, endDate: string, now: Date): { field: string; message: string } | null {
  const { first, last } = slotDateBounds(now);
  for (const [field, value] of [
    ['date', date],
    ['end_date', endDate],
  ] as const) {
    if (value < first || value > last) {
      return { field, message: `${field} must be between ${first} and ${last} (slots exist from today up to 10 years ahead)` };
    }
  }
  return null;
}
