import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutboxRelay } from '../src/shared/outbox/outbox-relay.js';
import { CalendarEventWriter } from '../src/modules/calendar/application/calendar-event-writer.service.js';
import { KAIROS_GRAPH_PROPERTY } from '../src/modules/calendar/infrastructure/microsoft-graph.adapter.js';
import { createHost, type TestHost } from './support/factories.js';
import { FakeMicrosoftGraph } from './support/fake-microsoft-graph.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { freePort } from './support/free-port.js';

const NOW = '2027-03-01T12:00:00Z';
const utc = (iso: string) => ({ dateTime: iso.replace('Z', '.0000000'), timeZone: 'UTC' });

/** A feed server with ETag / If-None-Match support, and a redirect to a private address. */
class IcsServer {
  body = '';
  etag = '"v1"';
  requests: http.IncomingHttpHeaders[] = [];
  private server!: http.Server;
  port = 0;
  async start() {
    this.server = http.createServer((req, res) => {
      this.requests.push(req.headers);
      if (req.url === '/redirect.ics') {
        res.writeHead(302, { Location: 'http://127.0.0.1:1/internal.ics' });
        return res.end();
      }
      if (req.url === '/not-ical') {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return res.end('<html>hi</html>');
      }
      if (req.headers['if-none-match'] === this.etag) {
        res.writeHead(304, { ETag: this.etag });
        return res.end();
      }
      res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8', ETag: this.etag });
      res.end(this.body);
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }
  stop() {
    this.server.closeAllConnections?.();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

describe('calendar integrations: Microsoft Graph and ICS feeds (e2e against local fakes)', () => {
  let t: TestApp;
  let graph: FakeMicrosoftGraph;
  let ics: IcsServer;
  let publicUrl: string;

  beforeAll(async () => {
    graph = await new FakeMicrosoftGraph().start();
    ics = await new IcsServer().start();
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    t = await startTestApp({
      now: NOW,
      env: {
        ...graph.env,
        OUTBOX_POLL_INTERVAL_MS: '0',
        CALENDAR_PUSH_ENABLED: 'true',
        PUBLIC_URL: publicUrl,
        CALENDAR_PRIVATE_URL_ALLOWLIST: `127.0.0.1:${ics.port}`,
      },
    });
    await t.app.listen(port, '127.0.0.1'); // Graph's subscription handshake calls us back
  });
  afterAll(async () => {
    await t.close();
    await graph.stop();
    await ics.stop();
  });
  beforeEach(() => graph.calendars.get('AAMkCal1')!.events.clear());

  async function connect(host: TestHost): Promise<string> {
    const start = await t.http().get('/api/integrations/microsoft/oauth').set(host.auth).set('Accept', 'application/json').expect(200);
    const consentUrl = new URL(start.body.authorization_url);
    expect(consentUrl.searchParams.get('scope')).toContain('Calendars.ReadWrite');
    expect(consentUrl.searchParams.get('scope')).toContain('offline_access');
    const back = await fetch(consentUrl, { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    expect(callback.origin).toBe(publicUrl);
    const res = await t.http().get(`${callback.pathname}${callback.search}`).set('Accept', 'application/json').expect(200);
    return res.body.id;
  }
  const sync = (host: TestHost, id: string) => t.http().post(`/api/integrations/${id}/sync`).set(host.auth).expect(200);
  const rows = (userId: string) =>
    t.dataSource.query(
      `SELECT external_event_id AS id, start_time, end_time, is_all_day, is_busy FROM calendar_events_cache WHERE user_id = $1 ORDER BY start_time, external_event_id`,
      [userId],
    );
  const iso = (d: Date | string) => new Date(d).toISOString();
  const slotStarts = async (typeId: string, date: string, timezone = 'Europe/London') =>
    (await t.http().get('/api/availability/slots').query({ meeting_type_id: typeId, date, timezone }).expect(200)).body.slots.map(
      (s: { start_time: string }) => s.start_time,
    );

  describe('Microsoft Graph', () => {
    it('connects, keeps tokens encrypted, reads busy time through delta links, and honours free/declined/cancelled/all-day', async () => {
      const host = await createHost(t, { time_zone: 'America/New_York' });
      await setWeeklyHours(t, host, 'America/New_York');
      const type = await createMeetingType(t, host, { duration_minutes: 30 });
      graph.putEvent('AAMkCal1', { id: 'busy', start: utc('2027-03-02T15:00:00Z'), end: utc('2027-03-02T16:00:00Z') });
      graph.putEvent('AAMkCal1', { id: 'free', showAs: 'free', start: utc('2027-03-02T17:00:00Z'), end: utc('2027-03-02T18:00:00Z') });
      graph.putEvent('AAMkCal1', {
        id: 'declined',
        responseStatus: { response: 'declined' },
        start: utc('2027-03-02T18:00:00Z'),
        end: utc('2027-03-02T19:00:00Z'),
      });
      graph.putEvent('AAMkCal1', {
        id: 'cancelled',
        isCancelled: true,
        start: utc('2027-03-02T19:00:00Z'),
        end: utc('2027-03-02T20:00:00Z'),
      });
      graph.putEvent('AAMkCal1', { id: 'allday', isAllDay: true, start: utc('2027-03-03T00:00:00Z'), end: utc('2027-03-04T00:00:00Z') });
      graph.putEvent('AAMkCal1', {
        id: 'occ1',
        type: 'occurrence',
        seriesMasterId: 'ser',
        start: utc('2027-03-04T15:00:00Z'),
        end: utc('2027-03-04T15:30:00Z'),
      });
      const id = await connect(host);

      const [row] = await t.dataSource.query(`SELECT access_token_enc, refresh_token_enc FROM calendar_integrations WHERE id = $1`, [id]);
      for (const raw of [...graph.oauth.accessTokens.keys(), ...graph.oauth.refreshTokens.keys()])
        expect(JSON.stringify(row)).not.toContain(raw);
      const calendars = await t.http().get(`/api/integrations/${id}/calendars`).set(host.auth).expect(200);
      expect(calendars.body.map((c: any) => [c.calendar_id, c.is_busy_source, c.is_destination, c.read_only])).toEqual([
        ['AAMkCal1', true, true, false],
        ['AAMkBirthdays', false, false, true],
      ]);

      const cached = await rows(host.id);
      expect(cached.map((r: any) => [r.id, r.is_busy, r.is_all_day])).toEqual([
        ['busy', true, false],
        ['free', false, false],
        ['declined', false, false],
        ['allday', true, true],
        ['occ1', true, false],
      ]);
      const allday = cached.find((r: any) => r.id === 'allday');
      expect([iso(allday.start_time), iso(allday.end_time)]).toEqual(['2027-03-03T05:00:00.000Z', '2027-03-04T05:00:00.000Z']);
      const delta = graph.requestsTo('GET', /AAMkCal1\/calendarView\/delta$/);
      expect(delta.length).toBeGreaterThanOrEqual(3); // paged by @odata.nextLink
      expect(delta[0].query.get('startDateTime')).toBe('2027-02-28T12:00:00.000Z');
      expect(delta[0].query.get('endDateTime')).toBe('2027-05-30T12:00:00.000Z');

      expect(await slotStarts(type.id, '2027-03-02', 'America/New_York')).not.toContain('2027-03-02T15:00:00Z');
      expect(await slotStarts(type.id, '2027-03-02', 'America/New_York')).toContain('2027-03-02T17:00:00Z');
      expect(await slotStarts(type.id, '2027-03-03', 'America/New_York')).toEqual([]);

      // Incremental: the delta link, with a removal.
      graph.deleteEvent('AAMkCal1', 'busy');
      graph.putEvent('AAMkCal1', { id: 'added', start: utc('2027-03-04T17:00:00Z'), end: utc('2027-03-04T18:00:00Z') });
      const before = graph.requests.length;
      await sync(host, id);
      const next = graph.requests.slice(before).filter((r) => r.path.endsWith('/calendarView/delta'));
      expect(next[0].query.get('$deltatoken')).toBeTruthy();
      expect((await rows(host.id)).map((r: any) => r.id)).toEqual(['free', 'declined', 'allday', 'occ1', 'added']);
      expect(await slotStarts(type.id, '2027-03-02', 'America/New_York')).toContain('2027-03-02T15:00:00Z');

      // A stale delta link (410 SyncStateNotFound): full resync.
      graph.invalidateDeltaLinks();
      graph.putEvent('AAMkCal1', { id: 'new', start: utc('2027-03-05T15:00:00Z'), end: utc('2027-03-05T16:00:00Z') });
      const res = await sync(host, id);
      expect(res.body.sync_status).toBe('synced');
      expect((await rows(host.id)).map((r: any) => r.id)).toEqual(['free', 'declined', 'allday', 'occ1', 'added', 'new']);
    });

    it('refreshes (rotating refresh tokens) and marks the connection broken on invalid_grant', async () => {
      const host = await createHost(t);
      const id = await connect(host);
      const [before] = await t.dataSource.query(`SELECT refresh_token_enc FROM calendar_integrations WHERE id = $1`, [id]);
      graph.oauth.expireAccessTokens();
      t.clock!.advance(2 * 3600_000);
      try {
        expect((await sync(host, id)).body.sync_status).toBe('synced');
        const [after] = await t.dataSource.query(`SELECT refresh_token_enc FROM calendar_integrations WHERE id = $1`, [id]);
        expect(after.refresh_token_enc).not.toBe(before.refresh_token_enc); // the rotated refresh token was stored
        graph.oauth.revokeAll();
        t.clock!.advance(2 * 3600_000);
        expect((await sync(host, id)).body.sync_status).toBe('broken');
        const status = await t.http().get(`/api/integrations/${id}`).set(host.auth).expect(200);
        expect(status.body).toMatchObject({
          status: 'broken',
          last_error: expect.stringMatching(/Microsoft access was revoked.*reconnect/),
        });
      } finally {
        t.clock!.set(NOW);
      }
    });

    it('writes bookings (once, even when delivered twice), moves and deletes them', async () => {
      const host = await createHost(t);
      await setWeeklyHours(t, host, 'Europe/London');
      const type = await createMeetingType(t, host, { name: 'Demo', duration_minutes: 30 });
      await connect(host);
      const booking = (
        await t
          .http()
          .post('/api/bookings')
          .send({ meeting_type_id: type.id, start_time: '2027-03-03T10:00:00Z', ...invitee('ms1') })
          .expect(201)
      ).body;
      await t.app.get(OutboxRelay).drain();
      const [row] = await t.dataSource.query(`SELECT event_type, payload FROM outbox_events WHERE booking_id = $1`, [booking.id]);
      const writer = t.app.get(CalendarEventWriter);
      await Promise.all([
        writer.handle({ eventType: row.event_type, payload: row.payload }),
        writer.handle({ eventType: row.event_type, payload: row.payload }),
      ]);
      const ours = () =>
        graph.liveEvents('AAMkCal1').filter((e) => e.singleValueExtendedProperties?.some((p) => p.id === KAIROS_GRAPH_PROPERTY));
      expect(ours()).toHaveLength(1);
      expect(ours()[0]).toMatchObject({
        subject: 'Demo with Invitee ms1',
        transactionId: booking.id,
        start: { dateTime: '2027-03-03T10:00:00.000', timeZone: 'UTC' },
      });
      const eventId = ours()[0].id;

      const moved = (
        await t.http().put(`/api/bookings/${booking.id}/reschedule`).set(host.auth).send({ start_time: '2027-03-03T15:00:00Z' }).expect(200)
      ).body;
      await t.app.get(OutboxRelay).drain();
      expect(ours()).toEqual([expect.objectContaining({ id: eventId, start: { dateTime: '2027-03-03T15:00:00.000', timeZone: 'UTC' } })]);
      expect(graph.requestsTo('PATCH', new RegExp(`/me/events/${eventId}$`))).toHaveLength(1);

      await t.http().delete(`/api/bookings/${moved.id}`).set(host.auth).send({ reason: 'conflict' }).expect(200);
      await t.app.get(OutboxRelay).drain();
      expect(ours()).toEqual([]);
    });

    it('follows the host moving our event in Outlook: the booking is rescheduled once, however often it syncs', async () => {
      const host = await createHost(t);
      await setWeeklyHours(t, host, 'Europe/London');
      const type = await createMeetingType(t, host, { name: 'Follow', duration_minutes: 30 });
      const id = await connect(host);
      const booking = (
        await t
          .http()
          .post('/api/bookings')
          .send({ meeting_type_id: type.id, start_time: '2027-03-04T10:00:00Z', ...invitee('msf') })
          .expect(201)
      ).body;
      await t.app.get(OutboxRelay).drain();
      const ours = graph.liveEvents('AAMkCal1').find((e) => e.transactionId === booking.id)!;
      graph.putEvent('AAMkCal1', { ...ours, start: utc('2027-03-04T18:00:00Z'), end: utc('2027-03-04T18:45:00Z') });
      await sync(host, id);
      await sync(host, id);
      await t.app.get(OutboxRelay).drain();
      await sync(host, id);
      const rows = await t.dataSource.query(
        `SELECT status, start_time, end_time, ical_sequence FROM bookings WHERE ical_uid = (SELECT ical_uid FROM bookings WHERE id = $1)
          ORDER BY ical_sequence`,
        [booking.id],
      );
      expect(rows).toEqual([
        expect.objectContaining({ status: 'rescheduled' }),
        expect.objectContaining({
          status: 'confirmed',
          start_time: new Date('2027-03-04T18:00:00Z'),
          end_time: new Date('2027-03-04T18:45:00Z'),
          ical_sequence: 1,
        }),
      ]);
      expect(graph.requestsTo('PATCH', new RegExp(`/me/events/${ours.id}$`))).toHaveLength(0); // the host's move is not written back
    });

    it('an event moved out of the calendarView (reported "@removed") is fetched with GET /me/events/{id}: a move is followed, a deletion flagged', async () => {
      const host = await createHost(t);
      await setWeeklyHours(t, host, 'Europe/London');
      const type = await createMeetingType(t, host, { name: 'Far', duration_minutes: 30 });
      const id = await connect(host);
      const booking = (
        await t
          .http()
          .post('/api/bookings')
          .send({ meeting_type_id: type.id, start_time: '2027-03-05T10:00:00Z', ...invitee('msw') })
          .expect(201)
      ).body;
      await t.app.get(OutboxRelay).drain();
      await sync(host, id);
      const ours = graph.liveEvents('AAMkCal1').find((e) => e.transactionId === booking.id)!;
      // 1 September: beyond the 90-day view, so the delta round reports it removed (reason "changed").
      graph.putEvent('AAMkCal1', { ...ours, start: utc('2027-09-01T10:00:00Z'), end: utc('2027-09-01T10:30:00Z') });
      const gets = () => graph.requestsTo('GET', new RegExp(`/me/events/${ours.id}$`)).length;
      await sync(host, id);
      await t.app.get(OutboxRelay).drain();
      expect(gets()).toBe(1);
      const chain = () =>
        t.dataSource.query(
          `SELECT id, status, start_time FROM bookings WHERE ical_uid = (SELECT ical_uid FROM bookings WHERE id = $1) ORDER BY ical_sequence`,
          [booking.id],
        );
      const rows = await chain();
      expect(rows.map((r: { status: string; start_time: Date }) => [r.status, iso(r.start_time)])).toEqual([
        ['rescheduled', '2027-03-05T10:00:00.000Z'],
        ['confirmed', '2027-09-01T10:00:00.000Z'],
      ]);

      graph.deleteEvent('AAMkCal1', ours.id);
      await sync(host, id);
      await t.app.get(OutboxRelay).drain();
      expect(gets()).toBe(2); // asked again: 404, a real deletion
      expect((await chain()).map((r: { status: string }) => r.status)).toEqual(['rescheduled', 'confirmed']);
      const links = (await t.http().get(`/api/integrations/bookings/${rows[1].id}/events`).set(host.auth).expect(200)).body;
      expect(links).toEqual([expect.objectContaining({ status: 'host_deleted', host_action: 'flagged' })]);
    });

    it('push: subscription created after the validationToken handshake; notifications need the clientState', async () => {
      const host = await createHost(t);
      const id = await connect(host);
      const [channel] = await t.dataSource.query(`SELECT channel_id, secret_hash FROM calendar_push_channels WHERE integration_id = $1`, [
        id,
      ]);
      const sub = graph.subscriptions.find((s) => s.id === channel.channel_id)!;
      expect(sub).toMatchObject({
        notificationUrl: `${publicUrl}/api/integrations/microsoft/webhook`,
        resource: '/me/calendars/AAMkCal1/events',
      });
      expect(channel.secret_hash).not.toBe(sub.clientState);

      graph.putEvent('AAMkCal1', { id: 'pushed', start: utc('2027-03-02T09:00:00Z'), end: utc('2027-03-02T10:00:00Z') });
      const notify = (clientState: string) =>
        t
          .http()
          .post('/api/integrations/microsoft/webhook')
          .send({ value: [{ subscriptionId: sub.id, clientState, changeType: 'created', resource: 'me/events/pushed' }] })
          .expect(202);
      await notify('forged');
      await new Promise((r) => setTimeout(r, 300));
      expect(await rows(host.id)).toEqual([]);
      await notify(sub.clientState);
      for (let i = 0; i < 50 && (await rows(host.id)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect((await rows(host.id)).map((r: any) => r.id)).toEqual(['pushed']);
    });
  });

  describe('ICS feeds', () => {
    const feed = (events: string) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', events, 'END:VCALENDAR'].join('\r\n');

    it('reads a feed (zones, floating, all-day, recurring with exceptions, transparent, cancelled) and re-reads it conditionally', async () => {
      const host = await createHost(t, { time_zone: 'Europe/London' });
      await setWeeklyHours(t, host, 'Europe/London');
      const type = await createMeetingType(t, host, { duration_minutes: 30 });
      ics.body = feed(
        [
          'BEGIN:VEVENT',
          'UID:ny@test',
          'DTSTART;TZID=America/New_York:20270302T050000',
          'DTEND;TZID=America/New_York:20270302T060000',
          'SUMMARY:Secret',
          'END:VEVENT',
          'BEGIN:VEVENT',
          'UID:floating@test',
          'DTSTART:20270302T140000',
          'DURATION:PT1H',
          'END:VEVENT',
          'BEGIN:VEVENT',
          'UID:free@test',
          'DTSTART:20270302T120000Z',
          'DTEND:20270302T130000Z',
          'TRANSP:TRANSPARENT',
          'END:VEVENT',
          'BEGIN:VEVENT',
          'UID:gone@test',
          'DTSTART:20270302T160000Z',
          'DTEND:20270302T170000Z',
          'STATUS:CANCELLED',
          'END:VEVENT',
          'BEGIN:VEVENT',
          'UID:holiday@test',
          'DTSTART;VALUE=DATE:20270305',
          'DTEND;VALUE=DATE:20270306',
          'END:VEVENT',
          // Weekly on Tuesday and Thursday at 09:00 London, four times, minus Thursday 4 March, with the 9 March one moved to 11:00.
          'BEGIN:VEVENT',
          'UID:weekly@test',
          'DTSTART;TZID=Europe/London:20270302T090000',
          'DTEND;TZID=Europe/London:20270302T093000',
          'RRULE:FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4',
          'EXDATE;TZID=Europe/London:20270304T090000',
          'END:VEVENT',
          'BEGIN:VEVENT',
          'UID:weekly@test',
          'RECURRENCE-ID;TZID=Europe/London:20270309T090000',
          'DTSTART;TZID=Europe/London:20270309T110000',
          'DTEND;TZID=Europe/London:20270309T113000',
          'END:VEVENT',
        ].join('\r\n'),
      );
      ics.etag = '"v1"';
      const res = await t
        .http()
        .post('/api/integrations/ics')
        .set(host.auth)
        .send({ url: `http://127.0.0.1:${ics.port}/feed.ics?key=secret-feed-token` })
        .expect(201);
      expect(res.body).toMatchObject({ provider: 'ics', status: 'active', server: `http://127.0.0.1:${ics.port}` });
      expect(JSON.stringify(res.body)).not.toContain('secret-feed-token');
      const cached = await rows(host.id);
      expect(cached.map((r: any) => [r.id, iso(r.start_time), iso(r.end_time), r.is_busy, r.is_all_day])).toEqual([
        ['weekly@test', '2027-03-02T09:00:00.000Z', '2027-03-02T09:30:00.000Z', true, false],
        ['ny@test', '2027-03-02T10:00:00.000Z', '2027-03-02T11:00:00.000Z', true, false], // 05:00 New York = 10:00 UTC
        ['free@test', '2027-03-02T12:00:00.000Z', '2027-03-02T13:00:00.000Z', false, false],
        ['floating@test', '2027-03-02T14:00:00.000Z', '2027-03-02T15:00:00.000Z', true, false], // floating: host's zone
        ['holiday@test', '2027-03-05T00:00:00.000Z', '2027-03-06T00:00:00.000Z', true, true],
        ['weekly@test', '2027-03-09T11:00:00.000Z', '2027-03-09T11:30:00.000Z', true, false], // moved occurrence
        ['weekly@test', '2027-03-11T09:00:00.000Z', '2027-03-11T09:30:00.000Z', true, false],
      ]);
      const tue = await slotStarts(type.id, '2027-03-02');
      expect(tue).not.toContain('2027-03-02T09:00:00Z');
      expect(tue).not.toContain('2027-03-02T10:30:00Z');
      expect(tue).toContain('2027-03-02T12:00:00Z');
      expect(tue).toContain('2027-03-02T16:00:00Z');
      expect(await slotStarts(type.id, '2027-03-04')).toContain('2027-03-04T09:00:00Z'); // excluded occurrence
      expect(await slotStarts(type.id, '2027-03-05')).toEqual([]);

      // Unchanged feed: a conditional request answered 304, nothing rewritten.
      const n = ics.requests.length;
      await sync(host, res.body.id);
      expect(ics.requests[n]['if-none-match']).toBe('"v1"');
      expect(await rows(host.id)).toHaveLength(7);
      // Changed feed: replaced.
      ics.body = feed(['BEGIN:VEVENT', 'UID:only@test', 'DTSTART:20270302T090000Z', 'DTEND:20270302T100000Z', 'END:VEVENT'].join('\r\n'));
      ics.etag = '"v2"';
      await sync(host, res.body.id);
      expect((await rows(host.id)).map((r: any) => r.id)).toEqual(['only@test']);
    });

    it('refuses feeds at private addresses, non-http schemes and non-iCalendar answers', async () => {
      const host = await createHost(t);
      for (const url of [
        'http://10.0.0.1/feed.ics',
        'http://169.254.169.254/latest/meta-data',
        'http://127.0.0.1:1/feed.ics',
        `http://localhost:${ics.port}/feed.ics`,
        'http://[::1]/feed.ics',
        `http://127.0.0.1:${ics.port}/redirect.ics`,
      ]) {
        const res = await t.http().post('/api/integrations/ics').set(host.auth).send({ url }).expect(400);
        expect(res.body.message).toMatch(/not allowed: refusing to connect to a private address/);
      }
      const ftp = await t.http().post('/api/integrations/ics').set(host.auth).send({ url: 'ftp://example.com/feed.ics' }).expect(400);
      expect(ftp.body.message).toMatch(/http\(s\) URL/);
      const html = await t
        .http()
        .post('/api/integrations/ics')
        .set(host.auth)
        .send({ url: `http://127.0.0.1:${ics.port}/not-ical` })
        .expect(400);
      expect(html.body.message).toMatch(/did not return an iCalendar feed/);
      await t.http().post('/api/integrations/ics').set(host.auth).send({}).expect(400);
      expect((await t.http().get('/api/integrations').set(host.auth)).body).toEqual([]);
    });
  });
});
