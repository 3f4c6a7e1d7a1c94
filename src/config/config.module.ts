import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig } from './app-config.js';
import { EnvironmentVariables, validateEnv } from './env.validation.js';

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
          validate: (raw) => ({ ...validateEnv({ ...raw, ...overrides }) }),
        }),
      ],
      providers: [
        {
          provide: AppConfig,
          inject: [ConfigService],
          useFactory: (config: ConfigService) =>
            new AppConfig(Object.assign(new EnvironmentVariables(), readAll(config))),
        },
      ],
      exports: [AppConfig],
    };
  }
}

function readAll(config: ConfigService): Partial<EnvironmentVariables> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(new EnvironmentVariables())) out[key] = config.get(key);
  for (const key of ['DATABASE_URL', 'DATABASE_READ_URL', 'REDIS_URL', 'JWT_SECRET', 'ENCRYPTION_KEY', 'SMTP_URL', 'CORS_ORIGINS']) {
    out[key] = config.get(key);
  }
  return out as Partial<EnvironmentVariables>;
}
