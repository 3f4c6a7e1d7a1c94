/**
 * A small key-value cache port. Redis backs it when REDIS_URL is set (shared by replicas); otherwise an in-process
 * LRU does (one instance only). Keys are namespaced by the implementation.
 */
export abstract class CacheStore {
  abstract get(key: string): Promise<string | null>;
  abstract set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Reads several keys in one round trip; missing keys are null. */
  abstract getMany(keys: string[]): Promise<(string | null)[]>;
  /** Atomically increments an integer counter (created at 1) and returns the new value. */
  abstract increment(key: string): Promise<number>;
  abstract delete(key: string): Promise<void>;
}
