// The welcome's hours step: a checkbox per weekday and one start and end time (selects in 15-minute steps), in the
// host's zone. No typed syntax: every value comes from a list, and the server still checks each one.
import type { RuleInput } from '../../schedules/application/schedules.service.js';
import { canonicalTimeZone } from '../../../shared/validation/time-zone.js';
import { type Errors, type Form, many, one } from './admin-forms.js';
import { DAYS, DAY_ORDER } from './availability-form.js';

/** 00:00, 00:15 … 23:45 (starts) and 00:15 … 24:00 (ends). */
const QUARTERS = Array.from(
  { length: 97 },
  (_, i) => `${String(Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`,
);
export const START_TIMES = QUARTERS.slice(0, -1);
export const END_TIMES = QUARTERS.slice(1);

export interface WelcomeHours {
  timeZone: string;
  days: number[];
  start: string;
  end: string;
}

/** What the form shows for a schedule's rules: the days that have hours, the earliest start and the latest end. */
export function welcomeHoursOf(timeZone: string, rules: RuleInput[]): WelcomeHours {
  if (rules.length === 0) return { timeZone, days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
  const starts = rules.map((r) => r.startTime).sort();
  const ends = rules.map((r) => r.endTime).sort();
  const start = START_TIMES.includes(starts[0]) ? starts[0] : '09:00';
  const end = END_TIMES.includes(ends[ends.length - 1]) ? ends[ends.length - 1] : '17:00';
  return { timeZone, days: [...new Set(rules.map((r) => r.dayOfWeek))], start, end };
}

/** The posted form, checked: a problem per field in `errors`; the hours (one interval per chosen day) when none. */
export function welcomeHoursFrom(body: Form, errors: Errors): { hours: WelcomeHours; rules: RuleInput[] } {
  const zone = canonicalTimeZone(one(body.time_zone));
  const days = [...new Set(many(body.days).map(Number))].filter((d) => DAY_ORDER.includes(d));
  const start = one(body.start);
  const end = one(body.end);
  if (!zone) errors.time_zone = 'Choose a time zone from the list.';
  if (days.length === 0) errors.days = 'Choose at least one day you work.';
  if (!START_TIMES.includes(start)) errors.start = 'Choose a start time from the list.';
  if (!END_TIMES.includes(end)) errors.end = 'Choose an end time from the list.';
  else if (!errors.start && end <= start) errors.end = 'The end must be after the start.';
  const hours = { timeZone: zone ?? one(body.time_zone), days, start, end };
  return { hours, rules: days.map((dayOfWeek) => ({ dayOfWeek, startTime: start, endTime: end })) };
}

/** The days as the form lists them, Monday first, with their checkboxes' state. */
export function dayChoices(days: number[]) {
  return DAY_ORDER.map((d) => ({ d, name: DAYS[d], checked: days.includes(d) }));
}
