import { Logger, type LoggerService } from '@nestjs/common';
import { DeliveryDispatcher } from '../src/modules/notify/application/delivery-dispatcher.js';
import { OutboxRelay } from '../src/shared/outbox/outbox-relay.js';
import { createHost, type TestHost } from './support/factories.js';
import { FakeTwilio } from './support/fake-twilio.js';
import { TestSmtpServer } from './support/mail.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { deliveryQueue, settleDeliveries } from './support/deliveries.js';

// Monday 1 March 2027, 12:00 UTC. Hosts work 09:00-17:00 in New York (EST = UTC-5 until 14 March). Each test books a
// later day than the one before and moves the pinned clock forward only.
const NOW = '2027-03-01T12:00:00Z';
const HOST_NAME = 'Hana Host';
const SMS_REMINDER = { reminders: [{ offset_minutes: 60, channel: 'sms' }] };

interface Row {
  id: string;
  kind: string;
  channel: string;
  status: string;
  recipient: string;
  recipient_role: string;
  due_at: Date;
  attempts: number;
  last_error: string | null;
}

describe('notify: SMS reminders through a Twilio-compatible API (e2e: PostgreSQL, Redis/BullMQ, local fake Twilio)', () => {
  let twilio: FakeTwilio;
  let smtp: TestSmtpServer;
  let t: TestApp;
  let relay: OutboxRelay;
  let dispatcher: DeliveryDispatcher;
  let configuredToken: string;
  // Everything the app logs through Nest's Logger (the notify module's warnings about failed attempts included).
  const logged: string[] = [];

  beforeAll(async () => {
    twilio = await new FakeTwilio().start();
    configuredToken = twilio.authToken;
    smtp = await new TestSmtpServer().start();
    t = await startTestApp({
      now: NOW,
      env: {
        SMTP_URL: smtp.url,
        SMS_URL: twilio.baseUrl,
        SMS_ACCOUNT_SID: twilio.accountSid,
        SMS_AUTH_TOKEN: configuredToken,
        SMS_FROM: twilio.from,
        // Background loops off: the tests drive the relay and the sweep, and move the pinned clock.
        OUTBOX_POLL_INTERVAL_MS: '0',
        NOTIFY_SWEEP_INTERVAL_MS: '0',
        NOTIFY_MAX_ATTEMPTS: '3',
        NOTIFY_RETRY_BASE_SECONDS: '60',
      },
    });
    relay = t.app.get(OutboxRelay);
    dispatcher = t.app.get(DeliveryDispatcher);
    const capture = (...args: unknown[]) => {
      logged.push(
        args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.message} ${a.stack}` : JSON.stringify(a))).join(' '),
      );
    };
    const logger: LoggerService = { log: capture, error: capture, warn: capture, debug: capture, verbose: capture, fatal: capture };
    Logger.overrideLogger(logger);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    await twilio.close();
  });

  const smsRows = async (bookingId: string): Promise<Row[]> =>
    t.dataSource.query(`SELECT * FROM notification_deliveries WHERE booking_id = $1 AND channel = 'sms'`, [bookingId]);

  async function onlySmsRow(bookingId: string): Promise<Row> {
    const rows = await smsRows(bookingId);
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  const settle = () => settleDeliveries(t);

  /** Moves the clock to `at` and lets the sweep hand over whatever became due. */
  async function at(instant: string) {
    t.clock!.set(instant);
    await dispatcher.sweep();
    await settle();
  }

  async function hostWithType(body: Record<string, unknown>): Promise<{ host: TestHost; typeId: string }> {
    const host = await createHost(t, { name: HOST_NAME, time_zone: 'America/New_York' });
    await setWeeklyHours(t, host, 'America/New_York');
    const type = await createMeetingType(t, host, body);
    return { host, typeId: type.id };
  }

  async function book(typeId: string, start: string, n: string, extra: Record<string, unknown>) {
    const res = await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: start, ...invitee(n, extra) });
    if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; management_token: string };
  }

  it("sends the reminder once, at its instant, with the time in the invitee's zone; duplicates send nothing", async () => {
    const { typeId } = await hostWithType(SMS_REMINDER);
    // Tuesday 2 March 2027, 09:00 in New York = 14:00Z = 15:00 in Berlin. The number is given with formatting.
    const booking = await book(typeId, '2027-03-02T14:00:00Z', 'once', { time_zone: 'Europe/Berlin', invitee_phone: '+49 151 1234 5678' });
    await settle();
    const number = '+4915112345678';
    const row = await onlySmsRow(booking.id);
    expect(row).toMatchObject({ kind: 'reminder', recipient: number, recipient_role: 'invitee', status: 'pending' });
    expect(row.due_at.toISOString()).toBe('2027-03-02T13:00:00.000Z');

    await at('2027-03-02T12:59:00Z');
    expect(twilio.requestsTo(number)).toHaveLength(0);

    await at('2027-03-02T13:00:00Z');
    expect(twilio.to(number)).toEqual([
      expect.objectContaining({
        to: number,
        from: twilio.from,
        account_sid: twilio.accountSid,
        status: 'queued',
        body: `Reminder: Intro call with ${HOST_NAME} in 1 hour, Tuesday, 2 March 2027, 15:00 (Europe/Berlin).`,
      }),
    ]);
    const [request] = twilio.requestsTo(number);
    expect(request.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`);
    expect(request.headers['i-twilio-idempotency-token']).toBe(row.id);
    expect(await onlySmsRow(booking.id)).toMatchObject({ status: 'sent', attempts: 1, last_error: null });

    // A duplicated job, the relay handling every event again, another sweep: no second request at all.
    const duplicate = await deliveryQueue(t).add('deliver', { id: row.id }, { jobId: `${row.id}-dup` });
    await t.dataSource.query(`UPDATE outbox_consumer_offsets SET last_txid = '0', last_event_id = 0 WHERE consumer = 'notify'`);
    expect(await relay.drain()).toBeGreaterThan(0);
    await dispatcher.sweep();
    await settle();
    await until(async () => ['completed', 'failed'].includes(await duplicate.getState()));
    expect(await duplicate.getState()).toBe('completed');
    expect(twilio.requestsTo(number)).toHaveLength(1);
    expect(await onlySmsRow(booking.id)).toMatchObject({ id: row.id, status: 'sent', attempts: 1 });
  });

  it('an answer lost on the way back: the retry carries the same idempotency token and no second SMS goes out', async () => {
    const { typeId } = await hostWithType(SMS_REMINDER);
    const booking = await book(typeId, '2027-03-03T15:00:00Z', 'lost', { invitee_phone: '+44 7700 900123' });
    await settle();
    const number = '+447700900123';
    twilio.loseAnswers = 1;
    await at('2027-03-03T14:00:00Z');
    const failed = await onlySmsRow(booking.id);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.any(String) });
    expect(twilio.to(number)).toHaveLength(1); // the provider did accept it

    await at('2027-03-03T14:01:00Z');
    const requests = twilio.requestsTo(number);
    expect(requests.map((r) => r.headers['i-twilio-idempotency-token'])).toEqual([failed.id, failed.id]);
    expect(requests.map((r) => r.status)).toEqual([0, 201]);
    expect(twilio.to(number)).toHaveLength(1);
    expect(await onlySmsRow(booking.id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('provider 500 then 429: retried with exponential backoff, then sent once', async () => {
    const { typeId } = await hostWithType(SMS_REMINDER);
    const booking = await book(typeId, '2027-03-04T15:00:00Z', 'busy', { invitee_phone: '+33 6 12 34 56 78', time_zone: 'Europe/Paris' });
    await settle();
    const number = '+33612345678';
    twilio.failures.push(500, 429);

    await at('2027-03-04T14:00:00Z');
    let row = await onlySmsRow(booking.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toMatch(/^SMS provider answered 500: error 20500/);
    expect(row.due_at.toISOString()).toBe('2027-03-04T14:01:00.000Z'); // base delay

    await at('2027-03-04T14:00:59Z'); // not yet due
    expect(twilio.requestsTo(number)).toHaveLength(1);

    await at('2027-03-04T14:01:00Z');
    row = await onlySmsRow(booking.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row.last_error).toMatch(/^SMS provider answered 429: error 20429/);
    expect(row.due_at.toISOString()).toBe('2027-03-04T14:03:00.000Z'); // doubled

    await at('2027-03-04T14:03:00Z');
    expect(await onlySmsRow(booking.id)).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(twilio.requestsTo(number).map((r) => r.status)).toEqual([500, 429, 201]);
    expect(twilio.to(number)).toHaveLength(1);
    expect(twilio.to(number)[0].body).toBe(
      `Reminder: Intro call with ${HOST_NAME} in 1 hour, Thursday, 4 March 2027, 16:00 (Europe/Paris).`,
    );
  });

  it('wrong credentials: failed at once (no retry helps), visible to the host; the token is nowhere in logs, API or rows', async () => {
    const { host, typeId } = await hostWithType(SMS_REMINDER);
    const booking = await book(typeId, '2027-03-05T15:00:00Z', 'auth', {
      invitee_phone: '+1 (202) 555-0143',
      time_zone: 'America/Chicago',
    });
    await settle();
    const number = '+12025550143';
    twilio.authToken = 'rotated-token-the-app-does-not-know'; // the account's token changed; the app still sends the old one

    await at('2027-03-05T14:00:00Z');
    const row = await onlySmsRow(booking.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, last_error: 'SMS provider answered 401: error 20003: Authenticate' });
    expect(twilio.requestsTo(number).map((r) => r.status)).toEqual([401]);
    expect(twilio.to(number)).toHaveLength(0);

    const listed = await t.http().get('/api/notifications').query({ booking_id: booking.id, kind: 'reminder' }).set(host.auth).expect(200);
    expect(listed.body).toEqual([
      expect.objectContaining({
        id: row.id,
        channel: 'sms',
        recipient: number,
        recipient_role: 'invitee',
        status: 'failed',
        attempts: 1,
        last_error: 'SMS provider answered 401: error 20003: Authenticate',
      }),
    ]);

    // The app's token, and the Basic credentials built from it, appear nowhere: not in the API, the rows or the logs.
    const basic = Buffer.from(`${twilio.accountSid}:${configuredToken}`).toString('base64');
    const everything = await t.http().get('/api/notifications').set(host.auth).expect(200);
    const stored = JSON.stringify(await t.dataSource.query(`SELECT * FROM notification_deliveries`));
    const logs = logged.join('\n');
    expect(logs).toContain('SMS provider answered 401'); // the capture works: the failure was logged
    for (const [where, text] of [
      ['API', JSON.stringify(everything.body)],
      ['rows', stored],
      ['logs', logs],
    ] as const) {
      expect({ where, token: text.includes(configuredToken), basic: text.includes(basic) }).toEqual({ where, token: false, basic: false });
    }

    // Fixed (here: the provider accepts the app's token again); the host asks for the reminder again.
    twilio.authToken = configuredToken;
    await t.http().post(`/api/notifications/${row.id}/redeliver`).set(host.auth).expect(200);
    await settle();
    expect(await onlySmsRow(booking.id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(twilio.to(number)).toHaveLength(1);
    expect(twilio.to(number)[0].body).toBe(
      `Reminder: Intro call with ${HOST_NAME} in 1 hour, Friday, 5 March 2027, 09:00 (America/Chicago).`,
    );
  });

  it('a number without its country code: the provider refuses it (21211), failed at once and visible', async () => {
    const { host, typeId } = await hostWithType(SMS_REMINDER);
    const booking = await book(typeId, '2027-03-08T15:00:00Z', 'national', { invitee_phone: '030 1234567', time_zone: 'Europe/Berlin' });
    await settle();
    await at('2027-03-08T14:00:00Z');
    const row = await onlySmsRow(booking.id);
    expect(row).toMatchObject({
      status: 'failed',
      attempts: 1,
      recipient: '0301234567',
      last_error: "SMS provider answered 400: error 21211: The 'To' number 0301234567 is not a valid phone number.",
    });
    expect(twilio.to('0301234567')).toHaveLength(0);
    const listed = await t.http().get('/api/notifications').query({ booking_id: booking.id, status: 'failed' }).set(host.auth).expect(200);
    expect(listed.body.map((n: { channel: string }) => n.channel)).toEqual(['sms']);
  });

  it('an invitee without a phone gets no SMS planned; the email reminder at the same offset is unaffected', async () => {
    const { typeId } = await hostWithType({
      reminders: [
        { offset_minutes: 60, channel: 'sms' },
        { offset_minutes: 60, channel: 'email' },
      ],
    });
    const booking = await book(typeId, '2027-03-09T15:00:00Z', 'nophone', {});
    await settle();
    const reminders: Row[] = await t.dataSource.query(`SELECT * FROM notification_deliveries WHERE booking_id = $1 AND kind = 'reminder'`, [
      booking.id,
    ]);
    expect(reminders.map((r) => [r.channel, r.recipient, r.due_at.toISOString()])).toEqual([
      ['email', 'inviteenophone@example.com', '2027-03-09T14:00:00.000Z'],
    ]);
    const before = twilio.requests.length;
    await at('2027-03-09T14:00:00Z');
    expect(twilio.requests.length).toBe(before);
    expect(smtp.to('inviteenophone@example.com').filter((m) => m.subject.startsWith('Reminder:'))).toHaveLength(1);
  });
});

/** Polls a condition (background work with no completion signal of its own). */
async function until(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
