// The admin's Limits form: the host's caps across all their meeting types and the day their weeks start. The boxes
// are the API's fields (PUT /api/availability/limits); an empty box is no limit.
import type { HostLimitsSettings } from '../../schedules/application/host-limits.service.js';
import { WEEK_START_DAYS } from '../../schedules/domain/host-limits.js';
import { type Errors, type Form, type FormFields, one } from './admin-forms.js';

const CAPS: { name: string; label: string; hint: string; of: Exclude<keyof HostLimitsSettings, 'weekStart'> }[] = [
  { name: 'max_bookings_per_day', label: 'Most bookings per day', hint: 'Across all your meeting types.', of: 'maxBookingsPerDay' },
  { name: 'max_bookings_per_week', label: 'Most bookings per week', hint: 'At least the daily number.', of: 'maxBookingsPerWeek' },
  { name: 'max_bookings_per_month', label: 'Most bookings per month', hint: 'By calendar month.', of: 'maxBookingsPerMonth' },
  { name: 'max_bookings_per_year', label: 'Most bookings per year', hint: 'By calendar year.', of: 'maxBookingsPerYear' },
  {
    name: 'max_booked_minutes_per_day',
    label: 'Most booked minutes per day',
    hint: 'E.g. 300 for five hours of meetings.',
    of: 'maxBookedMinutesPerDay',
  },
  {
    name: 'max_booked_minutes_per_week',
    label: 'Most booked minutes per week',
    hint: 'At least the daily amount.',
    of: 'maxBookedMinutesPerWeek',
  },
];

/** Form field → API field: the same names. */
export const HOST_LIMIT_FORM_FIELDS: FormFields = Object.fromEntries(
  [...CAPS.map((c) => c.name), 'week_start'].map((name): [string, string] => [name, name]),
);

/** Every field is sent: an empty box clears its cap (null), anything else goes as typed for the API to check. */
export function hostLimitsRequestOf(body: Form): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  for (const c of CAPS) {
    const raw = one(body[c.name]);
    request[c.name] = raw === '' ? null : Number(raw);
  }
  request.week_start = one(body.week_start) || null;
  return request;
}

/** The stored settings as the form's values. */
export function storedHostLimits(l: HostLimitsSettings): Form {
  const values: Form = { week_start: l.weekStart };
  for (const c of CAPS) values[c.name] = l[c.of] === null ? '' : String(l[c.of]);
  return values;
}

export function hostLimitsView(values: Form, errors: Errors) {
  const weekStart = one(values.week_start) || 'monday';
  return {
    caps: CAPS.map((c) => ({ name: c.name, label: c.label, hint: c.hint, value: one(values[c.name]), error: errors[c.name] })),
    weekStarts: WEEK_START_DAYS.map((d) => ({ value: d, label: d[0].toUpperCase() + d.slice(1), selected: d === weekStart })),
    weekStartError: errors.week_start,
  };
}
