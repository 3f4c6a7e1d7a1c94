import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { EnvironmentVariables } from './env.validation.js';

/** Typed, read-only view of the validated environment. Inject this; never read process.env elsewhere. */
@Injectable()
export class AppConfig {
  readonly jwtSecret: string;

  constructor(readonly env: EnvironmentVariables) {
    // Without a configured secret, tokens are valid for this process only (fine for a single dev instance).
    this.jwtSecret = env.JWT_SECRET ?? randomBytes(32).toString('hex');
  }

  get port() { return this.env.PORT; }
  get databaseUrl() { return this.env.DATABASE_URL; }
  get databaseReadUrl() { return this.env.DATABASE_READ_URL; }
  get databasePoolSize() { return this.env.DATABASE_POOL_SIZE; }
  get dataDir() { return this.env.DATA_DIR; }
  get redisUrl() { return this.env.REDIS_URL; }
  get redisPrefix() { return this.env.REDIS_PREFIX; }
  get jwtExpiresInSeconds() { return this.env.JWT_EXPIRES_IN_SECONDS; }
  get publicUrl() { return this.env.PUBLIC_URL.replace(/\/+$/, ''); }
  get logLevel() { return this.env.LOG_LEVEL; }
  get isProduction() { return this.env.NODE_ENV === 'production'; }
  get slotCacheTtlSeconds() { return this.env.SLOT_CACHE_TTL_SECONDS; }
  get smtpUrl() { return this.env.SMTP_URL; }
  get mailFrom() { return this.env.MAIL_FROM; }
  get encryptionKey() { return this.env.ENCRYPTION_KEY; }
  get corsOrigins(): string[] {
    return (this.env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  }
}
