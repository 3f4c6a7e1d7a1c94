import type { Response, Test } from 'supertest';
import { createHost, HOST_PASSWORD, type TestHost } from './support/factories.js';
import { OpenApiContract } from './support/openapi-contract.js';
import { setWeeklyHours, invitee } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The OpenAPI document against what the server really sends (issue 13): a realistic flow through every context, and
 * the usual mistakes, each response checked with ajv against the operation's documented response for its status —
 * an undocumented status, content type, missing Retry-After, wrong type, undocumented field or missing required field
 * fails the test.
 */
describe('OpenAPI contract: real responses match the document', () => {
  const NOW = '2027-03-01T12:00:00Z'; // a Monday
  const TUE_10_UTC = '2027-03-02T10:00:00.000Z';
  let t: TestApp;
  let contract: OpenApiContract;
  let doc: Record<string, unknown>;
  let host: TestHost;
  let member: TestHost;
  let typeId: string;
  const call = async (req: Test): Promise<Response> => contract.check(await req);

  beforeAll(async () => {
    t = await startTestApp({
      now: NOW,
      env: {
        OUTBOX_POLL_INTERVAL_MS: '0',
        NOTIFY_SWEEP_INTERVAL_MS: '0',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_MAX: '100000',
        RATE_LIMIT_LOGIN_MAX: '100000',
        RATE_LIMIT_CREDENTIAL_ACCOUNT_MAX: '3',
      },
    });
    doc = (await t.http().get('/api/openapi.json').expect(200)).body;
    contract = new OpenApiContract(doc);
  });
  afterAll(() => t.close());

  it('health, signup, login, profile and API keys', async () => {
    await call(t.http().get('/health/live'));
    await call(t.http().get('/health/ready'));
    host = await createHost(t, { time_zone: 'Europe/London' });
    member = await createHost(t, { time_zone: 'Europe/London' });
    await call(
      t
        .http()
        .post('/api/users')
        .send({ email: 'x@example.com', name: 'X', password: HOST_PASSWORD, time_zone: 'Europe/London', username: 'abc-contract' }),
    );
    await call(
      t
        .http()
        .post('/api/users')
        .send({ email: host.email, name: 'Dup', password: HOST_PASSWORD, time_zone: 'Europe/London', username: 'dup-contract' }),
    );
    await call(t.http().post('/api/users').send({ email: 'bad' }));
    await call(t.http().post('/api/auth/login').send({ email: host.email, password: HOST_PASSWORD }));
    await call(t.http().post('/api/auth/login').send({ email: host.email, password: 'wrong-password-1' }));
    await call(t.http().get('/api/users/me').set(host.auth));
    await call(t.http().get('/api/users/me'));
    await call(t.http().patch('/api/users/me').set(host.auth).send({ name: 'Ada Contract' }));
    await call(t.http().get(`/api/users/${host.id}`));
    await call(t.http().get('/api/users/00000000-0000-4000-8000-000000000000'));
    await call(t.http().get('/api/users/not-a-uuid'));
    const key = await call(t.http().post('/api/api-keys').set(host.auth).send({ name: 'ci' }));
    expect(key.status).toBe(201);
    await call(
      t
        .http()
        .post('/api/api-keys')
        .set({ Authorization: `Bearer ${key.body.key ?? key.body.token}` })
        .send({ name: 'ci2' }),
    );
    await call(t.http().get('/api/api-keys').set(host.auth));
    await call(t.http().delete(`/api/api-keys/${key.body.id}`).set(host.auth));
    await call(t.http().post('/api/auth/password-reset').send({ email: host.email }));
    await call(t.http().post('/api/auth/password-reset/confirm').send({ token: 'nope', password: 'a-new-strong-password-42' }));
  });

  it('schedules, rules and meeting types of each kind', async () => {
    await setWeeklyHours(t, host, 'Europe/London');
    await setWeeklyHours(t, member, 'Europe/London');
    await call(t.http().get('/api/availability/rules').set(host.auth));
    await call(t.http().post('/api/availability/rules').set(host.auth).send({ time_zone: 'Mars/Base', rules: [] }));
    const schedule = await call(t.http().post('/api/schedules').set(host.auth).send({ name: 'Other', rules: [] }));
    expect(schedule.status).toBe(201);
    await call(t.http().get('/api/schedules').set(host.auth));
    await call(t.http().get(`/api/schedules/${schedule.body.id}`).set(host.auth));
    await call(t.http().put(`/api/schedules/${schedule.body.id}`).set(host.auth).send({ name: 'Renamed', rules: [] }));
    await call(t.http().delete(`/api/schedules/${schedule.body.id}`).set(host.auth));
    await call(t.http().get(`/api/schedules/${schedule.body.id}`).set(host.auth));

    const team = await call(t.http().post('/api/teams').set(host.auth).send({ name: 'Sales' }));
    const invitation = await call(t.http().post(`/api/teams/${team.body.id}/invitations`).set(host.auth).send({ email: member.email }));
    await call(t.http().post(`/api/teams/invitations/${invitation.body.token}/accept`).set(member.auth));
    await call(t.http().post(`/api/teams/invitations/${invitation.body.token}/accept`).set(member.auth));
    await call(t.http().post(`/api/teams/${team.body.id}/invitations`).set(member.auth).send({ email: 'z@example.com' }));
    await call(t.http().get('/api/teams').set(host.auth));
    await call(t.http().get(`/api/teams/${team.body.id}`).set(host.auth));

    const one = await call(
      t
        .http()
        .post('/api/meeting-types')
        .set(host.auth)
        .send({
          name: 'Intro',
          slug: 'intro',
          duration_minutes: 30,
          description: 'Hello',
          location: { type: 'phone', value: '+441234567890' },
          booking_window_days: 60,
          max_bookings_per_day: 5,
          slot_interval_minutes: 30,
          questions: [{ id: 'topic', label: 'Topic', type: 'text', required: false }],
        }),
    );
    expect(one.status).toBe(201);
    await call(t.http().post('/api/meeting-types').set(host.auth).send({ name: 'Intro', slug: 'intro', duration_minutes: 30 }));
    await call(t.http().post('/api/meeting-types').set(host.auth).send({ name: 'Group', duration_minutes: 60, kind: 'group', seats: 5 }));
    await call(
      t
        .http()
        .post('/api/meeting-types')
        .set(host.auth)
        .send({
          name: 'Round',
          duration_minutes: 30,
          kind: 'round_robin',
          team_id: team.body.id,
          host_ids: [host.id, member.id],
        }),
    );
    await call(
      t
        .http()
        .post('/api/meeting-types')
        .set(host.auth)
        .send({
          name: 'Together',
          duration_minutes: 30,
          kind: 'collective',
          team_id: team.body.id,
          host_ids: [host.id, member.id],
        }),
    );
    await call(t.http().post('/api/meeting-types').set(host.auth).send({ name: 'Bad', duration_minutes: 1 }));
    await call(t.http().get('/api/meeting-types').set(host.auth));
    await call(t.http().get(`/api/meeting-types/${one.body.id}`).set(host.auth));
    await call(
      t.http().put(`/api/meeting-types/${one.body.id}`).set(host.auth).send({
        name: 'Intro',
        slug: 'intro',
        duration_minutes: 30,
        booking_window_days: null,
        description: null,
        location: null,
      }),
    );
    await call(t.http().get('/api/meeting-types/00000000-0000-4000-8000-000000000000').set(host.auth));
    typeId = one.body.id;
  });

  it('slots, holds, booking, reschedule, cancel, lists and the invitation file', async () => {
    const slots = await call(
      t.http().get('/api/availability/slots').query({ meeting_type_id: typeId, date: '2027-03-02', timezone: 'Europe/London' }),
    );
    expect(slots.status).toBe(200);
    await call(t.http().get('/api/availability/slots').query({ meeting_type_id: typeId, date: 'tuesday', timezone: 'Europe/London' }));
    await call(
      t
        .http()
        .get('/api/availability/slots')
        .query({ meeting_type_id: '00000000-0000-4000-8000-000000000000', date: '2027-03-02', timezone: 'Europe/London' }),
    );

    const hold = await call(t.http().post('/api/slots/holds').send({ meeting_type_id: typeId, start_time: '2027-03-02T11:00:00Z' }));
    expect(hold.status).toBe(201);
    await call(t.http().patch(`/api/slots/holds/${hold.body.hold_token}`));
    await call(t.http().delete(`/api/slots/holds/${hold.body.hold_token}`));
    await call(t.http().delete(`/api/slots/holds/${hold.body.hold_token}`));
    await call(t.http().patch('/api/slots/holds/unknown-token'));

    const booked = await call(
      t
        .http()
        .post('/api/bookings')
        .set('Idempotency-Key', 'contract-1')
        .send({ meeting_type_id: typeId, start_time: TUE_10_UTC, ...invitee('c1', { answers: { topic: 'Pricing' } }) }),
    );
    expect(booked.status).toBe(201);
    await call(
      t
        .http()
        .post('/api/bookings')
        .set('Idempotency-Key', 'contract-1')
        .send({ meeting_type_id: typeId, start_time: TUE_10_UTC, ...invitee('c-other') }),
    );
    await call(
      t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: typeId, start_time: TUE_10_UTC, ...invitee('c2') }),
    );
    await call(
      t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: typeId, start_time: 'soon', ...invitee('c3') }),
    );
    await call(
      t
        .http()
        .post('/api/bookings')
        .set('Content-Type', 'application/json')
        .send(`{"x":"${'a'.repeat(1_100_000)}"}`),
    );
    await call(t.http().post('/api/bookings').set('Content-Type', 'application/json').send('{"broken'));

    const token = booked.body.management_token as string;
    await call(t.http().get(`/api/bookings/${booked.body.id}`).set(host.auth));
    await call(t.http().get(`/api/bookings/${booked.body.id}`).query({ token }));
    await call(t.http().get(`/api/bookings/${booked.body.id}`));
    await call(t.http().get(`/api/bookings/${booked.body.id}/ics`).query({ token }));
    await call(t.http().get(`/api/bookings/${booked.body.id}/ics`).set(host.auth));
    await call(t.http().get('/api/bookings/00000000-0000-4000-8000-000000000000/ics').set(host.auth));
    const moved = await call(
      t.http().put(`/api/bookings/${booked.body.id}/reschedule`).query({ token }).send({ start_time: '2027-03-02T13:00:00Z' }),
    );
    expect(moved.status).toBe(200);
    await call(t.http().put(`/api/bookings/${booked.body.id}/reschedule`).query({ token }).send({ start_time: '2027-03-02T14:00:00Z' }));
    const second = await call(
      t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: typeId, start_time: '2027-03-02T15:00:00Z', ...invitee('c4') }),
    );
    await call(t.http().delete(`/api/bookings/${moved.body.id}`).set(host.auth).send({ reason: 'Travelling' }));
    await call(t.http().delete(`/api/bookings/${second.body.id}`).query({ token: second.body.management_token }));
    await call(t.http().delete(`/api/bookings/${second.body.id}`).query({ token: second.body.management_token }));
    await call(t.http().get('/api/bookings').set(host.auth));
    await call(t.http().get('/api/bookings').set(host.auth).query({ status: 'cancelled', limit: 5 }));
    await call(t.http().get('/api/bookings').set(host.auth).query({ limit: 'many' }));
    await call(t.http().get('/api/bookings'));
    await call(t.http().get(`/api/users/${host.id}/bookings`).set(host.auth));
    await call(t.http().get(`/api/integrations/bookings/${booked.body.id}/events`).set(host.auth));
  });

  it('webhooks, notifications, integrations, audit, export and privacy', async () => {
    const hook = await call(
      t
        .http()
        .post('/api/webhooks')
        .set(host.auth)
        .send({ url: 'http://127.0.0.1:9/hook', events: ['invitee.created'] }),
    );
    await call(
      t
        .http()
        .post('/api/webhooks')
        .set(host.auth)
        .send({ url: 'http://127.0.0.1:9/hook', events: ['invitee.exploded'] }),
    );
    await call(t.http().get('/api/webhooks').set(host.auth));
    if (hook.status === 201) await call(t.http().delete(`/api/webhooks/${hook.body.id}`).set(host.auth));
    const notes = await call(t.http().get('/api/notifications').set(host.auth));
    await call(t.http().get('/api/notifications').set(host.auth).query({ status: 'nonsense' }));
    if (notes.body[0]) await call(t.http().post(`/api/notifications/${notes.body[0].id}/redeliver`).set(host.auth));
    await call(t.http().post('/api/notifications/00000000-0000-4000-8000-000000000000/redeliver').set(host.auth));

    await call(t.http().get('/api/integrations/export').set(host.auth));
    await call(t.http().post('/api/integrations/export/rotate').set(host.auth));
    await call(t.http().get('/api/integrations').set(host.auth));
    await call(t.http().get('/api/integrations/google/oauth').set(host.auth));
    await call(t.http().get('/api/integrations/nope/oauth').set(host.auth));
    await call(t.http().post('/api/integrations/ics').set(host.auth).send({ url: 'ftp://example.com/x.ics' }));
    await call(t.http().get('/api/integrations/00000000-0000-4000-8000-000000000000').set(host.auth));

    await call(t.http().get('/api/audit').set(host.auth));
    await call(t.http().get('/api/users/me/export').set(host.auth));
    await call(t.http().post('/api/privacy/erase-invitee').set(host.auth).send({ email: 'invitee-none@example.com' }));
    await call(t.http().post('/api/privacy/erase-invitee').set(host.auth).send({ email: 'nope' }));
  });

  it('no-shows and insights', async () => {
    const booked = await call(
      t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: typeId, start_time: '2027-03-02T16:00:00Z', ...invitee('ns') }),
    );
    expect(booked.status).toBe(201);
    await call(t.http().post(`/api/bookings/${booked.body.id}/no-show`).set(host.auth)); // 409: not started
    t.clock!.set('2027-03-02T17:00:00Z');
    try {
      expect((await call(t.http().post(`/api/bookings/${booked.body.id}/no-show`).set(host.auth).send({}))).status).toBe(200);
      await call(t.http().post(`/api/bookings/${booked.body.id}/no-show`).set(host.auth).send({ invitee_id: 'x' }));
      await call(t.http().post(`/api/bookings/${booked.body.id}/no-show`).set(member.auth));
      expect((await call(t.http().delete(`/api/bookings/${booked.body.id}/no-show`).set(host.auth))).status).toBe(200);
      expect((await call(t.http().get('/api/insights').set(host.auth))).status).toBe(200);
      await call(t.http().get('/api/insights').set(host.auth).query({ from: '2027-03-01', to: '2027-03-07' }));
      await call(t.http().get('/api/insights').set(host.auth).query({ from: '2026-01-01', to: '2027-03-07' }));
      await call(t.http().get('/api/insights'));
    } finally {
      t.clock!.set(NOW);
    }
  });

  it('429 carries Retry-After as documented', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 5; i++)
      last = await call(
        t
          .http()
          .post('/api/auth/login')
          .send({ email: member.email, password: `wrong-password-${i}` }),
      );
    expect(last!.status).toBe(429);
    expect(last!.headers['retry-after']).toBeDefined();
  });

  it('every response matched its documented status, content type, headers and schema', () => {
    expect(contract.problems).toEqual([]);
  });

  it('declares every count, minute and limit as an integer (ajv then checks the values sent are whole)', () => {
    const numbers: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      // A fraction (insights' rates and shares) says so: format float.
      const { type, format } = node as { type?: unknown; format?: unknown };
      if (type === 'number' && format !== 'float') numbers.push(path);
      for (const [key, child] of Object.entries(node)) visit(child, `${path}/${key}`);
    };
    visit(doc, '#');
    expect(numbers).toEqual([]);
  });

  it('covered a realistic share of the document', () => {
    const ops = new Set([...contract.seen].map((s) => s.split(' ').slice(0, 2).join(' ')));
    if (process.env.CONTRACT_DEBUG) console.log([...contract.seen].sort().join('\n'));
    expect(ops.size).toBeGreaterThan(45);
  });
});
