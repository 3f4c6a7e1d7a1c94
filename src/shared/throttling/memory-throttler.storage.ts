import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Single-instance fallback (no REDIS_URL): the same fixed windows in a Map, swept as windows end. */
export class MemoryThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, { hits: number; resetAt: number; blockedUntil: number }>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    this.sweep(now);
    const id = `${throttlerName}:${key}`;
    let w = this.windows.get(id);
    if (!w || (w.resetAt <= now && w.blockedUntil <= now)) {
      w = { hits: 0, resetAt: now + ttl, blockedUntil: 0 };
      this.windows.set(id, w);
    }
    if (w.blockedUntil > now) {
      return { totalHits: w.hits, timeToExpire: secs(w.resetAt - now), isBlocked: true, timeToBlockExpire: secs(w.blockedUntil - now) };
    }
    if (w.resetAt <= now) {
      w.hits = 0;
      w.resetAt = now + ttl;
    }
    w.hits += 1;
    if (w.hits > limit) w.blockedUntil = now + blockDuration;
    const blocked = w.blockedUntil > now;
    return {
      totalHits: w.hits,
      timeToExpire: secs(w.resetAt - now),
      isBlocked: blocked,
      timeToBlockExpire: blocked ? secs(w.blockedUntil - now) : 0,
    };
  }

  /** Seconds left on the block of `key` (0 when not blocked), without counting a hit. */
  async blockedFor(key: string, throttlerName: string): Promise<number> {
    const w = this.windows.get(`${throttlerName}:${key}`);
    const now = this.now();
    return w && w.blockedUntil > now ? secs(w.blockedUntil - now) : 0;
  }

  private sweep(now: number) {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [id, w] of this.windows) if (w.resetAt <= now && w.blockedUntil <= now) this.windows.delete(id);
  }
}

const secs = (ms: number) => Math.max(0, Math.ceil(ms / 1000));
