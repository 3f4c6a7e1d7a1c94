import { Injectable, Logger } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress } from './address-policy.js';
import { OutboundResolver, type ResolvedAddress } from './outbound-resolver.js';

/** What went wrong, as a class a host may read; the specifics (addresses, codes) stay in `detail`, for logs only. */
export type OutboundFailure =
  | 'invalid_url'
  | 'refused'
  | 'dns'
  | 'connection_refused'
  | 'unreachable'
  | 'reset'
  | 'timeout'
  | 'tls'
  | 'connection_failed'
  | 'too_large'
  | 'redirects';

const MESSAGES: Record<OutboundFailure, string> = {
  invalid_url: 'must be an absolute http(s) URL without credentials',
  refused: 'refused: target resolves to a non-public address',
  dns: 'the host name does not resolve',
  connection_refused: 'connection refused',
  unreachable: 'host unreachable',
  reset: 'connection reset',
  timeout: 'timed out',
  tls: 'TLS handshake failed',
  connection_failed: 'connection failed',
  too_large: 'response too large',
  redirects: 'too many redirects',
};

export class OutboundError extends Error {
  constructor(
    readonly kind: OutboundFailure,
    message: string = MESSAGES[kind],
    /** For server logs only: may name addresses, ports and system error codes. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

/** "HTTP 4xx": how a target's answer is reported where a host can read it (the exact code would make a scanner). */
export const statusClass = (status: number): string => `HTTP ${Math.floor(status / 100)}xx`;

export interface OutboundRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /**
   * Operator-configured exceptions: `host` (any port) or `host:port` entries whose targets may resolve to non-public
   * addresses (a LAN CalDAV server, local fakes in tests). The connection is still pinned to the resolved address.
   */
  allow?: readonly string[];
  /** `follow`: 3xx are followed (each hop checked afresh, at most `maxRedirects`); `manual` (default): returned. */
  redirect?: 'follow' | 'manual';
  maxRedirects?: number;
  maxBytes?: number;
  timeoutMs?: number;
  /** The caller only needs the status (webhooks): the body is not read. */
  discardBody?: boolean;
}

export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** Parses an outbound URL: absolute, http(s), no user:password part. */
export function parseOutboundUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundError('invalid_url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundError('invalid_url', 'must be an http(s) URL');
  if (url.username || url.password) throw new OutboundError('invalid_url', 'must not carry credentials in the URL');
  return url;
}

const bareHost = (url: URL) =>
  url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
const portOf = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80');

/** `host:port` of a URL (default port filled in), the form of `allow` entries for configured endpoints. */
export const hostPortOf = (raw: string): string => {
  const url = new URL(raw);
  return `${bareHost(url)}:${portOf(url)}`;
};

/** True when an `allow` entry names this URL's host, alone or with its port. */
export function isAllowed(url: URL, allow: readonly string[]): boolean {
  const host = bareHost(url);
  const port = portOf(url);
  return allow.some((entry) => {
    const e = entry.trim().toLowerCase();
    return e === host || e === `${host}:${port}` || e === `[${host}]:${port}` || e === `[${host}]`;
  });
}

/**
 * The one outbound HTTP client. Per request (and per redirect hop): resolve the name once, refuse when any answer is
 * non-public (unless the operator allow-listed the host), then connect to exactly the addresses that were checked:
 * the socket's `lookup` answers from that list and never asks DNS again, so a name that rebinds between the check and
 * the connection gains nothing. The URL keeps its host name, so the Host header and TLS SNI/certificate checks stay
 * those of the name. No connection reuse (`agent: false`): every connection is made after its own check.
 */
@Injectable()
export class OutboundHttp {
  private readonly logger = new Logger('Outbound');

  constructor(private readonly resolver: OutboundResolver) {}

  /**
   * Checks a URL without connecting (validation when a host saves a URL): its shape, and that its name resolves to
   * public addresses only. Allow-listed hosts pass unresolved. Throws OutboundError. Every request checks again.
   */
  async check(rawUrl: string, allow: readonly string[] = []): Promise<void> {
    const url = parseOutboundUrl(rawUrl);
    if (!isAllowed(url, allow)) await this.resolveTarget(url, allow);
  }

  async request(rawUrl: string, options: OutboundRequest = {}): Promise<OutboundResponse> {
    let url = parseOutboundUrl(rawUrl);
    let current = options;
    for (let hop = 0; ; hop++) {
      const addresses = await this.resolveTarget(url, current.allow ?? []);
      const response = await this.send(url, addresses, current);
      const location = response.headers.location;
      if (current.redirect !== 'follow' || !REDIRECTS.has(response.status) || !location) return response;
      if (hop >= (current.maxRedirects ?? 3)) throw new OutboundError('redirects');
      let next: URL;
      try {
        next = parseOutboundUrl(new URL(location, url).href);
      } catch (error) {
        throw new OutboundError('invalid_url', 'redirected to an invalid URL', (error as Error).message);
      }
      current = redirectedRequest(current, response.status, url, next);
      url = next;
    }
  }

  /** A `fetch` for libraries that take one (tsdav): the same policy, the allow-list and limits given here. */
  fetch(defaults: Pick<OutboundRequest, 'allow' | 'maxBytes' | 'timeoutMs'>): typeof fetch {
    return async (input: string | URL | Request, init: RequestInit = {}) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const body = textBody(init.body);
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => {
        headers[name] = value;
      });
      const res = await this.request(url, {
        ...defaults,
        method: init.method,
        headers,
        body,
        redirect: init.redirect === 'manual' ? 'manual' : 'follow',
      });
      const answered = new Headers();
      for (const [name, value] of Object.entries(res.headers)) {
        for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) answered.append(name, v);
      }
      return new Response(NULL_BODY_STATUSES.has(res.status) ? null : res.body, { status: res.status, headers: answered });
    };
  }

  private async resolveTarget(url: URL, allow: readonly string[]): Promise<ResolvedAddress[]> {
    const host = bareHost(url);
    const family = isIP(host);
    let addresses: ResolvedAddress[];
    if (family) addresses = [{ address: host, family: family as 4 | 6 }];
    else {
      try {
        addresses = await this.resolver.resolve(host);
      } catch (error) {
        throw new OutboundError('dns', undefined, `${host}: ${(error as Error).message}`);
      }
      if (addresses.length === 0) throw new OutboundError('dns', undefined, `${host}: no addresses`);
    }
    if (isAllowed(url, allow)) return addresses;
    for (const { address } of addresses) {
      const verdict = classifyAddress(address);
      if (!verdict.public) {
        const detail = family ? `${host} is ${verdict.range}` : `${host} resolves to ${address} (${verdict.range})`;
        this.logger.warn(`refused an outbound request: ${detail}`);
        throw new OutboundError('refused', undefined, detail);
      }
    }
    return addresses;
  }

  private send(url: URL, addresses: ResolvedAddress[], options: OutboundRequest): Promise<OutboundResponse> {
    const client = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { 'user-agent': 'Kairos/1.0', ...options.headers };
    // A declared length, not chunked encoding: small servers (Radicale's WSGI server) do not read chunked bodies.
    if (options.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
      headers['content-length'] = String(Buffer.byteLength(options.body));
    }
    const pinned: LookupFunction = (_hostname, opts, callback) => {
      const usable = opts.family === 4 || opts.family === 6 ? addresses.filter((a) => a.family === opts.family) : addresses;
      if (usable.length === 0) {
        (callback as (e: Error) => void)(Object.assign(new Error('no checked address of the asked family'), { code: 'ENOTFOUND' }));
        return;
      }
      if (opts.all) (callback as (e: null, a: ResolvedAddress[]) => void)(null, usable);
      else callback(null, usable[0].address, usable[0].family);
    };
    const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    const timeoutMs = options.timeoutMs ?? 15_000;
    return new Promise<OutboundResponse>((resolve, reject) => {
      const fail = (error: unknown) => {
        clearTimeout(timer);
        const failure = asOutboundError(error);
        this.logger.debug(`outbound ${options.method ?? 'GET'} ${url.host} failed: ${failure.detail ?? failure.message}`);
        reject(failure);
      };
      const req = client.request(url, { method: options.method ?? 'GET', headers, lookup: pinned, agent: false }, (res) => {
        const answer = { status: res.statusCode ?? 0, headers: res.headers };
        if (options.discardBody) {
          clearTimeout(timer);
          res.destroy();
          resolve({ ...answer, body: '' });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy(new OutboundError('too_large', undefined, `more than ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ ...answer, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', fail);
      });
      const timer = setTimeout(() => req.destroy(new OutboundError('timeout', undefined, `no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('error', fail);
      if (options.body !== undefined) req.write(options.body);
      req.end();
    });
  }
}

/** The request for the next hop: 303 (and 301/302 after a POST) become a GET; credentials never cross origins. */
function redirectedRequest(previous: OutboundRequest, status: number, from: URL, to: URL): OutboundRequest {
  const method = (previous.method ?? 'GET').toUpperCase();
  const toGet = status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST';
  const sameOrigin = from.origin === to.origin;
  const drop = new Set([
    ...(toGet ? ['content-type', 'content-length'] : []),
    ...(sameOrigin ? [] : ['authorization', 'cookie', 'proxy-authorization']),
  ]);
  const headers = Object.fromEntries(Object.entries(previous.headers ?? {}).filter(([name]) => !drop.has(name.toLowerCase())));
  return { ...previous, method: toGet ? 'GET' : previous.method, body: toGet ? undefined : previous.body, headers };
}

/** A socket or TLS error as a class; the system message (it names the address and port) goes to `detail`. */
function asOutboundError(error: unknown): OutboundError {
  if (error instanceof OutboundError) return error;
  const { code = '', message = String(error) } = error as { code?: string; message?: string };
  const detail = `${code} ${message}`.trim();
  if (code === 'ECONNREFUSED') return new OutboundError('connection_refused', undefined, detail);
  if (code === 'ECONNRESET' || code === 'EPIPE') return new OutboundError('reset', undefined, detail);
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return new OutboundError('timeout', undefined, detail);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL')
    return new OutboundError('unreachable', undefined, detail);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new OutboundError('dns', undefined, detail);
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code) || /certificate|ssl|tls/i.test(message)) {
    return new OutboundError('tls', undefined, detail);
  }
  return new OutboundError('connection_failed', undefined, detail);
}

/** The libraries handed our `fetch` send text (tsdav: XML); any other body would go out as "[object …]", so refuse it. */
function textBody(body: RequestInit['body']): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  throw new TypeError('outbound fetch sends text bodies only');
}
