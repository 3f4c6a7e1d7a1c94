import { randomUUID } from 'node:crypto';
import { OutboxRelay } from '../src/shared/outbox/outbox-relay.js';
import { createHost, type TestHost } from './support/factories.js';
import { createMeetingType, createTeam, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Authorization matrix over every operation of the OpenAPI document, built from /api/openapi.json so that a new
 * endpoint is covered the day it is added: anonymous callers get 401 from every host endpoint; another host gets no
 * 2xx from any operation on host A's resources (and never sees A's data in its own lists); the owner still can.
 */
type Op = { method: string; path: string; secured: boolean };

/** Open to anonymous callers by design (sign-up, login, public profile, slots, booking, holds, waitlist, probes). */
const PUBLIC = new Set([
  'GET /health/live',
  'GET /health/ready',
  'POST /api/users',
  'POST /api/auth/login',
  'GET /api/users/{id}',
  'GET /api/availability/slots',
  'GET /api/availability/away',
  'GET /api/availability/explain',
  'POST /api/bookings',
  'POST /api/slots/holds',
  'DELETE /api/slots/holds/{token}',
  'PATCH /api/slots/holds/{token}',
  'POST /api/waitlist',
  'POST /api/auth/password-reset',
  'POST /api/auth/password-reset/confirm',
]);
/** Invitee endpoints: open with the booking's management token, so anonymous without it is 401 or 404. */
const TOKEN_BASED = new Set([
  'GET /api/bookings/{id}',
  'PUT /api/bookings/{id}/reschedule',
  'DELETE /api/bookings/{id}',
  'GET /api/bookings/{id}/ics',
  // Leaving a waitlist: the entry's token is the credential (an unknown one is a 404).
  'DELETE /api/waitlist/{token}',
]);
/** Browser redirect targets (OAuth callback, authenticated by its signed state): anonymous gets no 2xx, a redirect. */
const REDIRECTS = new Set(['GET /api/integrations/{provider}/callback', 'GET /api/conferencing/zoom/callback']);
/** Operations on the caller's own account: another host calling them acts on itself, not on A. */
const SELF_SCOPED = new Set(['DELETE /api/users/me']);

describe('authorization matrix (e2e)', () => {
  let t: TestApp;
  let a: TestHost;
  let b: TestHost;
  let ops: Op[] = [];
  const ids: Record<string, string> = {};
  const secretsOfA: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      now: '2027-03-01T12:00:00Z',
      env: { OUTBOX_POLL_INTERVAL_MS: '0', NOTIFY_SWEEP_INTERVAL_MS: '0', WEBHOOK_ALLOWED_HOSTS: 'hooks.example.com' },
    });
    a = await createHost(t);
    b = await createHost(t);
    const member = await createHost(t);
    await setWeeklyHours(t, a, 'Europe/London');
    const type = await createMeetingType(t, a, { slug: 'authz' });
    const booking = await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: type.id, start_time: '2027-03-02T10:00:00Z', ...invitee('authz') })
      .expect(201);
    const team = await createTeam(t, a, [member]);
    const key = await t.http().post('/api/api-keys').set(a.auth).send({ name: 'authz' }).expect(201);
    const schedules = await t.http().get('/api/schedules').set(a.auth).expect(200);
    const hook = await t
      .http()
      .post('/api/webhooks')
      .set(a.auth)
      .send({ url: 'https://hooks.example.com/k', events: ['booking.created'] });
    await t.app.get(OutboxRelay).drain();
    const notes = await t.http().get('/api/notifications').set(a.auth).expect(200);
    const firstId = (body: unknown) => {
      const list = Array.isArray(body)
        ? body
        : ((body as Record<string, unknown>)?.items ??
          (body as Record<string, unknown>)?.schedules ??
          (body as Record<string, unknown>)?.notifications);
      return Array.isArray(list) && list[0] ? String((list[0] as { id: string }).id) : randomUUID();
    };
    Object.assign(ids, {
      user: a.id,
      meetingType: type.id,
      booking: booking.body.id,
      team: team.id,
      apiKey: key.body.id,
      schedule: firstId(schedules.body),
      webhook: hook.status === 201 ? hook.body.id : randomUUID(),
      notification: firstId(notes.body),
    });
    secretsOfA.push(a.email, type.id, booking.body.id, 'inviteeauthz@example.com', key.body.id);

    const doc = (await t.http().get('/api/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        secured: Array.isArray(op.security) && op.security.length > 0,
      })),
    );
  });
  afterAll(() => t.close());

  /** The path with A's resource ids (unknown kinds get a random uuid: still must not answer 2xx). */
  function concrete(path: string): string {
    return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      if (name === 'provider') return 'google';
      if (name === 'token') return 'not-a-real-token';
      if (name === 'meetingTypeId') return ids.meetingType;
      if (name === 'bookingId') return ids.booking;
      if (name === 'userId') return ids.user;
      const kind = [
        [/^\/api\/users\//, 'user'],
        [/^\/api\/meeting-types\//, 'meetingType'],
        [/^\/api\/bookings\//, 'booking'],
        [/^\/api\/teams\//, 'team'],
        [/^\/api\/api-keys\//, 'apiKey'],
        [/^\/api\/schedules\//, 'schedule'],
        [/^\/api\/webhooks\//, 'webhook'],
        [/^\/api\/notifications\//, 'notification'],
      ].find(([re]) => (re as RegExp).test(path))?.[1] as string | undefined;
      return kind ? ids[kind] : randomUUID();
    });
  }

  /** Plausible bodies, so that a missing ownership check would show as a 2xx instead of hiding behind a 400. */
  function bodyFor(op: Op): Record<string, unknown> {
    const key = `${op.method} ${op.path}`;
    if (key === 'PUT /api/meeting-types/{id}') return { name: 'Hijacked', slug: 'hijacked', duration_minutes: 45 };
    if (key === 'PUT /api/bookings/{id}/reschedule') return { start_time: '2027-03-02T13:00:00Z' };
    if (key === 'POST /api/teams/{id}/invitations') return { email: 'intruder@example.com' };
    if (key === 'PUT /api/schedules/{id}') return { name: 'Hijacked', time_zone: 'UTC', rules: [] };
    return {};
  }

  function call(op: Op, auth?: Record<string, string>) {
    const path = concrete(op.path);
    let req = t.http()[op.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path);
    if (auth) req = req.set(auth);
    return op.method === 'GET' ? req : req.send(bodyFor(op));
  }

  it('covers the whole document', () => {
    expect(ops.length).toBeGreaterThan(40);
    expect(ops.filter((o) => o.secured).length).toBeGreaterThan(30);
  });

  it('anonymous: every host endpoint answers 401; token endpoints without a token never 2xx', async () => {
    const failures: string[] = [];
    for (const op of ops) {
      const key = `${op.method} ${op.path}`;
      if (PUBLIC.has(key)) continue;
      const res = await call(op);
      if (REDIRECTS.has(key)) {
        if (res.status < 300 || res.status >= 500) failures.push(`${key} -> ${res.status}`);
        continue;
      }
      const ok = TOKEN_BASED.has(key) ? [401, 404].includes(res.status) : res.status === 401;
      if (!ok) failures.push(`${key} -> ${res.status}`);
      else expect(res.body).toMatchObject({ status_code: res.status });
    }
    expect(failures).toEqual([]);
  });

  it("another host: no 2xx on host A's resources, and none of A's data in its own lists", async () => {
    const failures: string[] = [];
    for (const op of ops) {
      const key = `${op.method} ${op.path}`;
      if (SELF_SCOPED.has(key) || PUBLIC.has(key)) continue;
      const res = await call(op, b.auth);
      const targetsA = /\{\w+\}/.test(op.path) && !/\{(provider|token)\}/.test(op.path);
      if (targetsA && res.status < 300) failures.push(`${key} -> ${res.status}`);
      if (res.status >= 500) failures.push(`${key} -> ${res.status} (server error)`);
      const text = JSON.stringify(res.body ?? '') + (res.text ?? '');
      for (const secret of secretsOfA) if (text.includes(secret)) failures.push(`${key} leaks ${secret}`);
    }
    expect(failures).toEqual([]);
  });

  it("the owner still reads every resource, unchanged by the other host's attempts", async () => {
    const failures: string[] = [];
    for (const op of ops.filter((o) => o.method === 'GET' && /\{(id|bookingId|meetingTypeId)\}/.test(o.path))) {
      // No such resource of A's in this setup (a team's round-robin report needs a round-robin type: round-robin.e2e).
      if (/integrations\/\{id\}|\{provider\}|notifications|round-robin/.test(op.path)) continue;
      const res = await call(op, a.auth);
      if (res.status !== 200) failures.push(`${op.method} ${op.path} -> ${res.status}`);
    }
    expect(failures).toEqual([]);
    const type = await t.http().get(`/api/meeting-types/${ids.meetingType}`).set(a.auth).expect(200);
    expect(type.body.name).toBe('Intro call');
    const booking = await t.http().get(`/api/bookings/${ids.booking}`).set(a.auth).expect(200);
    expect(booking.body).toMatchObject({ status: 'confirmed', start_time: '2027-03-02T10:00:00Z' });
    await t.http().get(`/api/teams/${ids.team}`).set(a.auth).expect(200);
    await t
      .http()
      .get('/api/users/me')
      .set({ Authorization: `Bearer ${a.token}` })
      .expect(200);
  });
});
