// The account forms (sign-up, profile): their fields, the account fields they fill, and how the account's problems
// are worded beside them. Identity checks every field itself (one call, all problems at once); the forms only place.
import type { DomainError } from '../../../shared/http/domain-error.js';
import { type Errors, type Form, type FormFields, one, placeProblems, placedBy } from './admin-forms.js';

/** The sign-up form's fields → the account's fields (as the users API names them). */
export const SIGNUP_FORM_FIELDS = {
  name: 'name',
  email: 'email',
  username: 'username',
  time_zone: 'time_zone',
  password: 'password',
} as const satisfies FormFields;

/** The profile forms' fields → the account's fields (the password form's new password is the API's `new_password`). */
export const PROFILE_FORM_FIELDS = {
  name: 'name',
  username: 'username',
  time_zone: 'time_zone',
  email: 'email',
  new_password: 'new_password',
} as const satisfies FormFields;

/** How the account forms name a field when a problem's message starts with it ("name must …" → "Your name must …"). */
const ACCOUNT_WORDS = { name: 'your name', time_zone: 'the time zone', new_password: 'the new password' };

/** A conflict names the field someone else holds; the page says it in these words. */
export const TAKEN = { username: 'That username is taken.', email: 'An account with this email already exists.' };

export type SignupValues = Record<keyof typeof SIGNUP_FORM_FIELDS, string>;

/** The posted sign-up fields, as typed (identity normalizes and checks them). */
export function signupValuesOf(body: Form): SignupValues {
  return {
    name: one(body.name),
    email: one(body.email),
    username: one(body.username),
    time_zone: one(body.time_zone),
    password: one(body.password),
  };
}

/**
 * Puts an account refusal beside the fields of a form with the `fields` mapping: a conflict says the field is taken,
 * other problems keep identity's words; a problem the form has no field for goes beside `otherwise`.
 */
export function placeAccountProblems(error: DomainError, fields: FormFields, errors: Errors, otherwise = 'form'): void {
  placeProblems(error, placedBy(fields), errors, { words: ACCOUNT_WORDS, otherwise });
  if (error.code === 'conflict') for (const [field, taken] of Object.entries(TAKEN)) if (errors[field]) errors[field] = taken;
}
