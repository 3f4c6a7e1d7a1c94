import { Redis } from 'ioredis';
import { CacheStore } from './cache-store.js';

export class RedisCacheStore extends CacheStore {
  constructor(private readonly redis: Redis, private readonly prefix: string) {
    super();
  }
  private k(key: string) {
    return `${this.prefix}:cache:${key}`;
  }
  async get(key: string) {
    return this.redis.get(this.k(key));
  }
  async set(key: string, value: string, ttlSeconds: number) {
    await this.redis.set(this.k(key), value, 'EX', Math.max(1, ttlSeconds));
  }
  async getMany(keys: string[]) {
    return keys.length === 0 ? [] : this.redis.mget(keys.map((key) => this.k(key)));
  }
  async increment(key: string) {
    return this.redis.incr(this.k(key));
  }
  async delete(key: string) {
    await this.redis.del(this.k(key));
  }
}
