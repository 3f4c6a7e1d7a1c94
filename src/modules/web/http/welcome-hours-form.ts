// The welcome's hours step: a checkbox per weekday and one start and end time (selects in 15-minute steps), in the
// host's zone. No typed syntax: every value comes from a list, and the server still checks each one.
import type { RuleInput } from '../../schedules/application/schedules.service.js';
import { canonicalTimeZone } from '../../../shared/validation/time-zone.js';
import { type Errors, type Form, many, one } from './admin-forms.js';
import { type Translate, translatorFor } from '../../../shared/i18n/i18n.js';
import { DAY_ORDER, type DayNames, ENGLISH_DAYS } from './availability-form.js';

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
export function welcomeHoursFrom(
  body: Form,
  errors: Errors,
  t: Translate = translatorFor('en'),
): { hours: WelcomeHours; rules: RuleInput[] } {
  const zone = canonicalTimeZone(one(body.time_zone));
  const days = [...new Set(many(body.days).map(Number))].filter((d) => DAY_ORDER.includes(d));
  const start = one(body.start);
  const end = one(body.end);
  if (!zone) errors.time_zone = t('admin.welcome.hours.err.zone');
  if (days.length === 0) errors.days = t('admin.welcome.hours.err.days');
  if (!START_TIMES.includes(start)) errors.start = t('admin.welcome.hours.err.start');
  if (!END_TIMES.includes(end)) errors.end = t('admin.welcome.hours.err.end');
  else if (!errors.start && end <= start) errors.end = t('admin.welcome.hours.err.endAfter');
  const hours = { timeZone: zone ?? one(body.time_zone), days, start, end };
  return { hours, rules: days.map((dayOfWeek) => ({ dayOfWeek, startTime: start, endTime: end })) };
}

/** The days as the form lists them, Monday first, with their checkboxes' state (names in the host's language). */
export function dayChoices(days: number[], names: DayNames = ENGLISH_DAYS) {
  return DAY_ORDER.map((d) => ({ d, name: names.long[d], checked: days.includes(d) }));
}
