/** What went wrong, independent of transport; the HTTP filter maps codes to statuses. */
export type DomainErrorCode =
  | 'invalid' // 400
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'gone' // 410
  | 'unprocessable' // 422
  | 'rate_limited'; // 429

/**
 * One thing wrong with one input field, as a domain validator sees it. `field` is the API's field name
 * (snake_case, dotted for nesting: "rules.0.start"); `code` is stable for programs ("too_long", "overlaps");
 * `message` is a sentence for people. The HTTP filter renders problems as `errors`, the admin beside its fields.
 */
export interface Problem {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
export const invalid = (message: string, details?: Record<string, unknown>) => new DomainError('invalid', message, details);
export const conflict = (message: string, details?: Record<string, unknown>) => new DomainError('conflict', message, details);

/**
 * A 400 for one or more field problems; the message lists them all, each prefixed with its field unless it already
 * starts with it ("username must be …"), as the validation pipe does.
 */
export function invalidFields(problems: readonly Problem[]): DomainError {
  const named = (p: Problem) => (p.message.startsWith(`${p.field} `) ? p.message : `${p.field}: ${p.message}`);
  return new DomainError('invalid', problems.map(named).join('; '), undefined, problems);
}

/** A 400 for one problem with one field. */
export const invalidField = (field: string, code: string, message: string): DomainError => invalidFields([{ field, code, message }]);

/** Field errors in the shape the validation pipe already answers with: `[{field, messages, codes}]`, one entry per field. */
export function problemsAsFieldErrors(problems: readonly Problem[]): { field: string; messages: string[]; codes: string[] }[] {
  const byField = new Map<string, { field: string; messages: string[]; codes: string[] }>();
  for (const p of problems) {
    const entry = byField.get(p.field) ?? { field: p.field, messages: [], codes: [] };
    entry.messages.push(p.message);
    entry.codes.push(p.code);
    byField.set(p.field, entry);
  }
  return [...byField.values()];
}
