import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { Redis } from 'ioredis';
import { MetricsServer } from '../src/shared/metrics/metrics-server.js';
import { OutboxRelay } from '../src/shared/outbox/outbox-relay.js';
import { createHost } from './support/factories.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { METRICS_AUTH, TEST_METRICS_TOKEN, TEST_REDIS_URL } from './support/test-env.js';

const NOW = '2027-03-01T12:00:00Z';

describe('operations: rate limits across instances (e2e)', () => {
  // Two app instances on one database and one Redis prefix: what two replicas behind nginx share.
  let a: TestApp;
  let b: TestApp;
  const limits = {
    RATE_LIMIT_ENABLED: 'true',
    RATE_LIMIT_MAX: '8',
    RATE_LIMIT_LOGIN_MAX: '3',
    RATE_LIMIT_BOOKING_MAX: '2',
    RATE_LIMIT_WINDOW_SECONDS: '60',
  };
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(TEST_REDIS_URL);
    a = await startTestApp({ now: NOW, env: limits });
    b = await startTestApp({ now: NOW, database: a.database!, env: { ...limits, REDIS_PREFIX: a.redisPrefix } });
  });
  afterAll(async () => {
    await b.close({ keepDatabase: true });
    await a.close();
    redis.disconnect();
  });
  /** Each test starts with fresh windows. */
  beforeEach(async () => {
    const keys = await redis.keys(`${a.redisPrefix}:rl:*`);
    if (keys.length) await redis.del(...keys);
  });
  const clearLimits = async () => {
    const keys = await redis.keys(`${a.redisPrefix}:rl:*`);
    if (keys.length) await redis.del(...keys);
  };

  it('login: the N+1th attempt in the window is 429 with Retry-After, whichever instance answers', async () => {
    const body = { email: 'nobody@example.com', password: 'wrong-password' };
    await a.http().post('/api/auth/login').send(body).expect(401);
    await b.http().post('/api/auth/login').send(body).expect(401);
    const third = await a.http().post('/api/auth/login').send(body).expect(401);
    expect(third.headers['x-ratelimit-remaining-login']).toBe('0');
    const fourth = await b.http().post('/api/auth/login').send(body).expect(429);
    expect(fourth.body).toMatchObject({ status_code: 429, error: 'Too Many Requests' });
    expect(fourth.body.message).toMatch(/limit is 3 per 60 s/);
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(fourth.headers['retry-after'])).toBeLessThanOrEqual(60);
    await a.http().post('/api/auth/login').send(body).expect(429);
    // Other endpoints are still open to the same IP: the login limit is its own bucket.
    await a.http().get('/health/live').expect(200);
    await a.http().get('/api/openapi.json').expect(200);
  });

  it('host endpoints count per user (or API key), not per IP; anonymous calls per IP', async () => {
    const h1 = await createHost(a);
    const h2 = await createHost(b);
    await clearLimits();
    for (let i = 0; i < 8; i++) await (i % 2 ? a : b).http().get('/api/users/me').set(h1.auth).expect(200);
    const limited = await a.http().get('/api/users/me').set(h1.auth).expect(429);
    expect(limited.headers['retry-after']).toBeDefined();
    // Same IP, another host: its own bucket.
    await b.http().get('/api/users/me').set(h2.auth).expect(200);
    // An API key of h1 is h1.
    // (h1 is limited, so create the key as h2 to show the key is tracked as its owner: h2 still has room.)
    const key = (await a.http().post('/api/api-keys').set(h2.auth).send({ name: 'ci' }).expect(201)).body.key as string;
    await b.http().get('/api/users/me').set('Authorization', `Bearer ${key}`).expect(200);
    // Anonymous: per IP, unaffected by h1's bucket.
    await a.http().get(`/api/users/${h1.id}`).expect(200);
  });

  it('booking creation has a stricter limit; /health and /metrics are never limited', async () => {
    const host = await createHost(a);
    await setWeeklyHours(a, host, 'Europe/London');
    const type = await createMeetingType(a, host, { slug: 'rl' });
    await clearLimits();
    await a
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: type.id, start_time: '2027-03-02T10:00:00Z', ...invitee(1) })
      .expect(201);
    await b
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: type.id, start_time: '2027-03-02T10:00:00Z', ...invitee(2) })
      .expect(409);
    const third = await a
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: type.id, start_time: '2027-03-02T11:00:00Z', ...invitee(3) })
      .expect(429);
    expect(third.body.message).toMatch(/POST \/api\/bookings/);
    expect(third.headers['retry-after']).toBeDefined();
    for (let i = 0; i < 12; i++) await a.http().get('/health/live').expect(200);
    await a.http().get('/metrics').set(METRICS_AUTH).expect(200);
  });

  it('without Redis, limits hold in memory for a single instance', async () => {
    const solo = await startTestApp({ redis: false, env: { ...limits, RATE_LIMIT_LOGIN_MAX: '1' } });
    try {
      await solo.http().post('/api/auth/login').send({ email: 'x@example.com', password: 'whatever1' }).expect(401);
      const res = await solo.http().post('/api/auth/login').send({ email: 'x@example.com', password: 'whatever1' }).expect(429);
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      await solo.close();
    }
  });
});

describe('operations: metrics, headers, caching, CORS (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      now: NOW,
      env: {
        CORS_ORIGINS: 'https://app.example.com',
        OUTBOX_POLL_INTERVAL_MS: '0',
        NOTIFY_SWEEP_INTERVAL_MS: '0',
        // Nothing listens there: a confirmation either waits for its first attempt or for its retry on the pinned
        // clock, so "pending" is deterministic however fast the worker runs.
        SMTP_URL: 'smtp://127.0.0.1:9',
      },
    });
  });
  afterAll(() => t.close());

  it('exports latency by route pattern, booking outcomes, slot cache, queue depth and outbox lag', async () => {
    const host = await createHost(t);
    await setWeeklyHours(t, host, 'Europe/London');
    const type = await createMeetingType(t, host, { slug: 'metrics' });
    await t.http().get(`/api/users/${host.id}`).expect(200);
    const slots = () =>
      t.http().get('/api/availability/slots').query({ meeting_type_id: type.id, date: '2027-03-02', timezone: 'UTC' }).expect(200);
    await slots();
    await slots();
    const book = (n: number) =>
      t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: type.id, start_time: '2027-03-02T10:00:00Z', ...invitee(n) });
    expect((await book(1)).status).toBe(201);
    expect((await book(2)).status).toBe(409);

    const res = await t.http().get('/metrics').set(METRICS_AUTH).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    const text = res.text;
    expect(text).toMatch(/kairos_http_request_duration_seconds_count\{method="GET",route="\/api\/users\/:id",status_code="200"\} 1/);
    expect(text).not.toContain(host.id); // patterns, not raw URLs
    expect(text).toMatch(
      /kairos_http_request_duration_seconds_bucket\{le="0.2",method="GET",route="\/api\/availability\/slots",status_code="200"\} \d/,
    );
    expect(text).toMatch(/kairos_booking_outcomes_total\{outcome="created"\} 1/);
    expect(text).toMatch(/kairos_booking_outcomes_total\{outcome="conflict"\} 1/);
    expect(text).toMatch(/kairos_slot_cache_requests_total\{result="hit"\} [1-9]/);
    expect(text).toMatch(/kairos_slot_cache_requests_total\{result="miss"\} [1-9]/);
    expect(text).toMatch(/kairos_notification_deliveries\{state="pending"\} 0/);
    expect(text).toMatch(/kairos_db_pool_connections\{state="total"\} \d/);
    expect(text).toMatch(/# TYPE kairos_calendar_api_errors_total counter/);

    // The booking event is waiting in the outbox (the relay is paused): lag > 0, then 0 once drained.
    await t.app.get(OutboxRelay).drain();
    const after = (await t.http().get('/metrics').set(METRICS_AUTH).expect(200)).text;
    expect(after).toMatch(/kairos_outbox_lag_seconds\{consumer="audit"\} 0/);
    expect(after).toMatch(/kairos_notification_deliveries\{state="pending"\} [1-9]/); // confirmations queued
    t.clock!.set(new Date(Date.parse(NOW) + 3600_000));
    await t.dataSource.query(
      `INSERT INTO outbox_events (event_type, payload, occurred_at) VALUES ('test.noop', '{}', now() - interval '90 seconds')`,
    );
    const lagging = (await t.http().get('/metrics').set(METRICS_AUTH).expect(200)).text;
    const lag = Number(/kairos_outbox_lag_seconds\{consumer="audit"\} ([\d.]+)/.exec(lagging)?.[1]);
    expect(lag).toBeGreaterThanOrEqual(90);
  });

  it('refuses /metrics without the METRICS_TOKEN (401 JSON), serves Prometheus text with it', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong-token',
      `Bearer ${TEST_METRICS_TOKEN}x`,
      `Basic ${TEST_METRICS_TOKEN}`,
      TEST_METRICS_TOKEN,
    ]) {
      const req = t.http().get('/metrics');
      const res = await (authorization ? req.set('Authorization', authorization) : req).expect(401);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toEqual({ status_code: 401, error: 'Unauthorized', message: expect.stringMatching(/METRICS_TOKEN/) });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.text).not.toMatch(/kairos_/);
    }
    // A host's own access token is not the metrics token either.
    const host = await createHost(t);
    await t.http().get('/metrics').set(host.auth).expect(401);

    const res = await t.http().get('/metrics').set(METRICS_AUTH).expect(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expectPrometheusText(res.text);
    expect(res.text).toMatch(/^# TYPE kairos_http_request_duration_seconds histogram$/m);
  });

  const noStore = (res: { headers: Record<string, string>; status: number }, what: string) =>
    expect({ what, status: res.status, cacheControl: res.headers['cache-control'] }).toEqual({
      what,
      status: res.status,
      cacheControl: 'no-store',
    });

  it('Cache-Control: no-store on every response carrying a booking management token (API and pages)', async () => {
    const host = await createHost(t);
    await setWeeklyHours(t, host, 'Europe/London');
    const type = await createMeetingType(t, host, { slug: 'no-store' });
    const created = await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: type.id, start_time: '2027-03-03T10:00:00Z', ...invitee('ns') })
      .expect(201);
    expect(created.body.management_token).toEqual(expect.any(String));
    noStore(created, 'POST /api/bookings');
    const { id, management_token: token } = created.body;
    for (const path of [
      `/api/bookings/${id}`,
      `/api/bookings/${id}/ics`,
      `/booking/${id}`,
      `/booking/${id}/cancel`,
      `/booking/${id}/reschedule`,
      `/booking/${id}/ics`,
    ]) {
      const res = await t.http().get(path).query({ token });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      noStore(res, `GET ${path}?token=`);
    }
    // Whatever spelling the token parameter takes, and whatever the answer, it is not stored.
    for (const query of [`TOKEN=${token}`, `token[]=${token}`, `token=${token}&token=${token}`, `tok%65n=${token}`]) {
      noStore(await t.http().get(`/api/bookings/${id}?${query}`), `GET /api/bookings/:id?${query.split('=')[0]}=`);
    }
    noStore(await t.http().get(`/booking/${id}`).query({ token: 'wrong' }), 'manage page, wrong token');
    const moved = await t
      .http()
      .put(`/api/bookings/${id}/reschedule`)
      .query({ token })
      .send({ start_time: '2027-03-03T11:00:00Z' })
      .expect(200);
    noStore(moved, 'PUT reschedule');

    // The booking page's form redirects to the manage link (token in the Location): not stored either.
    const booked = await t
      .http()
      .post(`/${host.username}/no-store/book`)
      .type('form')
      .send({ start: '2027-03-04T10:00:00.000Z', tz: 'Europe/London', name: 'Page Invitee', email: 'page-invitee@example.com' });
    expect(booked.status).toBe(303);
    expect(booked.headers.location).toMatch(/^\/booking\/[0-9a-f-]+\?token=/);
    noStore(booked, 'POST booking page');

    // Public, token-free pages stay cacheable by the rules of their own handlers.
    expect((await t.http().get(`/${host.username}`).expect(200)).headers['cache-control']).toBeUndefined();
    expect((await t.http().get(`/api/users/${host.id}`).expect(200)).headers['cache-control']).toBeUndefined();
  });

  it('Cache-Control: no-store on auth answers carrying tokens: signup, login, API key creation, authenticated reads', async () => {
    const email = `nostore-${Date.now()}@example.com`;
    const password = 'Quiet-Lantern-Orbit-4821';
    noStore(
      await t
        .http()
        .post('/api/users')
        .send({ email, name: 'No Store', password, time_zone: 'UTC', username: `nostore${Date.now()}` })
        .expect(201),
      'signup',
    );
    const login = await t.http().post('/api/auth/login').send({ email, password }).expect(200);
    expect(login.body.access_token).toEqual(expect.any(String));
    noStore(login, 'login');
    noStore(await t.http().post('/api/auth/login').send({ email, password: 'wrong-password-0000' }), 'failed login');
    const auth = { Authorization: `Bearer ${login.body.access_token}` };
    const key = await t.http().post('/api/api-keys').set(auth).send({ name: 'ci' }).expect(201);
    expect(key.body.key).toEqual(expect.any(String));
    noStore(key, 'POST /api/api-keys');
    noStore(await t.http().get('/api/users/me').set(auth).expect(200), 'GET /api/users/me');
    noStore(await t.http().get('/api/api-keys').set('Authorization', `Bearer ${key.body.key}`).expect(200), 'GET /api/api-keys with a key');
  });

  it('Cache-Control: no-store on every /admin page, redirect and form answer', async () => {
    const email = `admin-nostore-${Date.now()}@example.com`;
    const password = 'Quiet-Lantern-Orbit-4821';
    await t
      .http()
      .post('/api/users')
      .send({ email, name: 'Admin No Store', password, time_zone: 'UTC', username: `adminns${Date.now()}` })
      .expect(201);
    const agent = request.agent(t.app.getHttpServer());
    const anonymous = await agent.get('/admin');
    expect(anonymous.status).toBeGreaterThanOrEqual(300);
    expect(anonymous.status).toBeLessThan(400);
    noStore(anonymous, 'GET /admin before login (redirect)');
    const form = await agent.get('/admin/login').expect(200);
    noStore(form, 'GET /admin/login');
    const csrf = () => /name="_csrf" value="([^"]+)"/;
    const loggedIn = await agent
      .post('/admin/login')
      .type('form')
      .send({ email, password, _csrf: csrf().exec(form.text)![1] });
    expect(loggedIn.status).toBe(303);
    expect(loggedIn.headers['set-cookie']).toBeDefined();
    noStore(loggedIn, 'POST /admin/login (session cookie, redirect)');
    for (const path of [
      '/admin',
      '/admin/meeting-types',
      '/admin/availability',
      '/admin/calendars',
      '/admin/teams',
      '/admin/webhooks',
      '/admin/profile',
      '/admin/api-keys',
    ]) {
      const res = await agent.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      noStore(res, `GET ${path}`);
    }
    // The page that shows a new API key once.
    const keysPage = await agent.get('/admin/api-keys').expect(200);
    const shown = await agent
      .post('/admin/api-keys')
      .type('form')
      .send({ name: 'page key', _csrf: csrf().exec(keysPage.text)![1] });
    expect(shown.status).toBe(201);
    expect(shown.text).toMatch(/kai_[\w-]{20,}/);
    noStore(shown, 'POST /admin/api-keys');
    noStore(await agent.get('/admin/no-such-page'), 'unknown /admin page');
  });

  it('keeps /metrics out of the OpenAPI document', async () => {
    const doc = (await t.http().get('/api/openapi.json').expect(200)).body;
    expect(Object.keys(doc.paths)).not.toContain('/metrics');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/audit', '/api/users/me/export', '/api/privacy/erase-invitee']));
  });

  it('sends security headers with a CSP that allows only our own scripts', async () => {
    const res = await t.http().get('/api/openapi.json').expect(200);
    const csp = res.headers['content-security-policy'];
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY'); // nothing is framed but the ?embed=1 booking pages (ADR 0018)
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('allows CORS only from CORS_ORIGINS', async () => {
    const ok = await t
      .http()
      .options('/api/bookings')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,idempotency-key');
    expect(ok.status).toBeLessThan(300);
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(ok.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/i);
    const evil = await t.http().get('/health/live').set('Origin', 'https://evil.example.com');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('operations: metrics without a token, on METRICS_PORT (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No METRICS_TOKEN: the app's port has no /metrics at all; a loopback listener on a free port serves it.
    t = await startTestApp({ now: NOW, env: { METRICS_TOKEN: undefined, METRICS_PORT: '0' } });
  });
  afterAll(() => t.close());

  it('answers /metrics on the app port like an unknown route, even with a token-looking header', async () => {
    const unknown = (await t.http().get('/no-such/route/here').expect(404)).body;
    expect(unknown).toEqual({ status_code: 404, error: 'Not Found', message: 'Cannot GET /no-such/route/here' });
    for (const auth of [{}, METRICS_AUTH]) {
      const res = await t.http().get('/metrics').set(auth).expect(404);
      expect(res.body).toEqual({ status_code: 404, error: 'Not Found', message: 'Cannot GET /metrics' });
    }
  });

  it('serves Prometheus text on METRICS_HOST:METRICS_PORT (loopback) and nothing else there', async () => {
    const address = t.app.get(MetricsServer).address()!;
    expect(address.address).toBe('127.0.0.1');
    const base = `http://127.0.0.1:${address.port}`;
    const res = await request(base).get('/metrics').expect(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expectPrometheusText(res.text);
    expect(res.text).toMatch(/^kairos_db_pool_connections\{state="total"\} \d+$/m);
    const other = await request(base).get('/api/openapi.json').expect(404);
    expect(other.body).toMatchObject({ status_code: 404, error: 'Not Found' });
    await request(base).post('/metrics').expect(404);
  });
});

/**
 * A light check of the Prometheus text exposition format (no parser is installed): every line is a comment
 * (# HELP / # TYPE name type) or `name{labels} value`, and every sample belongs to a declared family.
 */
function expectPrometheusText(text: string): void {
  const families = new Set<string>();
  const bad: string[] = [];
  let samples = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      families.add(type[1]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line)) continue;
    const sample =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)( \d+)?$/.exec(line);
    const family = sample?.[1]?.replace(/_(bucket|sum|count|total|created)$/, '');
    if (!sample || !(families.has(sample[1]!) || families.has(family!))) bad.push(line);
    else samples += 1;
  }
  expect(bad).toEqual([]);
  expect(samples).toBeGreaterThan(20);
}

/**
 * The log scan runs the compiled app as a child process and reads its stdout/stderr: exactly what production
 * ships to the log pipeline (an in-process app's pino destination cannot be intercepted under the test runner).
 */
describe('operations: secrets never reach the logs (e2e)', () => {
  let child: ChildProcess;
  let out = '';
  let base = '';
  let database: TestDatabase;
  // Inside the project so the build resolves node_modules; removed afterwards.
  const outDir = mkdtempSync(join(process.cwd(), '.logscan-'));
  const http = () => request(base);

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build.js', '--out-dir', outDir], { cwd: process.cwd(), stdio: 'ignore' });
    database = await createTestDatabase();
    const port = 3900 + Math.floor(Math.random() * 90);
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [join(outDir, 'src/main.js')], {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: String(port),
        LOG_LEVEL: 'info',
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: `kt_logs_${port}`,
        APP_SECRET: 'log-scan-secret-that-is-long-enough-0123456789',
        ENCRYPTION_KEY: 'a'.repeat(64),
        PUBLIC_URL: base,
        DATA_DIR: outDir,
        RATE_LIMIT_ENABLED: 'false',
        OUTBOX_POLL_INTERVAL_MS: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
    for (let i = 0; i < 300; i++) {
      if (
        await fetch(`${base}/health/ready`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`app did not start:\n${out}`);
  }, 120_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await database?.drop();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('logs the flow but no password, access token, API key or management token', async () => {
    const password = 'correct-horse-battery';
    const email = `logs-${Date.now()}@example.com`;
    await http()
      .post('/api/users')
      .send({ email, name: 'Log Host', password, time_zone: 'Europe/London', username: `logs${Date.now()}` })
      .expect(201);
    const token = (await http().post('/api/auth/login').send({ email, password }).expect(200)).body.access_token as string;
    await http().post('/api/auth/login').send({ email, password: 'wrong-password-123' }).expect(401);
    const auth = { Authorization: `Bearer ${token}` };
    const key = (await http().post('/api/api-keys').set(auth).send({ name: 'ci' }).expect(201)).body.key as string;
    await http().get('/api/users/me').set('Authorization', `Bearer ${key}`).expect(200);
    await http().get('/api/users/me').set('Authorization', `Bearer ${key}x`).expect(401);
    await http()
      .post('/api/availability/rules')
      .set(auth)
      .send({ time_zone: 'UTC', rules: [0, 1, 2, 3, 4, 5, 6].map((d) => ({ day_of_week: d, start_time: '00:00', end_time: '23:59' })) })
      .expect((r) => {
        if (r.status >= 300) throw new Error(r.text);
      });
    const type = (await http().post('/api/meeting-types').set(auth).send({ name: 'Logs', slug: 'logs', duration_minutes: 30 }).expect(201))
      .body;
    const start = new Date(Math.ceil((Date.now() + 2 * 86_400_000) / 3_600_000) * 3_600_000);
    const booked = await http()
      .post('/api/bookings')
      .send({ meeting_type_id: type.id, start_time: start.toISOString(), ...invitee('log') })
      .expect(201);
    const mgmt = booked.body.management_token as string;
    await http().get(`/api/bookings/${booked.body.id}`).query({ token: mgmt }).expect(200);
    const moved = await http()
      .put(`/api/bookings/${booked.body.id}/reschedule`)
      .query({ token: mgmt })
      .send({ start_time: new Date(start.getTime() + 3_600_000).toISOString() })
      .expect(200);
    await http()
      .delete(`/api/bookings/${moved.body.id}`)
      .query({ token: mgmt })
      .send({})
      .expect((r) => {
        if (r.status >= 300) throw new Error(r.text);
      });
    await http().get(`/api/bookings/${booked.body.id}`).query({ token: 'bogus-token-value' }).expect(404);
    await new Promise((r) => setTimeout(r, 1500)); // outbox relay and notification logs

    // The capture works: the app logged JSON lines during the flow.
    const lines = out.split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(5);
    for (const [what, secret] of [
      ['password', password],
      ['access token', token],
      ['JWT signature', token.split('.')[2]],
      ['API key', key],
      ['API key secret part', key.slice(12)],
      ['management token', mgmt],
    ] as const) {
      expect({ what, found: out.includes(secret) }).toEqual({ what, found: false });
    }
  });
  it('masks tokens in every URL shape, logs no credential header and no invitee email', async () => {
    const marker = (what: string) => `S3cr3t${what}${randomBytes(6).toString('hex')}`;
    const password = 'Quiet-Lantern-Orbit-4821';
    const email = `shapes-${Date.now()}@example.com`;
    await http()
      .post('/api/users')
      .send({ email, name: 'Shapes Host', password, time_zone: 'UTC', username: `shapes${Date.now()}` })
      .expect(201);
    const token = (await http().post('/api/auth/login').send({ email, password }).expect(200)).body.access_token as string;
    const auth = { Authorization: `Bearer ${token}` };
    await http()
      .post('/api/availability/rules')
      .set(auth)
      .send({ time_zone: 'UTC', rules: [0, 1, 2, 3, 4, 5, 6].map((d) => ({ day_of_week: d, start_time: '00:00', end_time: '23:59' })) })
      .expect((r) => {
        if (r.status >= 300) throw new Error(r.text);
      });
    const type = (
      await http().post('/api/meeting-types').set(auth).send({ name: 'Shapes', slug: 'shapes', duration_minutes: 30 }).expect(201)
    ).body;
    const inviteeEmail = `shape-invitee-${randomBytes(4).toString('hex')}@example.com`;
    const idempotencyKey = marker('Idem');
    const start = new Date(Math.ceil((Date.now() + 3 * 86_400_000) / 3_600_000) * 3_600_000);
    const booked = await http()
      .post('/api/bookings')
      .set('Idempotency-Key', idempotencyKey)
      .send({
        meeting_type_id: type.id,
        start_time: start.toISOString(),
        invitee_name: 'Shape Invitee',
        invitee_email: inviteeEmail,
        time_zone: 'UTC',
      })
      .expect(201);
    const mgmt = booked.body.management_token as string;
    const id = booked.body.id as string;

    const secrets: Array<[string, string]> = [
      ['management token', mgmt],
      ['Idempotency-Key', idempotencyKey],
      ['invitee email', inviteeEmail],
    ];
    const secret = (what: string) => {
      const value = marker(what.replace(/\W/g, ''));
      secrets.push([what, value]);
      return value;
    };
    // The query shapes the parsers accept, on the API and on the pages (whatever they answer).
    for (const base of [`/api/bookings/${id}`, `/booking/${id}`, `/api/bookings/${id}/ics`]) {
      for (const query of [
        `token=${mgmt}&token=${secret('repeated token')}`,
        `token[]=${secret('token[]')}`,
        `token%5B%5D=${secret('token%5B%5D')}`,
        `TOKEN=${secret('TOKEN')}`,
        `tok%65n=${secret('tok%65n')}`,
        `h12=1&token=${secret('token after another')}`,
      ]) {
        await http().get(`${base}?${query}`);
      }
    }
    // Tokens in paths.
    await http().get(`/feeds/${secret('feed token')}.ics`);
    await http().get(`/FEEDS/${secret('feed token, capitals')}.ics`);
    await http()
      .post(`/api/teams/invitations/${secret('invitation token')}/accept`)
      .set(auth);
    await http().delete(`/api/slots/holds/${secret('hold token')}`);
    await http().get(`/admin/teams/join?token=${secret('admin join token')}`);
    // Credentials in headers.
    await http()
      .get('/api/users/me')
      .set('Authorization', `Bearer ${secret('bearer')}`)
      .expect(401);
    await http()
      .get('/admin')
      .set('Cookie', `kairos_session=${secret('session cookie')}`);
    // Emails in query strings.
    await http().get('/api/bookings').set(auth).query({ email: inviteeEmail });
    await http()
      .get(`/api/bookings?${encodeURIComponent(inviteeEmail)}`)
      .set(auth);
    await new Promise((r) => setTimeout(r, 2000)); // the outbox relay sends the confirmation mails (logged without SMTP_URL)

    // The capture works: these requests were logged, with their secrets masked.
    expect(out).toContain(`/api/bookings/${id}?token=[REDACTED]&token=[REDACTED]`);
    expect(out).toContain('/feeds/[REDACTED]');
    expect(out).toContain('/api/teams/invitations/[REDACTED]/accept');
    expect(out).toMatch(/SMTP_URL is unset: mail \S+ written to /); // the development mail log names no recipient
    for (const [what, value] of secrets) expect({ what, found: out.includes(value) }).toEqual({ what, found: false });
    expect(out.match(/[\w.+-]+@example\.com/g) ?? []).toEqual([]);
  });

  it('one completion line per request with its id (X-Request-Id kept when sane, else a UUID), none for /health', async () => {
    const mine = await http().get('/api/users/me').set('X-Request-Id', 'log-scan.1').expect(401);
    expect(mine.headers['x-request-id']).toBe('log-scan.1');
    const forged = await http().get('/api/users/me').set('X-Request-Id', 'x"} {"level":60').expect(401);
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await http().get('/health/live').expect(200);
    await new Promise((r) => setTimeout(r, 200));
    const completed = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; reqId?: string; req?: { method: string; url: string }; res?: unknown })
      .filter((l) => l.msg === 'request completed');
    expect(completed.filter((l) => l.reqId === 'log-scan.1')).toEqual([
      expect.objectContaining({
        req: { method: 'GET', url: '/api/users/me' },
        res: { status_code: 401 },
        responseTime: expect.any(Number),
      }),
    ]);
    expect(completed.filter((l) => l.reqId === forged.headers['x-request-id'])).toHaveLength(1);
    expect(completed.filter((l) => l.req?.url.startsWith('/health'))).toEqual([]);
  });
});
