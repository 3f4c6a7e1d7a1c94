import { OutboxRelay } from '../src/shared/outbox/outbox-relay.js';
import { CalendarEventWriter } from '../src/modules/calendar/application/calendar-event-writer.service.js';
import { CalendarPoller } from '../src/modules/calendar/application/calendar-poller.service.js';
import { googleEventIdFor } from '../src/modules/calendar/infrastructure/google-calendar.adapter.js';
import { createHost, type TestHost } from './support/factories.js';
import { FakeGoogleCalendar } from './support/fake-google-calendar.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { METRICS_AUTH } from './support/test-env.js';

// Monday 1 March 2027, 12:00 UTC. London is on GMT (UTC+0) until 28 March; New York on EST (UTC-5) until 14 March.
const NOW = '2027-03-01T12:00:00Z';
const TUE = '2027-03-02';

describe('calendar integrations: Google (e2e against a local fake Google)', () => {
  let t: TestApp;
  let google: FakeGoogleCalendar;

  beforeAll(async () => {
    google = await new FakeGoogleCalendar().start();
    google.now = () => t.clock!.now().getTime();
    t = await startTestApp({
      now: NOW,
      env: { ...google.env, OUTBOX_POLL_INTERVAL_MS: '0', CALENDAR_PUSH_ENABLED: 'true', ENCRYPTION_KEY: `k1:${'ab'.repeat(32)}` },
    });
  });
  afterAll(async () => {
    await t.close();
    await google.stop();
  });

  /** Walks the OAuth dance: our 302 → the fake consent page → its 302 back to our callback. */
  async function consent(host: TestHost) {
    const start = await t.http().get('/api/integrations/google/oauth').set(host.auth).expect(302);
    const consentUrl = new URL(start.headers.location);
    expect(consentUrl.origin + consentUrl.pathname).toBe(`${google.url}/o/oauth2/v2/auth`);
    expect(consentUrl.searchParams.get('access_type')).toBe('offline');
    expect(consentUrl.searchParams.get('scope')).toContain('https://www.googleapis.com/auth/calendar');
    expect(consentUrl.searchParams.get('redirect_uri')).toBe('http://kairos.test/api/integrations/google/callback');
    const back = await fetch(consentUrl, { redirect: 'manual' });
    expect(back.status).toBe(302);
    const callback = new URL(back.headers.get('location')!);
    return `${callback.pathname}${callback.search}`;
  }

  async function connect(host: TestHost, account = `${host.username}@gmail.test`): Promise<string> {
    google.account = account;
    const res = await t
      .http()
      .get(await consent(host))
      .set('Accept', 'application/json')
      .expect(200);
    return res.body.id as string;
  }

  const slotStarts = async (typeId: string, date: string, timezone = 'Europe/London') => {
    const res = await t.http().get('/api/availability/slots').query({ meeting_type_id: typeId, date, timezone }).expect(200);
    return res.body.slots.map((s: { start_time: string }) => s.start_time) as string[];
  };
  const sync = (host: TestHost, id: string) => t.http().post(`/api/integrations/${id}/sync`).set(host.auth).expect(200);
  const cacheRows = (userId: string) =>
    t.dataSource.query(
      `SELECT external_event_id, start_time, end_time, is_all_day, is_busy, status FROM calendar_events_cache WHERE user_id = $1 ORDER BY start_time, external_event_id`,
      [userId],
    );
  const iso = (d: Date | string) => new Date(d).toISOString();

  /** Fresh events in the fake's primary calendar for each test. */
  beforeEach(() => {
    google.calendars.get('primary-cal')!.events.clear();
  });

  it('connects through OAuth, stores tokens encrypted, and lists the calendars', async () => {
    const host = await createHost(t);
    const id = await connect(host);
    const [row] = await t.dataSource.query(`SELECT * FROM calendar_integrations WHERE id = $1`, [id]);
    const rawTokens = [...google.oauth.accessTokens.keys(), ...google.oauth.refreshTokens.keys()];
    for (const raw of rawTokens) expect(JSON.stringify(row)).not.toContain(raw);
    expect(row.access_token_enc).toMatch(/^v1\.k1\./);
    expect(row.refresh_token_enc).toMatch(/^v1\.k1\./);

    const list = await t.http().get('/api/integrations').set(host.auth).expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({
        id,
        provider: 'google',
        account_email: `${host.username}@gmail.test`,
        status: 'active',
        last_error: null,
        token_expires_at: '2027-03-01T13:00:00.000Z',
        last_synced_at: expect.any(String),
      }),
    ]);
    expect(JSON.stringify(list.body)).not.toMatch(/ya29|1\/\/rt/);

    const calendars = await t.http().get(`/api/integrations/${id}/calendars`).set(host.auth).expect(200);
    expect(calendars.body).toEqual([
      expect.objectContaining({
        calendar_id: 'primary-cal',
        is_primary: true,
        is_busy_source: true,
        is_destination: true,
        read_only: false,
      }),
      expect.objectContaining({
        calendar_id: 'holidays',
        is_primary: false,
        is_busy_source: false,
        is_destination: false,
        read_only: true,
      }),
    ]);
    // A browser (no JSON Accept) is sent back to the admin page.
    const again = await t
      .http()
      .get(await consent(host))
      .expect(302);
    expect(again.headers.location).toBe(`/admin/integrations?connected=${id}`); // same account: reconnected, not duplicated
    expect((await t.http().get('/api/integrations').set(host.auth)).body).toHaveLength(1);
  });

  it('rejects a tampered, reused or foreign OAuth state and stores nothing', async () => {
    const host = await createHost(t);
    const path = await consent(host);
    const url = new URL(path, 'http://x');
    const state = url.searchParams.get('state')!;
    const [data, sig] = state.split('.');
    const payload = JSON.parse(Buffer.from(data, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...payload, uid: '00000000-0000-4000-8000-000000000000' })).toString('base64url');

    const tamper = (s: string) => {
      const u = new URL(url);
      u.searchParams.set('state', s);
      return `${u.pathname}${u.search}`;
    };
    const bad1 = await t
      .http()
      .get(tamper(`${forged}.${sig}`))
      .set('Accept', 'application/json')
      .expect(400);
    expect(bad1.body).toMatchObject({ status_code: 400, message: 'OAuth state is missing or invalid' });
    await t
      .http()
      .get(tamper(`${data}.${sig.slice(0, -2)}xx`))
      .set('Accept', 'application/json')
      .expect(400);
    await t.http().get(tamper('')).set('Accept', 'application/json').expect(400);
    // Used on the Microsoft callback: issued for another provider.
    const foreign = await t.http().get(`/api/integrations/microsoft/callback${url.search}`).set('Accept', 'application/json').expect(400);
    expect(foreign.body.message).toMatch(/another provider/);
    expect(await t.dataSource.query(`SELECT 1 FROM calendar_integrations WHERE user_id = $1`, [host.id])).toHaveLength(0);
    // The genuine one works once; a replay is refused.
    await t.http().get(path).set('Accept', 'application/json').expect(200);
    const replay = await t.http().get(path).set('Accept', 'application/json').expect(400);
    expect(replay.body.message).toMatch(/already used/);
    // A browser gets redirected with the message instead.
    const browser = await t
      .http()
      .get(tamper(`${forged}.${sig}`))
      .expect(302);
    expect(browser.headers.location).toMatch(/^\/admin\/integrations\?error=/);
    // Starting needs a login.
    await t.http().get('/api/integrations/google/oauth').expect(401);
  });

  it('only the owner sees or changes a connection (others get 404)', async () => {
    const host = await createHost(t);
    const other = await createHost(t);
    const id = await connect(host);
    await t.http().get(`/api/integrations/${id}`).set(other.auth).expect(404);
    await t.http().get(`/api/integrations/${id}/calendars`).set(other.auth).expect(404);
    await t
      .http()
      .put(`/api/integrations/${id}/calendars`)
      .set(other.auth)
      .send({ calendars: [{ calendar_id: 'primary-cal', is_busy_source: false }] })
      .expect(404);
    await t.http().post(`/api/integrations/${id}/sync`).set(other.auth).expect(404);
    await t.http().delete(`/api/integrations/${id}`).set(other.auth).expect(404);
    expect((await t.http().get('/api/integrations').set(other.auth).expect(200)).body).toEqual([]);
    await t.http().get(`/api/integrations/not-a-uuid`).set(host.auth).expect(400);
  });

  it('a busy event removes slots; free, declined and cancelled events do not', async () => {
    const host = await createHost(t, { time_zone: 'Europe/London' });
    await setWeeklyHours(t, host, 'Europe/London');
    const type = await createMeetingType(t, host, { duration_minutes: 30 });
    const id = await connect(host);
    expect(await slotStarts(type.id, TUE)).toContain('2027-03-02T10:00:00Z'); // cached now, before the event exists

    google.putEvent('primary-cal', { id: 'busy1', start: { dateTime: '2027-03-02T10:00:00Z' }, end: { dateTime: '2027-03-02T11:00:00Z' } });
    google.putEvent('primary-cal', {
      id: 'free1',
      start: { dateTime: '2027-03-02T12:00:00Z' },
      end: { dateTime: '2027-03-02T13:00:00Z' },
      transparency: 'transparent',
    });
    google.putEvent('primary-cal', {
      id: 'declined1',
      start: { dateTime: '2027-03-02T13:00:00Z' },
      end: { dateTime: '2027-03-02T14:00:00Z' },
      attendees: [
        { email: 'boss@example.com', responseStatus: 'accepted' },
        { email: 'x', self: true, responseStatus: 'declined' },
      ],
    });
    google.putEvent('primary-cal', {
      id: 'tentative1',
      status: 'tentative',
      start: { dateTime: '2027-03-02T15:00:00+01:00' },
      end: { dateTime: '2027-03-02T15:30:00+01:00' },
    });
    const res = await sync(host, id);
    expect(res.body).toMatchObject({ sync_status: 'synced', integration: { status: 'active', last_error: null } });

    const slots = await slotStarts(type.id, TUE);
    expect(slots).not.toContain('2027-03-02T10:00:00Z');
    expect(slots).not.toContain('2027-03-02T10:30:00Z');
    expect(slots).not.toContain('2027-03-02T14:00:00Z'); // tentative counts as busy (14:00Z = 15:00+01:00)
    expect(slots).toEqual(
      expect.arrayContaining(['2027-03-02T09:30:00Z', '2027-03-02T11:00:00Z', '2027-03-02T12:00:00Z', '2027-03-02T13:00:00Z']),
    );
    const rows = await cacheRows(host.id);
    expect(rows.map((r: any) => [r.external_event_id, r.is_busy, r.status])).toEqual([
      ['busy1', true, 'confirmed'],
      ['free1', false, 'confirmed'],
      ['declined1', false, 'confirmed'],
      ['tentative1', true, 'tentative'],
    ]);
    // Only busy ranges are kept: no titles.
    expect(Object.keys(rows[0])).not.toContain('summary');
  });

  it("stores all-day events as the host's local day and expands recurring series", async () => {
    const host = await createHost(t, { time_zone: 'America/New_York' });
    await setWeeklyHours(t, host, 'America/New_York');
    const type = await createMeetingType(t, host, { duration_minutes: 30 });
    const id = await connect(host);
    google.putEvent('primary-cal', { id: 'offsite', start: { date: '2027-03-03' }, end: { date: '2027-03-04' } });
    google.putEvent('primary-cal', {
      id: 'standup',
      start: { dateTime: '2027-03-02T15:00:00Z' },
      end: { dateTime: '2027-03-02T15:30:00Z' },
      recurrence: ['RRULE:FREQ=DAILY;COUNT=3'],
    });
    await sync(host, id);
    const rows = await cacheRows(host.id);
    expect(rows.find((r: any) => r.external_event_id === 'offsite')).toMatchObject({ is_all_day: true });
    const offsite = rows.find((r: any) => r.external_event_id === 'offsite');
    expect([iso(offsite.start_time), iso(offsite.end_time)]).toEqual(['2027-03-03T05:00:00.000Z', '2027-03-04T05:00:00.000Z']);
    const standups = rows.filter((r: any) => r.external_event_id.startsWith('standup_'));
    expect(standups.map((r: any) => iso(r.start_time))).toEqual([
      '2027-03-02T15:00:00.000Z',
      '2027-03-03T15:00:00.000Z',
      '2027-03-04T15:00:00.000Z',
    ]);

    expect(await slotStarts(type.id, '2027-03-03', 'America/New_York')).toEqual([]); // the whole New York Wednesday
    const thu = await slotStarts(type.id, '2027-03-04', 'America/New_York');
    expect(thu).not.toContain('2027-03-04T15:00:00Z');
    expect(thu).toContain('2027-03-04T15:30:00Z');
    expect(thu).toContain('2027-03-04T14:30:00Z');
  });

  it('syncs incrementally with the sync token across pages, and removes deleted events', async () => {
    const host = await createHost(t);
    await setWeeklyHours(t, host, 'Europe/London');
    const type = await createMeetingType(t, host, { duration_minutes: 30 });
    for (let h = 9; h < 14; h++) {
      google.putEvent('primary-cal', {
        id: `e${h}`,
        start: { dateTime: `2027-03-02T${h}:00:00Z`.replace('T9', 'T09') },
        end: { dateTime: `2027-03-02T${h}:30:00Z`.replace('T9', 'T09') },
      });
    }
    const baseline = google.requestsTo('GET', /\/calendars\/primary-cal\/events$/).length;
    const id = await connect(host); // first (full) sync happens on connect
    expect(await cacheRows(host.id)).toHaveLength(5);
    const lists = () => google.requestsTo('GET', /\/calendars\/primary-cal\/events$/).slice(baseline);
    const fullPages = lists();
    expect(fullPages.length).toBe(3); // 5 events, 2 per page
    expect(fullPages[0].query.get('timeMin')).toBe('2027-02-28T12:00:00.000Z');
    expect(fullPages[1].query.get('pageToken')).toBe('page-2');

    google.deleteEvent('primary-cal', 'e10');
    google.putEvent('primary-cal', { id: 'e16', start: { dateTime: '2027-03-02T16:00:00Z' }, end: { dateTime: '2027-03-02T16:30:00Z' } });
    const before = lists().length;
    await sync(host, id);
    const incremental = lists().slice(before);
    expect(incremental).toHaveLength(1);
    expect(incremental[0].query.get('syncToken')).toMatch(/^st-\d+$/);
    expect(incremental[0].query.get('timeMin')).toBeNull();
    expect((await cacheRows(host.id)).map((r: any) => r.external_event_id)).toEqual(['e9', 'e11', 'e12', 'e13', 'e16']);
    const slots = await slotStarts(type.id, TUE);
    expect(slots).toContain('2027-03-02T10:00:00Z');
    expect(slots).not.toContain('2027-03-02T16:00:00Z');

    // Nothing changed: one request, nothing rewritten.
    const n = lists().length;
    await sync(host, id);
    expect(lists().length).toBe(n + 1);
  });

  it('does a full resync when the sync token is gone (410)', async () => {
    const host = await createHost(t);
    google.putEvent('primary-cal', { id: 'keep', start: { dateTime: '2027-03-02T09:00:00Z' }, end: { dateTime: '2027-03-02T10:00:00Z' } });
    const id = await connect(host);
    google.invalidateSyncTokens();
    google.putEvent('primary-cal', { id: 'later', start: { dateTime: '2027-03-05T09:00:00Z' }, end: { dateTime: '2027-03-05T10:00:00Z' } });
    const before = google.requests.length;
    const res = await sync(host, id);
    expect(res.body.sync_status).toBe('synced');
    const after = google.requests.slice(before).filter((r) => /primary-cal\/events$/.test(r.path));
    expect(after[0].query.get('syncToken')).toMatch(/^st-/);
    expect(after[1].query.get('syncToken')).toBeNull();
    expect(after[1].query.get('timeMin')).not.toBeNull();
    expect((await cacheRows(host.id)).map((r: any) => r.external_event_id)).toEqual(['keep', 'later']);
  });

  /** kairos_calendar_api_errors_total for Google and one kind, from /metrics. */
  async function calendarApiErrors(kind: string): Promise<number> {
    const text = (await t.http().get('/metrics').set(METRICS_AUTH).expect(200)).text;
    return Number(new RegExp(`^kairos_calendar_api_errors_total\\{provider="google",kind="${kind}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  }

  it('backs off on 429 and 403 rateLimitExceeded honouring Retry-After', async () => {
    const host = await createHost(t);
    const id = await connect(host);
    google.putEvent('primary-cal', { id: 'rl', start: { dateTime: '2027-03-02T09:00:00Z' }, end: { dateTime: '2027-03-02T10:00:00Z' } });
    google.rateLimit(/primary-cal\/events$/, 1, 1, 429);
    google.rateLimit(/primary-cal\/events$/, 1, 1, 403);
    const before = google.requests.length;
    const res = await sync(host, id);
    expect(res.body.sync_status).toBe('synced');
    const calls = google.requests.slice(before).filter((r) => /primary-cal\/events$/.test(r.path));
    expect(calls).toHaveLength(3);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(950);
    expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(950);
    expect(await cacheRows(host.id)).toHaveLength(1);

    // A long Retry-After is not waited out inline: the connection is scheduled for later.
    google.rateLimit(/primary-cal\/events$/, 1, 3600, 429);
    const rateLimitedBefore = await calendarApiErrors('rate_limited');
    const limited = await sync(host, id);
    expect(await calendarApiErrors('rate_limited')).toBe(rateLimitedBefore + 1);
    expect(limited.body).toMatchObject({
      sync_status: 'rate_limited',
      integration: { status: 'active', next_sync_at: '2027-03-01T13:00:00.000Z' },
    });
    expect(limited.body.integration.last_error).toMatch(/rate limited/);
    // The poller leaves it alone until then.
    const calls2 = google.requests.length;
    await t.app.get(CalendarPoller).tick();
    expect(google.requests.slice(calls2).filter((r) => /primary-cal\/events$/.test(r.path))).toHaveLength(0);
  });

  it('refreshes an expiring access token, and marks the connection broken when the grant is revoked', async () => {
    const host = await createHost(t);
    const id = await connect(host);
    const refreshes = google.oauth.refreshCount;
    google.oauth.expireAccessTokens(); // Google no longer accepts the old token...
    t.clock!.advance(2 * 3600_000); // ...because it has expired
    try {
      const res = await sync(host, id);
      expect(res.body.sync_status).toBe('synced');
      expect(google.oauth.refreshCount).toBe(refreshes + 1);
      expect(res.body.integration.token_expires_at).toBe('2027-03-01T15:00:00.000Z');
      const [row] = await t.dataSource.query(`SELECT access_token_enc FROM calendar_integrations WHERE id = $1`, [id]);
      for (const raw of google.oauth.accessTokens.keys()) expect(row.access_token_enc).not.toContain(raw);
      // Still valid: no second refresh.
      await sync(host, id);
      expect(google.oauth.refreshCount).toBe(refreshes + 1);

      google.oauth.revokeAll();
      t.clock!.advance(2 * 3600_000);
      const authErrorsBefore = await calendarApiErrors('auth');
      const broken = await sync(host, id);
      expect(await calendarApiErrors('auth')).toBe(authErrorsBefore + 1);
      expect(broken.body.sync_status).toBe('broken');
      const list = await t.http().get('/api/integrations').set(host.auth).expect(200);
      expect(list.body[0]).toMatchObject({ status: 'broken', last_error: expect.stringMatching(/revoked.*invalid_grant.*reconnect/) });
      const again = await t.http().post(`/api/integrations/${id}/sync`).set(host.auth).expect(409);
      expect(again.body.message).toMatch(/broken/);
      // Reconnecting repairs it.
      await connect(host, `${host.username}@gmail.test`);
      expect((await t.http().get(`/api/integrations/${id}`).set(host.auth)).body).toMatchObject({ status: 'active', last_error: null });
    } finally {
      t.clock!.set(NOW);
    }
  });

  it('choosing calendars: busy sources and one destination; removing a source frees its time', async () => {
    const host = await createHost(t);
    await setWeeklyHours(t, host, 'Europe/London');
    const type = await createMeetingType(t, host, { duration_minutes: 30 });
    google.putEvent('primary-cal', { id: 'b', start: { dateTime: '2027-03-02T10:00:00Z' }, end: { dateTime: '2027-03-02T11:00:00Z' } });
    const id = await connect(host);
    expect(await slotStarts(type.id, TUE)).not.toContain('2027-03-02T10:00:00Z');
    const bad = await t
      .http()
      .put(`/api/integrations/${id}/calendars`)
      .set(host.auth)
      .send({ calendars: [{ calendar_id: 'holidays', is_destination: true }] })
      .expect(400);
    expect(bad.body.message).toMatch(/read-only/);
    await t
      .http()
      .put(`/api/integrations/${id}/calendars`)
      .set(host.auth)
      .send({ calendars: [{ calendar_id: 'nope', is_busy_source: true }] })
      .expect(400);
    await t
      .http()
      .put(`/api/integrations/${id}/calendars`)
      .set(host.auth)
      .send({ calendars: [{ calendar_id: 'primary-cal', is_busy_source: 'yes' }] })
      .expect(400);
    const res = await t
      .http()
      .put(`/api/integrations/${id}/calendars`)
      .set(host.auth)
      .send({ calendars: [{ calendar_id: 'primary-cal', is_busy_source: false }] })
      .expect(200);
    expect(res.body[0]).toMatchObject({ calendar_id: 'primary-cal', is_busy_source: false, is_destination: true });
    expect(await cacheRows(host.id)).toHaveLength(0);
    expect(await slotStarts(type.id, TUE)).toContain('2027-03-02T10:00:00Z');

    await t.http().delete(`/api/integrations/${id}`).set(host.auth).expect(204);
    expect((await t.http().get('/api/integrations').set(host.auth)).body).toEqual([]);
  });

  describe('writing bookings to the host calendar', () => {
    let host: TestHost;
    let integrationId: string;
    let typeId: string;

    beforeAll(async () => {
      host = await createHost(t);
      await setWeeklyHours(t, host, 'Europe/London');
      typeId = (await createMeetingType(t, host, { name: 'Intro call', duration_minutes: 30 })).id;
      integrationId = await connect(host);
    });

    const drain = () => t.app.get(OutboxRelay).drain();
    const book = async (start: string, n: number | string) =>
      (
        await t
          .http()
          .post('/api/bookings')
          .send({ meeting_type_id: typeId, start_time: start, ...invitee(n) })
          .expect(201)
      ).body;
    const links = async (bookingId: string) =>
      (await t.http().get(`/api/integrations/bookings/${bookingId}/events`).set(host.auth).expect(200)).body;

    it('creates the event once even when the job runs twice, moves it on reschedule, deletes it on cancel', async () => {
      const booking = await book('2027-03-03T10:00:00Z', 'w1');
      await drain();
      const eventId = googleEventIdFor(booking.id);
      const event = google.event('primary-cal', eventId)!;
      expect(event).toMatchObject({
        status: 'confirmed',
        summary: 'Intro call with Invitee w1',
        start: { dateTime: '2027-03-03T10:00:00.000Z' },
        end: { dateTime: '2027-03-03T10:30:00.000Z' },
        extendedProperties: { private: { kairosBookingId: booking.id } },
      });
      expect(await links(booking.id)).toEqual([
        expect.objectContaining({ status: 'synced', external_event_id: eventId, last_error: null }),
      ]);

      // The same outbox event delivered again, twice at once: still one event.
      const [row] = await t.dataSource.query(`SELECT event_type, payload FROM outbox_events WHERE booking_id = $1`, [booking.id]);
      const writer = t.app.get(CalendarEventWriter);
      await Promise.all([
        writer.handle({ eventType: row.event_type, payload: row.payload }),
        writer.handle({ eventType: row.event_type, payload: row.payload }),
      ]);
      expect(google.liveEvents('primary-cal').filter((e) => e.extendedProperties?.private?.kairosBookingId === booking.id)).toHaveLength(1);
      expect(google.requestsTo('POST', /primary-cal\/events$/).filter((r) => r.body.id === eventId)).toHaveLength(1);

      // Our own event is not cached as foreign busy time (the booking already blocks it).
      await sync(host, integrationId);
      expect((await cacheRows(host.id)).map((r: any) => r.external_event_id)).not.toContain(eventId);

      const moved = await t
        .http()
        .put(`/api/bookings/${booking.id}/reschedule`)
        .set(host.auth)
        .send({ start_time: '2027-03-03T14:00:00Z' })
        .expect(200);
      await drain();
      const after = google.liveEvents('primary-cal').filter((e) => e.extendedProperties?.private?.kairosBookingId);
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({
        id: eventId,
        start: { dateTime: '2027-03-03T14:00:00.000Z' },
        extendedProperties: { private: { kairosBookingId: moved.body.id } },
      });

      await t.http().delete(`/api/bookings/${moved.body.id}`).set(host.auth).send({}).expect(200);
      await drain();
      expect(google.event('primary-cal', eventId)!.status).toBe('cancelled');
      expect(await links(moved.body.id)).toEqual([expect.objectContaining({ status: 'deleted' })]);
    });

    it('a failed write is visible on the booking and retried', async () => {
      google.failNext(/primary-cal\/events$/, 1);
      const booking = await book('2027-03-04T10:00:00Z', 'w2');
      await drain();
      const [failed] = await links(booking.id);
      expect(failed).toMatchObject({
        status: 'failed',
        attempts: 1,
        last_error: expect.stringMatching(/500/),
        next_retry_at: '2027-03-01T12:01:00.000Z',
      });
      expect(google.event('primary-cal', googleEventIdFor(booking.id))).toBeUndefined();
      t.clock!.advance(61_000);
      try {
        await t.app.get(CalendarPoller).tick();
      } finally {
        t.clock!.set(NOW);
      }
      expect(await links(booking.id)).toEqual([expect.objectContaining({ status: 'synced', attempts: 0, last_error: null })]);
      expect(google.event('primary-cal', googleEventIdFor(booking.id))).toMatchObject({ status: 'confirmed' });
    });

    it('host deletes the event: flagged by default, cancels the booking when enabled', async () => {
      const kept = await book('2027-03-05T10:00:00Z', 'w3');
      await drain();
      google.deleteEvent('primary-cal', googleEventIdFor(kept.id));
      await sync(host, integrationId);
      expect(await links(kept.id)).toEqual([expect.objectContaining({ status: 'host_deleted', host_action: 'flagged' })]);
      expect((await t.http().get(`/api/bookings/${kept.id}`).set(host.auth).expect(200)).body.status).toBe('confirmed');

      // Moving it is followed.
      const movedByHost = await book('2027-03-05T13:00:00Z', 'w4');
      await drain();
      const ev = google.event('primary-cal', googleEventIdFor(movedByHost.id))!;
      google.putEvent('primary-cal', { ...ev, start: { dateTime: '2027-03-05T15:00:00Z' }, end: { dateTime: '2027-03-05T15:30:00Z' } });
      await sync(host, integrationId);
      // The booking follows the move (test/calendar-follow.e2e-spec.ts covers it in depth).
      expect((await t.http().get(`/api/bookings/${movedByHost.id}`).set(host.auth).expect(200)).body.status).toBe('rescheduled');
      await drain();
      expect(await links(movedByHost.id)).toEqual([expect.objectContaining({ status: 'superseded' })]);

      await t.http().patch(`/api/integrations/${integrationId}`).set(host.auth).send({ cancel_booking_on_delete: true }).expect(200);
      const doomed = await book('2027-03-05T11:00:00Z', 'w5');
      await drain();
      google.deleteEvent('primary-cal', googleEventIdFor(doomed.id));
      await sync(host, integrationId);
      expect(await links(doomed.id)).toEqual([expect.objectContaining({ status: 'host_deleted', host_action: 'cancelled' })]);
      expect((await t.http().get(`/api/bookings/${doomed.id}`).set(host.auth).expect(200)).body.status).toBe('cancelled');
      await drain(); // the cancellation's own outbox event: deleting an already-deleted event is fine
      await t.http().patch(`/api/integrations/${integrationId}`).set(host.auth).send({ cancel_booking_on_delete: false }).expect(200);
    });

    it('a per-meeting-type destination overrides the default', async () => {
      google.calendars.set('work', { summary: 'Work', primary: false, accessRole: 'writer', events: new Map() });
      try {
        const other = await createHost(t);
        await setWeeklyHours(t, other, 'Europe/London');
        const otherType = await createMeetingType(t, other, { duration_minutes: 30 });
        const otherId = await connect(other);
        await t
          .http()
          .put(`/api/integrations/meeting-types/${otherType.id}/destination`)
          .set(host.auth)
          .send({ integration_id: otherId, calendar_id: 'work' })
          .expect(404); // not host's meeting type
        await t
          .http()
          .put(`/api/integrations/meeting-types/${otherType.id}/destination`)
          .set(other.auth)
          .send({ integration_id: otherId, calendar_id: 'work' })
          .expect(200);
        const b = (
          await t
            .http()
            .post('/api/bookings')
            .send({ meeting_type_id: otherType.id, start_time: '2027-03-04T11:00:00Z', ...invitee('w6') })
            .expect(201)
        ).body;
        await drain();
        expect(google.event('work', googleEventIdFor(b.id))).toMatchObject({ status: 'confirmed' });
        expect(google.event('primary-cal', googleEventIdFor(b.id))).toBeUndefined();
      } finally {
        google.calendars.delete('work');
      }
    });
  });

  it('push: registers a watch channel and syncs on a notification carrying the right channel token', async () => {
    const host = await createHost(t);
    const id = await connect(host);
    const stored = await t.dataSource.query(`SELECT channel_id, secret_hash FROM calendar_push_channels WHERE integration_id = $1`, [id]);
    expect(stored).toHaveLength(1);
    const channel = google.channels.find((c) => c.id === stored[0].channel_id);
    expect(channel).toMatchObject({ address: 'http://kairos.test/api/integrations/google/webhook', calendarId: 'primary-cal' });
    expect(stored[0].secret_hash).not.toBe(channel!.token);

    const hook = (token: string, state = 'exists') =>
      t.http().post('/api/integrations/google/webhook').set({
        'X-Goog-Channel-ID': channel!.id,
        'X-Goog-Channel-Token': token,
        'X-Goog-Resource-State': state,
        'X-Goog-Resource-ID': channel!.resourceId,
      });
    await hook('forged').expect(404);
    await hook(channel!.token, 'sync').expect(200);

    google.putEvent('primary-cal', {
      id: 'pushed',
      start: { dateTime: '2027-03-02T09:00:00Z' },
      end: { dateTime: '2027-03-02T10:00:00Z' },
    });
    await hook(channel!.token).expect(200);
    for (let i = 0; i < 50 && (await cacheRows(host.id)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await cacheRows(host.id)).map((r: any) => r.external_event_id)).toEqual(['pushed']);

    await t.http().delete(`/api/integrations/${id}`).set(host.auth).expect(204);
    expect(google.channels.find((c) => c.id === channel!.id)).toBeUndefined();
  });
});
