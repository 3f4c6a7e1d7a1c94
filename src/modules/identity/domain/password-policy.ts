import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 200;

/**
 * ~49k passwords seen most often in real breaches (zxcvbn's maintained list). Compared lowercased: "Dragon" is
 * as guessable as "dragon".
 */
const COMMON = new Set(dictionary['passwords-common'].map((p: string) => p.toLowerCase()));

/** Parts of the account an attacker knows before guessing: the email, its local part, the username. */
export interface PasswordContext {
  email?: string | null;
  username?: string | null;
}

/** Why a new password is refused: a stable code, and a sentence starting with "password" (the caller names the field). */
export interface PasswordRefusal {
  readonly code: 'too_short' | 'too_long' | 'too_common' | 'contains_account_name';
  readonly message: string;
}

/**
 * Why a new password is refused, or null when it is acceptable. Length first (the existing rule), then the breach
 * list, then the account's own names: equal to the email, or containing its local part or the username (when those
 * are long enough, 4+ characters, to mean something).
 */
export function passwordRefusal(password: string, context: PasswordContext = {}): PasswordRefusal | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return { code: 'too_short', message: `password must be at least ${MIN_PASSWORD_LENGTH} characters` };
  if (password.length > MAX_PASSWORD_LENGTH)
    return { code: 'too_long', message: `password must be at most ${MAX_PASSWORD_LENGTH} characters` };
  const lower = password.toLowerCase();
  if (COMMON.has(lower))
    return { code: 'too_common', message: 'password is too common (it appears in lists of breached passwords); choose another' };
  const email = context.email?.trim().toLowerCase() ?? '';
  const local = email.split('@')[0] ?? '';
  const username = context.username?.trim().toLowerCase() ?? '';
  const own = [local, username].filter(Boolean);
  if ((email && lower === email) || own.some((part) => lower === part || (part.length >= 4 && lower.includes(part)))) {
    return { code: 'contains_account_name', message: 'password must not contain your email address or username' };
  }
  return null;
}
