import { Redis } from 'ioredis';
import { CacheStore, CacheUnavailableError } from './cache-store.js';

/** Every failure (connection refused, no connection, command timeout) becomes a CacheUnavailableError. */
const unavailable = (error: unknown): never => {
  throw new CacheUnavailableError(error);
};

export class RedisCacheStore extends CacheStore {
  readonly canFail = true;
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
  }
  private k(key: string) {
    return `${this.prefix}:cache:${key}`;
  }
  async get(key: string) {
    return this.redis.get(this.k(key)).catch(unavailable);
  }
  async set(key: string, value: string, ttlSeconds: number) {
    await this.redis.set(this.k(key), value, 'EX', Math.max(1, ttlSeconds)).catch(unavailable);
  }
  async getMany(keys: string[]) {
    return keys.length === 0 ? [] : this.redis.mget(keys.map((key) => this.k(key))).catch(unavailable);
  }
  async increment(key: string) {
    return this.redis.incr(this.k(key)).catch(unavailable);
  }
  async delete(key: string) {
    await this.redis.del(this.k(key)).catch(unavailable);
  }
}
