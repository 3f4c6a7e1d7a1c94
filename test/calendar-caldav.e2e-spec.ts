import { createHash } from 'node:crypto';
import { OutboxRelay } from '../src/shared/outbox/outbox-relay.js';
import { CalendarEventWriter } from '../src/modules/calendar/application/calendar-event-writer.service.js';
import { occurrencesOf, parseVEvents } from '../src/modules/calendar/domain/ical.js';
import { createHost, type TestHost } from './support/factories.js';
import { RadicaleServer } from './support/radicale.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { METRICS_AUTH } from './support/test-env.js';

// Monday 1 March 2027, 12:00 UTC. London is on GMT (UTC+0) until 28 March; New York on EST (UTC-5) until 14 March.
const NOW = '2027-03-01T12:00:00Z';
const PASSWORDS: Record<string, string> = {
  ada: 'ada-app-password-1',
  bob: 'bob:app password 2',
  cy: 'cy-app-password-3',
  dee: 'dee-app-password-4',
  eve: 'eve-app-password-5',
};

describe('calendar integrations: CalDAV against a real Radicale, and the ICS export feed', () => {
  let t: TestApp;
  let radicale: RadicaleServer;

  beforeAll(async () => {
    radicale = await new RadicaleServer({ ...PASSWORDS }).start();
    t = await startTestApp({
      now: NOW,
      env: {
        OUTBOX_POLL_INTERVAL_MS: '0',
        ENCRYPTION_KEY: `k1:${'cd'.repeat(32)}`,
        CALENDAR_PRIVATE_URL_ALLOWLIST: radicale.allowlistEntry,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await radicale?.stop();
  });

  const drain = () => t.app.get(OutboxRelay).drain();
  const slotStarts = async (typeId: string, date: string) => {
    const res = await t
      .http()
      .get('/api/availability/slots')
      .query({ meeting_type_id: typeId, date, timezone: 'Europe/London' })
      .expect(200);
    return res.body.slots.map((s: { start_time: string }) => s.start_time) as string[];
  };
  const sync = async (host: TestHost, id: string) => {
    const res = await t.http().post(`/api/integrations/${id}/sync`).set(host.auth).expect(200);
    expect(res.body).toMatchObject({ sync_status: 'synced', sync_error: null });
  };
  const cacheKeys = async (userId: string) =>
    (await t.dataSource.query(`SELECT external_event_id FROM calendar_events_cache WHERE user_id = $1 ORDER BY start_time`, [userId])).map(
      (r: { external_event_id: string }) => r.external_event_id,
    );
  const connect = (host: TestHost, username: string, password = PASSWORDS[username]) =>
    t.http().post('/api/integrations/caldav').set(host.auth).send({ server_url: radicale.url, username, password });
  const event = (uid: string, ...lines: string[]) => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20270201T000000Z', ...lines, 'END:VEVENT'];

  describe('CalDAV', () => {
    it('refuses wrong credentials and private servers that are not allowlisted, storing nothing', async () => {
      const host = await createHost(t);
      const wrong = await connect(host, 'ada', 'not-the-password').expect(400);
      expect(wrong.body).toMatchObject({ status_code: 400, message: expect.stringMatching(/rejected the username or password \(401\)/) });
      expect(JSON.stringify(wrong.body)).not.toContain('not-the-password');

      const unknownUser = await connect(host, 'nobody', 'x').expect(400);
      expect(unknownUser.body.message).toMatch(/rejected the username or password/);

      // The same address policy as ICS feeds: loopback is refused unless CALENDAR_PRIVATE_URL_ALLOWLIST names it.
      for (const serverUrl of ['http://127.0.0.1:1/', 'http://10.0.0.1/', `http://localhost:${radicale.proxyPort}/`]) {
        const res = await t
          .http()
          .post('/api/integrations/caldav')
          .set(host.auth)
          .send({ server_url: serverUrl, username: 'ada', password: PASSWORDS.ada })
          .expect(400);
        expect(res.body.message).toMatch(/server_url is not allowed: refusing to connect to a private address/);
      }
      const creds = await t
        .http()
        .post('/api/integrations/caldav')
        .set(host.auth)
        .send({ server_url: `http://ada:pw@127.0.0.1:${radicale.proxyPort}/`, username: 'ada', password: 'pw' })
        .expect(400);
      expect(creds.body.message).toMatch(/must not carry credentials/);
      await t.http().post('/api/integrations/caldav').set(host.auth).send({ server_url: radicale.url, username: 'ada' }).expect(400);
      await t
        .http()
        .post('/api/integrations/caldav')
        .send({ server_url: radicale.url, username: 'ada', password: PASSWORDS.ada })
        .expect(401);

      expect((await t.http().get('/api/integrations').set(host.auth).expect(200)).body).toEqual([]);
      expect(await t.dataSource.query(`SELECT id FROM calendar_integrations WHERE user_id = $1`, [host.id])).toEqual([]);
    });

    it('connects: discovers the calendars, keeps the password encrypted, lets the host choose, and reconnects in place', async () => {
      const host = await createHost(t);
      const work = await radicale.makeCalendar('bob', 'work', 'Work', 'America/New_York');
      const family = await radicale.makeCalendar('bob', 'family', 'Family');
      const res = await connect(host, 'bob').expect(201);
      expect(res.body).toMatchObject({
        provider: 'caldav',
        status: 'active',
        server: `http://127.0.0.1:${radicale.proxyPort}`,
        last_error: null,
      });
      expect(JSON.stringify(res.body)).not.toContain(PASSWORDS.bob);
      const [row] = await t.dataSource.query(`SELECT * FROM calendar_integrations WHERE id = $1`, [res.body.id]);
      expect(row.password_enc).toMatch(/^v1\.k1\./);
      expect(JSON.stringify(row)).not.toContain(PASSWORDS.bob);
      expect(row).toMatchObject({ username: 'bob', external_account_id: `${radicale.url}bob/` });

      const calendars = (await t.http().get(`/api/integrations/${res.body.id}/calendars`).set(host.auth).expect(200)).body;
      expect(calendars).toHaveLength(2);
      expect(calendars).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ calendar_id: work, name: 'Work', time_zone: 'America/New_York', read_only: false }),
          expect.objectContaining({ calendar_id: family, name: 'Family', time_zone: null, read_only: false }),
        ]),
      );
      // One calendar is the default: it blocks time and receives bookings until the host chooses otherwise.
      expect(calendars.filter((c: any) => c.is_primary && c.is_busy_source && c.is_destination)).toHaveLength(1);

      const chosen = await t
        .http()
        .put(`/api/integrations/${res.body.id}/calendars`)
        .set(host.auth)
        .send({
          calendars: [
            { calendar_id: family, is_busy_source: true, is_destination: true },
            { calendar_id: work, is_busy_source: true, is_destination: false },
          ],
        })
        .expect(200);
      expect(chosen.body.map((c: any) => [c.name, c.is_busy_source, c.is_destination]).sort()).toEqual([
        ['Family', true, true],
        ['Work', true, false],
      ]);

      // Reconnecting updates the same connection; so does a double click on a first connect.
      expect((await connect(host, 'bob').expect(201)).body.id).toBe(res.body.id);
      expect((await t.http().get('/api/integrations').set(host.auth).expect(200)).body).toHaveLength(1);
      const twice = await createHost(t);
      const both = await Promise.all([connect(twice, 'bob').expect(201), connect(twice, 'bob').expect(201)]);
      expect(both[1].body.id).toBe(both[0].body.id);
      expect((await t.http().get('/api/integrations').set(twice.auth).expect(200)).body).toHaveLength(1);
      const other = await createHost(t);
      await t.http().get(`/api/integrations/${res.body.id}/calendars`).set(other.auth).expect(404);
    });

    it('reads busy time incrementally: ctag first, then only new or changed objects; deletions free the slot', async () => {
      const host = await createHost(t, { time_zone: 'Europe/London' });
      await setWeeklyHours(t, host, 'Europe/London');
      const type = await createMeetingType(t, host, { duration_minutes: 30 });
      const work = await radicale.makeCalendar('ada', 'ny', 'New York desk', 'America/New_York');
      const personal = await radicale.makeCalendar('ada', 'personal', 'Personal');
      const id = (await connect(host, 'ada').expect(201)).body.id;
      await t
        .http()
        .put(`/api/integrations/${id}/calendars`)
        .set(host.auth)
        .send({
          calendars: [
            { calendar_id: work, is_busy_source: true },
            { calendar_id: personal, is_busy_source: false, is_destination: false },
          ],
        })
        .expect(200);

      await radicale.putEvent(
        'ada',
        'ny',
        'meeting',
        event('meeting@test', 'DTSTART:20270302T100000Z', 'DTEND:20270302T110000Z', 'SUMMARY:Secret'),
      );
      // Floating: read in the calendar's zone (New York), 09:00 EST = 14:00 UTC.
      await radicale.putEvent('ada', 'ny', 'floating', event('floating@test', 'DTSTART:20270302T090000', 'DURATION:PT1H'));
      await radicale.putEvent(
        'ada',
        'ny',
        'free',
        event('free@test', 'DTSTART:20270302T120000Z', 'DTEND:20270302T130000Z', 'TRANSP:TRANSPARENT'),
      );
      await radicale.putEvent(
        'ada',
        'ny',
        'cancelled',
        event('cancelled@test', 'DTSTART:20270302T150000Z', 'DTEND:20270302T160000Z', 'STATUS:CANCELLED'),
      );
      await radicale.putEvent('ada', 'ny', 'holiday', event('holiday@test', 'DTSTART;VALUE=DATE:20270304', 'DTEND;VALUE=DATE:20270305'));
      await radicale.putEvent('ada', 'personal', 'dentist', event('dentist@test', 'DTSTART:20270302T160000Z', 'DTEND:20270302T170000Z'));
      await sync(host, id);

      const tue = await slotStarts(type.id, '2027-03-02');
      for (const taken of ['10:00', '10:30', '14:00', '14:30']) expect(tue).not.toContain(`2027-03-02T${taken}:00Z`);
      for (const free of ['09:30', '11:00', '12:00', '15:00', '16:00']) expect(tue).toContain(`2027-03-02T${free}:00Z`);
      expect(await slotStarts(type.id, '2027-03-04')).toEqual([]); // the all-day event (a New York day covers London's 9–17)
      expect(await slotStarts(type.id, '2027-03-05')).toContain('2027-03-05T09:00:00Z');
      expect(await cacheKeys(host.id)).toEqual([`${work}meeting.ics`, `${work}free.ics`, `${work}floating.ics`, `${work}holiday.ics`]);

      // Nothing changed: one PROPFIND for the ctag, no REPORT.
      let mark = radicale.requests.length;
      await sync(host, id);
      expect(radicale.requests.slice(mark).map((r) => [r.method, r.depth])).toEqual([['PROPFIND', '0']]);

      // One new object: listed by ETag, and only that one fetched.
      await radicale.putEvent('ada', 'ny', 'added', event('added@test', 'DTSTART:20270303T100000Z', 'DTEND:20270303T103000Z'));
      mark = radicale.requests.length;
      await sync(host, id);
      const reports = radicale.requests.slice(mark).filter((r) => r.method === 'REPORT');
      expect(reports).toHaveLength(2);
      expect(reports[0].body).toContain('calendar-query');
      expect(reports[1].body).toContain('calendar-multiget');
      expect([...reports[1].body.matchAll(/<d:href>([^<]+)<\/d:href>/g)].map((m) => m[1])).toEqual(['/ada/ny/added.ics']);
      expect(await slotStarts(type.id, '2027-03-03')).not.toContain('2027-03-03T10:00:00Z');

      // A deleted object: dropped without fetching anything.
      await radicale.deleteEvent('ada', 'ny', 'meeting');
      mark = radicale.requests.length;
      await sync(host, id);
      expect(radicale.requests.slice(mark).filter((r) => r.body.includes('calendar-multiget'))).toEqual([]);
      expect(await slotStarts(type.id, '2027-03-02')).toContain('2027-03-02T10:00:00Z');
      expect(await cacheKeys(host.id)).not.toContain(`${work}meeting.ics`);
    });

    it('blocks each occurrence of a recurring event (with an excluded and a moved occurrence)', async () => {
      const host = await createHost(t, { time_zone: 'Europe/London' });
      await setWeeklyHours(t, host, 'Europe/London');
      const type = await createMeetingType(t, host, { duration_minutes: 30 });
      await radicale.makeCalendar('cy', 'work', 'Work');
      await radicale.putEvent('cy', 'work', 'standup', [
        ...event(
          'standup@test',
          'DTSTART;TZID=Europe/London:20270302T110000',
          'DTEND;TZID=Europe/London:20270302T113000',
          'RRULE:FREQ=WEEKLY;COUNT=4',
          'EXDATE;TZID=Europe/London:20270316T110000',
        ),
        ...event(
          'standup@test',
          'RECURRENCE-ID;TZID=Europe/London:20270309T110000',
          'DTSTART;TZID=Europe/London:20270309T130000',
          'DTEND;TZID=Europe/London:20270309T133000',
        ),
      ]);
      await connect(host, 'cy').expect(201); // the first sync runs on connect

      expect(await slotStarts(type.id, '2027-03-02')).not.toContain('2027-03-02T11:00:00Z');
      const moved = await slotStarts(type.id, '2027-03-09');
      expect(moved).toContain('2027-03-09T11:00:00Z');
      expect(moved).not.toContain('2027-03-09T13:00:00Z');
      expect(await slotStarts(type.id, '2027-03-16')).toContain('2027-03-16T11:00:00Z'); // excluded
      expect(await slotStarts(type.id, '2027-03-23')).not.toContain('2027-03-23T11:00:00Z');
      expect(await slotStarts(type.id, '2027-03-30')).toContain('2027-03-30T10:00:00Z'); // after COUNT (BST from 28 March)
    });

    it("writes bookings into the destination calendar once (even when the writer runs twice), moves and deletes them; the UID is the invitation's, SEQUENCE rises, writes are conditional", async () => {
      const host = await createHost(t, { time_zone: 'Europe/London' });
      await setWeeklyHours(t, host, 'Europe/London');
      const type = await createMeetingType(t, host, { name: 'Demo', duration_minutes: 30 });
      const work = await radicale.makeCalendar('dee', 'work', 'Work');
      const id = (await connect(host, 'dee').expect(201)).body.id;

      const booking = (
        await t
          .http()
          .post('/api/bookings')
          .send({ meeting_type_id: type.id, start_time: '2027-03-02T10:00:00Z', ...invitee('cd1') })
          .expect(201)
      ).body;
      await drain();
      const [row] = await t.dataSource.query(`SELECT event_type, payload FROM outbox_events WHERE booking_id = $1`, [booking.id]);
      const writer = t.app.get(CalendarEventWriter);
      await Promise.all([
        writer.handle({ eventType: row.event_type, payload: row.payload }),
        writer.handle({ eventType: row.event_type, payload: row.payload }),
      ]);

      const name = `kairos-${booking.id}`;
      // The UID of the invitation mailed for this booking (GET /api/bookings/:id/ics renders the same invitation).
      const invitation = (await t.http().get(`/api/bookings/${booking.id}/ics`).set(host.auth).expect(200)).text;
      const uid = /^UID:(.+)\r$/m.exec(invitation)![1];
      expect(uid).not.toBe(name);
      let objects = await radicale.objects('dee', 'work');
      expect([...objects.keys()]).toEqual([name]);
      const written = parseVEvents(objects.get(name)!);
      expect(written).toEqual([expect.objectContaining({ uid, start: { kind: 'utc', date: '2027-03-02', time: '10:00:00' } })]);
      expect(objects.get(name)).toMatch(/^SEQUENCE:0\r$/m);
      expect(objects.get(name)).not.toMatch(/^DTSTAMP:20270302T100000Z/m); // when written, not the meeting's start
      // Created with If-None-Match: * (the second writer found it there and did not create a second one).
      const puts = () => radicale.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`${name}.ics`));
      expect(puts()[0]).toMatchObject({ ifNoneMatch: '*' });
      // Each provider call is timed: kairos_calendar_api_duration_seconds{provider, operation}.
      const metrics = (await t.http().get('/metrics').set(METRICS_AUTH).expect(200)).text;
      expect(
        Number(/^kairos_calendar_api_duration_seconds_count\{provider="caldav",operation="upsert"\} (\d+)$/m.exec(metrics)?.[1]),
      ).toBeGreaterThanOrEqual(1);
      expect(metrics).toMatch(/^kairos_calendar_api_duration_seconds_count\{provider="caldav",operation="open"\} \d+$/m);
      expect(objects.get(name)).toContain('SUMMARY:Demo with Invitee cd1');
      expect(objects.get(name)).not.toMatch(/^(METHOD|ORGANIZER|ATTENDEE)/m); // no scheduling by the server
      const links = (await t.http().get(`/api/integrations/bookings/${booking.id}/events`).set(host.auth).expect(200)).body;
      expect(links).toEqual([
        expect.objectContaining({ integration_id: id, calendar_id: work, external_event_id: `${work}${name}.ics`, status: 'synced' }),
      ]);

      // Reading the calendar back does not count our own event as foreign busy time.
      await sync(host, id);
      expect(await cacheKeys(host.id)).toEqual([]);

      // Another client of the same calendar edits the object (new ETag, its own SEQUENCE): our next write reads it first.
      await radicale.putEvent(
        'dee',
        'work',
        name,
        event(
          uid,
          'SEQUENCE:5',
          'DTSTART:20270302T100000Z',
          'DTEND:20270302T103000Z',
          'SUMMARY:Demo with Invitee cd1 (edited)',
          `X-KAIROS-BOOKING-ID:${booking.id}`,
        ),
      );
      const moved = (
        await t.http().put(`/api/bookings/${booking.id}/reschedule`).set(host.auth).send({ start_time: '2027-03-02T15:00:00Z' }).expect(200)
      ).body;
      await drain();
      objects = await radicale.objects('dee', 'work');
      expect([...objects.keys()]).toEqual([name]); // the same object, moved
      expect(parseVEvents(objects.get(name)!)[0]).toMatchObject({
        uid,
        start: { date: '2027-03-02', time: '15:00:00' },
        end: { time: '15:30:00' },
      });
      // Above both the rescheduled invitation's (1) and what the other client had written (5): it moved.
      expect(objects.get(name)).toMatch(/^SEQUENCE:6\r$/m);
      expect(/^UID:(.+)\r$/m.exec((await t.http().get(`/api/bookings/${moved.id}/ics`).set(host.auth).expect(200)).text)![1]).toBe(uid);
      // Replaced with If-Match on the ETag it had just read.
      const replace = puts().at(-1)!;
      expect(replace.ifMatch).toMatch(/^"?.+"?$/);
      expect(replace.ifNoneMatch).toBeUndefined();
      await sync(host, id);
      expect((await t.http().get(`/api/integrations/bookings/${moved.id}/events`).set(host.auth).expect(200)).body).toEqual([
        expect.objectContaining({ external_event_id: `${work}${name}.ics`, status: 'synced' }),
      ]);

      // An object written before the UID was the invitation's (UID = its name): replaced by one with the right UID
      // (deleted and created anew: Radicale, like the RFC, refuses a UID change in place with 409 no-uid-conflict).
      await radicale.deleteEvent('dee', 'work', name);
      await radicale.putEvent('dee', 'work', name, event(name, 'DTSTART:20270302T150000Z', 'DTEND:20270302T153000Z', 'SUMMARY:Demo'));
      const again = (
        await t.http().put(`/api/bookings/${moved.id}/reschedule`).set(host.auth).send({ start_time: '2027-03-02T16:00:00Z' }).expect(200)
      ).body;
      await drain();
      objects = await radicale.objects('dee', 'work');
      expect([...objects.keys()]).toEqual([name]);
      expect(parseVEvents(objects.get(name)!)[0]).toMatchObject({ uid, start: { date: '2027-03-02', time: '16:00:00' } });
      expect(objects.get(name)).toMatch(/^SEQUENCE:2\r$/m);

      await t.http().delete(`/api/bookings/${again.id}`).set(host.auth).send({ reason: 'conflict' }).expect(200);
      await drain();
      expect((await radicale.objects('dee', 'work')).size).toBe(0);
      const [link] = (await t.http().get(`/api/integrations/bookings/${again.id}/events`).set(host.auth).expect(200)).body;
      expect(link.status).toBe('deleted');
    });

    it('a password revoked on the server marks the connection broken; reconnecting with the new one repairs it', async () => {
      const host = await createHost(t);
      await radicale.makeCalendar('eve', 'work', 'Work');
      const id = (await connect(host, 'eve').expect(201)).body.id;
      radicale.setPassword('eve', 'eve-new-app-password');
      try {
        const res = await t.http().post(`/api/integrations/${id}/sync`).set(host.auth).expect(200);
        expect(res.body).toMatchObject({
          sync_status: 'broken',
          integration: { status: 'broken', last_error: expect.stringMatching(/rejected the username or password \(401\)/) },
        });
        await t.http().post(`/api/integrations/${id}/sync`).set(host.auth).expect(409);
        const repaired = await connect(host, 'eve', 'eve-new-app-password').expect(201);
        expect(repaired.body).toMatchObject({ id, status: 'active', last_error: null });
        await sync(host, id);
      } finally {
        radicale.setPassword('eve', PASSWORDS.eve);
      }
    });
  });

  describe('ICS export feed', () => {
    const feedPath = (url: string) => new URL(url).pathname;

    it("lists the host's live bookings (not cancelled ones) with their times, and answers 304 while unchanged", async () => {
      const host = await createHost(t, { time_zone: 'Europe/London', name: 'Erin Export' });
      await setWeeklyHours(t, host, 'Europe/London');
      const type = await createMeetingType(t, host, { name: 'Consult', duration_minutes: 30 });
      const book = async (start: string, n: string) =>
        (
          await t
            .http()
            .post('/api/bookings')
            .send({ meeting_type_id: type.id, start_time: start, ...invitee(n) })
            .expect(201)
        ).body;
      const first = await book('2027-03-02T10:00:00Z', 'ex1');
      const second = await book('2027-03-03T11:00:00Z', 'ex2');
      const dropped = await book('2027-03-04T09:00:00Z', 'ex3');
      await t.http().delete(`/api/bookings/${dropped.id}`).set(host.auth).send({ reason: 'no' }).expect(200);
      const moved = (
        await t.http().put(`/api/bookings/${second.id}/reschedule`).set(host.auth).send({ start_time: '2027-03-03T14:00:00Z' }).expect(200)
      ).body;

      await t.http().get('/api/integrations/export').expect(401);
      const link = (await t.http().get('/api/integrations/export').set(host.auth).expect(200)).body;
      expect(link.url).toMatch(/^http:\/\/kairos\.test\/feeds\/kcf_[A-Za-z0-9_-]{43}\.ics$/);
      expect((await t.http().get('/api/integrations/export').set(host.auth).expect(200)).body.url).toBe(link.url);
      const token = feedPath(link.url).slice('/feeds/'.length, -'.ics'.length);
      const [stored] = await t.dataSource.query(`SELECT * FROM calendar_export_feeds WHERE user_id = $1`, [host.id]);
      expect(stored.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
      expect(JSON.stringify(stored)).not.toContain(token);

      const res = await t.http().get(feedPath(link.url)).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/calendar/);
      const body = res.text;
      expect(body).toContain('X-WR-CALNAME:Kairos bookings (Erin Export)');
      expect(body).not.toMatch(/^METHOD:/m);
      // Invitee name and e-mail: the feed is the host's own.
      expect(body.replace(/\r\n[ \t]/g, '')).toContain('Invitee: Invitee ex1 <inviteeex1@example.com>');
      const events = parseVEvents(body);
      const uids = await t.dataSource.query(`SELECT id, ical_uid FROM bookings WHERE id = ANY($1::uuid[])`, [
        [first.id, moved.id, dropped.id],
      ]);
      const uidOf = (id: string) => uids.find((u: any) => u.id === id).ical_uid;
      expect(events.map((e) => e.uid).sort()).toEqual([uidOf(first.id), uidOf(moved.id)].sort());
      expect(events.some((e) => e.uid === uidOf(dropped.id))).toBe(false);
      const occurrences = occurrencesOf(events, 'UTC', new Date('2027-03-01T00:00:00Z'), new Date('2027-04-01T00:00:00Z'), (e) => e.uid);
      expect(occurrences.map((o) => [o.externalEventId, o.start.toISOString(), o.end.toISOString()])).toEqual([
        [uidOf(first.id), '2027-03-02T10:00:00.000Z', '2027-03-02T10:30:00.000Z'],
        [uidOf(moved.id), '2027-03-03T14:00:00.000Z', '2027-03-03T14:30:00.000Z'],
      ]);
      expect(events[0].start).toEqual({ kind: 'zoned', date: '2027-03-02', time: '10:00:00', tzid: 'Europe/London' });
      // DTSTAMP is when each booking last changed (stable for the ETag), never its start; the file ends with CRLF.
      const stamps = [...body.matchAll(/^DTSTAMP:(\S+)\r$/gm)].map((m) => m[1]);
      expect(stamps).toHaveLength(2);
      expect(stamps.filter((s) => s.startsWith('20270302T1000') || s.startsWith('20270303T1400'))).toEqual([]);
      expect(body.endsWith('END:VCALENDAR\r\n')).toBe(true);

      const etag = res.headers.etag;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
      const cached = await t.http().get(feedPath(link.url)).set('If-None-Match', etag).expect(304);
      expect(cached.text ?? '').toBe('');
      await t.http().get(feedPath(link.url)).set('If-None-Match', `W/${etag}`).expect(304);
      await book('2027-03-05T09:00:00Z', 'ex4');
      const changed = await t.http().get(feedPath(link.url)).set('If-None-Match', etag).expect(200);
      expect(changed.headers.etag).not.toBe(etag);
    });

    it("rotating retires the old URL; unknown tokens and other hosts' tokens do not reach this feed", async () => {
      const host = await createHost(t);
      const other = await createHost(t);
      await setWeeklyHours(t, host, 'Europe/London');
      const type = await createMeetingType(t, host, { name: 'Private call', duration_minutes: 30 });
      await t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: type.id, start_time: '2027-03-02T10:00:00Z', ...invitee('rot1') })
        .expect(201);

      const before = (await t.http().get('/api/integrations/export').set(host.auth).expect(200)).body.url;
      await t.http().get(feedPath(before)).expect(200);
      const rotated = (await t.http().post('/api/integrations/export/rotate').set(host.auth).expect(200)).body;
      expect(rotated.url).not.toBe(before);
      expect(rotated.rotated_at).toBe(NOW.replace('Z', '.000Z'));
      const gone = await t.http().get(feedPath(before)).expect(404);
      expect(gone.body).toMatchObject({ status_code: 404, message: 'feed not found' });
      expect((await t.http().get(feedPath(rotated.url)).expect(200)).text).toContain('Private call with Invitee rot1');
      expect((await t.http().get('/api/integrations/export').set(host.auth).expect(200)).body.url).toBe(rotated.url);

      const theirs = (await t.http().get('/api/integrations/export').set(other.auth).expect(200)).body.url;
      expect(theirs).not.toBe(rotated.url);
      expect((await t.http().get(feedPath(theirs)).expect(200)).text).not.toContain('Private call');

      for (const path of [`/feeds/kcf_${'A'.repeat(43)}.ics`, '/feeds/whatever.ics', feedPath(rotated.url).replace('.ics', '')]) {
        await t.http().get(path).expect(404);
      }
    });
  });
});
