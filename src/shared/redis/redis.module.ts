import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../../config/app-config.js';

export const REDIS = Symbol('REDIS');

/** The shared ioredis connection, or null when REDIS_URL is unset (single-instance, in-process mode). */
export type OptionalRedis = Redis | null;

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: OptionalRedis) {}
  async onApplicationShutdown() {
    if (this.redis && this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

/**
 * The shared connection is for cache and rate-limit commands, which have a PostgreSQL or in-process fallback. So a
 * command must fail fast instead of waiting for Redis: no offline queue (a command while disconnected fails at once),
 * no per-command retries, and a command timeout of tens of ms (REDIS_COMMAND_TIMEOUT_MS). ioredis keeps reconnecting
 * in the background (its default back-off, capped at 2 s), so the cache comes back by itself.
 * BullMQ has its own connections (notify), which do queue while Redis is away.
 */
export function createCacheRedis(url: string, commandTimeoutMs: number): Redis {
  const logger = new Logger('Redis');
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(500, commandTimeoutMs * 10),
    enableAutoPipelining: true,
  });
  // One line per outage, not one per reconnect attempt (ioredis would print "Unhandled error event" otherwise).
  let down = false;
  redis.on('error', (e: Error) => {
    if (!down) logger.warn(`unavailable, continuing without it: ${e.message}`);
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.log('available again');
    down = false;
  });
  return redis;
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig): OptionalRedis =>
        config.redisUrl ? createCacheRedis(config.redisUrl, config.redisCommandTimeoutMs) : null,
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
