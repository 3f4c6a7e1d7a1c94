import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { isRetryableTransactionError } from './pg-errors.js';

export interface SerializableOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** Extra errors (besides 40001/40P01) that should start a fresh attempt, e.g. a lost round-robin race. */
  retryOn?: (error: unknown) => boolean;
  /** Called before each retry, for metrics. */
  onRetry?: (error: unknown, attempt: number) => void;
  /**
   * Keys (e.g. `host:<id>`) to take as session advisory locks BEFORE the transaction begins, so transactions that
   * touch the same rows run one after another instead of failing each other with 40001 and retrying. They are not
   * the guarantee (the serializable re-check and the exclusion constraint are); they turn retries into a short wait.
   */
  serializeOn?: string[];
}

export class SerializationRetriesExhaustedError extends Error {
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
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
  const keys = [...new Set(options.serializeOn ?? [])].sort(); // one order everywhere: no lock cycles
  const runner = dataSource.createQueryRunner('master');
  await runner.connect();
  try {
    // Taken before BEGIN: a serializable snapshot is fixed at the transaction's first statement, so a lock taken
    // inside it would wait and then still read from before the previous holder's commit.
    for (const key of keys) await runner.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
    let result: T;
    try {
      result = await attemptAll(runner, work, options);
    } catch (error) {
      // A lost connection (database restart) took the session locks with it; unlocking would only hide the cause.
      if (keys.length > 0 && !runner.isReleased) await unlock(runner, keys).catch(() => undefined);
      throw error;
    }
    if (keys.length > 0) await unlock(runner, keys);
    return result;
  } finally {
    await runner.release();
  }
}

function unlock(runner: QueryRunner, keys: string[]) {
  return runner.query('SELECT pg_advisory_unlock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k', [keys]);
}

async function attemptAll<T>(
  runner: QueryRunner,
  work: (manager: EntityManager, attempt: number) => Promise<T>,
  options: SerializableOptions,
): Promise<T> {
  const attempts = options.attempts ?? 8;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await runner.startTransaction('SERIALIZABLE');
      const result = await work(runner.manager, attempt);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) {
        // A ROLLBACK that fails means the connection is gone (the server rolls back by itself): report the cause.
        try {
          await runner.rollbackTransaction();
        } catch {
          throw error;
        }
      }
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
