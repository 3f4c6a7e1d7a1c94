/** HTTP to calendar providers: JSON in and out, rate limits honoured (Retry-After), errors typed. Never logs bodies. */
import { hostPortOf, OutboundError, type OutboundHttp } from '../../../shared/outbound/outbound-http.js';
import type { TokenSet } from './provider-adapter.js';

export class ProviderError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** The provider asked us to slow down for longer than we wait inline; try again after `retryAfterMs`. */
export class RateLimitedError extends ProviderError {
  constructor(readonly retryAfterMs: number) {
    super(429, 'rate_limited', `rate limited by the provider; retrying after ${Math.ceil(retryAfterMs / 1000)} s`);
    this.name = 'RateLimitedError';
  }
}

/** The refresh token was revoked or expired: the host must reconnect. */
export class InvalidGrantError extends Error {
  constructor(readonly provider: string) {
    super(`${provider} access was revoked or has expired (invalid_grant): reconnect this calendar`);
    this.name = 'InvalidGrantError';
  }
}

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * The shared outbound client plus the provider's own endpoints (from configuration), which may be private: the
 * operator chose them (a sovereign cloud, the local fakes of the tests). Anything else must be public.
 */
export interface ProviderTransport {
  http: OutboundHttp;
  allow: string[];
}

/** host:port of configured endpoint URLs, for ProviderTransport.allow. */
export const endpointHosts = (...urls: string[]): string[] => urls.map(hostPortOf);

export interface FetchOptions {
  method?: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** Statuses that are answers, not errors (e.g. 404 on delete, 410 on a stale sync token, 304). */
  accept?: number[];
}

export interface RetryPolicy {
  attempts: number;
  /** Longest Retry-After we wait inline; longer ones surface as RateLimitedError. */
  maxInlineWaitMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 4,
  maxInlineWaitMs: 30_000,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** An error answer: the OAuth token endpoint's (RFC 6749 §5.2) or an API's (Google's and Graph's `error` object). */
interface ProviderErrorBody {
  error?: string | { errors?: { reason?: string }[]; code?: string; status?: string; message?: unknown };
  error_description?: unknown;
}

function asErrorBody(body: unknown): ProviderErrorBody | null {
  return body && typeof body === 'object' ? body : null;
}

function errorReason(parsed: unknown): string {
  const body = asErrorBody(parsed);
  if (!body) return '';
  if (typeof body.error === 'string') return body.error; // OAuth token endpoint
  return body.error?.errors?.[0]?.reason ?? body.error?.code ?? body.error?.status ?? '';
}

function errorMessage(parsed: unknown): string {
  const body = asErrorBody(parsed);
  if (!body) return '';
  if (typeof body.error_description === 'string') return body.error_description;
  return typeof body.error === 'object' && typeof body.error.message === 'string' ? body.error.message : '';
}

/**
 * `T` is the shape the caller expects the provider's JSON to have (its fields optional where the provider may omit
 * them); the body is not validated against it.
 */
export async function providerFetch<T = unknown>(
  transport: ProviderTransport,
  url: string,
  options: FetchOptions = {},
  policy: RetryPolicy = defaultRetryPolicy,
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  for (let attempt = 1; ; attempt++) {
    let answered: { status: number; headers: Headers; text: string };
    try {
      const res = await transport.http.request(url, {
        method: options.method ?? 'GET',
        headers,
        body,
        allow: transport.allow,
        timeoutMs: 20_000,
        maxBytes: 20 * 1024 * 1024,
      });
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(res.headers)) {
        for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, v);
      }
      answered = { status: res.status, headers: responseHeaders, text: res.body };
    } catch (error) {
      const refused = error instanceof OutboundError && (error.kind === 'refused' || error.kind === 'invalid_url');
      if (!refused && attempt < policy.attempts) {
        await policy.sleep(500 * 2 ** attempt);
        continue;
      }
      throw new ProviderError(0, 'network', `could not reach ${new URL(url).host}: ${(error as Error).message}`);
    }
    const response = { ...answered, ok: answered.status >= 200 && answered.status < 300 };
    const text = answered.text;
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    if (response.ok || options.accept?.includes(response.status))
      return { status: response.status, headers: response.headers, body: parsed as T };
    const reason = errorReason(parsed);
    const rateLimited = response.status === 429 || (response.status === 403 && RATE_LIMIT_REASONS.has(reason));
    if (rateLimited || response.status === 503) {
      const wait = retryAfterMs(response.headers.get('retry-after')) ?? 1000 * 2 ** (attempt - 1);
      if (attempt >= policy.attempts || wait > policy.maxInlineWaitMs) throw new RateLimitedError(Math.max(wait, 1000));
      await policy.sleep(wait);
      continue;
    }
    const detail = errorMessage(parsed);
    throw new ProviderError(
      response.status,
      reason,
      `${new URL(url).host} answered ${response.status}${reason ? ` ${reason}` : ''}${detail ? `: ${detail}` : ''}`,
    );
  }
}

/** A provider's OAuth 2.0 client: its token endpoint and credentials (plus fields some providers want on every call). */
export interface OAuthClient {
  label: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  extraForm?: Record<string, string>;
}

/** The token endpoint's answer (RFC 6749 §5.1). */
interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in?: number | string;
  scope?: string;
}

/**
 * The token endpoint (RFC 6749 §4.1.3 code exchange, §6 refresh), shared by the Google and Microsoft adapters.
 * A revoked or expired grant becomes InvalidGrantError, which marks the connection broken.
 */
export async function requestOAuthTokens(
  transport: ProviderTransport,
  client: OAuthClient,
  form: Record<string, string>,
  now: Date,
  policy: RetryPolicy,
): Promise<TokenSet> {
  try {
    const { body } = await providerFetch<TokenResponse>(
      transport,
      client.tokenUrl,
      {
        method: 'POST',
        form: { ...form, client_id: client.clientId, client_secret: client.clientSecret, ...client.extraForm },
      },
      policy,
    );
    return {
      accessToken: body.access_token,
      refreshToken: body.refresh_token ?? null,
      expiresAt: new Date(now.getTime() + Number(body.expires_in ?? 3600) * 1000),
      scope: body.scope ?? null,
    };
  } catch (error) {
    if (error instanceof ProviderError && error.reason === 'invalid_grant') throw new InvalidGrantError(client.label);
    throw error;
  }
}
