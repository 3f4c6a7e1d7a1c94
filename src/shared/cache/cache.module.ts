import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { type OptionalRedis, REDIS } from '../redis/redis.module.js';
import { AvailabilityVersions } from './availability-versions.js';
import { CacheStore } from './cache-store.js';
import { MemoryCacheStore } from './memory-cache-store.js';
import { RedisCacheStore } from './redis-cache-store.js';

@Global()
@Module({
  providers: [
    {
      provide: CacheStore,
      inject: [REDIS, AppConfig],
      useFactory: (redis: OptionalRedis, config: AppConfig) =>
        redis ? new RedisCacheStore(redis, config.redisPrefix) : new MemoryCacheStore(),
    },
    AvailabilityVersions,
  ],
  exports: [CacheStore, AvailabilityVersions],
})
export class CacheModule {}
