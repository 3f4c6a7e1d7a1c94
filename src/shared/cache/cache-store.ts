import { Logger } from '@nestjs/common';

/** The backing store (Redis) did not answer in time or is unreachable. */
export class CacheUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`cache unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'CacheUnavailableError';
  }
}

const logger = new Logger('Cache');

/**
 * A small key-value cache port. Redis backs it when REDIS_URL is set (shared by replicas); otherwise an in-process
 * LRU does (one instance only). Keys are namespaced by the implementation.
 *
 * The methods reject with CacheUnavailableError when the store cannot answer (Redis down or slower than
 * REDIS_COMMAND_TIMEOUT_MS): callers that can go on without the cache use `tryGet`/`trySet`, which fail open.
 */
export abstract class CacheStore {
  /** True when the store lives outside the process and can fail (Redis); the in-process LRU never does. */
  abstract readonly canFail: boolean;
  abstract get(key: string): Promise<string | null>;
  abstract set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Reads several keys in one round trip; missing keys are null. */
  abstract getMany(keys: string[]): Promise<(string | null)[]>;
  /** Atomically increments an integer counter (created at 1) and returns the new value. */
  abstract increment(key: string): Promise<number>;
  abstract delete(key: string): Promise<void>;

  /** `get`, or null (a miss) when the store is unavailable. */
  async tryGet(key: string): Promise<string | null> {
    try {
      return await this.get(key);
    } catch (error) {
      logger.debug(`get ${key} skipped: ${(error as Error).message}`);
      return null;
    }
  }

  /** `set`, skipped when the store is unavailable (the value is only ever a copy). */
  async trySet(key: string, value: string, ttlSeconds: number): Promise<void> {
    try {
      await this.set(key, value, ttlSeconds);
    } catch (error) {
      logger.debug(`set ${key} skipped: ${(error as Error).message}`);
    }
  }
}
