import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { MemoryThrottlerStorage } from './memory-throttler.storage.js';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Fixed-window counter with an optional block, atomically in one Lua script so every replica sees the same count.
 * KEYS[1] hit counter, KEYS[2] block marker; ARGV ttl ms, limit, block ms.
 * Returns {hits, counter pttl ms, blocked 0/1, block pttl ms}.
 */
const INCREMENT = `
local blockTtl = redis.call('PTTL', KEYS[2])
if blockTtl > 0 then
  local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
  return {hits, math.max(redis.call('PTTL', KEYS[1]), 0), 1, blockTtl}
end
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, ttl, 1, tonumber(ARGV[3])}
end
return {hits, ttl, 0, 0}
`;

/**
 * `@nestjs/throttler` storage on the shared ioredis connection: limits hold across all replicas.
 * Fails open to a per-process memory limiter: with Redis down or slower than REDIS_COMMAND_TIMEOUT_MS, each replica
 * counts on its own (so the effective limit is up to N times the configured one across N replicas) rather than
 * answering 500 or letting everything through. Counting goes back to Redis as soon as it answers again.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private readonly fallback = new MemoryThrottlerStorage();
  private degraded = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    let record: ThrottlerStorageRecord;
    try {
      record = await this.incrementInRedis(key, ttl, limit, blockDuration, throttlerName);
    } catch (error) {
      if (!this.degraded) this.logger.warn(`Redis unavailable (${(error as Error).message}): counting in process memory until it answers`);
      this.degraded = true;
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
    if (this.degraded) this.logger.log('Redis answers again: counting in Redis');
    this.degraded = false;
    return record;
  }

  private async incrementInRedis(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}:rl:${throttlerName}:${key}`;
    const [hits, ttlMs, blocked, blockMs] = (await this.redis.eval(
      INCREMENT,
      2,
      `${base}:hits`,
      `${base}:block`,
      Math.max(1, Math.ceil(ttl)),
      limit,
      Math.max(1, Math.ceil(blockDuration)),
    )) as [number, number, number, number];
    return {
      totalHits: hits,
      timeToExpire: Math.ceil(ttlMs / 1000),
      isBlocked: blocked === 1,
      timeToBlockExpire: Math.ceil(blockMs / 1000),
    };
  }

  /** Seconds left on the block of `key` (0 when not blocked), without counting a hit. */
  async blockedFor(key: string, throttlerName: string): Promise<number> {
    const ms = await this.redis.pttl(`${this.prefix}:rl:${throttlerName}:${key}:block`);
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }
}
