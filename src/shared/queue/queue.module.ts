import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import type { RedisOptions } from 'bullmq';
import { AppConfig } from '../../config/app-config.js';

/**
 * BullMQ's connection options for REDIS_URL. Unlike the shared cache connection (src/shared/redis), these queue
 * commands while Redis is away (no per-request retry limit; workers block on Redis), so callers bound each command
 * with `withinQueueTimeout`. Reconnects back off as ioredis does by default (50 ms steps up to 2 s), not as BullMQ
 * does (up to 20 s), so queues come back soon after Redis does.
 */
export function bullConnection(url: string): RedisOptions {
  return { url, maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: (times: number) => Math.min(times * 50, 2_000) };
}

/**
 * The root of @nestjs/bullmq: one connection configuration (REDIS_URL) and key prefix (REDIS_PREFIX) for every queue a
 * context registers with `BullModule.registerQueue`. Imported only when REDIS_URL is set; without it the contexts use
 * their in-process adapters and nothing of BullMQ is created (docs/adr/0008-queue-port-and-periodic-jobs.md).
 */
@Module({})
export class QueueModule {
  static forRoot(withRedis: boolean): DynamicModule {
    if (!withRedis) return { module: QueueModule };
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => {
            if (!config.redisUrl) throw new Error('QueueModule.forRoot(true) needs REDIS_URL');
            return { connection: bullConnection(config.redisUrl), prefix: config.redisPrefix };
          },
        }),
      ],
    };
  }
}
