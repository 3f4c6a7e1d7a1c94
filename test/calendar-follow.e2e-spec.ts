import { googleEventIdFor } from '../src/modules/calendar/infrastructure/google-calendar.adapter.js';
import { DeliveryDispatcher } from '../src/modules/notify/application/delivery-dispatcher.js';
import { settleDeliveries } from './support/deliveries.js';
import request from 'supertest';
import { createHost, HOST_PASSWORD, type TestHost } from './support/factories.js';
import { FakeGoogleCalendar } from './support/fake-google-calendar.js';
import { icsProps, TestSmtpServer, TestWebhookReceiver } from './support/mail.js';
import { createMeetingType, invitee, setWeeklyHours, rescheduleChain } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC; the host works 09:00-17:00 in London (GMT = UTC).
const NOW = '2027-03-01T12:00:00Z';
const HOST_MOVE_DELAY_SECONDS = 60;
/** Starting an app (migrations; PGlite on KAIROS_TEST_DB=embedded) on a busy 2-core machine can take over a minute. */
const START_TIMEOUT = 180_000;

describe('two-way sync follows the host: a move in Google reschedules the booking (e2e, local fake Google)', () => {
  let t: TestApp;
  let google: FakeGoogleCalendar;
  let smtp: TestSmtpServer;
  let receiver: TestWebhookReceiver;
  let host: TestHost;
  let typeId: string;
  let integrationId: string;

  beforeAll(async () => {
    google = await new FakeGoogleCalendar().start();
    google.now = () => t.clock!.now().getTime();
    smtp = await new TestSmtpServer().start();
    receiver = await new TestWebhookReceiver().start();
    t = await startTestApp({
      now: NOW,
      env: {
        ...google.env,
        SMTP_URL: smtp.url,
        OUTBOX_POLL_INTERVAL_MS: '0',
        NOTIFY_SWEEP_INTERVAL_MS: '0',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        ENCRYPTION_KEY: `k1:${'ab'.repeat(32)}`,
        NOTIFY_HOST_MOVE_DELAY_SECONDS: String(HOST_MOVE_DELAY_SECONDS),
        // The pinned clock moves on with every settle: no on-demand syncs behind the tests' own.
        CALENDAR_ON_DEMAND_AFTER_SECONDS: '0',
      },
    });
    host = await createHost(t);
    await setWeeklyHours(t, host, 'Europe/London');
    typeId = (await createMeetingType(t, host, { name: 'Intro call', duration_minutes: 30 })).id;
    // OAuth: our 302 → the fake consent page → its 302 back to our callback.
    google.account = `${host.username}@gmail.test`;
    const start = await t.http().get('/api/integrations/google/oauth').set(host.auth).expect(302);
    const back = await fetch(new URL(start.headers.location), { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    integrationId = (await t.http().get(`${callback.pathname}${callback.search}`).set('Accept', 'application/json').expect(200)).body.id;
    await t
      .http()
      .post('/api/webhooks')
      .set(host.auth)
      .send({ url: receiver.url, events: ['invitee.rescheduled'] })
      .expect(201);
  }, START_TIMEOUT);
  afterAll(async () => {
    await t?.close();
    await google?.stop();
    await smtp?.close();
    await receiver?.close();
  });

  /** Relays and sends everything, mails about a host's move included (they wait NOTIFY_HOST_MOVE_DELAY_SECONDS). */
  const settle = async () => {
    await settleDeliveries(t);
    t.clock!.advance(HOST_MOVE_DELAY_SECONDS * 1000);
    await t.app.get(DeliveryDispatcher).sweep();
    await settleDeliveries(t);
  };
  const sync = () => t.http().post(`/api/integrations/${integrationId}/sync`).set(host.auth).expect(200);
  const book = async (start: string, n: string) =>
    (
      await t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: typeId, start_time: start, ...invitee(n) })
        .expect(201)
    ).body as { id: string };
  const chain = (bookingId: string) => rescheduleChain(t, bookingId);
  const live = async (bookingId: string) => (await chain(bookingId)).filter((b) => b.status === 'confirmed');
  /** The host drags our event to another time in Google Calendar. */
  const hostMoves = (bookingId: string, start: string, end: string) => {
    const event = google.event('primary-cal', googleEventIdFor(bookingId))!;
    google.putEvent('primary-cal', { ...event, start: { dateTime: start }, end: { dateTime: end } });
  };
  const links = async (bookingId: string) =>
    (await t.http().get(`/api/integrations/bookings/${bookingId}/events`).set(host.auth).expect(200)).body;
  /** The host's mails about a move of this booking that it could not follow. */
  const conflictMails = (bookingId: string) =>
    smtp.to(host.email).filter((m) => m.subject.startsWith('Not moved:') && m.text.includes(`/admin/bookings/${bookingId}`));
  const conflictRows = (bookingId: string) =>
    t.dataSource.query<Array<{ id: string; status: string; attempts: number; last_error: string | null }>>(
      `SELECT id, status, attempts, last_error, recipient, recipient_role, channel FROM notification_deliveries
        WHERE booking_id = $1 AND kind = 'host_move_conflict'`,
      [bookingId],
    );
  const hooksFor = (bookingIds: string[]) =>
    receiver.requests
      .map((r) => JSON.parse(r.body) as { event: string; payload: Record<string, unknown> })
      .filter((b) => bookingIds.includes(b.payload.old_booking_id as string));

  it('follows a move (even outside working hours): booking moved, invitee updated (same UID, higher SEQUENCE), webhook says host_calendar', async () => {
    const booking = await book('2027-03-03T10:00:00Z', 'f1');
    await settle();
    const original = smtp.to('inviteef1@example.com')[0];
    const uid = icsProps(original.calendars[0].content).get('UID')![0];

    hostMoves(booking.id, '2027-03-03T19:00:00Z', '2027-03-03T19:30:00Z'); // after hours: the host decided
    await sync();
    await settle();

    const [moved] = await live(booking.id);
    expect(moved).toMatchObject({
      start_time: new Date('2027-03-03T19:00:00Z'),
      end_time: new Date('2027-03-03T19:30:00Z'),
      ical_sequence: 1,
    });
    expect((await chain(booking.id)).map((b) => b.status)).toEqual(['rescheduled', 'confirmed']);

    const updates = smtp.to('inviteef1@example.com').filter((m) => m.subject.startsWith('Rescheduled:'));
    expect(updates).toHaveLength(1);
    const ics = icsProps(updates[0].calendars[0].content);
    expect(ics.get('UID')).toEqual([uid]);
    expect(ics.get('SEQUENCE')).toEqual(['1']);
    expect(ics.get('METHOD')).toEqual(['REQUEST']);

    const hooks = hooksFor([booking.id]);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({
      event: 'invitee.rescheduled',
      payload: {
        booking_id: moved.id,
        start_time: '2027-03-03T19:00:00.000Z',
        old_start_time: '2027-03-03T10:00:00.000Z',
        rescheduled_by: 'host_calendar',
        sequence: 1,
      },
    });

    // The event stays where the host put it, now recorded as ours at that time; syncing again changes nothing.
    expect(google.event('primary-cal', googleEventIdFor(booking.id))).toMatchObject({ start: { dateTime: '2027-03-03T19:00:00Z' } });
    expect(await links(moved.id)).toEqual([expect.objectContaining({ status: 'synced', host_action: null })]);
    await sync();
    await settle();
    expect(await chain(booking.id)).toHaveLength(2);
    expect(smtp.to('inviteef1@example.com').filter((m) => m.subject.startsWith('Rescheduled:'))).toHaveLength(1);
  });

  it('the same move seen by two syncs at once has one outcome', async () => {
    const booking = await book('2027-03-04T10:00:00Z', 'f2');
    await settle();
    hostMoves(booking.id, '2027-03-04T11:00:00Z', '2027-03-04T11:30:00Z');
    await Promise.all([sync(), sync()]);
    await sync();
    await settle();
    expect(await chain(booking.id)).toHaveLength(2);
    expect((await live(booking.id))[0].start_time).toEqual(new Date('2027-03-04T11:00:00Z'));
    expect(smtp.to('inviteef2@example.com').filter((m) => m.subject.startsWith('Rescheduled:'))).toHaveLength(1);
    expect(hooksFor([booking.id])).toHaveLength(1);
  });

  it('two quick moves: the last one wins, each followed once', async () => {
    const booking = await book('2027-03-05T10:00:00Z', 'f3');
    await settle();
    hostMoves(booking.id, '2027-03-05T13:00:00Z', '2027-03-05T13:30:00Z');
    await sync();
    // Moved again before our own outbox caught up with the first move.
    hostMoves(booking.id, '2027-03-05T14:00:00Z', '2027-03-05T15:00:00Z');
    await sync();
    await settle();
    await sync();
    await settle();
    const rows = await chain(booking.id);
    expect(rows.map((b) => b.status)).toEqual(['rescheduled', 'rescheduled', 'confirmed']);
    expect(rows[2]).toMatchObject({ start_time: new Date('2027-03-05T14:00:00Z'), end_time: new Date('2027-03-05T15:00:00Z') });
    expect(google.event('primary-cal', googleEventIdFor(booking.id))).toMatchObject({ start: { dateTime: '2027-03-05T14:00:00Z' } });
    const updates = smtp.to('inviteef3@example.com').filter((m) => m.subject.startsWith('Rescheduled:'));
    // Both moves were followed (SEQUENCE 2); the first one's update was already stale when it went out, so the invitee
    // hears only of the time that holds.
    expect(updates.map((m) => icsProps(m.calendars[0].content).get('SEQUENCE'))).toEqual([['2']]);
  });

  it('two quick moves with our relay running between them: the invitee gets one update, for the last time', async () => {
    const booking = await book('2027-03-05T16:00:00Z', 'f7');
    await settle();
    hostMoves(booking.id, '2027-03-12T13:00:00Z', '2027-03-12T13:30:00Z');
    await sync();
    await settleDeliveries(t); // relayed and written: the first move's mail waits
    t.clock!.advance(20_000);
    hostMoves(booking.id, '2027-03-12T14:00:00Z', '2027-03-12T14:30:00Z');
    await sync();
    await settle();
    const rows = await chain(booking.id);
    expect(rows.map((b) => b.status)).toEqual(['rescheduled', 'rescheduled', 'confirmed']);
    const updates = smtp.to('inviteef7@example.com').filter((m) => m.subject.startsWith('Rescheduled:'));
    expect(updates).toHaveLength(1);
    expect(icsProps(updates[0].calendars[0].content).get('SEQUENCE')).toEqual(['2']);
    const [withdrawn] = await t.dataSource.query(
      `SELECT status, last_error FROM notification_deliveries WHERE booking_id = $1 AND kind = 'reschedule' AND recipient_role = 'invitee'`,
      [rows[1].id],
    );
    expect(withdrawn).toMatchObject({ status: 'cancelled', last_error: expect.stringContaining('moved the meeting again') });
    // Webhooks are not held: each move is an event of its own.
    expect(hooksFor([booking.id, rows[1].id]).map((h) => h.payload.start_time)).toEqual([
      '2027-03-12T13:00:00.000Z',
      '2027-03-12T14:00:00.000Z',
    ]);
  });

  it('a move onto another booking keeps the old time, flags the link and mails the host once (a delivery row), and tells nobody it moved', async () => {
    const first = await book('2027-03-08T10:00:00Z', 'f4');
    const other = await book('2027-03-08T12:00:00Z', 'f5');
    await settle();
    hostMoves(first.id, '2027-03-08T12:15:00Z', '2027-03-08T12:45:00Z');
    await sync();
    await sync();
    await settle();
    expect(await chain(first.id)).toEqual([expect.objectContaining({ status: 'confirmed', start_time: new Date('2027-03-08T10:00:00Z') })]);
    expect(await chain(other.id)).toEqual([expect.objectContaining({ status: 'confirmed', start_time: new Date('2027-03-08T12:00:00Z') })]);
    expect(await links(first.id)).toEqual([
      expect.objectContaining({
        status: 'host_moved',
        host_action: 'flagged',
        last_error: expect.stringContaining('collides with another booking'),
      }),
    ]);
    expect(conflictMails(first.id)).toHaveLength(1); // two syncs, one mail
    const [mail] = conflictMails(first.id);
    // In the host's zone, like the other host mails; what holds, where they moved it, why, and where to act.
    expect(mail.subject).toBe('Not moved: Intro call with Invitee f4 stays on Monday, 8 March 2027, 10:00 (Europe/London)');
    const text = mail.text.replace(/\r\n/g, '\n');
    expect(text).toContain('It stays at:\n  - Monday, 8 March 2027, 10:00–10:30 (Europe/London)');
    expect(text).toContain('You moved it to:\n  - Monday, 8 March 2027, 12:15–12:45 (Europe/London)');
    expect(text).toContain('Why: the host moved the event to 2027-03-08T12:15:00.000Z–2027-03-08T12:45:00.000Z, which collides');
    expect(mail.html).toContain(`/admin/bookings/${first.id}"`);
    expect(mail.calendars).toEqual([]); // a notice to the host, not a change of the meeting
    // A delivery row like every other mail: sent once, visible in the host's notification list.
    const rows = await conflictRows(first.id);
    expect(rows).toEqual([
      expect.objectContaining({ status: 'sent', attempts: 1, recipient: host.email, recipient_role: 'host', channel: 'email' }),
    ]);
    const listed = await t.http().get(`/api/notifications?booking_id=${first.id}&kind=host_move_conflict`).set(host.auth).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: rows[0].id, status: 'sent' })]);

    // The same move seen again as if the flag were not written yet (another replica's sync raced this one): a second
    // notice, the same delivery id, still one mail.
    await t.dataSource.query(
      `UPDATE calendar_event_links SET status = 'synced', host_action = NULL, last_error = NULL WHERE booking_id = $1`,
      [first.id],
    );
    google.invalidateSyncTokens(); // a full read lists the moved event again
    await sync();
    await settle();
    const [{ n: notices }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_events WHERE event_type = 'calendar.host_move_conflict' AND booking_id = $1`,
      [first.id],
    );
    expect(notices).toBe(2);
    expect(await conflictRows(first.id)).toEqual([expect.objectContaining({ id: rows[0].id, status: 'sent' })]);
    expect(conflictMails(first.id)).toHaveLength(1);
    expect(smtp.to('inviteef4@example.com').filter((m) => m.subject.startsWith('Rescheduled:'))).toHaveLength(0);

    // The admin's bookings list shows the conflict on the booking.
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/admin/login').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    await agent.post('/admin/login').type('form').send({ email: host.email, password: HOST_PASSWORD, _csrf: csrf }).expect(303);
    const page = (await agent.get('/admin').expect(200)).text;
    const item = page.slice(page.indexOf(`id="booking-${first.id}"`), page.indexOf('</li>', page.indexOf(`id="booking-${first.id}"`)));
    expect(item).toContain('Calendar conflict:');
    expect(item).toContain('collides with another booking');
    const otherItem = page.slice(page.indexOf(`id="booking-${other.id}"`), page.indexOf('</li>', page.indexOf(`id="booking-${other.id}"`)));
    expect(otherItem).not.toContain('Calendar conflict');
    expect(hooksFor([first.id])).toHaveLength(0);
  });

  it("the host's mail about a refused move survives SMTP being down: retried with backoff, then sent once", async () => {
    const first = await book('2027-03-15T10:00:00Z', 'r1');
    await book('2027-03-15T12:00:00Z', 'r2');
    await settle();
    smtp.refuse = true;
    try {
      hostMoves(first.id, '2027-03-15T12:15:00Z', '2027-03-15T12:45:00Z');
      await sync();
      await settleDeliveries(t);
      expect(smtp.refused).toBeGreaterThan(0);
      expect(await conflictRows(first.id)).toEqual([
        expect.objectContaining({ status: 'pending', attempts: 1, last_error: expect.stringContaining('temporarily unavailable') }),
      ]);
      expect(conflictMails(first.id)).toHaveLength(0);
    } finally {
      smtp.refuse = false;
    }
    await sync(); // seen again meanwhile: nothing new
    await settle(); // the retry is due a minute later (NOTIFY_RETRY_BASE_SECONDS)
    expect(await conflictRows(first.id)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
    expect(conflictMails(first.id)).toHaveLength(1);
  });

  it('a stale follow does not overwrite a newer reschedule: the booking changed after the event was written wins', async () => {
    const booking = await book('2027-03-11T10:00:00Z', 'f6');
    await settle();
    hostMoves(booking.id, '2027-03-11T11:00:00Z', '2027-03-11T11:30:00Z');
    // Meanwhile the booking is rescheduled in Kairos, and the sync runs before the writer has written that.
    const newer = (
      await t.http().put(`/api/bookings/${booking.id}/reschedule`).set(host.auth).send({ start_time: '2027-03-11T15:00:00Z' }).expect(200)
    ).body;
    await sync();
    expect(await links(booking.id)).toEqual([
      expect.objectContaining({
        status: 'host_moved',
        host_action: 'flagged',
        last_error: 'the booking changed after the host moved the event',
      }),
    ]);
    await settle();
    await sync();
    await settle();
    expect((await chain(booking.id)).map((b) => [b.status, b.start_time.toISOString()])).toEqual([
      ['rescheduled', '2027-03-11T10:00:00.000Z'],
      ['confirmed', '2027-03-11T15:00:00.000Z'],
    ]);
    expect(hooksFor([booking.id]).filter((h) => h.payload.rescheduled_by === 'host_calendar')).toEqual([]);
    // The writer then put the event where the booking is.
    expect(google.event('primary-cal', googleEventIdFor(booking.id))).toMatchObject({ start: { dateTime: '2027-03-11T15:00:00.000Z' } });
    expect(await links(newer.id)).toEqual([expect.objectContaining({ status: 'synced', host_action: null })]);
  });

  describe('an event moved out of the sync window (it ends 90 days on, 30 May)', () => {
    const gets = (bookingId: string) =>
      google.requestsTo('GET', new RegExp(`/calendars/primary-cal/events/${googleEventIdFor(bookingId)}$`)).length;

    it('reported by an incremental sync: followed however far', async () => {
      const booking = await book('2027-03-09T10:00:00Z', 'w1');
      await settle();
      await sync();
      hostMoves(booking.id, '2027-09-01T10:00:00Z', '2027-09-01T10:30:00Z');
      await sync();
      await settle();
      expect((await live(booking.id))[0]).toMatchObject({ start_time: new Date('2027-09-01T10:00:00Z'), ical_sequence: 1 });
      expect(smtp.to('inviteew1@example.com').filter((m) => m.subject.startsWith('Rescheduled:'))).toHaveLength(1);
    });

    it('missing from a full read (timeMin..timeMax, the sync token expired): fetched with events.get, a move is a move, a deletion a deletion', async () => {
      const booking = await book('2027-03-10T10:00:00Z', 'w2');
      await settle();
      await sync();
      hostMoves(booking.id, '2027-09-02T10:00:00Z', '2027-09-02T10:30:00Z');
      google.invalidateSyncTokens(); // 410 Gone: the next sync lists the window afresh
      const before = gets(booking.id);
      await sync();
      await settle();
      expect(gets(booking.id)).toBe(before + 1);
      const [moved] = await live(booking.id);
      expect(moved).toMatchObject({ start_time: new Date('2027-09-02T10:00:00Z'), end_time: new Date('2027-09-02T10:30:00Z') });
      expect(hooksFor([booking.id])).toEqual([
        expect.objectContaining({
          payload: expect.objectContaining({ rescheduled_by: 'host_calendar', start_time: '2027-09-02T10:00:00.000Z' }),
        }),
      ]);
      // Full reads go on not listing it: fetched, found where we recorded it, nothing happens.
      google.invalidateSyncTokens();
      await sync();
      await settle();
      expect(await chain(booking.id)).toHaveLength(2);
      expect(await links(moved.id)).toEqual([expect.objectContaining({ status: 'synced', host_action: null })]);

      // Deleted (a "cancelled" tombstone to events.get): a deletion, flagged for the host (the connection does not cancel).
      google.deleteEvent('primary-cal', googleEventIdFor(booking.id));
      google.invalidateSyncTokens();
      await sync();
      await settle();
      expect(await live(booking.id)).toEqual([expect.objectContaining({ id: moved.id, status: 'confirmed' })]);
      expect(await links(moved.id)).toEqual([expect.objectContaining({ status: 'host_deleted', host_action: 'flagged' })]);
    });
  });
});
