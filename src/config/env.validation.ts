import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** Every environment variable the app reads. Nothing else reads process.env. */
export class EnvironmentVariables {
  @IsOptional() @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @IsOptional() @Transform(emptyToUndefined) @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional() @Transform(emptyToUndefined) @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
  DATABASE_READ_URL?: string;

  @Transform(toInt) @IsInt() @Min(2) @Max(200)
  DATABASE_POOL_SIZE = 10;

  @IsString() @MinLength(1)
  DATA_DIR = './data';

  @IsOptional() @Transform(emptyToUndefined) @Matches(/^rediss?:\/\//, { message: 'must be a redis:// URL' })
  REDIS_URL?: string;

  /** Prefix for every Redis key and BullMQ queue, so several deployments (or test files) share one Redis. */
  @IsString() @Matches(/^[a-zA-Z0-9:_-]+$/, { message: 'may hold letters, digits, ":", "_" and "-" only' })
  REDIS_PREFIX = 'kairos';

  @IsOptional() @IsString() @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt) @IsInt() @Min(60) @Max(60 * 60 * 24 * 30)
  JWT_EXPIRES_IN_SECONDS = 3600;

  /** Base URL used in links sent to invitees (cancel / reschedule pages, emails). */
  @IsString() @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  PUBLIC_URL = 'http://localhost:3000';

  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** 32-byte key (base64 or 64 hex chars) for AES-256-GCM encryption of calendar secrets. */
  @IsOptional() @IsString() @Transform(emptyToUndefined)
  ENCRYPTION_KEY?: string;

  @IsOptional() @Transform(emptyToUndefined) @Matches(/^smtps?:\/\//, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Kairos <no-reply@kairos.local>';

  @IsOptional() @IsString()
  CORS_ORIGINS?: string;

  @Transform(toInt) @IsInt() @Min(0) @Max(3600)
  SLOT_CACHE_TTL_SECONDS = 300;
}

/** Validates process.env at start-up; a bad value stops the app with one line that names the variable. */
export function validateEnv(raw: Record<string, unknown>): EnvironmentVariables {
  const env = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const first = errors[0];
    const why = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    throw new Error(`Invalid configuration: ${first.property} ${why} (got ${JSON.stringify(first.value)})`);
  }
  return env;
}
