// The account forms (sign-up, profile): their fields, the account fields they fill, and how the account's problems
// are worded beside them. Identity checks every field itself (one call, all problems at once); the forms only place.
import type { DomainError } from '../../../shared/http/domain-error.js';
import { type Errors, type Form, type FormFields, one, placeProblems, placedBy, waitLabel } from './admin-forms.js';
import { isMessageKey, type MessageValues, type Translate } from '../../../shared/i18n/i18n.js';

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

/** A conflict names the field someone else holds; the page says it in these words (catalog keys, see accountErrorsIn). */
export const TAKEN = { username: 'admin.account.err.usernameTaken', email: 'admin.account.err.emailTaken' } as const;

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

/** "Too many wrong passwords" with its wait, kept as a catalog key until the page's language is known. */
export const tooMany = (seconds: number, key = 'admin.profile.err.tooMany'): string => `${key}#${Math.max(0, Math.round(seconds))}`;

/** A wait in words: English as before ("5 minutes", "30 seconds"), other languages by Intl's unit names. */
export function waitIn(locale: string, seconds: number): string {
  if (locale === 'en' || locale === 'en-GB') return waitLabel(seconds);
  const [value, unit] = seconds >= 90 ? [Math.ceil(seconds / 60), 'minute'] : [seconds, 'second'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

/**
 * The form's errors in the page's language: a catalog key (placed by the web layer) is translated with `values`, a
 * key with a wait (`tooMany`) gets the wait in words; identity's own words (domain problems) stay as they are.
 */
export function accountErrorsIn(loc: { locale: string; t: Translate }, errors: Errors, values: MessageValues = {}): Errors {
  const out: Errors = {};
  for (const [field, message] of Object.entries(errors)) {
    if (message === undefined) continue;
    const waited = /^(admin\.[\w.]+)#(\d+)$/.exec(message);
    if (waited && isMessageKey(waited[1])) out[field] = loc.t(waited[1], { ...values, wait: waitIn(loc.locale, Number(waited[2])) });
    else out[field] = isMessageKey(message) ? loc.t(message, values) : message;
  }
  return out;
}
