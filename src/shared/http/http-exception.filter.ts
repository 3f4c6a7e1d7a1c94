import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { SerializationRetriesExhaustedError } from '../database/run-serializable.js';
import { CacheUnavailableError } from '../cache/cache-store.js';
import { PG_EXCLUSION_VIOLATION, isDatabaseUnavailable, sqlState } from '../database/pg-errors.js';
import { DomainError, type DomainErrorCode, problemsAsFieldErrors } from './domain-error.js';
import { replySent } from './request.js';

const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  unprocessable: 422,
  rate_limited: 429,
};

export interface ErrorBody {
  status_code: number;
  error: string;
  message: string;
  [extra: string]: unknown;
}

/** Turns anything thrown into `{status_code, error, message}`; client mistakes never become a 500. */
export function toErrorBody(exception: unknown): ErrorBody {
  const fastifyError = fastifyClientError(exception);
  if (fastifyError) return fastifyError;
  if (exception instanceof DomainError) {
    const fieldErrors = exception.problems.length > 0 ? { errors: problemsAsFieldErrors(exception.problems) } : undefined;
    return body(STATUS_BY_CODE[exception.code], exception.message, { ...exception.details, ...fieldErrors });
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'string') return body(status, response);
    const r = response as { message?: unknown; errors?: unknown };
    const message = Array.isArray(r.message) ? r.message.join('; ') : typeof r.message === 'string' ? r.message : exception.message;
    return body(status, message, r.errors !== undefined ? { errors: r.errors } : undefined);
  }
  if (exception instanceof SerializationRetriesExhaustedError) {
    // Only the exclusion constraint proves another booking holds the time; serialization failures on every attempt
    // say the decision could not be made under contention, and the answer must not claim more.
    if (sqlState(exception.lastError) === PG_EXCLUSION_VIOLATION) {
      return body(409, 'That time is no longer available: another booking took it. Please pick another time.');
    }
    return body(
      409,
      'That time could not be confirmed: many bookings for it were being made at once, and nothing was booked. Please try again.',
    );
  }
  if (sqlState(exception) === PG_EXCLUSION_VIOLATION) {
    return body(409, 'That time is no longer available. Please pick another time.');
  }
  if (isDatabaseUnavailable(exception)) {
    return body(
      503,
      `The database is unavailable for a moment; nothing was changed unless a retry with the same Idempotency-Key says so. Retry after ${RETRY_AFTER_SECONDS} s.`,
    );
  }
  if (exception instanceof CacheUnavailableError) {
    return body(503, `A backing service is unavailable for a moment. Retry after ${RETRY_AFTER_SECONDS} s.`);
  }
  return body(500, 'Internal server error');
}

/**
 * Fastify's own refusals, raised before any handler runs (body parsing, routing): a 4xx `statusCode` and an
 * `FST_*` code, or the JSON parser's SyntaxError with statusCode 400. Answered in our shape with our wording.
 */
function fastifyClientError(thrown: unknown): ErrorBody | null {
  // The Nest adapter wraps them in an HttpException whose cause is Fastify's error.
  const exception = thrown instanceof HttpException && thrown.cause instanceof Error ? thrown.cause : thrown;
  if (!(exception instanceof Error)) return null;
  const { statusCode, code } = exception as Error & { statusCode?: unknown; code?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return null;
  if (exception instanceof SyntaxError) return body(400, `Malformed JSON in request body: ${exception.message}`);
  if (typeof code !== 'string' || !code.startsWith('FST_')) return null;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return body(413, 'Request body is larger than 1 MB');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return body(400, 'Malformed JSON in request body: the body is empty (send {} for no fields)');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return body(415, 'Unsupported Content-Type: send JSON (application/json) or a form (application/x-www-form-urlencoded)');
    case 'FST_ERR_BAD_URL':
      return body(400, 'Malformed URL: the path is not valid percent-encoded UTF-8');
    default:
      return body(statusCode, exception.message);
  }
}

/** What a 503 asks the client to wait: a database restart or failover takes a few seconds. */
export const RETRY_AFTER_SECONDS = 3;

function body(status: number, message: string, extra?: Record<string, unknown>): ErrorBody {
  return { status_code: status, error: STATUS_CODES[status] ?? 'Error', message, ...(extra ?? {}) };
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost) {
    const response = host.switchToHttp().getResponse<FastifyReply>();
    const errorBody = toErrorBody(exception);
    if (errorBody.status_code === 503) {
      this.logger.warn(`503: ${exception instanceof Error ? exception.message : String(exception)}`);
    } else if (errorBody.status_code >= 500) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    if (replySent(response)) return;
    if (typeof errorBody.retry_after_seconds === 'number') response.header('Retry-After', String(errorBody.retry_after_seconds));
    if (errorBody.status_code === 503 && !response.getHeader('Retry-After')) {
      response.header('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    response.status(errorBody.status_code).type('application/json; charset=utf-8').send(errorBody);
  }
}
