import { DomainError, problemsAsFieldErrors } from '../../../shared/http/domain-error.js';

/** An urlencoded admin form body: repeated names (checkbox groups) arrive as arrays. */
export type Form = Record<string, string | string[] | undefined>;
/** Field name → the message shown beside it; `form` is a message for the whole form. */
export type Errors = Record<string, string>;

export const one = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').trim();
export const many = (v: unknown): string[] => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).map((s) => String(s).trim()).filter(Boolean);
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const hasErrors = (errors: Errors) => Object.keys(errors).length > 0;

/** Service messages start lowercase and name their field ("url is not allowed: …"); pages show sentences. */
export const sentence = (message: string) => {
  const s = message.replace(/^./, (c) => c.toUpperCase());
  return /[.!?]$/.test(s) ? s : `${s}.`;
};

/** Per-field messages a DomainError carries: its problems, or (older validators) details.errors ([{field, messages}]). */
export function fieldErrorsOf(error: DomainError): { field: string; messages: string[] }[] {
  if (error.problems.length > 0) return problemsAsFieldErrors(error.problems);
  return (error.details?.errors ?? []) as { field: string; messages: string[] }[];
}

/** Rethrows anything but the expected domain errors (a 500 stays a 500; a 404 stays a 404). */
export function expectDomainError(error: unknown, ...codes: DomainError['code'][]): DomainError {
  if (error instanceof DomainError && codes.includes(error.code)) return error;
  throw error;
}

/** "3 minutes" / "40 seconds": how long a rate-limited visitor should wait. */
export function waitLabel(seconds: number): string {
  return seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
}
