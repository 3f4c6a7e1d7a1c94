import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Every environment variable the app reads. Nothing else reads process.env. */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** A streaming standby of DATABASE_URL (or the primary under a read-only role): the slots endpoint reads there. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
  DATABASE_READ_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /**
   * How long a request waits for a database connection (a new one, or a free one of a full pool) before answering
   * 503: a PostgreSQL that hangs instead of refusing would otherwise hold every request until the client gives up.
   * Long enough that a rush queueing for a full pool is served, not refused; a proxy in front (nginx: 60 s) has given
   * up on the request by then anyway. Not used on the embedded database.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  DATABASE_CONNECT_TIMEOUT_MS = 60_000;

  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^rediss?:\/\//, { message: 'must be a redis:// URL' })
  REDIS_URL?: string;

  /** Prefix for every Redis key and BullMQ queue, so several deployments (or test files) share one Redis. */
  @IsString()
  @Matches(/^[a-zA-Z0-9:_-]+$/, { message: 'may hold letters, digits, ":", "_" and "-" only' })
  REDIS_PREFIX = 'kairos';

  /**
   * How long a cache or rate-limit command may take before it is treated as failed (ms). Redis is a cache: a slow
   * or absent Redis must cost tens of milliseconds, then the service goes on without it.
   */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(10_000)
  REDIS_COMMAND_TIMEOUT_MS = 50;

  /** Signs access tokens and derives booking management links; replicas must share it. Kept in DATA_DIR if unset. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  APP_SECRET?: string;

  /** Deprecated alias of APP_SECRET. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(60 * 60 * 24 * 30)
  JWT_EXPIRES_IN_SECONDS = 3600;

  /** Base URL used in links sent to invitees (cancel / reschedule pages, emails); unset = http://localhost:$PORT. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  PUBLIC_URL?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: string = 'info';

  /** 32-byte key (base64 or 64 hex chars) for AES-256-GCM encryption of calendar secrets. */
  @IsOptional()
  @IsString()
  @Transform(emptyToUndefined)
  ENCRYPTION_KEY?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^smtps?:\/\//, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Kairos <no-reply@kairos.local>';

  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  /** Allow http:// (not only https://) links as video meeting locations, e.g. an intranet video server. */
  @IsOptional()
  @IsIn(['true', 'false'])
  ALLOW_HTTP_LOCATIONS: 'true' | 'false' = 'false';

  /** Where jitsi locations open their per-booking room (a self-hosted Jitsi Meet, or the public one). */
  @IsString()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  JITSI_BASE_URL = 'https://meet.jit.si';
  /** Zoom OAuth app (Zoom meetings as a location); the endpoints are configurable for tests and other clouds. */
  @IsOptional() @IsString() ZOOM_CLIENT_ID?: string;
  @IsOptional() @IsString() ZOOM_CLIENT_SECRET?: string;
  @IsString()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  ZOOM_AUTH_URL = 'https://zoom.us/oauth/authorize';
  @IsString()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  ZOOM_TOKEN_URL = 'https://zoom.us/oauth/token';
  @IsString()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  ZOOM_API_URL = 'https://api.zoom.us/v2';

  // Rate limits (shared by replicas through Redis; in memory without REDIS_URL). Windows in seconds.
  @IsOptional()
  @IsIn(['true', 'false'])
  RATE_LIMIT_ENABLED: 'true' | 'false' = 'true';
  /** Every API request: per user/API key when authenticated, else per client IP. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_MAX = 600;
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  RATE_LIMIT_WINDOW_SECONDS = 60;
  /** POST /api/auth/login, per client IP (password guessing). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_LOGIN_MAX = 10;
  /** POST /api/bookings, per client IP (or user). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_BOOKING_MAX = 30;
  /**
   * Failed credential checks (API login, admin login form, API keys, current-password checks) allowed per account
   * and per client address within RATE_LIMIT_CREDENTIAL_WINDOW_SECONDS; past them, 429 with Retry-After until the
   * window ends. Password-reset requests count every request (a third of the account limit per address).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_CREDENTIAL_ACCOUNT_MAX = 10;
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_CREDENTIAL_ADDRESS_MAX = 50;
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  RATE_LIMIT_CREDENTIAL_WINDOW_SECONDS = 900;
  /** Lifetime of an emailed password-reset link (single use). */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(1440)
  PASSWORD_RESET_TTL_MINUTES = 60;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  SLOT_CACHE_TTL_SECONDS = 300;

  /** How long a replica reuses the slot-cache epoch it read from PostgreSQL (0 = read it on every lookup). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  SLOT_CACHE_EPOCH_LEASE_MS = 250;

  // Prometheus metrics (never public): see SECURITY.md.
  /** Bearer token Prometheus sends to GET /metrics; unset = /metrics answers 404 on PORT. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[\x21-\x7e]{32,}$/, { message: 'must be at least 32 printable characters without spaces' })
  METRICS_TOKEN?: string;
  /** A second listener that serves only /metrics (on METRICS_HOST; 0 = any free port); unset = none. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT?: number;
  /** Address the METRICS_PORT listener binds: loopback unless the scraper runs elsewhere on a private network. */
  @IsString()
  @MinLength(1)
  METRICS_HOST = '127.0.0.1';

  // Slot holds (POST /api/slots/holds and the booking pages): short, not renewable forever, capped. Counted in
  // PostgreSQL, inside the hold's serializable transaction, so the caps hold across replicas.
  /** How long a new hold (or an extension) lasts. */
  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(900)
  HOLD_TTL_SECONDS = 300;
  /** No extension pushes a hold past this long after it was made (raised to HOLD_TTL_SECONDS if lower). */
  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(1800)
  HOLD_MAX_LIFETIME_SECONDS = 900;
  /** After a hold ends, the same client (address or email) may not hold an overlapping time of those hosts again for this long. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400)
  HOLD_REHOLD_COOLDOWN_SECONDS = 900;
  /** Live holds per client address (IPv6: per /64). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  HOLD_MAX_PER_CLIENT = 5;
  /** Live holds per invitee email given with the hold. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  HOLD_MAX_PER_EMAIL = 2;
  /** Live holds on one host, from everyone. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  HOLD_MAX_PER_HOST = 10;
  /** Live holds on one meeting type, from everyone. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  HOLD_MAX_PER_MEETING_TYPE = 6;

  // Notify: outbox relay, delivery retries, SMS and webhooks.
  /** How often the outbox relay polls for new events (ms); 0 disables the background poll (tests drain by hand). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  OUTBOX_POLL_INTERVAL_MS = 500;

  /** How often due, unsent deliveries are (re-)enqueued or, without Redis, delivered in process (ms); 0 disables. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  NOTIFY_SWEEP_INTERVAL_MS = 5000;

  // Bookings at scale (ADR 0014): monthly partitions created ahead, old bookings archived.
  /** Month partitions kept ready beyond the current month (bookings, invitees, deliveries, outbox events). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(120)
  PARTITION_MONTHS_AHEAD = 12;

  /** How often partitions are created ahead and rows in a DEFAULT partition split out (ms); 0 disables. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  PARTITION_INTERVAL_MS = 3_600_000;

  /** Bookings that ended more than this many days ago move to the archive tables. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(36_500)
  ARCHIVE_AFTER_DAYS = 365;

  /** How often the archive job runs (ms); 0 disables (tests run it by hand). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  ARCHIVE_INTERVAL_MS = 3_600_000;

  /** How often pending bookings past their deadline are marked expired (ms; requires_confirmation); 0 disables. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  APPROVAL_EXPIRY_INTERVAL_MS = 60_000;

  /** Deliveries one instance's BullMQ worker sends at once (with REDIS_URL). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  NOTIFY_WORKER_CONCURRENCY = 5;

  /** Attempts per notification or webhook delivery before it is marked failed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  NOTIFY_MAX_ATTEMPTS = 6;

  /** First retry delay; each later retry doubles it (capped at 6 hours). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  NOTIFY_RETRY_BASE_SECONDS = 60;

  /**
   * Mails about a move the host made in their own calendar wait this long, so quick successive moves reach the
   * invitee as one update (a superseded one is withdrawn); 0 sends at once. Webhooks are never held.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  NOTIFY_HOST_MOVE_DELAY_SECONDS = 60;

  /** Twilio-compatible SMS API base (e.g. https://api.twilio.com/2010-04-01); SMS reminders are off without it. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  SMS_URL?: string;
  @IsOptional() @IsString() @Transform(emptyToUndefined) SMS_ACCOUNT_SID?: string;
  @IsOptional() @IsString() @Transform(emptyToUndefined) SMS_AUTH_TOKEN?: string;
  @IsOptional() @IsString() @Transform(emptyToUndefined) SMS_FROM?: string;

  /** Comma-separated host names webhooks may target even though they resolve to private/loopback addresses. */
  @IsOptional()
  @IsString()
  WEBHOOK_ALLOWED_HOSTS?: string;

  // Calendar integrations: provider endpoints are configurable so tests (and sovereign clouds) can point elsewhere.
  @IsOptional() @IsString() GOOGLE_CLIENT_ID?: string;
  @IsOptional() @IsString() GOOGLE_CLIENT_SECRET?: string;
  @IsString()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  GOOGLE_AUTH_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
  @IsString()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
  @IsString()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  GOOGLE_API_URL = 'https://www.googleapis.com/calendar/v3';
  /** OpenID Connect userinfo endpoint of "Sign in with Google" (sub, email, email_verified, name). */
  @IsString()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  GOOGLE_USERINFO_URL = 'https://openidconnect.googleapis.com/v1/userinfo';
  /** "Sign in with Google" on the admin login and sign-up pages; on whenever GOOGLE_CLIENT_ID/SECRET are set, unless false. */
  @IsOptional()
  @IsIn(['true', 'false'])
  GOOGLE_SIGNIN_ENABLED: 'true' | 'false' = 'true';
  @IsOptional() @IsString() MICROSOFT_CLIENT_ID?: string;
  @IsOptional() @IsString() MICROSOFT_CLIENT_SECRET?: string;
  @IsString()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  MICROSOFT_AUTH_URL = 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize';
  @IsString()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  MICROSOFT_TOKEN_URL = 'https://login.microsoftonline.com/common/oauth2/v2.0/token';
  @IsString()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  MICROSOFT_API_URL = 'https://graph.microsoft.com/v1.0';
  /** Seconds between background calendar polls (0 disables polling; push and on-demand sync still work). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  CALENDAR_POLL_INTERVAL_SECONDS = 600;
  /** A slots request syncs a host's connection last synced longer ago than this (and without a live push channel); 0 = never. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  CALENDAR_ON_DEMAND_AFTER_SECONDS = 120;
  /** How long a slots request waits for that sync before answering from the cached busy time (the sync goes on). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10000)
  CALENDAR_ON_DEMAND_WAIT_MS = 300;
  /** Register Google watch channels / Graph subscriptions (needs a PUBLIC_URL the providers can reach over https). */
  @IsOptional()
  @IsIn(['true', 'false'])
  CALENDAR_PUSH_ENABLED: 'true' | 'false' = 'false';
  /** host:port pairs that ICS/CalDAV URLs may use although private (loopback, RFC 1918); comma separated. */
  @IsOptional()
  @IsString()
  CALENDAR_PRIVATE_URL_ALLOWLIST?: string;

  /**
   * DNS servers every outbound client (webhooks, calendars, SMS) asks, comma separated `ip` or `ip:port`; unset = the
   * system resolver. Whatever answers, non-public addresses are refused and connections go to the checked address.
   */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\s*[0-9a-fA-F:.[\]]+(\s*,\s*[0-9a-fA-F:.[\]]+)*\s*$/, {
    message: 'must be comma-separated DNS server addresses (ip or ip:port)',
  })
  OUTBOUND_DNS_SERVERS?: string;
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
  if (env.DATABASE_READ_URL && !env.DATABASE_URL) {
    throw new Error('Invalid configuration: DATABASE_READ_URL needs DATABASE_URL (the embedded database has no replica)');
  }
  if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
    throw new Error('Invalid configuration: METRICS_PORT must differ from PORT (the metrics listener is a separate one)');
  }
  return env;
}
