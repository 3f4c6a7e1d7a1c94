// The invitee's booking form: its fields and the booking request fields they fill, for placing the booking's problems.
import type { FormFields, PlaceField } from './admin-forms.js';
import { placedBy } from './admin-forms.js';

/** The booking form's fields → the booking API's fields; question `q_<id>` fills `answers.<id>`. */
export const BOOKING_FORM_FIELDS = {
  name: 'invitee_name',
  email: 'invitee_email',
  tz: 'time_zone',
  start: 'start',
} as const satisfies FormFields;

/** Where a problem with a booking request field is shown on the booking form. */
export const placeBookingProblem: PlaceField = (apiField) =>
  apiField.startsWith('answers.') ? `q_${apiField.slice('answers.'.length)}` : placedBy(BOOKING_FORM_FIELDS)(apiField);
