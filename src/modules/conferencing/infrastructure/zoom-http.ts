/** HTTP to Zoom through the shared outbound policy: JSON in and out, Retry-After honoured, errors typed. No bodies logged. */
import { OutboundError, type OutboundHttp } from '../../../shared/outbound/outbound-http.js';

/** A Zoom answer worth trying again later: 5xx, a network failure, or a rate limit longer than we wait inline. */
export class ZoomUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'ZoomUnavailableError';
  }
}

/** Zoom refused the request for good (4xx other than 401 and 429): retrying changes nothing. */
export class ZoomRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ZoomRequestError';
  }
}

/** 401: the access token is expired or revoked; refresh it and try once more. */
export class ZoomTokenRejectedError extends Error {
  constructor() {
    super('Zoom rejected the access token');
    this.name = 'ZoomTokenRejectedError';
  }
}

export interface ZoomTransport {
  http: OutboundHttp;
  /** The configured Zoom endpoints (host:port): allowed even when private (the tests' local fake). */
  allow: string[];
  /** Longest Retry-After waited inline (then ZoomUnavailableError), and how many 429s in a row are waited out. */
  maxInlineWaitMs: number;
  attempts: number;
  sleep: (ms: number) => Promise<void>;
}

export interface ZoomRequest {
  method?: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** Statuses that are answers (404 on a delete). */
  accept?: number[];
}

function retryAfterMs(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** `{code, message}` is Zoom's error body; the token endpoint answers `{reason, error}`. */
function describe(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const b = body as { message?: unknown; reason?: unknown; error?: unknown };
  const text = [b.message, b.reason, b.error].find((v) => typeof v === 'string');
  return typeof text === 'string' ? `: ${text}` : '';
}

/** An answer: its status and JSON body, of the shape the caller expects (not validated against it). */
export interface ZoomResult<T> {
  status: number;
  body: T;
}

export async function zoomFetch<T>(transport: ZoomTransport, url: string, request: ZoomRequest = {}): Promise<ZoomResult<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
  let body: string | undefined;
  if (request.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  }
  const host = new URL(url).host;
  for (let attempt = 1; ; attempt++) {
    let res;
    try {
      res = await transport.http.request(url, {
        method: request.method ?? 'GET',
        headers,
        body,
        allow: transport.allow,
        timeoutMs: 20_000,
        maxBytes: 5 * 1024 * 1024,
      });
    } catch (error) {
      if (error instanceof OutboundError && (error.kind === 'refused' || error.kind === 'invalid_url')) {
        throw new ZoomRequestError(0, `${host} is not an allowed address: ${error.message}`);
      }
      throw new ZoomUnavailableError(`could not reach ${host}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = res.body ? JSON.parse(res.body) : null;
    } catch {
      parsed = res.body;
    }
    if ((res.status >= 200 && res.status < 300) || request.accept?.includes(res.status)) return { status: res.status, body: parsed as T };
    if (res.status === 401) throw new ZoomTokenRejectedError();
    if (res.status === 429) {
      const wait = retryAfterMs(res.headers['retry-after']) ?? 1000 * 2 ** (attempt - 1);
      if (attempt >= transport.attempts || wait > transport.maxInlineWaitMs) {
        throw new ZoomUnavailableError(`${host} rate limited us; retrying after ${Math.ceil(wait / 1000)} s`, wait);
      }
      await transport.sleep(wait);
      continue;
    }
    if (res.status >= 500) throw new ZoomUnavailableError(`${host} answered ${res.status}${describe(parsed)}`);
    throw new ZoomRequestError(res.status, `${host} answered ${res.status}${describe(parsed)}`);
  }
}
