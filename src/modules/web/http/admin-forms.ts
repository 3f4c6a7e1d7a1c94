import { BadRequestException } from '@nestjs/common';
import { DomainError, problemsAsFieldErrors } from '../../../shared/http/domain-error.js';
import { createValidationPipe } from '../../../shared/http/validation.js';

/** An urlencoded admin form body: repeated names (checkbox groups) arrive as arrays. */
export type Form = Record<string, string | string[] | undefined>;
/** Field name → the message shown beside it; `form` is a message for the whole form. */
export type Errors = Partial<Record<string, string>>;

export const one = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').trim();
export const many = (v: unknown): string[] =>
  (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).map((s) => String(s).trim()).filter(Boolean);
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

/**
 * A page's form-field mapping, one table per page: form field name → the API (domain) field it fills. The page
 * builds its command from the form through it and places the domain's problems back beside the same fields.
 */
export type FormFields = Readonly<Record<string, string>>;

/** Where a problem about an API field is shown on the page: a form field name, or undefined (the whole form). */
export type PlaceField = (apiField: string) => string | undefined;

/** The placement a plain form-field mapping gives: each API field beside the form field that fills it. */
export function placedBy(fields: FormFields): PlaceField {
  const formFieldOf = new Map(Object.entries(fields).map(([form, api]) => [api, form]));
  return (apiField) => formFieldOf.get(apiField);
}

/**
 * Puts each field problem of a refusal beside its form field (several for one field are all shown); a problem the
 * page has no field for, or a refusal naming no field, goes beside `otherwise` (default: `form`, the whole form).
 * `words`: how the page names an API field when a message starts with it ("new_password" → "the new password").
 */
export function placeProblems(
  error: DomainError,
  place: PlaceField,
  errors: Errors,
  { words = {}, otherwise = 'form' }: { words?: Readonly<Record<string, string>>; otherwise?: string } = {},
): void {
  const fields = fieldErrorsOf(error);
  for (const { field, messages } of fields.length ? fields : fieldsNamedIn(error.message, place)) {
    const key = place(field) ?? otherwise;
    const named = (m: string) => (words[field] && m.startsWith(`${field} `) ? `${words[field]}${m.slice(field.length)}` : m);
    // A value failing several checks of one rule (integer, minimum, maximum) gets that rule's message once.
    const text = [...new Set(messages.map((m) => sentence(named(withoutFieldName(m, field)))))].join(' ');
    errors[key] = errors[key] ? `${errors[key]} ${text}` : text;
  }
}

/**
 * Transitional, for validators that still throw one message ("name …; reminders.1.recipients: …"): each "; "-piece
 * that starts with a field the page places is that field's message, other pieces continue the one before (a
 * message may itself contain "; "). Remove once every validator the admin calls returns problems.
 */
function fieldsNamedIn(message: string, place: PlaceField): { field: string; messages: string[] }[] {
  const found: { field: string; messages: string[] }[] = [];
  for (const piece of message.split('; ')) {
    const field = piece.split(/[\s:]/, 1)[0];
    const last = found.at(-1);
    if (place(field) === undefined && last) last.messages[0] += `; ${piece}`;
    else found.push({ field: place(field) === undefined ? 'form' : field, messages: [piece] });
  }
  return found;
}

/** "reminders.1.recipients: SMS …" → "SMS …"; "location.value must be …" → "value must be …" (the field is on the page). */
function withoutFieldName(message: string, field: string): string {
  if (message.startsWith(`${field}: `)) return message.slice(field.length + 2);
  if (field.includes('.') && message.startsWith(`${field} `))
    return `${field.slice(field.lastIndexOf('.') + 1)}${message.slice(field.length)}`;
  return message;
}

/**
 * Checks a request built from a form against the API's own request class, so the page has exactly the API's limits
 * and messages; a refusal comes back as a DomainError naming the API fields, placed like the domain's own.
 */
export async function asApiRequest<T extends object>(
  requestClass: new () => T,
  request: Record<string, unknown>,
): Promise<T | DomainError> {
  try {
    return (await createValidationPipe().transform(request, { type: 'body', metatype: requestClass })) as T;
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    const { message, errors } = error.getResponse() as { message: string[]; errors: { field: string; messages: string[] }[] };
    return new DomainError('invalid', message.join('; '), { errors });
  }
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

/** How many numbered rows (`prefix0`, `prefix1`, …) a form posted, at most 100. */
export function rowCount(body: Form, prefix: string): number {
  let n = 0;
  for (const key of Object.keys(body)) {
    const m = key.startsWith(prefix) ? Number(key.slice(prefix.length)) : NaN;
    if (Number.isInteger(m) && m + 1 > n) n = m + 1;
  }
  return Math.min(n, 100);
}
