import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentVariables } from './env.validation.js';

/** Typed, read-only view of the validated environment. Inject this; never read process.env elsewhere. */
@Injectable()
export class AppConfig {
  /** Signs access tokens and derives booking management tokens. */
  readonly appSecret: string;

  constructor(readonly env: EnvironmentVariables) {
    this.appSecret = env.APP_SECRET ?? env.JWT_SECRET ?? persistedSecret(env.DATA_DIR);
  }

  get jwtSecret() {
    return this.appSecret;
  }

  get port() {
    return this.env.PORT;
  }
  get databaseUrl() {
    return this.env.DATABASE_URL;
  }
  get databaseReadUrl() {
    return this.env.DATABASE_READ_URL;
  }
  get databasePoolSize() {
    return this.env.DATABASE_POOL_SIZE;
  }

  get databaseConnectTimeoutMs() {
    return this.env.DATABASE_CONNECT_TIMEOUT_MS;
  }
  get dataDir() {
    return this.env.DATA_DIR;
  }
  get redisUrl() {
    return this.env.REDIS_URL;
  }
  get redisPrefix() {
    return this.env.REDIS_PREFIX;
  }
  get redisCommandTimeoutMs() {
    return this.env.REDIS_COMMAND_TIMEOUT_MS;
  }
  get jwtExpiresInSeconds() {
    return this.env.JWT_EXPIRES_IN_SECONDS;
  }
  /**
   * Base of every link Kairos sends. Unset, it is the address the app actually listens on (the port bound, which
   * differs from PORT only for PORT=0), so links in development mails open.
   */
  get publicUrl() {
    return (this.env.PUBLIC_URL ?? `http://localhost:${this.boundPort ?? this.env.PORT}`).replace(/\/+$/, '');
  }
  private boundPort: number | null = null;
  /** main.ts: the port the HTTP server bound. */
  listeningOn(port: number) {
    this.boundPort = port;
  }
  get logLevel() {
    return this.env.LOG_LEVEL;
  }
  get isProduction() {
    return this.env.NODE_ENV === 'production';
  }
  get slotCacheTtlSeconds() {
    return this.env.SLOT_CACHE_TTL_SECONDS;
  }
  get slotCacheEpochLeaseMs() {
    return this.env.SLOT_CACHE_EPOCH_LEASE_MS;
  }
  get outboxPollIntervalMs() {
    return this.env.OUTBOX_POLL_INTERVAL_MS;
  }
  get notifySweepIntervalMs() {
    return this.env.NOTIFY_SWEEP_INTERVAL_MS;
  }
  get partitionMonthsAhead() {
    return this.env.PARTITION_MONTHS_AHEAD;
  }
  get partitionIntervalMs() {
    return this.env.PARTITION_INTERVAL_MS;
  }
  get archiveAfterDays() {
    return this.env.ARCHIVE_AFTER_DAYS;
  }
  get archiveIntervalMs() {
    return this.env.ARCHIVE_INTERVAL_MS;
  }
  get approvalExpiryIntervalMs() {
    return this.env.APPROVAL_EXPIRY_INTERVAL_MS;
  }
  get notifyWorkerConcurrency() {
    return this.env.NOTIFY_WORKER_CONCURRENCY;
  }
  get notifyMaxAttempts() {
    return this.env.NOTIFY_MAX_ATTEMPTS;
  }
  get notifyHostMoveDelaySeconds() {
    return this.env.NOTIFY_HOST_MOVE_DELAY_SECONDS;
  }
  get notifyRetryBaseSeconds() {
    return this.env.NOTIFY_RETRY_BASE_SECONDS;
  }
  get sms() {
    const { SMS_URL: url, SMS_ACCOUNT_SID: accountSid, SMS_AUTH_TOKEN: authToken, SMS_FROM: from } = this.env;
    return url && accountSid && authToken && from ? { url: url.replace(/\/+$/, ''), accountSid, authToken, from } : null;
  }
  get webhookAllowedHosts(): string[] {
    return (this.env.WEBHOOK_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
  }
  get smtpUrl() {
    return this.env.SMTP_URL;
  }
  get mailFrom() {
    return this.env.MAIL_FROM;
  }
  get encryptionKey() {
    return this.env.ENCRYPTION_KEY;
  }
  get google() {
    return {
      clientId: this.env.GOOGLE_CLIENT_ID ?? '',
      clientSecret: this.env.GOOGLE_CLIENT_SECRET ?? '',
      authUrl: this.env.GOOGLE_AUTH_URL,
      tokenUrl: this.env.GOOGLE_TOKEN_URL,
      apiUrl: this.env.GOOGLE_API_URL.replace(/\/+$/, ''),
    };
  }
  /** Sign in with Google: the calendar's OAuth client and endpoints plus userinfo; null when off or unconfigured. */
  get googleSignIn() {
    const { clientId, clientSecret, authUrl, tokenUrl } = this.google;
    if (!clientId || !clientSecret || this.env.GOOGLE_SIGNIN_ENABLED === 'false') return null;
    return { clientId, clientSecret, authUrl, tokenUrl, userInfoUrl: this.env.GOOGLE_USERINFO_URL };
  }
  /** Jitsi rooms (jitsi locations): the base URL, without a trailing slash. */
  get jitsiBaseUrl() {
    return this.env.JITSI_BASE_URL.replace(/\/+$/, '');
  }
  get zoom() {
    return {
      clientId: this.env.ZOOM_CLIENT_ID ?? '',
      clientSecret: this.env.ZOOM_CLIENT_SECRET ?? '',
      authUrl: this.env.ZOOM_AUTH_URL,
      tokenUrl: this.env.ZOOM_TOKEN_URL,
      apiUrl: this.env.ZOOM_API_URL.replace(/\/+$/, ''),
    };
  }
  get microsoft() {
    return {
      clientId: this.env.MICROSOFT_CLIENT_ID ?? '',
      clientSecret: this.env.MICROSOFT_CLIENT_SECRET ?? '',
      authUrl: this.env.MICROSOFT_AUTH_URL,
      tokenUrl: this.env.MICROSOFT_TOKEN_URL,
      apiUrl: this.env.MICROSOFT_API_URL.replace(/\/+$/, ''),
    };
  }
  get calendarPollIntervalSeconds() {
    return this.env.CALENDAR_POLL_INTERVAL_SECONDS;
  }
  get calendarOnDemandAfterSeconds() {
    return this.env.CALENDAR_ON_DEMAND_AFTER_SECONDS;
  }
  get calendarOnDemandWaitMs() {
    return this.env.CALENDAR_ON_DEMAND_WAIT_MS;
  }
  get calendarPushEnabled() {
    return this.env.CALENDAR_PUSH_ENABLED === 'true';
  }
  get calendarPrivateUrlAllowlist(): string[] {
    return (this.env.CALENDAR_PRIVATE_URL_ALLOWLIST ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
  }
  /** DNS servers (`ip` or `ip:port`) that outbound clients ask instead of the system resolver; empty = the system's. */
  get outboundDnsServers(): string[] {
    return (this.env.OUTBOUND_DNS_SERVERS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  get rateLimit() {
    const { RATE_LIMIT_ENABLED, RATE_LIMIT_MAX, RATE_LIMIT_WINDOW_SECONDS, RATE_LIMIT_LOGIN_MAX, RATE_LIMIT_BOOKING_MAX } = this.env;
    return {
      enabled: RATE_LIMIT_ENABLED === 'true',
      max: RATE_LIMIT_MAX,
      windowSeconds: RATE_LIMIT_WINDOW_SECONDS,
      loginMax: RATE_LIMIT_LOGIN_MAX,
      bookingMax: RATE_LIMIT_BOOKING_MAX,
    };
  }
  get metrics() {
    return { token: this.env.METRICS_TOKEN ?? null, port: this.env.METRICS_PORT ?? null, host: this.env.METRICS_HOST };
  }
  get holds() {
    const e = this.env;
    return {
      ttlSeconds: e.HOLD_TTL_SECONDS,
      maxLifetimeSeconds: Math.max(e.HOLD_TTL_SECONDS, e.HOLD_MAX_LIFETIME_SECONDS),
      reholdCooldownSeconds: e.HOLD_REHOLD_COOLDOWN_SECONDS,
      perClient: e.HOLD_MAX_PER_CLIENT,
      perEmail: e.HOLD_MAX_PER_EMAIL,
      perHost: e.HOLD_MAX_PER_HOST,
      perMeetingType: e.HOLD_MAX_PER_MEETING_TYPE,
    };
  }
  get passwordResetTtlMinutes() {
    return this.env.PASSWORD_RESET_TTL_MINUTES;
  }
  get credentialLimits() {
    const {
      RATE_LIMIT_CREDENTIAL_ACCOUNT_MAX: accountMax,
      RATE_LIMIT_CREDENTIAL_ADDRESS_MAX: addressMax,
      RATE_LIMIT_CREDENTIAL_WINDOW_SECONDS: windowSeconds,
    } = this.env;
    return { enabled: this.env.RATE_LIMIT_ENABLED === 'true', accountMax, addressMax, windowSeconds };
  }
  /** Meeting locations of kind video may be http:// links (https:// only by default). */
  get allowHttpLocations() {
    return this.env.ALLOW_HTTP_LOCATIONS === 'true';
  }
  get corsOrigins(): string[] {
    return (this.env.CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
}

/**
 * Zero-setup mode: without APP_SECRET a random one is kept in DATA_DIR so tokens and emailed links survive restarts.
 * Replicas must share APP_SECRET instead.
 */
function persistedSecret(dataDir: string): string {
  const file = join(dataDir, '.app-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** The line main.ts prints once the app answers: where to open it. */
export function readyLine(config: AppConfig, startupMs: number): string {
  return JSON.stringify({ level: 30, msg: `Kairos is ready at ${config.publicUrl}`, url: config.publicUrl, startup_ms: startupMs });
}
