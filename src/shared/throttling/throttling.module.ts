import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig } from '../../config/app-config.js';
import { type OptionalRedis, REDIS } from '../redis/redis.module.js';
import { CredentialLimiter } from './credential-limiter.js';
import { MemoryThrottlerStorage } from './memory-throttler.storage.js';
import { RATE_LIMITS, RateLimitGuard, type RateLimits, THROTTLER_STORAGE } from './rate-limit.guard.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

export const LOGIN_ROUTE = 'POST /api/auth/login';
export const CREATE_BOOKING_ROUTE = 'POST /api/bookings';

/**
 * Rate limits (spec: "rate limiting per user and per IP"). Fixed windows, all configurable:
 * - `api`: every request, per host (JWT or API key) or per client IP for anonymous callers;
 * - `login`: POST /api/auth/login per client IP (password guessing);
 * - `booking`: POST /api/bookings per caller (slot squatting).
 * Counters live in Redis when REDIS_URL is set (shared by all replicas), else in process memory.
 * Imported after IdentityModule so that its guard has identified the caller first. Global: the CredentialLimiter
 * (failed password and API-key checks, per account and per address) is used by identity and the admin pages.
 */
@Global()
@Module({
  providers: [
    {
      provide: THROTTLER_STORAGE,
      inject: [REDIS, AppConfig],
      useFactory: (redis: OptionalRedis, config: AppConfig) =>
        redis ? new RedisThrottlerStorage(redis, config.redisPrefix) : new MemoryThrottlerStorage(),
    },
    {
      provide: RATE_LIMITS,
      inject: [AppConfig],
      useFactory: (config: AppConfig): RateLimits => {
        const { enabled, max, windowSeconds, loginMax, bookingMax } = config.rateLimit;
        const ttlMs = windowSeconds * 1000;
        return {
          enabled,
          limits: [
            { name: 'login', limit: loginMax, ttlMs, applies: (route) => route === LOGIN_ROUTE },
            { name: 'booking', limit: bookingMax, ttlMs, applies: (route) => route === CREATE_BOOKING_ROUTE },
            { name: 'api', limit: max, ttlMs },
          ],
        };
      },
    },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    CredentialLimiter,
  ],
  exports: [CredentialLimiter],
})
export class ThrottlingModule {}
