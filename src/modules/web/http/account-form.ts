// The sign-up form: its fields and the account fields they fill, and the checks only the form makes.
import { USERNAME_PATTERN } from '../../identity/domain/username.js';
import { canonicalTimeZone } from '../../../shared/validation/time-zone.js';
import { singleLineProblem } from '../../../shared/validation/text.js';
import { EMAIL, type Errors, type Form, type FormFields, one } from './admin-forms.js';

/** The sign-up form's fields → the account's fields (as the users API names them). */
export const SIGNUP_FORM_FIELDS = {
  name: 'name', email: 'email', username: 'username', time_zone: 'time_zone', password: 'password',
} as const satisfies FormFields;

/** A conflict names the field someone else holds; the page says it in these words. */
export const TAKEN: Record<string, string> = { username: 'That username is taken.', email: 'An account with this email already exists.' };

export type SignupValues = Record<keyof typeof SIGNUP_FORM_FIELDS, string>;

/**
 * The posted sign-up fields, and the refusals the account service does not make itself (its request class does, for
 * the API): name, email and username format, and the zone select. The password and reserved usernames are the
 * service's to refuse; its problems land beside the same fields.
 */
export function signupValuesOf(body: Form, errors: Errors): SignupValues {
  const raw = one(body.time_zone);
  const v: SignupValues = {
    name: one(body.name), email: one(body.email), username: one(body.username).toLowerCase(),
    time_zone: canonicalTimeZone(raw) ?? raw, password: one(body.password),
  };
  if (!v.name) errors.name = 'Please enter your name.';
  else if (singleLineProblem(v.name)) errors.name = `Your name ${singleLineProblem(v.name)}.`;
  if (!EMAIL.test(v.email)) errors.email = 'Please enter a valid email address.';
  if (!USERNAME_PATTERN.test(v.username)) errors.username = 'Use 2-40 lowercase letters, digits or "-", not starting or ending with "-".';
  if (!canonicalTimeZone(v.time_zone)) errors.time_zone = 'Please choose a time zone.';
  return v;
}

