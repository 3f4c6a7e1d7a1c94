// The invitee's booking form: its fields and the booking request fields they fill, for placing the booking's problems.
import type { MeetingTypeSnapshot } from '../../meeting-types/domain/meeting-type.js';
import type { FormFields, PlaceField } from './admin-forms.js';
import { EMAIL, placedBy } from './admin-forms.js';

/** The booking form's fields → the booking API's fields; question `q_<id>` fills `answers.<id>`. */
export const BOOKING_FORM_FIELDS = {
  name: 'invitee_name',
  email: 'invitee_email',
  tz: 'time_zone',
  start: 'start',
  phone: 'invitee_phone',
  guests: 'guests',
  duration: 'duration_minutes',
  occurrences: 'occurrences',
} as const satisfies FormFields;

/** The guests box: addresses separated by commas, semicolons, spaces or new lines; the ones that are not addresses. */
export function parseGuestList(text: string): { emails: string[]; invalid: string[] } {
  const entries = text.split(/[\s,;]+/).filter((e) => e !== '');
  return {
    emails: entries.filter((e) => EMAIL.test(e) && e.length <= 255),
    invalid: entries.filter((e) => !EMAIL.test(e) || e.length > 255),
  };
}

/** The form asks for a mobile number only when the type texts its invitees a reminder. */
export const asksForPhone = (type: Pick<MeetingTypeSnapshot, 'reminders'>): boolean =>
  type.reminders.some((r) => r.channel === 'sms' && (r.recipients ?? ['invitee']).includes('invitee'));

/** Group meetings take no guests: each attendee books a seat (the booking's own rule, domain/guests.ts). */
export const takesGuests = (type: Pick<MeetingTypeSnapshot, 'kind'>): boolean => type.kind !== 'group';

/** Where a problem with a booking request field is shown on the booking form. */
export const placeBookingProblem: PlaceField = (apiField) =>
  apiField.startsWith('answers.') ? `q_${apiField.slice('answers.'.length)}` : placedBy(BOOKING_FORM_FIELDS)(apiField);
