import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHost, type TestHost } from './support/factories.js';
import { settleDeliveries } from './support/deliveries.js';
import { DnsResponder } from './support/dns-responder.js';
import { TestSmtpServer, TestWebhookReceiver } from './support/mail.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC; hosts work 09:00-17:00 in New York.
const NOW = '2027-03-01T12:00:00Z';
const PUBLIC_ADDRESS = '93.184.215.14'; // only ever answered for a check; the tests never connect to it
const REFUSED = 'refused: target resolves to a non-public address';

/**
 * Issue 12.1, the outbound address policy end to end: the app resolves outbound names through a DNS server of the
 * test's own (OUTBOUND_DNS_SERVERS), so the test decides every answer, rebinding included, without a real name.
 */
describe('outbound address policy (e2e: own DNS responder, loopback targets)', () => {
  let t: TestApp;
  let dns: DnsResponder;
  let smtp: TestSmtpServer;
  let receiver: TestWebhookReceiver;

  beforeAll(async () => {
    dns = await new DnsResponder(({ name, type }, aCount) => {
      if (name === 'rebind.test') return type === 'A' ? [aCount === 1 ? PUBLIC_ADDRESS : '127.0.0.1'] : [];
      if (name === 'mixed.test') return type === 'A' ? [PUBLIC_ADDRESS, '127.0.0.1'] : [];
      if (name === 'nat64.test') return type === 'AAAA' ? ['64:ff9b::7f00:1'] : [];
      if (name === 'compat.test') return type === 'AAAA' ? ['::7f00:1'] : [];
      // Allow-listed: loopback on purpose, then an address that would fail if the connection ever asked again.
      if (name === 'pinned.test') return type === 'A' ? [aCount === 1 ? '127.0.0.1' : '10.255.255.1'] : [];
      if (name === 'local.test') return type === 'A' ? ['127.0.0.1'] : []; // allow-listed too
      return null;
    }).start();
    smtp = await new TestSmtpServer().start();
    receiver = await new TestWebhookReceiver().start();
    t = await startTestApp({
      now: NOW,
      env: {
        OUTBOUND_DNS_SERVERS: dns.server,
        WEBHOOK_ALLOWED_HOSTS: 'pinned.test,local.test',
        SMTP_URL: smtp.url,
        OUTBOX_POLL_INTERVAL_MS: '0',
        NOTIFY_SWEEP_INTERVAL_MS: '0',
        NOTIFY_MAX_ATTEMPTS: '3',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
    await smtp.close();
    await dns.close();
  });

  async function hostWithType(): Promise<{ host: TestHost; typeId: string }> {
    const host = await createHost(t, { time_zone: 'America/New_York' });
    await setWeeklyHours(t, host, 'America/New_York');
    return { host, typeId: (await createMeetingType(t, host, {})).id };
  }

  async function bookAndDeliver(typeId: string, start: string, n: string) {
    const res = await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: start, ...invitee(n) });
    if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${JSON.stringify(res.body)}`);
    await settleDeliveries(t);
    return res.body as { id: string };
  }

  /** The webhook deliveries of a booking as the host reads them (GET /api/notifications). */
  async function hostView(host: TestHost, bookingId: string) {
    const res = await t.http().get('/api/notifications').query({ booking_id: bookingId, kind: 'webhook' }).set(host.auth).expect(200);
    return res.body as Array<{ status: string; attempts: number; last_error: string | null }>;
  }

  it('a webhook whose name rebinds to loopback after the check never reaches loopback; the delivery says why, class-only', async () => {
    const { host, typeId } = await hostWithType();
    const url = `http://rebind.test:${receiver.port}/hooks`;
    // The check when saving sees the public answer.
    await t
      .http()
      .post('/api/webhooks')
      .set(host.auth)
      .send({ url, events: ['invitee.created'] })
      .expect(201);
    expect(dns.aQueries('rebind.test')).toBe(1);

    // Delivery: resolved once more, now 127.0.0.1: refused before any connection. Before the fix the check and
    // fetch() resolved separately, and fetch() connected to whatever the second answer was.
    const booking = await bookAndDeliver(typeId, '2027-03-02T14:00:00Z', 'rb1');
    expect(receiver.requests).toHaveLength(0);
    expect(dns.aQueries('rebind.test')).toBe(2); // one resolution for the attempt, none at connect time
    expect(await hostView(host, booking.id)).toEqual([expect.objectContaining({ status: 'pending', attempts: 1, last_error: REFUSED })]);
  });

  it('the connection goes to exactly the checked address: an allow-listed name reaches the local server with its Host header, resolved once', async () => {
    const { host, typeId } = await hostWithType();
    await t
      .http()
      .post('/api/webhooks')
      .set(host.auth)
      .send({ url: `http://pinned.test:${receiver.port}/hooks`, events: ['invitee.created'] })
      .expect(201);
    const before = receiver.requests.length;
    const booking = await bookAndDeliver(typeId, '2027-03-02T15:00:00Z', 'pn1');
    // The system resolver does not know pinned.test and the DNS server's next answer is 10.255.255.1: the request
    // arrived because the socket used the one address the check saw.
    expect(receiver.requests.slice(before)).toEqual([
      expect.objectContaining({ headers: expect.objectContaining({ host: `pinned.test:${receiver.port}` }) }),
    ]);
    expect(dns.aQueries('pinned.test')).toBe(1); // allow-listed: not resolved when saved; once for the delivery
    expect(await hostView(host, booking.id)).toEqual([expect.objectContaining({ status: 'sent', last_error: null })]);
  });

  it("a target's answers and failures reach the host as classes only (no status code, no body, no address)", async () => {
    const { host, typeId } = await hostWithType();
    await t
      .http()
      .post('/api/webhooks')
      .set(host.auth)
      .send({ url: `http://local.test:${receiver.port}/hooks`, events: ['invitee.created'] })
      .expect(201);
    receiver.statuses.push(302);
    const redirected = await bookAndDeliver(typeId, '2027-03-03T14:00:00Z', 'cl1');
    expect((await hostView(host, redirected.id))[0].last_error).toBe('delivery failed (HTTP 3xx)');
    receiver.statuses.push(503);
    const failing = await bookAndDeliver(typeId, '2027-03-03T15:00:00Z', 'cl2');
    expect((await hostView(host, failing.id))[0].last_error).toBe('delivery failed (HTTP 5xx)');

    // A closed port: "connection refused", not the system message with the address and port.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const other = await hostWithType();
    await t
      .http()
      .post('/api/webhooks')
      .set(other.host.auth)
      .send({ url: `http://local.test:${closedPort}/hooks`, events: ['invitee.created'] })
      .expect(201);
    const refused = await bookAndDeliver(other.typeId, '2027-03-03T16:00:00Z', 'cl3');
    const [row] = await hostView(other.host, refused.id);
    expect(row.last_error).toBe('delivery failed (connection refused)');
    expect(row.last_error).not.toContain(String(closedPort));
  });

  it('refuses IPv4-compatible, NAT64, IPv4-mapped and 6to4 targets (literals and names) for webhooks, ICS feeds and CalDAV, storing nothing', async () => {
    const { host } = await hostWithType();
    const port = receiver.port;
    const before = receiver.requests.length;
    const targets = [
      `http://[::7f00:1]:${port}/x`,
      `http://[::127.0.0.1]:${port}/x`,
      `http://[64:ff9b::7f00:1]:${port}/x`,
      `http://[64:ff9b::a9fe:a9fe]/latest/meta-data`,
      `http://[::ffff:127.0.0.1]:${port}/x`,
      `http://[2002:7f00:1::]:${port}/x`,
      `http://nat64.test:${port}/x`,
      `http://compat.test:${port}/x`,
      `http://mixed.test:${port}/x`,
    ];
    for (const url of targets) {
      const hook = await t
        .http()
        .post('/api/webhooks')
        .set(host.auth)
        .send({ url, events: ['invitee.created'] });
      expect({ url, status: hook.status }).toEqual({ url, status: 400 });
      expect(hook.body).toMatchObject({ status_code: 400, error: expect.any(String), message: expect.any(String) });
      const feed = await t
        .http()
        .post('/api/integrations/ics')
        .set(host.auth)
        .send({ url: `${url}/feed.ics` });
      expect({ url, status: feed.status, message: feed.body.message }).toEqual({
        url,
        status: 400,
        message: expect.stringMatching(/not allowed: refusing to connect to a private address/),
      });
      const caldav = await t.http().post('/api/integrations/caldav').set(host.auth).send({ server_url: url, username: 'u', password: 'p' });
      expect({ url, status: caldav.status }).toEqual({ url, status: 400 });
      expect(caldav.body.status_code).toBe(400);
    }
    expect(receiver.requests).toHaveLength(before); // no request of any kind reached the local server
    expect((await t.http().get('/api/webhooks').set(host.auth).expect(200)).body).toEqual([]);
    expect((await t.http().get('/api/integrations').set(host.auth).expect(200)).body).toEqual([]);
  });
});
