/** SQLSTATE codes the booking path reacts to. */
export const PG_SERIALIZATION_FAILURE = '40001';
export const PG_DEADLOCK_DETECTED = '40P01';
export const PG_EXCLUSION_VIOLATION = '23P01';
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';

/** The SQLSTATE of an error thrown by pg (possibly wrapped by TypeORM's QueryFailedError). */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e.code ?? e.driverError?.code;
  return typeof code === 'string' ? code : undefined;
}

export function constraintName(error: unknown): string | undefined {
  const e = error as { constraint?: unknown; driverError?: { constraint?: unknown } } | null;
  const name = e?.constraint ?? e?.driverError?.constraint;
  return typeof name === 'string' ? name : undefined;
}

export const isRetryableTransactionError = (error: unknown) => {
  const code = sqlState(error);
  return code === PG_SERIALIZATION_FAILURE || code === PG_DEADLOCK_DETECTED;
};

/** Node socket errors meaning the database server could not be reached or went away. */
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** node-postgres reports a dropped or timed-out connection by message only. */
const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Connection is closed/i;

/** TypeORM's errors for a query runner it released when its connection failed (in flight during a restart). */
const RELEASED_RUNNER_ERRORS = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

/**
 * The database is (for now) unreachable: refused or lost connection, 57P01 admin shutdown, 57P02 crash shutdown,
 * 57P03 cannot connect now (starting up or shutting down), class 08 connection exceptions. A restart or failover
 * looks like this; the pool opens fresh connections on the next request, so the answer is 503 with Retry-After.
 * The outcome of a transaction whose COMMIT was cut off is unknown: the client retries with its Idempotency-Key.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | null, depth = 0;
    e && depth < 4;
    depth++
  ) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && (CONNECTION_ERRNOS.has(code) || code === '57P01' || code === '57P02' || code === '57P03' || code.startsWith('08')))
      return true;
    if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
    // TypeORM releases a query runner whose connection failed; the next statement on it reports that instead.
    if (RELEASED_RUNNER_ERRORS.has(String((e as { name?: unknown }).name))) return true;
    e = e.driverError ?? e.cause ?? null;
  }
  return false;
}
