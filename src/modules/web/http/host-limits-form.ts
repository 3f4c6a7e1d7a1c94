// The admin's Limits form: the host's caps across all their meeting types and the day their weeks start. The boxes
// are the API's fields (PUT /api/availability/limits); an empty box is no limit.
import type { HostLimitsSettings } from '../../schedules/application/host-limits.service.js';
import { WEEK_START_DAYS } from '../../schedules/domain/host-limits.js';
import { type MessageKey, type Translate, translatorFor } from '../../../shared/i18n/i18n.js';
import { type Errors, type Form, type FormFields, one } from './admin-forms.js';

type Cap = 'bookingsDay' | 'bookingsWeek' | 'bookingsMonth' | 'bookingsYear' | 'minutesDay' | 'minutesWeek';
/** Each box: its field, its words (admin.limits.<cap> and admin.limits.<cap>Hint) and the setting it shows. */
const CAPS: { name: string; cap: Cap; of: Exclude<keyof HostLimitsSettings, 'weekStart'> }[] = [
  { name: 'max_bookings_per_day', cap: 'bookingsDay', of: 'maxBookingsPerDay' },
  { name: 'max_bookings_per_week', cap: 'bookingsWeek', of: 'maxBookingsPerWeek' },
  { name: 'max_bookings_per_month', cap: 'bookingsMonth', of: 'maxBookingsPerMonth' },
  { name: 'max_bookings_per_year', cap: 'bookingsYear', of: 'maxBookingsPerYear' },
  { name: 'max_booked_minutes_per_day', cap: 'minutesDay', of: 'maxBookedMinutesPerDay' },
  { name: 'max_booked_minutes_per_week', cap: 'minutesWeek', of: 'maxBookedMinutesPerWeek' },
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

export function hostLimitsView(values: Form, errors: Errors, t: Translate = translatorFor('en'), locale = 'en-GB') {
  const weekStart = one(values.week_start) || 'monday';
  const english = locale === 'en' || locale.startsWith('en-');
  const weekday = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'long' });
  // WEEK_START_DAYS starts on Sunday; 2024-01-07 was a Sunday.
  const dayName = (d: string, i: number) => (english ? d[0].toUpperCase() + d.slice(1) : weekday.format(Date.UTC(2024, 0, 7 + i, 12)));
  return {
    caps: CAPS.map((c) => ({
      name: c.name,
      label: t(`admin.limits.${c.cap}` as MessageKey),
      hint: t(`admin.limits.${c.cap}Hint` as MessageKey),
      value: one(values[c.name]),
      error: errors[c.name],
    })),
    weekStarts: WEEK_START_DAYS.map((d, i) => ({ value: d, label: dayName(d, i), selected: d === weekStart })),
    weekStartError: errors.week_start,
  };
}
