import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';

/**
 * Outbound requests to URLs hosts typed in (ICS feeds, CalDAV servers) must not reach our own network: loopback,
 * private, link-local (cloud metadata), CGNAT, multicast and unspecified addresses are refused, checked on the
 * address actually connected to (so DNS rebinding does not help), on every redirect. `allowlist` lists host:port
 * pairs that are allowed anyway (a CalDAV server on the LAN, tests).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) blocked.addSubnet(net, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1], 'ipv4');
  return blocked.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

export interface SafeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface SafeRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  allowlist: string[];
  maxBytes?: number;
  timeoutMs?: number;
  /** False: a 3xx is returned as it is (tsdav's service discovery reads Location itself). Default true. */
  followRedirects?: boolean;
}

export function assertSafeUrlShape(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.replace(/^webcals?:\/\//i, 'https://'));
  } catch {
    throw new UnsafeUrlError('must be a valid http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeUrlError('must be an http(s) URL');
  if (url.username || url.password) throw new UnsafeUrlError('must not carry credentials in the URL');
  return url;
}

const hostPort = (url: URL) => `${url.hostname.replace(/^\[|\]$/g, '').toLowerCase()}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;

export async function safeRequest(rawUrl: string, options: SafeRequest, redirects = 3): Promise<SafeResponse> {
  const url = assertSafeUrlShape(rawUrl);
  const allowed = options.allowlist.includes(hostPort(url));
  const lookup = (hostname: string, opts: any, callback: (...args: any[]) => void) => {
    dnsLookup(hostname, { ...opts, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error);
      const bad = addresses.find((a) => isPrivateAddress(a.address));
      if (bad && !allowed) return callback(new UnsafeUrlError(`refusing to connect to a private address (${url.hostname})`));
      if (opts?.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
  if (isIP(url.hostname.replace(/^\[|\]$/g, '')) && isPrivateAddress(url.hostname.replace(/^\[|\]$/g, '')) && !allowed) {
    throw new UnsafeUrlError(`refusing to connect to a private address (${url.hostname})`);
  }
  const client = url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = { 'User-Agent': 'Kairos-Calendar/1.0', ...options.headers };
  // A declared length, not chunked encoding: small WebDAV servers (Radicale's WSGI server) do not read chunked bodies.
  if (options.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
    headers['Content-Length'] = String(Buffer.byteLength(options.body));
  }
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const response = await new Promise<SafeResponse & { location?: string }>((resolve, reject) => {
    const req = client.request(url, {
      method: options.method ?? 'GET',
      headers,
      lookup: lookup as any,
      timeout: options.timeoutMs ?? 15_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          req.destroy(new Error(`response larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), location: res.headers.location }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
  if (options.followRedirects !== false && [301, 302, 303, 307, 308].includes(response.status) && response.location) {
    if (redirects <= 0) throw new Error('too many redirects');
    return safeRequest(new URL(response.location, url).toString(), options, redirects - 1);
  }
  return response;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * A `fetch` for libraries that take one (tsdav): every request goes through safeRequest, so the same address policy
 * and allowlist apply as for ICS feeds. Bodies are strings (WebDAV XML, iCalendar); `redirect: 'manual'` is honoured.
 */
export function safeFetch(allowlist: string[], limits: { maxBytes?: number; timeoutMs?: number } = {}): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = init.body === undefined || init.body === null ? undefined : typeof init.body === 'string' ? init.body : String(init.body);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => { headers[name] = value; });
    const res = await safeRequest(url, {
      method: init.method,
      headers,
      body,
      allowlist,
      followRedirects: init.redirect !== 'manual',
      ...limits,
    });
    const answered = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) answered.append(name, v);
    }
    return new Response(NULL_BODY_STATUSES.has(res.status) ? null : res.body, { status: res.status, headers: answered });
  }) as typeof fetch;
}
