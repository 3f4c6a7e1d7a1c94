// The meeting type editor's "Limits" section (issue #17 item 3): period caps, the per-invitee cap, the invitees'
// cutoffs and how the booking window counts days. Number boxes whose limits and messages are the API's; empty = none.
import type { MeetingTypeLimits } from '../../meeting-types/domain/meeting-type.js';
import { type MessageKey, type Translate, translatorFor } from '../../../shared/i18n/i18n.js';
import { type Form, type Errors, one } from './admin-forms.js';

/** English unless the host's translator is passed (the unit tests read English). */
const ENGLISH: Translate = translatorFor('en');

/** The section's form fields → the meeting type API's fields (same names). */
export const LIMIT_FORM_FIELDS = {
  max_bookings_per_week: 'max_bookings_per_week',
  max_bookings_per_month: 'max_bookings_per_month',
  max_bookings_per_year: 'max_bookings_per_year',
  max_booked_minutes_per_day: 'max_booked_minutes_per_day',
  max_booked_minutes_per_week: 'max_booked_minutes_per_week',
  max_active_bookings_per_invitee: 'max_active_bookings_per_invitee',
  cancellation_cutoff_minutes: 'cancellation_cutoff_minutes',
  reschedule_cutoff_minutes: 'reschedule_cutoff_minutes',
  booking_window_type: 'booking_window_type',
} as const;

type LimitNumber = Exclude<keyof typeof LIMIT_FORM_FIELDS, 'booking_window_type'>;

/** Grouped as the section shows them; each box empty = no limit. */
const GROUPS: { legend: MessageKey; fields: { name: LimitNumber; label: MessageKey; hint: MessageKey; of: keyof MeetingTypeLimits }[] }[] =
  [
    {
      legend: 'admin.types.lim.howMany',
      fields: [
        {
          name: 'max_bookings_per_week',
          label: 'admin.types.lim.perWeek',
          hint: 'admin.types.lim.perWeekHint',
          of: 'maxBookingsPerWeek',
        },
        {
          name: 'max_bookings_per_month',
          label: 'admin.types.lim.perMonth',
          hint: 'admin.types.lim.perMonthHint',
          of: 'maxBookingsPerMonth',
        },
        { name: 'max_bookings_per_year', label: 'admin.types.lim.perYear', hint: 'admin.types.lim.perYearHint', of: 'maxBookingsPerYear' },
      ],
    },
    {
      legend: 'admin.types.lim.howMuch',
      fields: [
        {
          name: 'max_booked_minutes_per_day',
          label: 'admin.types.lim.minutesDay',
          hint: 'admin.types.lim.minutesDayHint',
          of: 'maxBookedMinutesPerDay',
        },
        {
          name: 'max_booked_minutes_per_week',
          label: 'admin.types.lim.minutesWeek',
          hint: 'admin.types.lim.minutesWeekHint',
          of: 'maxBookedMinutesPerWeek',
        },
      ],
    },
    {
      legend: 'admin.types.lim.invitees',
      fields: [
        {
          name: 'max_active_bookings_per_invitee',
          label: 'admin.types.lim.perInvitee',
          hint: 'admin.types.lim.perInviteeHint',
          of: 'maxActiveBookingsPerInvitee',
        },
        {
          name: 'cancellation_cutoff_minutes',
          label: 'admin.types.lim.cancelCutoff',
          hint: 'admin.types.lim.cancelCutoffHint',
          of: 'cancellationCutoffMinutes',
        },
        {
          name: 'reschedule_cutoff_minutes',
          label: 'admin.types.lim.rescheduleCutoff',
          hint: 'admin.types.lim.rescheduleCutoffHint',
          of: 'rescheduleCutoffMinutes',
        },
      ],
    },
  ];

const WINDOW_TYPES = [
  { value: 'calendar_days', label: 'admin.types.window.calendar' },
  { value: 'business_days', label: 'admin.types.window.business' },
] as const;

/** The section's part of the API request: an empty box is null (no limit), anything else goes as typed for the API to check. */
export function limitsRequestOf(body: Form): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  for (const f of GROUPS.flatMap((g) => g.fields)) {
    const raw = one(body[f.name]);
    request[f.name] = raw === '' ? null : Number(raw);
  }
  request.booking_window_type = one(body.booking_window_type) || null;
  return request;
}

/** The section's view: posted values after a refusal, else the stored ones (a new type has none). */
export function limitsView(stored: MeetingTypeLimits | null, body: Form | null, errors: Errors, t: Translate = ENGLISH) {
  const windowType = body ? one(body.booking_window_type) : (stored?.bookingWindowType ?? 'calendar_days');
  return {
    groups: GROUPS.map((g) => ({
      legend: t(g.legend),
      fields: g.fields.map((f) => {
        const value = stored?.[f.of];
        return {
          name: f.name,
          label: t(f.label),
          hint: t(f.hint),
          value: body ? one(body[f.name]) : value === null || value === undefined ? '' : String(value),
          error: errors[f.name],
        };
      }),
    })),
    windowTypes: WINDOW_TYPES.map((w) => ({ value: w.value, label: t(w.label), selected: w.value === windowType })),
    windowTypeError: errors.booking_window_type,
  };
}
