// Weekly hours and date overrides as the API takes them, and the checks the DTO decorators cannot express. Pure.
import type { Problem } from '../../../shared/http/domain-error.js';

/** Wall-clock times are "HH:MM" strings here and on the wire; "24:00" ends a day. */
export interface RuleInput {
  dayOfWeek: number;
  startTime: string;
  endTime: string;
}

export interface IntervalInput {
  startTime: string;
  endTime: string;
}

export interface OverrideInput {
  date: string;
  intervals: IntervalInput[];
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const TIME = /^(\d{2}):(\d{2})$/;

/** "09:30" -> 570; "24:00" -> 1440. */
export function minuteOfDay(time: string): number {
  const [h, m] = time.split(':');
  return Number(h) * 60 + Number(m);
}

/** A real calendar date: 2027-02-30 is not. */
export function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1900 && y <= 9999 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Every problem with a set of weekly rules and date overrides: start before end, no overlaps within a day or an
 * override date, real dates, one override per date. Fields are the API's: "rules.2", "overrides.0.date",
 * "overrides.1.intervals.0". Malformed times are left to the DTO (they are not reported here).
 */
export function weeklyHoursProblems(rules: readonly RuleInput[], overrides: readonly OverrideInput[]): Problem[] {
  const problems: Problem[] = [];
  const checkInterval = (field: string, i: IntervalInput): boolean => {
    if (!TIME.test(i.startTime) || !TIME.test(i.endTime)) return false;
    if (minuteOfDay(i.startTime) >= minuteOfDay(i.endTime)) {
      problems.push({ field, code: 'start_not_before_end', message: `start_time ${i.startTime} must be before end_time ${i.endTime}` });
      return false;
    }
    return true;
  };
  const checkOverlaps = (where: string, items: { field: string; i: IntervalInput }[]) => {
    const sorted = [...items].sort((a, b) => minuteOfDay(a.i.startTime) - minuteOfDay(b.i.startTime));
    for (let k = 1; k < sorted.length; k++) {
      const prev = sorted[k - 1].i;
      const cur = sorted[k];
      if (minuteOfDay(cur.i.startTime) < minuteOfDay(prev.endTime)) {
        problems.push({
          field: cur.field,
          code: 'overlaps',
          message: `intervals overlap on ${where}: ${prev.startTime}-${prev.endTime} and ${cur.i.startTime}-${cur.i.endTime}`,
        });
      }
    }
  };

  const byDay = new Map<number, { field: string; i: IntervalInput }[]>();
  rules.forEach((r, idx) => {
    const field = `rules.${idx}`;
    if (!checkInterval(field, r)) return;
    const list = byDay.get(r.dayOfWeek) ?? [];
    list.push({ field, i: r });
    byDay.set(r.dayOfWeek, list);
  });
  for (const [day, items] of byDay) checkOverlaps(DAY_NAMES[day] ?? `day ${day}`, items);

  const seen = new Set<string>();
  overrides.forEach((o, idx) => {
    const field = `overrides.${idx}.date`;
    if (!isRealDate(o.date)) {
      problems.push({ field, code: 'not_a_date', message: `${o.date} is not a real calendar date (YYYY-MM-DD)` });
      return;
    }
    if (seen.has(o.date)) {
      problems.push({ field, code: 'duplicate_date', message: `${o.date} appears more than once; give each date one override` });
      return;
    }
    seen.add(o.date);
    const valid = o.intervals
      .map((i, k) => ({ field: `overrides.${idx}.intervals.${k}`, i }))
      .filter(({ field: f, i }) => checkInterval(f, i));
    checkOverlaps(o.date, valid);
  });
  return problems;
}

/** Intervals in start order, as an override stores them. */
export function sortedIntervals(intervals: readonly IntervalInput[]): IntervalInput[] {
  return [...intervals].sort((a, b) => minuteOfDay(a.startTime) - minuteOfDay(b.startTime));
}
