// The period an insights answer covers (issue #18): whole local days in the host's zone, weeks from their week
// start. Pure; dates are 'YYYY-MM-DD' in the host's zone, instants are UTC milliseconds.
import {
  dateOfDayNumber,
  dayNumberOf,
  dayOfWeekOfDayNumber,
  localDayNumberOf,
  wallDayToInstant,
} from '../../availability/domain/wall-clock.js';
import type { Problem } from '../../../shared/http/domain-error.js';

/** The longest period one answer covers: a year (a leap year's 366 days). */
export const MAX_RANGE_DAYS = 366;
/** Without from/to: the last 12 weeks, the current one included. */
export const DEFAULT_WEEKS = 12;

export interface InsightsRange {
  /** First and last local day, both included. */
  from: string;
  to: string;
  timeZone: string;
  /** 0 = Sunday .. 6 = Saturday. */
  weekStart: number;
  /** [startMs, endMs): local midnight of `from` to local midnight after `to`, as instants. */
  startMs: number;
  endMs: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(field: string, value: string | undefined, problems: Problem[]): number | null | undefined {
  if (value === undefined || value === '') return undefined;
  if (!DATE.test(value)) {
    problems.push({ field, code: 'invalid_date', message: `${field} must be a date such as 2027-03-01` });
    return null;
  }
  try {
    return dayNumberOf(value);
  } catch {
    problems.push({ field, code: 'invalid_date', message: `${field} is not a calendar date` });
    return null;
  }
}

/** The local day number of the first day of the week that contains `day`. */
export function weekStartOf(day: number, weekStart: number): number {
  return day - ((dayOfWeekOfDayNumber(day) - weekStart + 7) % 7);
}

/**
 * The range asked for, or the problems with it. Missing `to`: today (host's zone); missing `from`: the start of the
 * week DEFAULT_WEEKS - 1 weeks before `to`'s week, so the default shows 12 whole weeks, the current one last.
 */
export function resolveRange(
  query: { from?: string; to?: string },
  context: { now: Date; timeZone: string; weekStart: number },
): { range: InsightsRange } | { problems: Problem[] } {
  const problems: Problem[] = [];
  const fromDay = parseDate('from', query.from, problems);
  const toDay = parseDate('to', query.to, problems);
  if (problems.length > 0) return { problems };
  const today = localDayNumberOf(context.now.getTime(), context.timeZone);
  const to = toDay ?? today;
  const from = fromDay ?? weekStartOf(to, context.weekStart) - (DEFAULT_WEEKS - 1) * 7;
  if (from > to) return { problems: [{ field: 'from', code: 'after_to', message: 'from must not be after to' }] };
  if (to - from + 1 > MAX_RANGE_DAYS) {
    return { problems: [{ field: 'to', code: 'too_long', message: `the range may cover at most ${MAX_RANGE_DAYS} days` }] };
  }
  return {
    range: {
      from: dateOfDayNumber(from),
      to: dateOfDayNumber(to),
      timeZone: context.timeZone,
      weekStart: context.weekStart,
      startMs: wallDayToInstant(from, 0, context.timeZone),
      endMs: wallDayToInstant(to + 1, 0, context.timeZone),
    },
  };
}

/** The first local day of every week that overlaps the range, in order. */
export function weeksOf(range: Pick<InsightsRange, 'from' | 'to' | 'weekStart'>): string[] {
  const weeks: string[] = [];
  const last = dayNumberOf(range.to);
  for (let day = weekStartOf(dayNumberOf(range.from), range.weekStart); day <= last; day += 7) weeks.push(dateOfDayNumber(day));
  return weeks;
}
