import { createHmac } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { AppConfig } from '../src/config/app-config.js';
import { DeliveryDispatcher } from '../src/modules/notify/application/delivery-dispatcher.js';
import { OutboxRelay } from '../src/shared/outbox/outbox-relay.js';
import { PeriodicJobs } from '../src/shared/scheduling/periodic-jobs.js';
import { createHost, type TestHost } from './support/factories.js';
import { icsProps, TestSmtpServer, TestWebhookReceiver } from './support/mail.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TEST_REDIS_URL, USE_EMBEDDED_DB } from './support/test-env.js';
import { deliveryQueue, settleDeliveries } from './support/deliveries.js';

// The embedded database has one session, shared by every connection: a transaction held open by the test would stall
// every other statement, and session advisory locks cannot tell two instances apart. It serves one instance only.
const onServerPostgres = USE_EMBEDDED_DB ? it.skip : it;

// Monday 1 March 2027, 12:00 UTC. Hosts work 09:00-17:00 in New York (EST = UTC-5 until 14 March).
const NOW = '2027-03-01T12:00:00Z';

interface Row {
  id: string;
  kind: string;
  channel: string;
  status: string;
  recipient: string;
  recipient_role: string;
  due_at: Date;
  attempts: number;
  revision: number;
  booking_id: string;
  last_error: string | null;
}

describe('notify (e2e: PostgreSQL, Redis/BullMQ, in-process SMTP)', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let relay: OutboxRelay;
  let dispatcher: DeliveryDispatcher;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    t = await startTestApp({
      now: NOW,
      env: {
        SMTP_URL: smtp.url,
        // Background loops off: the tests drive the relay and the sweep, and move the pinned clock.
        OUTBOX_POLL_INTERVAL_MS: '0',
        NOTIFY_SWEEP_INTERVAL_MS: '0',
        NOTIFY_MAX_ATTEMPTS: '3',
        NOTIFY_RETRY_BASE_SECONDS: '60',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      },
    });
    relay = t.app.get(OutboxRelay);
    dispatcher = t.app.get(DeliveryDispatcher);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const rows = (bookingIds: string[]): Promise<Row[]> =>
    t.dataSource.query(`SELECT * FROM notification_deliveries WHERE booking_id = ANY($1) ORDER BY kind, recipient_role, due_at`, [
      bookingIds,
    ]);

  const settle = () => settleDeliveries(t);

  async function hostWithType(body: Record<string, unknown> = {}, zone = 'America/New_York'): Promise<{ host: TestHost; typeId: string }> {
    const host = await createHost(t, { time_zone: zone });
    await setWeeklyHours(t, host, zone);
    const type = await createMeetingType(t, host, body);
    return { host, typeId: type.id };
  }

  async function book(typeId: string, start: string, n: string, extra: Record<string, unknown> = {}) {
    const res = await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: start, ...invitee(n), ...extra });
    if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; management_token: string; start_time: string };
  }

  it('a booking sends exactly one confirmation to the invitee and one to the host, each with an invitation', async () => {
    const { host, typeId } = await hostWithType();
    // Tuesday 2 March 2027, 09:00-09:30 in New York = 14:00Z; the invitee lives in London.
    const booking = await book(typeId, '2027-03-02T14:00:00Z', 'c1');
    await settle();

    const toInvitee = smtp.to('inviteec1@example.com');
    const toHost = smtp.to(host.email);
    expect(toInvitee).toHaveLength(1);
    expect(toHost).toHaveLength(1);
    expect(toInvitee[0].subject).toBe(
      `Confirmed: Intro call with ${(await t.http().get(`/api/users/${host.id}`)).body.name} on Tuesday, 2 March 2027, 14:00 (Europe/London)`,
    );
    expect(toHost[0].subject).toBe('New booking: Intro call with Invitee c1 on Tuesday, 2 March 2027, 09:00 (America/New_York)');
    // Each recipient sees their own zone first, the other side's zone too, both named.
    expect(toInvitee[0].text).toContain('Tuesday, 2 March 2027, 14:00–14:30 (Europe/London)');
    expect(toInvitee[0].text).toContain('Tuesday, 2 March 2027, 09:00–09:30 (America/New_York)');
    expect(toHost[0].text).toContain('Tuesday, 2 March 2027, 09:00–09:30 (America/New_York)');
    expect(toHost[0].text).toContain('(Europe/London)');
    // The invitee's mail has their management links; the host's never carries the invitee's token.
    expect(toInvitee[0].text).toContain(`token=${booking.management_token}`);
    expect(toHost[0].raw).not.toContain(booking.management_token);
    expect(toInvitee[0].html).toContain('calendar.google.com');

    for (const mail of [...toInvitee, ...toHost]) {
      // The invitation exactly once (nodemailer's icalEvent used to add a second copy without method=).
      expect(mail.calendars).toHaveLength(1);
      expect(mail.calendars[0].filename).toBe('invite.ics');
      expect(mail.calendars[0].contentType).toMatch(/^text\/calendar;.*method=REQUEST/);
      const ics = icsProps(mail.calendars[0].content);
      expect(ics.get('METHOD')).toEqual(['REQUEST']);
      expect(ics.get('SEQUENCE')).toEqual(['0']);
      expect(ics.get('DTSTART;TZID=America/New_York')).toEqual(['20270302T090000']);
      expect(ics.get('DTEND;TZID=America/New_York')).toEqual(['20270302T093000']);
      expect(ics.get('UID')).toHaveLength(1);
      expect(ics.get('ORGANIZER')![0].toLowerCase()).toBe(`mailto:${host.email}`);
      expect(ics.get('ATTENDEE')!.map((a) => a.toLowerCase())).toContain('mailto:inviteec1@example.com');
      expect(mail.calendars[0].content).toContain('BEGIN:VTIMEZONE');
    }
    expect(icsProps(toInvitee[0].calendars[0].content).get('UID')).toEqual(icsProps(toHost[0].calendars[0].content).get('UID'));

    // Reminders: 24 h and 1 h before, both still in the future.
    const reminders = (await rows([booking.id])).filter((r) => r.kind === 'reminder');
    expect(reminders.map((r) => [r.status, r.due_at.toISOString()]).sort()).toEqual([
      ['pending', '2027-03-01T14:00:00.000Z'],
      ['pending', '2027-03-02T13:00:00.000Z'],
    ]);
  });

  it('relaying the events again, or a duplicated job, sends nothing twice', async () => {
    const { host, typeId } = await hostWithType();
    const booking = await book(typeId, '2027-03-02T15:00:00Z', 'd1');
    await settle();
    const before = await rows([booking.id]);
    expect(smtp.to(host.email)).toHaveLength(1);

    // Rewind the relay's cursor: every event is handled again.
    await t.dataSource.query(`UPDATE outbox_consumer_offsets SET last_txid = '0', last_event_id = 0 WHERE consumer = 'notify'`);
    expect(await relay.drain()).toBeGreaterThan(0);
    // A duplicated job for a delivery that was sent already, and a direct second run.
    const confirmation = before.find((r) => r.kind === 'confirmation' && r.recipient_role === 'host')!;
    await deliveryQueue(t).add('deliver', { id: confirmation.id }, { jobId: `${confirmation.id}-dup` });
    await dispatcher.sweep();
    await settle();
    await new Promise((r) => setTimeout(r, 300));

    expect(await rows([booking.id])).toEqual(before);
    expect(smtp.to(host.email)).toHaveLength(1);
    expect(smtp.to('inviteed1@example.com')).toHaveLength(1);
  });

  it('a reminder whose time has passed when the booking is made is not created', async () => {
    const { typeId } = await hostWithType();
    // Monday 1 March 15:00Z: the 24 h reminder would have been due yesterday, the 1 h one is still ahead.
    const booking = await book(typeId, '2027-03-01T15:00:00Z', 'late');
    await settle();
    const reminders = (await rows([booking.id])).filter((r) => r.kind === 'reminder');
    expect(reminders.map((r) => r.due_at.toISOString())).toEqual(['2027-03-01T14:00:00.000Z']);
  });

  it('reschedule sends an update (same UID, higher SEQUENCE) and replaces the reminders; cancel sends CANCEL and withdraws them', async () => {
    const { host, typeId } = await hostWithType();
    const booking = await book(typeId, '2027-03-03T14:00:00Z', 'r1');
    await settle();
    const original = smtp.to('inviteer1@example.com')[0];
    const uid = icsProps(original.calendars[0].content).get('UID')![0];

    const moved = await t
      .http()
      .put(`/api/bookings/${booking.id}/reschedule`)
      .query({ token: booking.management_token })
      .send({ start_time: '2027-03-04T15:00:00Z' });
    expect(moved.status).toBe(200);
    const newId = moved.body.id as string;
    await settle();

    const updates = smtp.to('inviteer1@example.com').filter((m) => m.subject.startsWith('Rescheduled:'));
    expect(updates).toHaveLength(1);
    expect(updates[0].subject).toBe(
      `Rescheduled: Intro call with ${(await t.http().get(`/api/users/${host.id}`)).body.name} is now on Thursday, 4 March 2027, 15:00 (Europe/London)`,
    );
    expect(updates[0].text).toContain('Wednesday, 3 March 2027, 14:00–14:30 (Europe/London)'); // was
    expect(updates[0].text).toContain('Thursday, 4 March 2027, 15:00–15:30 (Europe/London)'); // now
    const updateIcs = icsProps(updates[0].calendars[0].content);
    expect(updateIcs.get('METHOD')).toEqual(['REQUEST']);
    expect(updateIcs.get('UID')).toEqual([uid]);
    expect(updateIcs.get('SEQUENCE')).toEqual(['1']);
    expect(updateIcs.get('DTSTART;TZID=America/New_York')).toEqual(['20270304T100000']);
    expect(smtp.to(host.email).filter((m) => m.subject.startsWith('Rescheduled:'))).toHaveLength(1);

    const all = await rows([booking.id, newId]);
    const oldReminders = all.filter((r) => r.kind === 'reminder' && r.booking_id === booking.id);
    const newReminders = all.filter((r) => r.kind === 'reminder' && r.booking_id === newId);
    expect(oldReminders.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    expect(newReminders.map((r) => [r.status, r.due_at.toISOString()]).sort()).toEqual([
      ['pending', '2027-03-03T15:00:00.000Z'],
      ['pending', '2027-03-04T14:00:00.000Z'],
    ]);

    const cancelled = await t.http().delete(`/api/bookings/${newId}`).set(host.auth).send({ reason: 'Double-booked, sorry' });
    expect(cancelled.status).toBe(200);
    await settle();
    const cancellations = smtp.to('inviteer1@example.com').filter((m) => m.subject.startsWith('Cancelled:'));
    expect(cancellations).toHaveLength(1);
    expect(cancellations[0].text).toContain('Reason: Double-booked, sorry');
    const cancelIcs = icsProps(cancellations[0].calendars[0].content);
    expect(cancelIcs.get('METHOD')).toEqual(['CANCEL']);
    expect(cancelIcs.get('STATUS')).toEqual(['CANCELLED']);
    expect(cancelIcs.get('UID')).toEqual([uid]);
    expect(Number(cancelIcs.get('SEQUENCE')![0])).toBeGreaterThan(1);
    expect(cancellations[0].calendars.some((c) => c.filename === 'cancel.ics')).toBe(true);
    expect(smtp.to(host.email).filter((m) => m.subject.startsWith('Cancelled:'))).toHaveLength(1);
    const after = (await rows([newId])).filter((r) => r.kind === 'reminder');
    expect(after.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('reminders fire at their instant (pinned clock + sweep), once, even after Redis lost its delayed jobs', async () => {
    const { host, typeId } = await hostWithType();
    const booking = await book(typeId, '2027-03-05T16:00:00Z', 'rem'); // Friday 11:00 New York
    await settle();
    const delayed = await deliveryQueue(t).getDelayedCount();
    expect(delayed).toBeGreaterThanOrEqual(2);

    // Redis loses everything under this app's prefix.
    await flushPrefix(t.redisPrefix);
    expect(await deliveryQueue(t).getDelayedCount()).toBe(0);

    // One minute before the 24 h reminder: nothing goes out.
    t.clock!.set('2027-03-04T15:59:00Z');
    await dispatcher.sweep();
    await settle();
    expect(smtp.to('inviteerem@example.com').filter((m) => m.subject.startsWith('Reminder:'))).toHaveLength(0);

    t.clock!.set('2027-03-04T16:00:00Z');
    await dispatcher.sweep();
    await settle();
    await dispatcher.sweep(); // a second sweep finds nothing left to do
    await settle();
    const reminders = smtp.to('inviteerem@example.com').filter((m) => m.subject.startsWith('Reminder:'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0].subject).toBe(
      `Reminder: Intro call with ${(await t.http().get(`/api/users/${host.id}`)).body.name} in 24 hours, Friday, 5 March 2027, 16:00 (Europe/London)`,
    );
    const states = (await rows([booking.id]))
      .filter((r) => r.kind === 'reminder')
      .map((r) => [r.due_at.toISOString(), r.status])
      .sort();
    expect(states).toEqual([
      ['2027-03-04T16:00:00.000Z', 'sent'],
      ['2027-03-05T15:00:00.000Z', 'pending'],
    ]);
  });

  it('SMTP refusing: retries with backoff, then failed and visible to the host only; recovers on redelivery', async () => {
    const { host, typeId } = await hostWithType();
    const other = await createHost(t);
    smtp.refuse = true;
    const refusedBefore = smtp.refused;
    const booking = await book(typeId, '2027-03-08T15:00:00Z', 'down');
    await settle();
    const hostRow = async () => (await rows([booking.id])).find((r) => r.kind === 'confirmation' && r.recipient_role === 'host')!;
    let row = await hostRow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.due_at.getTime() - t.clock!.now().getTime()).toBe(60_000); // first retry after the base delay

    t.clock!.advance(60_000);
    await dispatcher.sweep();
    await settle();
    row = await hostRow();
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row.due_at.getTime() - t.clock!.now().getTime()).toBe(120_000); // doubled

    t.clock!.advance(120_000);
    await dispatcher.sweep();
    await settle();
    row = await hostRow();
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    expect(row.last_error).toMatch(/451|unavailable/);
    expect(smtp.refused - refusedBefore).toBe(6); // 2 confirmations × 3 attempts
    expect(smtp.to('inviteedown@example.com')).toHaveLength(0);

    const listed = await t.http().get('/api/notifications').query({ booking_id: booking.id }).set(host.auth).expect(200);
    const failed = listed.body.filter((n: { status: string }) => n.status === 'failed');
    expect(failed).toHaveLength(2);
    expect(failed[0]).toMatchObject({
      booking_id: booking.id,
      kind: 'confirmation',
      channel: 'email',
      attempts: 3,
      max_attempts: 3,
      last_error: expect.any(String),
    });
    await t.http().get('/api/notifications').query({ booking_id: booking.id }).set(other.auth).expect(404);
    await t.http().get('/api/notifications').query({ booking_id: booking.id }).expect(401);
    const bad = await t.http().get('/api/notifications').query({ booking_id: 'nope' }).set(host.auth).expect(400);
    expect(bad.body.message).toMatch(/booking_id must be a UUID/);

    // The server recovers; the host asks for a redelivery.
    smtp.refuse = false;
    await t.http().post(`/api/notifications/${row.id}/redeliver`).set(other.auth).expect(404);
    const again = await t.http().post(`/api/notifications/${row.id}/redeliver`).set(host.auth).expect(200);
    expect(again.body).toMatchObject({ status: 'pending', attempts: 0 });
    await settle();
    expect(smtp.to(host.email).filter((m) => m.subject.startsWith('New booking:'))).toHaveLength(1);
    expect((await hostRow()).status).toBe('sent');
    await t.http().post(`/api/notifications/${row.id}/redeliver`).set(host.auth).expect(400);
  });

  it('webhooks: secret shown once, unsafe targets refused, signed delivery retried with the same id', async () => {
    const receiver = await new TestWebhookReceiver().start();
    try {
      const { host, typeId } = await hostWithType();
      for (const url of [
        'http://169.254.169.254/latest',
        'http://10.0.0.7/hook',
        'http://localhost:8080/x',
        'http://[::1]/x',
        'ftp://example.com/x',
      ]) {
        const res = await t
          .http()
          .post('/api/webhooks')
          .set(host.auth)
          .send({ url, events: ['invitee.created'] });
        expect(res.status).toBe(400);
      }
      const badEvents = await t
        .http()
        .post('/api/webhooks')
        .set(host.auth)
        .send({ url: receiver.url, events: ['invitee.exploded'] })
        .expect(400);
      expect(badEvents.body.message).toMatch(/events must be a subset/);

      const created = await t
        .http()
        .post('/api/webhooks')
        .set(host.auth)
        .send({ url: receiver.url, events: ['invitee.created', 'invitee.canceled', 'invitee.rescheduled'] })
        .expect(201);
      const secret = created.body.secret as string;
      expect(secret).toMatch(/^whsec_/);
      const listed = await t.http().get('/api/webhooks').set(host.auth).expect(200);
      expect(listed.body).toHaveLength(1);
      expect(JSON.stringify(listed.body)).not.toContain(secret.slice(6, 20));
      const stored = await t.dataSource.query(`SELECT secret_enc FROM webhook_subscriptions WHERE id = $1`, [created.body.id]);
      expect(stored[0].secret_enc).not.toContain(secret.slice(6, 20));

      receiver.statuses.push(500); // the first attempt fails
      const booking = await book(typeId, '2027-03-09T15:00:00Z', 'wh');
      await settle();
      expect(receiver.requests).toHaveLength(1);
      t.clock!.advance(60_000);
      await dispatcher.sweep();
      await settle();
      await dispatcher.sweep();
      await settle();
      expect(receiver.requests).toHaveLength(2);
      const [first, second] = receiver.requests;
      expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
      expect(second.body).toBe(first.body);

      for (const req of receiver.requests) {
        const id = req.headers['webhook-id'] as string;
        const ts = req.headers['webhook-timestamp'] as string;
        const key = Buffer.from(secret.slice(6), 'base64');
        const expected = createHmac('sha256', key).update(`${id}.${ts}.${req.body}`).digest('base64');
        expect(req.headers['webhook-signature']).toBe(`v1,${expected}`);
        const kairos = createHmac('sha256', key).update(`${ts}.${req.body}`).digest('hex');
        expect(req.headers['x-kairos-signature']).toBe(`t=${ts},v1=${kairos}`);
      }
      const payload = JSON.parse(second.body);
      expect(payload).toMatchObject({
        event: 'invitee.created',
        payload: { booking_id: booking.id, start_time: '2027-03-09T15:00:00.000Z', invitee: { email: 'inviteewh@example.com' } },
      });
      expect(second.body).not.toContain(booking.management_token);
      const log = await t.http().get('/api/notifications').query({ booking_id: booking.id, kind: 'webhook' }).set(host.auth).expect(200);
      expect(log.body).toEqual([expect.objectContaining({ status: 'sent', attempts: 2, event_type: 'invitee.created' })]);

      // Cancellation → invitee.canceled; after deletion no more deliveries.
      await t.http().delete(`/api/bookings/${booking.id}`).query({ token: booking.management_token }).send({ reason: 'ill' }).expect(200);
      await settle();
      expect(receiver.requests).toHaveLength(3);
      expect(JSON.parse(receiver.requests[2].body)).toMatchObject({
        event: 'invitee.canceled',
        payload: { cancellation: { reason: 'ill', canceled_by: 'invitee' } },
      });
      await t.http().delete(`/api/webhooks/${created.body.id}`).set(host.auth).expect(200);
      await t.http().delete(`/api/webhooks/${created.body.id}`).set(host.auth).expect(404);
      await book(typeId, '2027-03-09T16:00:00Z', 'wh2');
      await settle();
      expect(receiver.requests).toHaveLength(3);
    } finally {
      await receiver.close();
    }
  });

  onServerPostgres('the relay never skips an event whose id committed after a higher one (txid horizon)', async () => {
    const seen: string[] = [];
    const probe = new OutboxRelay(t.dataSource, t.app.get(AppConfig), t.app.get(PeriodicJobs));
    probe.register('probe-order', async (e) => {
      seen.push((e.payload as { n: string }).n);
    });
    await probe.drain();
    seen.length = 0;
    const slow = new pg.Client({ connectionString: t.database!.url });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      await slow.query(`INSERT INTO outbox_events (event_type, payload) VALUES ('probe', '{"n":"first"}')`); // lower id, still open
      await t.dataSource.query(`INSERT INTO outbox_events (event_type, payload) VALUES ('probe', '{"n":"second"}')`); // committed
      await probe.drain();
      expect(seen.filter((n) => n === 'first' || n === 'second')).toEqual([]); // held back behind the open transaction
      await slow.query('COMMIT');
      await probe.drain();
      expect(seen.filter((n) => n === 'first' || n === 'second')).toEqual(['first', 'second']);
      await probe.drain();
      expect(seen.filter((n) => n === 'first' || n === 'second')).toHaveLength(2);
    } finally {
      await slow.end();
    }
  });

  onServerPostgres('two app instances on one database and one Redis: each message still goes out once', async () => {
    const twin = await startTestApp({
      now: t.clock!.now(),
      database: t.database!,
      env: { SMTP_URL: smtp.url, REDIS_PREFIX: t.redisPrefix, OUTBOX_POLL_INTERVAL_MS: '20', NOTIFY_SWEEP_INTERVAL_MS: '50' },
    });
    try {
      const { host, typeId } = await hostWithType();
      const bookings = [];
      for (const [i, start] of ['2027-03-10T14:00:00Z', '2027-03-10T15:00:00Z', '2027-03-10T16:00:00Z'].entries()) {
        bookings.push(await book(typeId, start, `twin${i}`));
      }
      await Promise.all([relay.drain(), twin.app.get(OutboxRelay).drain(), dispatcher.sweep(), twin.app.get(DeliveryDispatcher).sweep()]);
      await settle();
      await new Promise((r) => setTimeout(r, 500));
      expect(smtp.to(host.email)).toHaveLength(3);
      for (let i = 0; i < 3; i++) expect(smtp.to(`inviteetwin${i}@example.com`)).toHaveLength(1);
      const ids = smtp.mails.map((m) => m.messageId);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await twin.close({ keepDatabase: true });
    }
  });

  it('without REDIS_URL the in-process poller relays and delivers on its own', async () => {
    const local = await startTestApp({
      now: NOW,
      redis: false,
      env: { SMTP_URL: smtp.url, OUTBOX_POLL_INTERVAL_MS: '100', NOTIFY_SWEEP_INTERVAL_MS: '100' },
    });
    try {
      const host = await createHost(local, { time_zone: 'America/New_York' });
      await setWeeklyHours(local, host, 'America/New_York');
      const type = await createMeetingType(local, host, {});
      const res = await local
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: type.id, start_time: '2027-03-02T14:00:00Z', ...invitee('local') });
      expect(res.status).toBe(201);
      const deadline = Date.now() + 15_000;
      while (smtp.to(host.email).length < 1 || smtp.to('inviteelocal@example.com').length < 1) {
        if (Date.now() > deadline) throw new Error('in-process delivery did not happen');
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 500));
      expect(smtp.to(host.email)).toHaveLength(1);
      expect(smtp.to('inviteelocal@example.com')).toHaveLength(1);
    } finally {
      await local.close();
    }
  });

  it('host reminders: checked on save, sent to the host by email at their instant, replaced on reschedule, withdrawn on cancel', async () => {
    const owner = await createHost(t);
    for (const [reminders, message] of [
      [
        [{ offset_minutes: 60, channel: 'sms', recipients: ['invitee', 'host'] }],
        /reminders\.0\.recipients: SMS reminders go to invitees only/,
      ],
      [[{ offset_minutes: 60, channel: 'email', recipients: ['boss'] }], /reminder recipients must be invitee and\/or host/],
      [[{ offset_minutes: 60, channel: 'email', recipients: [] }], /reminder recipients must name at least one of invitee, host/],
      [[{ offset_minutes: 60, channel: 'email', recipients: ['host', 'host'] }], /reminders\.0\.recipients: must not repeat a recipient/],
    ] as const) {
      const res = await t
        .http()
        .post('/api/meeting-types')
        .set(owner.auth)
        .send({ name: 'Bad', duration_minutes: 30, reminders })
        .expect(400);
      expect(res.body).toMatchObject({ status_code: 400, error: 'Bad Request', message: expect.stringMatching(message) });
    }
    expect((await t.http().get('/api/meeting-types').set(owner.auth).expect(200)).body).toEqual([]); // nothing half-written

    const reminders = [
      { offset_minutes: 1440, channel: 'email', recipients: ['host'] },
      { offset_minutes: 60, channel: 'email', recipients: ['host', 'invitee'] },
    ];
    const { host, typeId } = await hostWithType({ reminders });
    const saved = await t.http().get(`/api/meeting-types/${typeId}`).set(host.auth).expect(200);
    expect(saved.body.reminders).toEqual([
      { offset_minutes: 1440, channel: 'email', recipients: ['host'] },
      { offset_minutes: 60, channel: 'email', recipients: ['invitee', 'host'] },
    ]);
    const doc = await t.http().get('/api/openapi.json').expect(200);
    expect(doc.body.components.schemas.ReminderDto.properties.recipients).toMatchObject({
      type: 'array',
      items: { enum: ['invitee', 'host'] },
    });

    // Thursday 11 March 2027, 10:00 in New York (15:00Z); the invitee is in London.
    const booking = await book(typeId, '2027-03-11T15:00:00Z', 'hr');
    await settle();
    const planned = (await rows([booking.id])).filter((r) => r.kind === 'reminder');
    expect(planned.map((r) => [r.recipient_role, r.recipient, r.status, r.due_at.toISOString()]).sort()).toEqual([
      ['host', host.email, 'pending', '2027-03-10T15:00:00.000Z'],
      ['host', host.email, 'pending', '2027-03-11T14:00:00.000Z'],
      ['invitee', 'inviteehr@example.com', 'pending', '2027-03-11T14:00:00.000Z'],
    ]);
    const hostReminders = () => smtp.to(host.email).filter((m) => m.subject.startsWith('Reminder:'));

    t.clock!.set('2027-03-10T14:59:00Z');
    await dispatcher.sweep();
    await settle();
    expect(hostReminders()).toHaveLength(0);
    t.clock!.set('2027-03-10T15:00:00Z');
    await dispatcher.sweep();
    await settle();
    expect(hostReminders()).toHaveLength(1);
    const [mail] = hostReminders();
    expect(mail.subject).toBe('Reminder: Intro call with Invitee hr in 24 hours, Thursday, 11 March 2027, 10:00 (America/New_York)');
    expect(mail.text).toContain('Thursday, 11 March 2027, 10:00–10:30 (America/New_York)');
    expect(mail.text).toContain('Thursday, 11 March 2027, 15:00–15:30 (Europe/London)');
    expect(mail.text).toContain(`Manage this booking: http://kairos.test/admin/bookings/${booking.id}`);
    expect(mail.raw).not.toContain(booking.management_token);
    expect(smtp.to('inviteehr@example.com').filter((m) => m.subject.startsWith('Reminder:'))).toHaveLength(0);

    // The invitee moves it to Friday 10:00 New York: the old booking's pending reminders go, the new one's come.
    const moved = await t
      .http()
      .put(`/api/bookings/${booking.id}/reschedule`)
      .query({ token: booking.management_token })
      .send({ start_time: '2027-03-12T15:00:00Z' })
      .expect(200);
    const newId = moved.body.id as string;
    await settle();
    const afterMove = (await rows([booking.id, newId])).filter((r) => r.kind === 'reminder');
    const summary = (list: Row[]) =>
      list.map((r) => [r.booking_id === newId ? 'new' : 'old', r.recipient_role, r.status, r.due_at.toISOString()]).sort();
    expect(summary(afterMove)).toEqual([
      ['new', 'host', 'pending', '2027-03-11T15:00:00.000Z'],
      ['new', 'host', 'pending', '2027-03-12T14:00:00.000Z'],
      ['new', 'invitee', 'pending', '2027-03-12T14:00:00.000Z'],
      ['old', 'host', 'cancelled', '2027-03-11T14:00:00.000Z'],
      ['old', 'host', 'sent', '2027-03-10T15:00:00.000Z'],
      ['old', 'invitee', 'cancelled', '2027-03-11T14:00:00.000Z'],
    ]);

    // The invitee cancels: every pending reminder is withdrawn, the host's too, and nothing more goes out.
    await t.http().delete(`/api/bookings/${newId}`).query({ token: booking.management_token }).send({ reason: 'ill' }).expect(200);
    await settle();
    const afterCancel = (await rows([newId])).filter((r) => r.kind === 'reminder');
    expect(afterCancel.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    t.clock!.set('2027-03-12T15:00:00Z');
    await dispatcher.sweep();
    await settle();
    expect(hostReminders()).toHaveLength(1);
    expect(smtp.to('inviteehr@example.com').filter((m) => m.subject.startsWith('Reminder:'))).toHaveLength(0);
    const listed = await t.http().get('/api/notifications').query({ booking_id: newId, kind: 'reminder' }).set(host.auth).expect(200);
    expect(listed.body.map((n: { recipient_role: string; status: string }) => `${n.recipient_role}:${n.status}`).sort()).toEqual([
      'host:cancelled',
      'host:cancelled',
      'invitee:cancelled',
    ]);
  });
});

async function flushPrefix(prefix: string) {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
