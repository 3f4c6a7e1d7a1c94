import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AppConfigModule } from './config/config.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { IdentityModule } from './modules/identity/identity.module.js';
import { CacheModule } from './shared/cache/cache.module.js';
import { ClockModule } from './shared/clock/clock.module.js';
import { DatabaseModule } from './shared/database/database.module.js';
import { HttpExceptionFilter } from './shared/http/http-exception.filter.js';
import { LoggingModule } from './shared/logging/logging.module.js';
import { RedisModule } from './shared/redis/redis.module.js';

/** The whole app. `overrides` replace environment variables (tests, tools). */
@Module({})
export class AppModule {
  static forRoot(overrides: Record<string, string | undefined> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(overrides),
        LoggingModule,
        ClockModule,
        DatabaseModule,
        RedisModule,
        CacheModule,
        HealthModule,
        IdentityModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
