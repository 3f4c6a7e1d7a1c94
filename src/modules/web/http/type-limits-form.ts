// The meeting type editor's "Limits" section (issue #17 item 3): period caps, the per-invitee cap, the invitees'
// cutoffs and how the booking window counts days. Number boxes whose limits and messages are the API's; empty = none.
import type { MeetingTypeLimits } from '../../meeting-types/domain/meeting-type.js';
import { type Form, type Errors, one } from './admin-forms.js';

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
const GROUPS: { legend: string; fields: { name: LimitNumber; label: string; hint: string; of: keyof MeetingTypeLimits }[] }[] = [
  {
    legend: 'How many meetings',
    fields: [
      {
        name: 'max_bookings_per_week',
        label: 'Most bookings per week',
        hint: 'Per host, by calendar week (your weeks start on the day set under Limits).',
        of: 'maxBookingsPerWeek',
      },
      { name: 'max_bookings_per_month', label: 'Most bookings per month', hint: 'Per host, by calendar month.', of: 'maxBookingsPerMonth' },
      { name: 'max_bookings_per_year', label: 'Most bookings per year', hint: 'Per host, by calendar year.', of: 'maxBookingsPerYear' },
    ],
  },
  {
    legend: 'How much time',
    fields: [
      {
        name: 'max_booked_minutes_per_day',
        label: 'Most booked minutes per day',
        hint: 'E.g. 240 for four hours of meetings.',
        of: 'maxBookedMinutesPerDay',
      },
      {
        name: 'max_booked_minutes_per_week',
        label: 'Most booked minutes per week',
        hint: 'At least the daily amount.',
        of: 'maxBookedMinutesPerWeek',
      },
    ],
  },
  {
    legend: 'Invitees',
    fields: [
      {
        name: 'max_active_bookings_per_invitee',
        label: 'Upcoming bookings per invitee',
        hint: 'How many future meetings of this type one email address may hold at once.',
        of: 'maxActiveBookingsPerInvitee',
      },
      {
        name: 'cancellation_cutoff_minutes',
        label: 'Cancellation cutoff (minutes)',
        hint: 'Invitees cannot cancel this close to the start: 1440 is 24 hours. You always can.',
        of: 'cancellationCutoffMinutes',
      },
      {
        name: 'reschedule_cutoff_minutes',
        label: 'Reschedule cutoff (minutes)',
        hint: 'Invitees cannot reschedule this close to the start. You always can.',
        of: 'rescheduleCutoffMinutes',
      },
    ],
  },
];

const WINDOW_TYPES = [
  { value: 'calendar_days', label: 'calendar days' },
  { value: 'business_days', label: 'business days' },
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
export function limitsView(stored: MeetingTypeLimits | null, body: Form | null, errors: Errors) {
  const windowType = body ? one(body.booking_window_type) : (stored?.bookingWindowType ?? 'calendar_days');
  return {
    groups: GROUPS.map((g) => ({
      legend: g.legend,
      fields: g.fields.map((f) => {
        const value = stored?.[f.of];
        return {
          name: f.name,
          label: f.label,
          hint: f.hint,
          value: body ? one(body[f.name]) : value === null || value === undefined ? '' : String(value),
          error: errors[f.name],
        };
      }),
    })),
    windowTypes: WINDOW_TYPES.map((w) => ({ ...w, selected: w.value === windowType })),
    windowTypeError: errors.booking_window_type,
  };
}
