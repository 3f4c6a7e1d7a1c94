import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import pg from 'pg';
import { isRetryableTransactionError } from './pg-errors.js';

const { escapeLiteral } = pg;

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
  /**
   * Reads to run once, after the `serializeOn` locks are held and before the first BEGIN, on the same connection
   * (autocommit): they see every commit of the locks' previous holders, without the serializable transaction's
   * predicate locks (round robin's booking counts, issue #19). The caller keeps what they return for `work`. On the
   * embedded database (one session, ADR 0013) advisory locks exclude nothing and another connection's transaction may
   * run between two blocks, but a whole transaction block is exclusive: there it runs inside each attempt instead.
   */
  afterLocks?: (manager: EntityManager) => Promise<void>;
}

const sessions = new WeakMap<DataSource, Promise<boolean>>();

/** Whether the database is the embedded PGlite, whose pooled connections share one session (asked once). */
function singleSession(dataSource: DataSource, runner: QueryRunner): Promise<boolean> {
  let known = sessions.get(dataSource);
  if (!known) {
    known = runner.query('SELECT version()').then((rows: { version: string }[]) => /PGlite|emscripten/i.test(rows[0].version));
    sessions.set(dataSource, known);
  }
  return known;
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
    if (options.afterLocks && (await singleSession(dataSource, runner))) {
      const { afterLocks } = options;
      options = { ...options, afterLocks: undefined };
      const inner = work;
      work = async (manager, attempt) => {
        await afterLocks(manager);
        return inner(manager, attempt);
      };
    }
    let result: T;
    try {
      result = await attemptAll(runner, work, options, keys);
    } catch (error) {
      // A lost connection (database restart) took the session locks with it; unlocking would only hide the cause.
      if (keys.length > 0 && !runner.isReleased) await runner.query(unlockSql(keys)).catch(() => undefined);
      throw error;
    }
    return result;
  } finally {
    await runner.release();
  }
}

/**
 * The session advisory locks on `keys`, then BEGIN, in one round trip (a simple-query message runs its statements in
 * order). The locks are taken in a transaction block of their own, committed before the serializable one begins:
 * a serializable snapshot is fixed at its transaction's first statement, so a lock taken inside it would wait and
 * then still read from before the previous holder's commit; and a statement before BEGIN in the same message would
 * otherwise join the new block, which then could not be made SERIALIZABLE.
 */
function lockThenBeginSql(keys: string[]): string {
  return keys.length === 0 ? BEGIN_SERIALIZABLE : `${lockSql(keys)}; ${BEGIN_SERIALIZABLE}`;
}

function lockSql(keys: string[]): string {
  const locks = keys.map((key) => `SELECT pg_advisory_lock(hashtextextended(${escapeLiteral(key)}, 0))`);
  return ['BEGIN', ...locks, 'COMMIT'].join('; ');
}

/** COMMIT, then (only once it succeeded: a failed statement ends the message) the locks are released. */
function commitThenUnlockSql(keys: string[]): string {
  return keys.length === 0 ? 'COMMIT' : `COMMIT; ${unlockSql(keys)}`;
}

function unlockSql(keys: string[]): string {
  return keys.map((key) => `SELECT pg_advisory_unlock(hashtextextended(${escapeLiteral(key)}, 0))`).join('; ');
}

const BEGIN_SERIALIZABLE = 'BEGIN ISOLATION LEVEL SERIALIZABLE';

/**
 * TypeORM's own record of the runner's transaction (PostgresQueryRunner: `isTransactionActive`, and
 * `transactionDepth`, which makes a nested `manager.transaction()` a savepoint). BEGIN and COMMIT are sent here
 * rather than through `startTransaction()`, which spends two round trips (START TRANSACTION, then SET TRANSACTION
 * ISOLATION LEVEL) and cannot share one with the locks, so the record is kept in step by hand. No entity subscriber
 * is registered, so the transaction events startTransaction() would broadcast have no listener.
 */
interface TransactionRecord {
  isTransactionActive: boolean;
  transactionDepth: number;
}

function transactionRecord(runner: QueryRunner): TransactionRecord {
  const record = runner as unknown as TransactionRecord;
  if (typeof record.transactionDepth !== 'number') {
    throw new Error('this TypeORM query runner keeps no transactionDepth: runSerializable cannot track its transaction');
  }
  return record;
}

async function attemptAll<T>(
  runner: QueryRunner,
  work: (manager: EntityManager, attempt: number) => Promise<T>,
  options: SerializableOptions,
  keys: string[],
): Promise<T> {
  const attempts = options.attempts ?? 8;
  const record = transactionRecord(runner);
  let lastError: unknown;
  const rollback = async (cause: unknown) => {
    // A ROLLBACK that fails means the connection is gone (the server rolls back by itself): report the cause.
    try {
      await runner.query('ROLLBACK');
    } catch {
      throw cause;
    } finally {
      record.isTransactionActive = false;
      record.transactionDepth = 0;
    }
  };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    // The locks are taken with the first BEGIN and kept across attempts. A failure here is not retried (the locks may
    // not all be held): only the work's conflicts are.
    if (attempt === 1 && options.afterLocks) {
      try {
        if (keys.length > 0) await runner.query(lockSql(keys));
        await options.afterLocks(runner.manager);
      } catch (error) {
        await runner.query('ROLLBACK').catch(() => undefined); // the locks' own block may be open and failed
        throw error;
      }
    }
    record.isTransactionActive = true;
    try {
      await runner.query(attempt === 1 && !options.afterLocks ? lockThenBeginSql(keys) : BEGIN_SERIALIZABLE);
    } catch (error) {
      await rollback(error); // the locks' own block may be open and failed
      throw error;
    }
    record.transactionDepth = 1;
    try {
      const result = await work(runner.manager, attempt);
      await runner.query(commitThenUnlockSql(keys));
      record.isTransactionActive = false;
      record.transactionDepth = 0;
      return result;
    } catch (error) {
      // After a failed COMMIT the transaction is already over; the ROLLBACK then only warns.
      if (record.isTransactionActive) await rollback(error);
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
