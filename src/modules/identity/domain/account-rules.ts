// The rules of a host account's fields, pure: each validator returns every problem it finds (field = the users
// API's JSON field name, message starting with that name like the request validation's), so sign-up, the profile
// and the admin forms refuse the same things, all at once.
import type { Problem } from '../../../shared/http/domain-error.js';
import { canonicalTimeZone } from '../../../shared/validation/time-zone-name.js';
import { singleLineProblem } from '../../../shared/validation/text.js';
import { type PasswordContext, passwordRefusal } from './password-policy.js';
import { USERNAME_PATTERN, isReservedUsername } from './username.js';

export const MAX_NAME_LENGTH = 255;
export const MAX_EMAIL_LENGTH = 255;
export const MAX_API_KEY_NAME_LENGTH = 100;
/** Something, an @, something with a dot: the mailbox's own server has the last word (the API's DTO is stricter). */
const EMAIL_FORMAT = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A one-line name of at most `max` characters (a person's, an API key's), as `field`. */
export function nameProblems(name: string, field = 'name', max = MAX_NAME_LENGTH): Problem[] {
  if (name.trim() === '') return [{ field, code: 'required', message: `${field} must not be empty` }];
  const problems: Problem[] = [];
  if (name.length > max) problems.push({ field, code: 'too_long', message: `${field} must be at most ${max} characters` });
  const line = singleLineProblem(name);
  if (line) problems.push({ field, code: 'not_single_line', message: `${field} ${line}` });
  return problems;
}

export function emailProblems(email: string): Problem[] {
  if (email.length > MAX_EMAIL_LENGTH)
    return [{ field: 'email', code: 'too_long', message: `email must be at most ${MAX_EMAIL_LENGTH} characters` }];
  return EMAIL_FORMAT.test(email) ? [] : [{ field: 'email', code: 'invalid_format', message: 'email must be a valid email address' }];
}

/** A handle: the pattern, and not one of the reserved names (compared lowercased, as stored). */
export function usernameProblems(username: string): Problem[] {
  if (!USERNAME_PATTERN.test(username)) {
    return [
      {
        field: 'username',
        code: 'invalid_format',
        message: 'username must be 2-40 lowercase letters, digits or "-", not starting or ending with "-"',
      },
    ];
  }
  return isReservedUsername(username)
    ? [{ field: 'username', code: 'reserved', message: `username "${username}" is reserved; choose another` }]
    : [];
}

export function timeZoneProblems(timeZone: string): Problem[] {
  return canonicalTimeZone(timeZone)
    ? []
    : [{ field: 'time_zone', code: 'unknown_time_zone', message: 'time_zone must be an IANA time zone such as "Europe/London"' }];
}

/** A new password, as `field` (`password` at sign-up, `new_password` on a change or reset). */
export function passwordProblems(password: string, context: PasswordContext, field = 'password'): Problem[] {
  const refusal = passwordRefusal(password, context);
  return refusal ? [{ field, code: refusal.code, message: refusal.message.replace(/^password/, field) }] : [];
}

export interface AccountFields {
  name: string;
  email: string;
  username: string;
  timeZone: string;
  password: string;
}

/** Everything wrong with a sign-up, every field at once (the password is judged against the email and username typed). */
export function newAccountProblems(account: AccountFields): Problem[] {
  return [
    ...nameProblems(account.name),
    ...emailProblems(account.email),
    ...usernameProblems(account.username),
    ...timeZoneProblems(account.timeZone),
    ...passwordProblems(account.password, { email: account.email, username: account.username }),
  ];
}

/** Everything wrong with a profile change; fields left out are not changed, so not checked. */
export function profileChangeProblems(changes: Partial<Omit<AccountFields, 'password'>> & { locale?: string }): Problem[] {
  return [
    ...(changes.name !== undefined ? nameProblems(changes.name) : []),
    ...(changes.email !== undefined ? emailProblems(changes.email) : []),
    ...(changes.username !== undefined ? usernameProblems(changes.username) : []),
    ...(changes.timeZone !== undefined ? timeZoneProblems(changes.timeZone) : []),
    ...(changes.locale !== undefined ? localeProblems(changes.locale) : []),
  ];
}

/** The languages a host may choose (src/shared/i18n/locales.ts SUPPORTED_LOCALES; domain code imports no shared i18n). */
export const HOST_LOCALES = ['en', 'de', 'fr', 'es', 'pt-BR', 'ja'] as const;

export const localeProblems = (locale: string): Problem[] =>
  (HOST_LOCALES as readonly string[]).includes(locale)
    ? []
    : [{ field: 'locale', code: 'invalid', message: `locale must be one of ${HOST_LOCALES.join(', ')}` }];

/** A personal API key's label: one line, up to 100 characters. */
export const apiKeyNameProblems = (name: string): Problem[] => nameProblems(name, 'name', MAX_API_KEY_NAME_LENGTH);
