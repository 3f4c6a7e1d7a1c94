import { DataSource, EntityManager } from 'typeorm';
import { isRetryableTransactionError } from './pg-errors.js';

export interface SerializableOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** Extra errors (besides 40001/40P01) that should start a fresh attempt, e.g. a lost round-robin race. */
  retryOn?: (error: unknown) => boolean;
  /** Called before each retry, for metrics. */
  onRetry?: (error: unknown, attempt: number) => void;
}

export class SerializationRetriesExhaustedError extends Error {
  constructor(readonly attempts: number, readonly lastError: unknown) {
    super(`transaction gave up after ${attempts} serialization failures`);
  }
}

/**
 * Runs `work` in a fresh SERIALIZABLE transaction per attempt, retrying 40001/40P01 with jittered exponential backoff.
 * Call it at the top level only (a nested transaction would be a savepoint and could not be retried), and keep
 * side effects out of `work`: write an outbox row instead and act after commit.
 */
export async function runSerializable<T>(
  dataSource: DataSource,
  work: (manager: EntityManager, attempt: number) => Promise<T>,
  options: SerializableOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 8;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await dataSource.transaction('SERIALIZABLE', (manager) => work(manager, attempt));
    } catch (error) {
      const retryable = isRetryableTransactionError(error) || (options.retryOn?.(error) ?? false);
      if (!retryable) throw error;
      lastError = error;
      if (attempt === attempts) break;
      options.onRetry?.(error, attempt);
      const base = Math.min(200, 5 * 2 ** attempt);
      await new Promise((r) => setTimeout(r, base / 2 + Math.random() * base));
    }
  }
  throw new SerializationRetriesExhaustedError(attempts, lastError);
}
