import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Google OAuth 2.0 + Calendar API v3 server speaking the subset Kairos uses, written from the public
 * references: authorization endpoint (302 back with code and state, or error=access_denied when the test's person
 * declines), OpenID userinfo (sub, email, email_verified, name of the identity a test chose), token endpoint (authorization_code and
 * refresh_token grants, invalid_grant), calendarList, calendars/primary, events.list with singleEvents, paging
 * (pageToken/nextPageToken, timeMin/timeMax), events.get, sync tokens (nextSyncToken, deleted events as status "cancelled", 410 on a stale
 * token), events.insert (409 on a duplicate id), events.patch, events.delete (410 when already deleted),
 * events.watch and channels.stop; 429/403 rate limits with Retry-After on demand. Google Meet: with
 * conferenceDataVersion=1, a conferenceData.createRequest makes a Meet (hangoutLink, conferenceData.conferenceId and a
 * video entry point); a requestId already used for the event is ignored (the Meet stays), without the version
 * parameter conferenceData is ignored, as Google does. `meetPendingFor` answers the next creations "pending".
 */

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: any;
  at: number;
}

export class FakeServer {
  readonly requests: FakeRequest[] = [];
  private server!: http.Server;
  protected routes: Array<{
    method: string;
    pattern: RegExp;
    handler: (req: FakeRequest, res: http.ServerResponse, match: RegExpExecArray) => void | Promise<void>;
  }> = [];
  /** Runs before routing; returns true when it answered (rate limits, failures injected by a test). */
  interceptors: Array<(req: FakeRequest, res: http.ServerResponse) => boolean> = [];
  url = '';

  route(
    method: string,
    pattern: RegExp,
    handler: (req: FakeRequest, res: http.ServerResponse, match: RegExpExecArray) => void | Promise<void>,
  ) {
    this.routes.push({ method, pattern, handler });
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: any = raw;
        if ((req.headers['content-type'] ?? '').includes('application/json') && raw) body = JSON.parse(raw);
        else if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded'))
          body = Object.fromEntries(new URLSearchParams(raw));
        const fr: FakeRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
          at: Date.now(),
        };
        this.requests.push(fr);
        try {
          for (const intercept of this.interceptors) if (intercept(fr, res)) return;
          for (const r of this.routes) {
            const m = r.method === fr.method ? r.pattern.exec(fr.path) : null;
            if (m) {
              await r.handler(fr, res, m);
              return;
            }
          }
          json(res, 404, { error: { code: 404, message: `no route for ${fr.method} ${fr.path}` } });
        } catch (error) {
          json(res, 500, { error: { code: 500, message: String(error) } });
        }
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop() {
    this.server.closeAllConnections?.();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** The next `times` matching requests answer `status` with Retry-After (429, or 403 rateLimitExceeded). */
  rateLimit(match: RegExp, times: number, retryAfterSeconds: number | null, status: 429 | 403 = 429) {
    let left = times;
    this.interceptors.push((req, res) => {
      if (left <= 0 || !match.test(req.path)) return false;
      left--;
      if (retryAfterSeconds !== null) res.setHeader('Retry-After', String(retryAfterSeconds));
      json(res, status, {
        error: {
          code: status,
          message: 'Rate Limit Exceeded',
          errors: [{ reason: status === 403 ? 'rateLimitExceeded' : 'rateLimitExceeded', message: 'Rate Limit Exceeded' }],
        },
      });
      return true;
    });
  }

  /** The next `times` matching requests fail with 500. */
  failNext(match: RegExp, times: number) {
    let left = times;
    this.interceptors.push((req, res) => {
      if (left <= 0 || !match.test(req.path)) return false;
      left--;
      json(res, 500, { error: { code: 500, message: 'Backend Error' } });
      return true;
    });
  }

  requestsTo(method: string, path: RegExp) {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }
}

export function json(res: http.ServerResponse, status: number, body: unknown) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=UTF-8');
  res.end(body === undefined ? '' : JSON.stringify(body));
}

/** A Google account as the OpenID userinfo endpoint describes it (what "Sign in with Google" reads). */
export interface FakeGoogleIdentity {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export class FakeOAuth {
  /** Who signs in at the consent screen of a sign-in (scope without calendar access): a test sets it. */
  identity: FakeGoogleIdentity = { sub: '100000000000000000001', email: 'ada@gmail.test', email_verified: true, name: 'Ada Lovelace' };
  /** The person's answer on the consent screen: `deny` comes back as error=access_denied. */
  consent: 'allow' | 'deny' = 'allow';
  /** Identities that signed in, by `sub` (the account of their codes and tokens). */
  readonly identities = new Map<string, FakeGoogleIdentity>();
  readonly codes = new Map<string, { redirectUri: string; account: string }>();
  readonly accessTokens = new Map<string, { account: string; valid: boolean }>();
  readonly refreshTokens = new Map<string, { account: string; revoked: boolean }>();
  refreshCount = 0;
  accessTokenTtlSeconds = 3600;

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  /** Handles the token endpoint form; returns [status, body]. */
  token(form: Record<string, string>, extra: (account: string) => Record<string, unknown> = () => ({})): [number, unknown] {
    if (form.client_id !== this.clientId || form.client_secret !== this.clientSecret)
      return [401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' }];
    let account: string;
    let refreshToken: string | undefined;
    if (form.grant_type === 'authorization_code') {
      const code = this.codes.get(form.code);
      if (!code || code.redirectUri !== form.redirect_uri)
        return [400, { error: 'invalid_grant', error_description: 'Malformed auth code.' }];
      this.codes.delete(form.code);
      account = code.account;
      refreshToken = `1//rt-${randomBytes(12).toString('hex')}`;
      this.refreshTokens.set(refreshToken, { account, revoked: false });
    } else if (form.grant_type === 'refresh_token') {
      const rt = this.refreshTokens.get(form.refresh_token);
      if (!rt || rt.revoked) return [400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }];
      this.refreshCount++;
      account = rt.account;
    } else return [400, { error: 'unsupported_grant_type' }];
    const accessToken = `ya29.at-${randomBytes(16).toString('hex')}`;
    this.accessTokens.set(accessToken, { account, valid: true });
    return [
      200,
      {
        access_token: accessToken,
        expires_in: this.accessTokenTtlSeconds,
        token_type: 'Bearer',
        scope: 'calendar',
        ...(refreshToken ? { refresh_token: refreshToken } : {}),
        ...extra(account),
      },
    ];
  }

  issueCode(redirectUri: string, account: string) {
    const code = `4/code-${randomBytes(10).toString('hex')}`;
    this.codes.set(code, { redirectUri, account });
    return code;
  }

  /** A code for the current sign-in identity (its `sub` is the account of the tokens it buys). */
  issueSignInCode(redirectUri: string) {
    this.identities.set(this.identity.sub, { ...this.identity });
    return this.issueCode(redirectUri, this.identity.sub);
  }

  /** The OpenID userinfo answer for a Bearer header: [status, body]. */
  userInfo(header: string | undefined): [number, unknown] {
    const account = this.authenticate(header);
    const identity = account ? this.identities.get(account) : undefined;
    if (!identity) return [401, { error: 'invalid_token', error_description: 'Invalid Credentials' }];
    return [200, identity];
  }

  /** The account behind a Bearer header, or null (unknown, or invalidated by expireAccessTokens). */
  authenticate(header: string | undefined): string | null {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    const entry = token ? this.accessTokens.get(token) : undefined;
    return entry?.valid ? entry.account : null;
  }

  expireAccessTokens() {
    for (const t of this.accessTokens.values()) t.valid = false;
  }

  revokeAll() {
    for (const t of this.refreshTokens.values()) t.revoked = true;
    this.expireAccessTokens();
  }
}

export interface GoogleEvent {
  id: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  start: { dateTime?: string; date?: string; timeZone?: string };
  end: { dateTime?: string; date?: string; timeZone?: string };
  summary?: string;
  transparency?: 'opaque' | 'transparent';
  attendees?: Array<{ email: string; self?: boolean; responseStatus: string }>;
  /** RRULE lines; expanded into instances when listed with singleEvents=true. */
  recurrence?: string[];
  extendedProperties?: { private?: Record<string, string> };
  [key: string]: unknown;
}

interface StoredEvent {
  event: GoogleEvent;
  seq: number;
}

export class FakeGoogleCalendar extends FakeServer {
  readonly oauth: FakeOAuth;
  readonly calendars = new Map<string, { summary: string; primary: boolean; accessRole: string; events: Map<string, StoredEvent> }>();
  readonly channels: Array<{ id: string; token: string; address: string; calendarId: string; resourceId: string }> = [];
  account = 'ada@gmail.test';
  pageSize = 2;
  /** The fake's idea of now (channel expirations): tests pin it to the app's clock. */
  now: () => number = () => Date.now();
  private seq = 1;
  /** Sync tokens issued before this sequence number answer 410 Gone. */
  private oldestValidSeq = 0;
  /** How many Meet creations answer status "pending" first (no link yet), as Google may. */
  meetPendingFor = 0;
  /** Every Meet made, by conferenceId. */
  readonly meets = new Map<string, { requestId: string; eventId: string }>();

  /**
   * events.insert/patch with conferenceDataVersion=1: a createRequest with a new requestId makes a Meet; one the
   * event already has (same requestId) changes nothing. Without the parameter Google ignores conferenceData.
   */
  private withConference(req: FakeRequest, body: any, existing?: GoogleEvent): any {
    const { conferenceData, ...rest } = body;
    const kept = existing?.conferenceData ? { conferenceData: existing.conferenceData, hangoutLink: existing.hangoutLink } : {};
    const request = conferenceData?.createRequest;
    if (req.query.get('conferenceDataVersion') !== '1' || !request) return { ...rest, ...kept };
    const current = existing?.conferenceData as any;
    if (current?.createRequest?.requestId === request.requestId && current.createRequest.status.statusCode === 'success') {
      return { ...rest, ...kept };
    }
    if (request.conferenceSolutionKey?.type !== 'hangoutsMeet') throw new Error('unsupported conference solution');
    if (this.meetPendingFor > 0) {
      this.meetPendingFor--;
      return { ...rest, conferenceData: { createRequest: { ...request, status: { statusCode: 'pending' } } } };
    }
    const letters = (n: number) => Array.from(randomBytes(n), (b) => String.fromCharCode(97 + (b % 26))).join('');
    const code = `${letters(3)}-${letters(4)}-${letters(3)}`;
    this.meets.set(code, { requestId: request.requestId, eventId: body.id ?? existing?.id });
    return {
      ...rest,
      hangoutLink: `https://meet.google.com/${code}`,
      conferenceData: {
        createRequest: { ...request, status: { statusCode: 'success' } },
        conferenceSolution: { key: { type: 'hangoutsMeet' }, name: 'Google Meet' },
        conferenceId: code,
        entryPoints: [{ entryPointType: 'video', uri: `https://meet.google.com/${code}`, label: `meet.google.com/${code}` }],
      },
    };
  }

  /** The OAuth client the fake accepts (two fakes side by side tell their apps apart by it). */
  constructor(clientId = 'google-client-id', clientSecret = 'google-client-secret') {
    super();
    this.oauth = new FakeOAuth(clientId, clientSecret);
    this.calendars.set('primary-cal', { summary: 'Ada', primary: true, accessRole: 'owner', events: new Map() });
    this.calendars.set('holidays', { summary: 'Holidays', primary: false, accessRole: 'reader', events: new Map() });
    this.setup();
  }

  get env() {
    return {
      GOOGLE_CLIENT_ID: this.oauth.clientId,
      GOOGLE_CLIENT_SECRET: this.oauth.clientSecret,
      GOOGLE_AUTH_URL: `${this.url}/o/oauth2/v2/auth`,
      GOOGLE_TOKEN_URL: `${this.url}/token`,
      GOOGLE_API_URL: `${this.url}/calendar/v3`,
      GOOGLE_USERINFO_URL: `${this.url}/v1/userinfo`,
    };
  }

  /** Adds or replaces an event (as if the host edited their calendar). */
  putEvent(calendarId: string, event: Partial<GoogleEvent> & Pick<GoogleEvent, 'id' | 'start' | 'end'>) {
    const cal = this.calendars.get(calendarId)!;
    cal.events.set(event.id, { event: { status: 'confirmed', ...event } as GoogleEvent, seq: this.seq++ });
  }

  /** Deletes an event the way Google does: it stays as a "cancelled" tombstone for incremental sync. */
  deleteEvent(calendarId: string, id: string) {
    const stored = this.calendars.get(calendarId)!.events.get(id);
    if (stored) {
      stored.event = { ...stored.event, status: 'cancelled' };
      stored.seq = this.seq++;
    }
  }

  event(calendarId: string, id: string): GoogleEvent | undefined {
    return this.calendars.get(calendarId)?.events.get(id)?.event;
  }

  liveEvents(calendarId: string): GoogleEvent[] {
    return [...this.calendars.get(calendarId)!.events.values()].map((s) => s.event).filter((e) => e.status !== 'cancelled');
  }

  /** Makes every sync token issued so far stale (Google answers 410 Gone). */
  invalidateSyncTokens() {
    this.oldestValidSeq = this.seq;
  }

  private instances(e: GoogleEvent): GoogleEvent[] {
    const rule = e.recurrence?.find((r) => r.startsWith('RRULE:'));
    if (!rule) return [e];
    const parts = Object.fromEntries(
      rule
        .slice(6)
        .split(';')
        .map((kv) => kv.split('=')),
    );
    const count = Number(parts.COUNT ?? 10);
    const stepDays = parts.FREQ === 'WEEKLY' ? 7 : 1;
    const out: GoogleEvent[] = [];
    for (let i = 0; i < count; i++) {
      const shift = (v: { dateTime?: string; date?: string; timeZone?: string }) =>
        v.dateTime
          ? { ...v, dateTime: new Date(Date.parse(v.dateTime) + i * stepDays * 86_400_000).toISOString() }
          : { ...v, date: new Date(Date.parse(`${v.date}T00:00:00Z`) + i * stepDays * 86_400_000).toISOString().slice(0, 10) };
      const start = shift(e.start);
      const stamp = (start.dateTime ?? start.date!).replace(/[-:]/g, '').replace(/\.\d+/, '');
      const { recurrence: _r, ...rest } = e;
      out.push({ ...rest, id: `${e.id}_${stamp}`, recurringEventId: e.id, start, end: shift(e.end) });
    }
    return out;
  }

  private auth(req: FakeRequest, res: http.ServerResponse): string | null {
    const account = this.oauth.authenticate(req.headers.authorization);
    if (!account) {
      json(res, 401, {
        error: {
          code: 401,
          message: 'Request had invalid authentication credentials.',
          status: 'UNAUTHENTICATED',
          errors: [{ reason: 'authError' }],
        },
      });
      return null;
    }
    return account;
  }

  private setup() {
    this.route('GET', /^\/o\/oauth2\/v2\/auth$/, (req, res) => {
      if (req.query.get('client_id') !== this.oauth.clientId) return json(res, 400, { error: 'invalid_client' });
      // A calendar connection asks for calendar scopes and offline access; a sign-in for openid/email/profile only.
      const signIn = !(req.query.get('scope') ?? '').includes('/auth/calendar');
      if (!signIn && req.query.get('access_type') !== 'offline') return json(res, 400, { error: 'offline access required by this fake' });
      if (signIn && req.query.get('response_type') !== 'code') return json(res, 400, { error: 'unsupported_response_type' });
      const redirect = new URL(req.query.get('redirect_uri')!);
      if (this.oauth.consent === 'deny') {
        redirect.searchParams.set('error', 'access_denied');
        redirect.searchParams.set('error_description', 'The user denied access');
      } else {
        const uri = req.query.get('redirect_uri')!;
        redirect.searchParams.set('code', signIn ? this.oauth.issueSignInCode(uri) : this.oauth.issueCode(uri, this.account));
      }
      redirect.searchParams.set('state', req.query.get('state') ?? '');
      res.statusCode = 302;
      res.setHeader('Location', redirect.toString());
      res.end();
    });
    this.route('POST', /^\/token$/, (req, res) => {
      const [status, body] = this.oauth.token(req.body);
      json(res, status, body);
    });
    this.route('GET', /^\/v1\/userinfo$/, (req, res) => {
      const [status, body] = this.oauth.userInfo(req.headers.authorization);
      json(res, status, body);
    });
    this.route('GET', /^\/calendar\/v3\/calendars\/primary$/, (req, res) => {
      const account = this.auth(req, res);
      if (account) json(res, 200, { kind: 'calendar#calendar', id: account, summary: account, timeZone: 'Europe/London' });
    });
    this.route('GET', /^\/calendar\/v3\/users\/me\/calendarList$/, (req, res) => {
      if (!this.auth(req, res)) return;
      json(res, 200, {
        kind: 'calendar#calendarList',
        items: [...this.calendars.entries()].map(([id, c]) => ({
          kind: 'calendar#calendarListEntry',
          id,
          summary: c.summary,
          primary: c.primary || undefined,
          accessRole: c.accessRole,
          timeZone: 'Europe/London',
        })),
      });
    });
    this.route('GET', /^\/calendar\/v3\/calendars\/([^/]+)\/events$/, (req, res, m) => {
      if (!this.auth(req, res)) return;
      const cal = this.calendars.get(decodeURIComponent(m[1]));
      if (!cal) return json(res, 404, { error: { code: 404, message: 'Not Found' } });
      const syncToken = req.query.get('syncToken');
      if (syncToken && (req.query.get('timeMin') || req.query.get('timeMax'))) {
        return json(res, 400, { error: { code: 400, message: 'syncToken cannot be combined with timeMin/timeMax' } });
      }
      let since = -1;
      if (syncToken) {
        since = Number(/^st-(\d+)$/.exec(syncToken)?.[1] ?? NaN);
        if (!Number.isFinite(since) || since < this.oldestValidSeq) {
          return json(res, 410, {
            error: {
              code: 410,
              message: 'Sync token is no longer valid, a full sync is required.',
              errors: [{ domain: 'calendar', reason: 'fullSyncRequired' }],
            },
          });
        }
      }
      const timeMin = req.query.get('timeMin') ? Date.parse(req.query.get('timeMin')!) : -Infinity;
      // timeMax: exclusive upper bound for an event's start.
      const timeMax = req.query.get('timeMax') ? Date.parse(req.query.get('timeMax')!) : Infinity;
      const single = req.query.get('singleEvents') === 'true';
      let items = [...cal.events.values()]
        .filter((s) => (syncToken ? s.seq > since : s.event.status !== 'cancelled'))
        .sort((a, b) => a.seq - b.seq)
        .flatMap((s) => (single ? this.instances(s.event) : [s.event]))
        .filter((e) => e.status === 'cancelled' || Date.parse(e.end.dateTime ?? `${e.end.date}T00:00:00Z`) > timeMin)
        .filter((e) => e.status === 'cancelled' || Date.parse(e.start.dateTime ?? `${e.start.date}T00:00:00Z`) < timeMax);
      const offset = Number(req.query.get('pageToken')?.replace('page-', '') ?? 0);
      const size = Math.min(Number(req.query.get('maxResults') ?? 250), this.pageSize);
      const page = items.slice(offset, offset + size);
      const more = offset + size < items.length;
      items = page;
      json(res, 200, {
        kind: 'calendar#events',
        timeZone: 'Europe/London',
        items,
        ...(more ? { nextPageToken: `page-${offset + size}` } : { nextSyncToken: `st-${this.seq - 1}` }),
      });
    });
    this.route('POST', /^\/calendar\/v3\/calendars\/([^/]+)\/events$/, (req, res, m) => {
      if (!this.auth(req, res)) return;
      const cal = this.calendars.get(decodeURIComponent(m[1]));
      if (!cal) return json(res, 404, { error: { code: 404, message: 'Not Found' } });
      if (cal.accessRole === 'reader')
        return json(res, 403, { error: { code: 403, message: 'Forbidden', errors: [{ reason: 'forbidden' }] } });
      const id = req.body.id ?? randomBytes(8).toString('hex');
      if (!/^[a-v0-9]{5,1024}$/.test(id)) return json(res, 400, { error: { code: 400, message: 'Invalid resource id value.' } });
      if (cal.events.has(id))
        return json(res, 409, {
          error: { code: 409, message: 'The requested identifier already exists.', errors: [{ reason: 'duplicate' }] },
        });
      this.putEvent(decodeURIComponent(m[1]), { ...this.withConference(req, req.body), id });
      json(res, 200, { kind: 'calendar#event', ...cal.events.get(id)!.event });
    });
    // events.get: a deleted event still answers, as a "cancelled" tombstone.
    this.route('GET', /^\/calendar\/v3\/calendars\/([^/]+)\/events\/([^/]+)$/, (req, res, m) => {
      if (!this.auth(req, res)) return;
      const stored = this.calendars.get(decodeURIComponent(m[1]))?.events.get(decodeURIComponent(m[2]));
      if (!stored) return json(res, 404, { error: { code: 404, message: 'Not Found' } });
      json(res, 200, { kind: 'calendar#event', ...stored.event });
    });
    this.route('PATCH', /^\/calendar\/v3\/calendars\/([^/]+)\/events\/([^/]+)$/, (req, res, m) => {
      if (!this.auth(req, res)) return;
      const cal = this.calendars.get(decodeURIComponent(m[1]));
      const stored = cal?.events.get(decodeURIComponent(m[2]));
      if (!stored) return json(res, 404, { error: { code: 404, message: 'Not Found' } });
      this.putEvent(decodeURIComponent(m[1]), {
        ...stored.event,
        ...this.withConference(req, req.body, stored.event),
        id: stored.event.id,
        status: req.body.status ?? 'confirmed',
      });
      json(res, 200, { kind: 'calendar#event', ...cal!.events.get(stored.event.id)!.event });
    });
    this.route('DELETE', /^\/calendar\/v3\/calendars\/([^/]+)\/events\/([^/]+)$/, (req, res, m) => {
      if (!this.auth(req, res)) return;
      const cal = this.calendars.get(decodeURIComponent(m[1]));
      const stored = cal?.events.get(decodeURIComponent(m[2]));
      if (!stored) return json(res, 404, { error: { code: 404, message: 'Not Found' } });
      if (stored.event.status === 'cancelled') return json(res, 410, { error: { code: 410, message: 'Resource has been deleted' } });
      this.deleteEvent(decodeURIComponent(m[1]), stored.event.id);
      res.statusCode = 204;
      res.end();
    });
    this.route('POST', /^\/calendar\/v3\/calendars\/([^/]+)\/events\/watch$/, (req, res, m) => {
      if (!this.auth(req, res)) return;
      if (req.body.type !== 'web_hook' || !req.body.id || !req.body.address)
        return json(res, 400, { error: { code: 400, message: 'bad channel' } });
      const resourceId = `res-${randomBytes(6).toString('hex')}`;
      this.channels.push({
        id: req.body.id,
        token: req.body.token,
        address: req.body.address,
        calendarId: decodeURIComponent(m[1]),
        resourceId,
      });
      json(res, 200, {
        kind: 'api#channel',
        id: req.body.id,
        resourceId,
        resourceUri: `${this.url}/calendar/v3/calendars/${m[1]}/events`,
        token: req.body.token,
        expiration: String(this.now() + 7 * 86_400_000),
      });
    });
    this.route('POST', /^\/calendar\/v3\/channels\/stop$/, (req, res) => {
      if (!this.auth(req, res)) return;
      const i = this.channels.findIndex((c) => c.id === req.body.id && c.resourceId === req.body.resourceId);
      if (i < 0) return json(res, 404, { error: { code: 404, message: 'Channel not found' } });
      this.channels.splice(i, 1);
      res.statusCode = 204;
      res.end();
    });
  }
}
