/** What went wrong, independent of transport; the HTTP filter maps codes to statuses. */
export type DomainErrorCode =
  | 'invalid'          // 400
  | 'unauthorized'     // 401
  | 'forbidden'        // 403
  | 'not_found'        // 404
  | 'conflict'         // 409
  | 'gone'             // 410
  | 'unprocessable'    // 422
  | 'rate_limited';    // 429

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
export const invalid = (message: string, details?: Record<string, unknown>) => new DomainError('invalid', message, details);
export const conflict = (message: string, details?: Record<string, unknown>) => new DomainError('conflict', message, details);
