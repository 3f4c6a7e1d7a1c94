import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig } from './app-config.js';
import { LOG_LEVELS, validateEnv } from './env.validation.js';

/**
 * Global configuration on top of @nestjs/config: `.env` (if present) and process.env, validated once at start-up.
 * `overrides` lets tests and tools pass values without touching process.env.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(overrides: Record<string, string | undefined> = {}): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        NestConfigModule.forRoot({
          cache: true,
          envFilePath: overrides.NODE_ENV === 'test' ? [] : ['.env'],
          validate: (raw) => validateEnv({ ...raw, ...overrides }),
        }),
      ],
      providers: [
        {
          provide: AppConfig,
          inject: [ConfigService],
          // ConfigService has loaded `.env` into process.env by now; one typed, validated view for the app.
          useFactory: (_loaded: ConfigService) => new AppConfig(validateEnv({ ...process.env, ...overrides })),
        },
      ],
      exports: [AppConfig],
    };
  }

  /**
   * Whether REDIS_URL is set for an app built with these overrides, for choosing which modules it imports (BullMQ
   * queues exist only with Redis). Call after `forRoot`, which loads `.env` into process.env; the value itself is
   * validated there.
   */
  static redisConfigured(overrides: Record<string, string | undefined> = {}): boolean {
    const url = 'REDIS_URL' in overrides ? overrides.REDIS_URL : process.env.REDIS_URL;
    return Boolean(url?.trim());
  }

  /**
   * LOG_LEVEL for an app built with these overrides, for the HTTP adapter's logger, which exists before the
   * module does. Call after `forRoot`; a value that is not a level gives 'info' here, and forRoot's validation then
   * refuses it with its own message.
   */
  static logLevel(overrides: Record<string, string | undefined> = {}): string {
    const level = 'LOG_LEVEL' in overrides ? overrides.LOG_LEVEL : process.env.LOG_LEVEL;
    return level && LOG_LEVELS.includes(level) ? level : 'info';
  }
}
