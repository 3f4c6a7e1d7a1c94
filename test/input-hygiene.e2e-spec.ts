import request from 'supertest';
import { RESERVED_USERNAMES } from '../src/modules/identity/domain/username.js';
import { createHost, type TestHost } from './support/factories.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 12, items 6 and 8: client mistakes are 4xx with the error body, never a 500 (NUL bytes, unpaired
 * surrogates, far dates) and nothing is half-stored; names, titles and reasons are one clean line; video locations
 * are https links; usernames cannot shadow the app's routes; time zones are stored in their canonical spelling.
 */
// Monday 1 March 2027, 12:00 UTC.
const NOW = '2027-03-01T12:00:00Z';

describe('input hygiene (e2e)', () => {
  let t: TestApp;
  let host: TestHost;
  let typeId: string;
  let slug: string;

  beforeAll(async () => {
    t = await startTestApp({ now: NOW, env: { OUTBOX_POLL_INTERVAL_MS: '0', NOTIFY_SWEEP_INTERVAL_MS: '0' } });
    host = await createHost(t);
    await setWeeklyHours(t, host, 'Europe/London');
    const type = await createMeetingType(t, host, { slug: 'hygiene', questions: [{ id: 'topic', label: 'Topic', type: 'long_text' }] });
    typeId = type.id;
    slug = type.slug;
  });
  afterAll(() => t?.close());

  const expectErrorBody = (res: request.Response, status = 400) => {
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ status_code: status, error: expect.any(String), message: expect.any(String) });
  };
  const bookingCount = async () => (await t.http().get('/api/bookings').set(host.auth).expect(200)).body.total as number;
  const book = (start: string, extra: Record<string, unknown> = {}) =>
    t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: start, ...invitee(start.slice(8, 13).replace(/\D/g, '')), ...extra });

  describe('item 6: NUL bytes and unpaired surrogates are a 400 before any query', () => {
    it('signup with a NUL in the name, email or username: 400 with the field, and no user stored', async () => {
      for (const [field, value] of [
        ['name', 'Eve\u0000'],
        ['email', 'eve\u0000@example.com'],
        ['username', 'eve\u0000'],
      ]) {
        const body = {
          email: 'eve@example.com',
          name: 'Eve',
          password: 'correct-horse-battery',
          time_zone: 'UTC',
          username: 'eve-nul',
          [field]: value,
        };
        const res = await t.http().post('/api/users').send(body);
        expectErrorBody(res);
        expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
      }
      await t.http().post('/api/auth/login').send({ email: 'eve@example.com', password: 'correct-horse-battery' }).expect(401);
    });

    it('booking with a NUL in the invitee name, or in an answer key or value: 400, nothing booked', async () => {
      const before = await bookingCount();
      expectErrorBody(await book('2027-03-02T09:00:00Z', { invitee_name: 'Mallory\u0000' }));
      expectErrorBody(await book('2027-03-02T09:00:00Z', { answers: { topic: 'a\u0000b' } }));
      // jsonb refuses \u0000 in keys too: the raw JSON text carries it as a client would send it.
      const raw = JSON.stringify({
        meeting_type_id: typeId,
        start_time: '2027-03-02T09:00:00Z',
        ...invitee('raw'),
        answers: { 'to\u0000pic': 'x' },
      });
      expectErrorBody(await t.http().post('/api/bookings').set('Content-Type', 'application/json').send(raw));
      expect(await bookingCount()).toBe(before);
    });

    it('an unpaired surrogate in a name is refused (it would be stored as U+FFFD)', async () => {
      const raw = `{"name":"Team \\ud800"}`;
      const res = await t.http().post('/api/teams').set(host.auth).set('Content-Type', 'application/json').send(raw);
      expectErrorBody(res);
      const teams = await t.http().get('/api/teams').set(host.auth).expect(200);
      expect(JSON.stringify(teams.body)).not.toContain('\ufffd');
    });

    it('cancel with a NUL in the reason: 400, and the booking stays confirmed', async () => {
      const booked = await book('2027-03-02T10:00:00Z').expect(201);
      const token = booked.body.management_token as string;
      expectErrorBody(await t.http().delete(`/api/bookings/${booked.body.id}?token=${token}`).send({ reason: 'bye\u0000' }));
      const after = await t.http().get(`/api/bookings/${booked.body.id}?token=${token}`).expect(200);
      expect(after.body.status).toBe('confirmed');
    });

    it('NUL in a query or path: slots username, page URLs; pages answer with their HTML 400 page', async () => {
      expectErrorBody(await t.http().get(`/api/availability/slots?username=%00${host.username}&slug=${slug}&date=2027-03-02`));
      expectErrorBody(await t.http().get(`/api/users/%00`));
      const page = await t.http().get(`/%00${host.username}`);
      expect(page.status).toBe(400);
      expect(page.type).toBe('text/html');
      expect(page.text).toContain('cannot be stored');
      const typePage = await t.http().get(`/${host.username}/${slug}?tz=%00`);
      expect(typePage.status).toBe(400);
      expect(typePage.type).toBe('text/html');
      const form = await t
        .http()
        .post(`/${host.username}/${slug}/book`)
        .type('form')
        .send({ start: '2027-03-02T11:00:00Z', tz: 'UTC', name: 'Mal\u0000lory', email: 'm@example.com' });
      expect(form.status).toBe(400);
      expect(form.type).toBe('text/html');
    });
  });

  describe('item 6: far dates are a 400 with the accepted range', () => {
    it('slots for year 9999 (or year 0050) answer 400 naming the bounds', async () => {
      for (const date of ['9999-12-31', '2040-01-01', '2025-01-01']) {
        const res = await t.http().get(`/api/availability/slots?meeting_type_id=${typeId}&date=${date}`);
        expectErrorBody(res);
        expect(res.body.message).toMatch(/date must be between 2026-02-28 and 2037-03-08/);
      }
      expectErrorBody(await t.http().get(`/api/availability/slots?meeting_type_id=${typeId}&date=0050-01-01`));
      const endFar = await t.http().get(`/api/availability/slots?meeting_type_id=${typeId}&date=2027-03-02&end_date=9999-01-01`);
      expectErrorBody(endFar);
      expect(endFar.body.errors).toEqual([expect.objectContaining({ field: 'end_date' })]);
      await t.http().get(`/api/availability/slots?meeting_type_id=${typeId}&date=2027-03-02`).expect(200);
    });

    it("the booking page's month= and date= in year 9999: the HTML 400 page", async () => {
      for (const q of ['month=9999-01', 'date=9999-12-31']) {
        const res = await t.http().get(`/${host.username}/${slug}?${q}`);
        expect(res.status).toBe(400);
        expect(res.type).toBe('text/html');
        expect(res.text).toContain('must be between');
      }
      await t.http().get(`/${host.username}/${slug}?month=2027-04`).expect(200);
    });

    it('far instants in the booking form and the API are client mistakes, not 500s', async () => {
      for (const start of ['9999-12-31T10:00:00Z', '+275760-09-13T00:00:00Z', '0001-01-01T00:00:00Z']) {
        const page = await t.http().get(`/${host.username}/${slug}/book?start=${encodeURIComponent(start)}&tz=UTC`);
        expect({ start, status: page.status < 500 }).toEqual({ start, status: true });
        const post = await t
          .http()
          .post(`/${host.username}/${slug}/book`)
          .type('form')
          .send({ start, tz: 'UTC', name: 'Far', email: 'far@example.com' });
        expect({ start, status: post.status < 500 }).toEqual({ start, status: true });
        const booked = await book('2027-03-05T09:00:00Z');
        const move = await t
          .http()
          .post(`/booking/${booked.body.id}/reschedule`)
          .type('form')
          .send({ token: booked.body.management_token, start, tz: 'UTC' });
        expect({ start, status: move.status < 500 }).toEqual({ start, status: true });
        await t.http().delete(`/api/bookings/${booked.body.id}?token=${booked.body.management_token}`).expect(200);
        const api = await book(start);
        expect(api.status).toBeGreaterThanOrEqual(400);
        expect(api.status).toBeLessThan(500);
      }
    });
  });

  describe('item 8: names, titles and reasons are one line without control characters', () => {
    const forged = 'Eve\r\nBcc: victim@example.com';

    it('user, API key, team, schedule and meeting type names refuse CR/LF and control characters with a field error', async () => {
      const cases: Array<[string, request.Test, string]> = [
        [
          'signup name',
          t
            .http()
            .post('/api/users')
            .send({ email: 'crlf@example.com', name: forged, password: 'correct-horse-battery', time_zone: 'UTC', username: 'crlf' }),
          'name',
        ],
        ['profile name', t.http().patch('/api/users/me').set(host.auth).send({ name: 'Bell\u0007' }), 'name'],
        ['api key name', t.http().post('/api/api-keys').set(host.auth).send({ name: 'key\nname' }), 'name'],
        ['team name', t.http().post('/api/teams').set(host.auth).send({ name: 'Sales\r\n' }), 'name'],
        ['schedule name', t.http().post('/api/schedules').set(host.auth).send({ name: 'Late\rhours', rules: [] }), 'name'],
        ['meeting type name', t.http().post('/api/meeting-types').set(host.auth).send({ name: forged, duration_minutes: 30 }), 'name'],
        [
          'question label',
          t
            .http()
            .post('/api/meeting-types')
            .set(host.auth)
            .send({ name: 'Q', duration_minutes: 30, questions: [{ label: 'A\nB', type: 'text' }] }),
          'questions.0.label',
        ],
        [
          'choice option',
          t
            .http()
            .post('/api/meeting-types')
            .set(host.auth)
            .send({ name: 'Q', duration_minutes: 30, questions: [{ label: 'Size', type: 'single_choice', options: ['S', 'M\u001b'] }] }),
          'questions.0.options',
        ],
        [
          'description with ESC',
          t.http().post('/api/meeting-types').set(host.auth).send({ name: 'D', duration_minutes: 30, description: 'x\u001b[2J' }),
          'description',
        ],
        ['bidi override in a name', t.http().post('/api/teams').set(host.auth).send({ name: 'abc\u202Egnp.exe' }), 'name'],
        ['invitee name', book('2027-03-03T09:00:00Z', { invitee_name: forged }), 'invitee_name'],
      ];
      for (const [what, call, field] of cases) {
        const res = await call;
        expect({ what, status: res.status }).toEqual({ what, status: 400 });
        expectErrorBody(res);
        expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      const me = await t.http().get('/api/users/me').set(host.auth).expect(200);
      expect(me.body.name).not.toContain('\u0007');
    });

    it('descriptions are multi-line text: line breaks and tabs are kept', async () => {
      const res = await t
        .http()
        .post('/api/meeting-types')
        .set(host.auth)
        .send({ name: 'Workshop', duration_minutes: 60, description: 'Agenda:\r\n\t1. Intro\n\t2. Demo' })
        .expect(201);
      expect(res.body.description).toBe('Agenda:\r\n\t1. Intro\n\t2. Demo');
    });

    it('cancel and reschedule reasons refuse line breaks (they are shared in emails and calendar events)', async () => {
      const booked = await book('2027-03-03T10:00:00Z').expect(201);
      const { id, management_token: token } = booked.body as { id: string; management_token: string };
      const move = await t
        .http()
        .put(`/api/bookings/${id}/reschedule?token=${token}`)
        .send({ start_time: '2027-03-03T11:00:00Z', reason: 'a\nb' });
      expectErrorBody(move);
      expect(move.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
      const cancel = await t.http().delete(`/api/bookings/${id}?token=${token}`).send({ reason: forged });
      expectErrorBody(cancel);
      expect((await t.http().get(`/api/bookings/${id}?token=${token}`).expect(200)).body.status).toBe('confirmed');
    });

    it("the cancel page folds the textarea's line breaks into one line", async () => {
      const booked = await book('2027-03-03T13:00:00Z').expect(201);
      const { id, management_token: token } = booked.body as { id: string; management_token: string };
      await t.http().post(`/booking/${id}/cancel`).type('form').send({ token, reason: 'Sorry,\r\nsomething came up' }).expect(303);
      const after = await t.http().get(`/api/bookings/${id}`).set(host.auth).expect(200);
      expect(after.body).toMatchObject({ status: 'cancelled', cancellation_reason: 'Sorry, something came up' });
    });

    it('the booking page refuses a control character in the name beside the field', async () => {
      const res = await t
        .http()
        .post(`/${host.username}/${slug}/book`)
        .type('form')
        .send({ start: '2027-03-03T14:00:00Z', tz: 'UTC', name: 'Grace\u0007', email: 'grace@example.com' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('Your name must be a single line without control characters.');
    });

    it('the admin sign-up form refuses a name with a line break beside the field', async () => {
      const agent = request.agent(t.app.getHttpServer());
      const form = await agent.get('/admin/signup').expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
      const res = await agent.post('/admin/signup').type('form').send({
        _csrf: csrf,
        name: forged,
        email: 'form-crlf@example.com',
        username: 'form-crlf',
        time_zone: 'UTC',
        password: 'correct-horse-battery-staple',
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('Your name must be a single line without control characters.');
    });

    it('the admin API key and team forms refuse a line break in the name beside the field', async () => {
      const agent = request.agent(t.app.getHttpServer());
      const form = await agent.get('/admin/signup').expect(200);
      await agent
        .post('/admin/signup')
        .type('form')
        .send({
          _csrf: /name="_csrf" value="([^"]+)"/.exec(form.text)![1],
          name: 'Keys',
          email: 'keys-form@example.com',
          username: 'keys-form',
          time_zone: 'UTC',
          password: 'correct-horse-battery-staple',
        })
        .expect(303);
      const keys = await agent.get('/admin/api-keys').expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(keys.text)![1];
      const key = await agent.post('/admin/api-keys').type('form').send({ _csrf: csrf, name: 'ci\r\nkey' });
      expect(key.status).toBe(400);
      expect(key.text).toContain('The name must be a single line without control characters.');
      const team = await agent.post('/admin/teams').type('form').send({ _csrf: csrf, name: 'Sales\nTeam' });
      expect(team.status).toBe(400);
      expect(team.text).toContain('The name must be a single line without control characters.');
    });
  });

  describe('item 8: video locations are https links', () => {
    let n = 0;
    const typeWith = (location: unknown) =>
      t
        .http()
        .post('/api/meeting-types')
        .set(host.auth)
        .send({ name: `Call ${++n}`, duration_minutes: 30, location });

    it.each([
      ['http://meet.example.com/ada'],
      ['javascript:alert(document.cookie)'],
      ['data:text/html,<script>alert(1)</script>'],
      ['//meet.example.com/ada'],
      ['meet.example.com/ada'],
      ['https://'],
    ])('refuses the video location %s', async (value) => {
      const res = await typeWith({ type: 'video', value });
      expectErrorBody(res);
      expect(res.body.message).toContain('location.value must be a meeting link starting with https://');
    });

    it('accepts an https video link, and one-line values for other kinds', async () => {
      await typeWith({ type: 'video', value: 'https://meet.example.com/ada' }).expect(201);
      await typeWith({ type: 'in_person', value: '1 Main St, Springfield' }).expect(201);
      expectErrorBody(await typeWith({ type: 'in_person', value: '1 Main St\r\nFloor 2' }));
    });
  });

  describe('item 8: reserved usernames, one list checked at sign-up, profile and the admin form', () => {
    /** Every fixed first path segment the app routes (`/admin`, `/api`, `/feeds/…`, …), read from the router. */
    function topLevelSegments(): string[] {
      // Fastify's route tree, one line per node; the top-level nodes (`├── /admin (GET, HEAD)`) start each line.
      const tree = t.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
      const lines = tree.split('\n');
      expect(lines.length).toBeGreaterThan(50);
      const top = lines.map((l) => /^[├└]── \/([^/ ]*)/.exec(l)?.[1]).filter((s): s is string => s !== undefined);
      return [...new Set(top.filter((s) => s && !/^[:*{]/.test(s)))];
    }

    it('every top-level route segment is reserved', () => {
      const segments = topLevelSegments();
      expect(segments).toEqual(expect.arrayContaining(['admin', 'api', 'booking', 'feeds', 'health', 'metrics', 'static']));
      expect(segments.filter((s) => !RESERVED_USERNAMES.has(s))).toEqual([]);
    });

    it.each(['feeds', 'admin', 'api', 'booking', 'health', 'metrics', 'docs', 'static', 'login', 'signup', 'join', 'Feeds'])(
      'sign-up with username %s is refused',
      async (username) => {
        const res = await t
          .http()
          .post('/api/users')
          .send({
            email: `${username}-r@example.com`,
            name: 'R',
            password: 'correct-horse-battery',
            time_zone: 'UTC',
            username,
          });
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(/reserved|username must be/);
      },
    );

    it('the admin profile form refuses a reserved username beside the field', async () => {
      const agent = request.agent(t.app.getHttpServer());
      const signup = await agent.get('/admin/signup').expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(signup.text)![1];
      await agent
        .post('/admin/signup')
        .type('form')
        .send({
          _csrf: csrf,
          name: 'Profile',
          email: 'profile-r@example.com',
          username: 'profile-r',
          time_zone: 'UTC',
          password: 'correct-horse-battery-staple',
        })
        .expect(303);
      const page = await agent.get('/admin/profile').expect(200);
      const csrf2 = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const res = await agent
        .post('/admin/profile')
        .type('form')
        .send({ _csrf: csrf2, name: 'Profile', username: 'feeds', time_zone: 'UTC' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('reserved');
    });
  });

  describe('item 8: time zones are stored in their canonical IANA spelling', () => {
    it.each([
      ['america/new_york', 'America/New_York'],
      ['US/Eastern', 'America/New_York'],
      ['Asia/Calcutta', 'Asia/Kolkata'],
      ['utc', 'UTC'],
      ['Asia/Kolkata', 'Asia/Kolkata'],
    ])('sign-up with %s stores %s', async (given, stored) => {
      const username = `tz-${given.toLowerCase().replace(/[^a-z]/g, '')}`;
      const res = await t
        .http()
        .post('/api/users')
        .send({ email: `${username}@example.com`, name: 'Z', password: 'correct-horse-battery', time_zone: given, username })
        .expect(201);
      expect(res.body.time_zone).toBe(stored);
    });

    it('refuses abbreviations and offsets that are not places', async () => {
      for (const zone of ['EST', '+05:00', 'Not/A_Zone']) {
        expectErrorBody(await t.http().patch('/api/users/me').set(host.auth).send({ time_zone: zone }));
      }
    });

    it('profile, schedules, the slots query and the invitee zone of a booking are canonical too', async () => {
      expect((await t.http().patch('/api/users/me').set(host.auth).send({ time_zone: 'europe/london' }).expect(200)).body.time_zone).toBe(
        'Europe/London',
      );
      const schedule = await t
        .http()
        .post('/api/schedules')
        .set(host.auth)
        .send({ name: 'Paris', time_zone: 'europe/paris', rules: [] })
        .expect(201);
      expect(schedule.body.time_zone).toBe('Europe/Paris');
      const slots = await t.http().get(`/api/availability/slots?meeting_type_id=${typeId}&date=2027-03-04&timezone=asia/tokyo`).expect(200);
      expect(slots.body.time_zone).toBe('Asia/Tokyo');
      const booked = await book('2027-03-04T09:00:00Z', { time_zone: 'america/new_york' }).expect(201);
      expect(booked.body.time_zone).toBe('America/New_York');
    });
  });
});
