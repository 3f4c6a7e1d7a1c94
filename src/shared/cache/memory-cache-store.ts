import { LRUCache } from 'lru-cache';
import { CacheStore } from './cache-store.js';

export class MemoryCacheStore extends CacheStore {
  readonly canFail = false;
  private readonly values = new LRUCache<string, string>({ max: 50_000, ttlAutopurge: false });
  // Counters (cache versions) must not be evicted, or a stale entry could become visible again.
  private readonly counters = new Map<string, number>();

  async get(key: string) {
    const counter = this.counters.get(key);
    return counter !== undefined ? String(counter) : (this.values.get(key) ?? null);
  }
  async set(key: string, value: string, ttlSeconds: number) {
    this.values.set(key, value, { ttl: ttlSeconds * 1000 });
  }
  async getMany(keys: string[]) {
    return Promise.all(keys.map((k) => this.get(k)));
  }
  async increment(key: string) {
    const next = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, next);
    return next;
  }
  async delete(key: string) {
    this.values.delete(key);
    this.counters.delete(key);
  }
}
