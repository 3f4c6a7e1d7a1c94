import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { FakeServer, type FakeRequest, json } from './fake-google-calendar.js';

/**
 * A local Zoom OAuth (user-managed app) + Meetings API v2 server speaking the subset Kairos uses, written from
 * Zoom's public references: /oauth/authorize (302 back with code and state), /oauth/token (client credentials as
 * HTTP Basic; authorization_code and refresh_token grants; refresh tokens rotate, so a used one is invalid;
 * 400 invalid_grant), GET /v2/users/me, POST /v2/users/me/meetings (201 with id, join_url, start_url, password),
 * GET /v2/users/me/meetings?type=upcoming (meetings with agenda, next_page_token), GET/PATCH (204)/DELETE (204) on
 * /v2/meetings/{meetingId} (404 code 3001 when gone). Errors are Zoom's `{code, message}`: 401 code 124 for a bad
 * or expired access token, 429 with Retry-After, 500 on demand.
 */
export interface ZoomMeeting {
  id: number;
  uuid: string;
  host_id: string;
  topic: string;
  type: number;
  start_time: string;
  duration: number;
  timezone: string;
  agenda: string;
  join_url: string;
  start_url: string;
  password: string;
  settings: Record<string, unknown>;
  created_at: string;
}

export class FakeZoom extends FakeServer {
  readonly clientId = 'zoom-client-id';
  readonly clientSecret = 'zoom-client-secret';
  readonly user = { id: 'zU1s3rAbCdEf', email: 'ada@zoom.test' };
  readonly codes = new Map<string, string>(); // code → redirect_uri
  readonly accessTokens = new Map<string, { valid: boolean }>();
  readonly refreshTokens = new Map<string, { valid: boolean }>();
  readonly meetings = new Map<number, ZoomMeeting>();
  readonly deleted: number[] = [];
  refreshCount = 0;
  accessTokenTtlSeconds = 3599;
  /** The next `loseCreateAnswers` creations make the meeting but answer 502 (the answer lost on the way back). */
  loseCreateAnswers = 0;
  private nextId = 85_000_000_001;

  constructor() {
    super();
    this.setup();
  }

  get env() {
    return {
      ZOOM_CLIENT_ID: this.clientId,
      ZOOM_CLIENT_SECRET: this.clientSecret,
      ZOOM_AUTH_URL: `${this.url}/oauth/authorize`,
      ZOOM_TOKEN_URL: `${this.url}/oauth/token`,
      ZOOM_API_URL: `${this.url}/v2`,
    };
  }

  /** Every access token issued so far stops working (Zoom answers 401 code 124). */
  expireAccessTokens() {
    for (const t of this.accessTokens.values()) t.valid = false;
  }

  revokeAll() {
    for (const t of this.refreshTokens.values()) t.valid = false;
    this.expireAccessTokens();
  }

  liveMeetings(): ZoomMeeting[] {
    return [...this.meetings.values()];
  }

  /** The next `times` matching requests answer 429 with Zoom's body and Retry-After. */
  rateLimitZoom(match: RegExp, times: number, retryAfterSeconds: number) {
    let left = times;
    this.interceptors.push((req, res) => {
      if (left <= 0 || !match.test(req.path)) return false;
      left--;
      res.setHeader('Retry-After', String(retryAfterSeconds));
      json(res, 429, { code: 429, message: 'You have reached the maximum per-second rate limit for this API. Try again later.' });
      return true;
    });
  }

  /** The next `times` matching requests answer 500. */
  failZoom(match: RegExp, times: number, method?: string) {
    let left = times;
    this.interceptors.push((req, res) => {
      if (left <= 0 || !match.test(req.path) || (method && req.method !== method)) return false;
      left--;
      json(res, 500, { code: 500, message: 'Internal Error' });
      return true;
    });
  }

  private issueTokens() {
    const access = `eyJzm.${randomBytes(16).toString('hex')}`;
    const refresh = `eyJzr.${randomBytes(16).toString('hex')}`;
    this.accessTokens.set(access, { valid: true });
    this.refreshTokens.set(refresh, { valid: true });
    return {
      access_token: access,
      token_type: 'bearer',
      refresh_token: refresh,
      expires_in: this.accessTokenTtlSeconds,
      scope: 'meeting:write user:read',
    };
  }

  private auth(req: FakeRequest, res: http.ServerResponse): boolean {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (token && this.accessTokens.get(token)?.valid) return true;
    json(res, 401, { code: 124, message: 'Invalid access token.' });
    return false;
  }

  private setup() {
    this.route('GET', /^\/oauth\/authorize$/, (req, res) => {
      if (req.query.get('client_id') !== this.clientId || req.query.get('response_type') !== 'code')
        return json(res, 400, { reason: 'Invalid client_id', error: 'invalid_request' });
      const uri = req.query.get('redirect_uri')!;
      const code = `zc-${randomBytes(10).toString('hex')}`;
      this.codes.set(code, uri);
      const back = new URL(uri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', req.query.get('state') ?? '');
      res.statusCode = 302;
      res.setHeader('Location', back.toString());
      res.end();
    });
    this.route('POST', /^\/oauth\/token$/, (req, res) => {
      const basic = Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64');
      if (req.headers.authorization !== `Basic ${basic}`)
        return json(res, 401, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
      const form = req.body as Record<string, string>;
      if (form.grant_type === 'authorization_code') {
        const uri = this.codes.get(form.code);
        if (!uri || uri !== form.redirect_uri) return json(res, 400, { reason: 'Invalid authorization code', error: 'invalid_grant' });
        this.codes.delete(form.code);
        return json(res, 200, this.issueTokens());
      }
      if (form.grant_type === 'refresh_token') {
        const rt = this.refreshTokens.get(form.refresh_token);
        if (!rt?.valid) return json(res, 400, { reason: 'Invalid Token!', error: 'invalid_grant' });
        rt.valid = false; // Zoom rotates refresh tokens
        this.refreshCount++;
        return json(res, 200, this.issueTokens());
      }
      json(res, 400, { reason: 'Unsupported grant type', error: 'unsupported_grant_type' });
    });
    this.route('GET', /^\/v2\/users\/me$/, (req, res) => {
      if (!this.auth(req, res)) return;
      json(res, 200, {
        id: this.user.id,
        email: this.user.email,
        first_name: 'Ada',
        last_name: 'Lovelace',
        type: 2,
        timezone: 'Europe/London',
      });
    });
    this.route('POST', /^\/v2\/users\/me\/meetings$/, (req, res) => {
      if (!this.auth(req, res)) return;
      const b = req.body as Record<string, any>;
      if (
        typeof b.topic !== 'string' ||
        b.type !== 2 ||
        !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(String(b.start_time)) ||
        !Number.isInteger(b.duration)
      )
        return json(res, 400, { code: 300, message: 'Validation Failed.', errors: [{ field: 'start_time', message: 'Invalid' }] });
      const id = this.nextId++;
      const password = randomBytes(4).toString('hex');
      const meeting: ZoomMeeting = {
        id,
        uuid: randomBytes(16).toString('base64'),
        host_id: this.user.id,
        topic: b.topic,
        type: 2,
        start_time: b.start_time,
        duration: b.duration,
        timezone: b.timezone ?? 'UTC',
        agenda: b.agenda ?? '',
        join_url: `https://us05web.zoom.us/j/${id}?pwd=${password}`,
        start_url: `https://us05web.zoom.us/s/${id}?zak=${randomBytes(8).toString('hex')}`,
        password,
        settings: b.settings ?? {},
        created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      };
      this.meetings.set(id, meeting);
      if (this.loseCreateAnswers > 0) {
        this.loseCreateAnswers--;
        return json(res, 502, { code: 502, message: 'Bad Gateway' });
      }
      json(res, 201, meeting);
    });
    this.route('GET', /^\/v2\/users\/me\/meetings$/, (req, res) => {
      if (!this.auth(req, res)) return;
      const all = this.liveMeetings();
      const size = Number(req.query.get('page_size') ?? 30);
      const from = Number(req.query.get('next_page_token') || 0);
      const page = all.slice(from, from + size);
      json(res, 200, {
        page_size: size,
        total_records: all.length,
        next_page_token: from + size < all.length ? String(from + size) : '',
        meetings: page.map(({ start_url: _s, password: _p, settings: _x, ...m }) => m),
      });
    });
    this.route('GET', /^\/v2\/meetings\/(\d+)$/, (req, res, m) => {
      if (!this.auth(req, res)) return;
      const meeting = this.meetings.get(Number(m[1]));
      if (!meeting) return json(res, 404, { code: 3001, message: `Meeting does not exist: ${m[1]}.` });
      json(res, 200, meeting);
    });
    this.route('PATCH', /^\/v2\/meetings\/(\d+)$/, (req, res, m) => {
      if (!this.auth(req, res)) return;
      const meeting = this.meetings.get(Number(m[1]));
      if (!meeting) return json(res, 404, { code: 3001, message: `Meeting does not exist: ${m[1]}.` });
      const b = req.body as Record<string, any>;
      for (const key of ['topic', 'start_time', 'duration', 'timezone', 'agenda'] as const)
        if (b[key] !== undefined) (meeting as any)[key] = b[key];
      res.statusCode = 204;
      res.end();
    });
    this.route('DELETE', /^\/v2\/meetings\/(\d+)$/, (req, res, m) => {
      if (!this.auth(req, res)) return;
      const id = Number(m[1]);
      if (!this.meetings.delete(id)) return json(res, 404, { code: 3001, message: `Meeting does not exist: ${id}.` });
      this.deleted.push(id);
      res.statusCode = 204;
      res.end();
    });
  }
}
