import { Waitlists } from '../src/modules/booking/application/waitlist.service.js';
import { DeliveryDispatcher } from '../src/modules/notify/application/delivery-dispatcher.js';
import { OutboxRelay } from '../src/shared/outbox/outbox-relay.js';
import { settleDeliveries } from './support/deliveries.js';
import { createHost, type TestHost } from './support/factories.js';
import { TestSmtpServer, TestWebhookReceiver } from './support/mail.js';
import { OpenApiContract } from './support/openapi-contract.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC. Hosts work 09:00-17:00 UTC on weekdays; meetings last 30 minutes.
const NOW = '2027-03-01T12:00:00Z';
const MIN = 60_000;
/** Tuesday 2 March 2027 at 09:00 UTC plus `i` half hours. */
const tue = (i: number) => new Date(Date.parse('2027-03-02T09:00:00Z') + i * 30 * MIN).toISOString();

interface Entry {
  id: string;
  status: string;
  email: string;
  start_time: string;
  position: number;
  claim_expires_at: string | null;
}

describe('waitlists that promote exactly once (e2e, PostgreSQL or the embedded database)', () => {
  let smtp: TestSmtpServer;
  let hooks: TestWebhookReceiver;
  let t: TestApp;
  let contract: OpenApiContract;

  const ENV = {
    SMTP_URL: '',
    // The tests drive the relay, the deliveries and the sweep, and move the pinned clock.
    OUTBOX_POLL_INTERVAL_MS: '0',
    NOTIFY_SWEEP_INTERVAL_MS: '0',
    APPROVAL_EXPIRY_INTERVAL_MS: '0',
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  };

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    hooks = await new TestWebhookReceiver().start();
    t = await startTestApp({ now: NOW, env: { ...ENV, SMTP_URL: smtp.url } });
    contract = new OpenApiContract((await t.http().get('/api/openapi.json').expect(200)).body);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    await hooks.close();
  });
  afterEach(() => t.clock!.set(NOW));

  const settle = async (app: TestApp = t) => {
    await app.app.get(OutboxRelay).drain();
    await app.app.get(DeliveryDispatcher).sweep();
    await settleDeliveries(app);
  };

  async function waitlistType(body: Record<string, unknown> = {}, claimMinutes = 30): Promise<{ host: TestHost; typeId: string }> {
    const host = await createHost(t, { time_zone: 'UTC' });
    await setWeeklyHours(t, host, 'UTC');
    const type = await createMeetingType(t, host, body);
    const res = await t
      .http()
      .put(`/api/meeting-types/${type.id}/waitlist`)
      .set(host.auth)
      .send({ waitlist_enabled: true, waitlist_claim_minutes: claimMinutes })
      .expect(200);
    contract.strictCheck(res);
    return { host, typeId: type.id };
  }

  const book = (typeId: string, start: string, n: number | string, extra: Record<string, unknown> = {}, app: TestApp = t) =>
    app
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: start, ...invitee(n), ...extra });

  const join = (typeId: string, start: string, n: number | string, app: TestApp = t) =>
    app
      .http()
      .post('/api/waitlist')
      .send({ meeting_type_id: typeId, start_time: start, name: `Waiter ${n}`, email: `waiter${n}@example.com` });

  const line = async (host: TestHost, typeId: string): Promise<Entry[]> => {
    const res = await t.http().get('/api/waitlist').query({ meeting_type_id: typeId }).set(host.auth).expect(200);
    contract.strictCheck(res);
    return res.body.entries as Entry[];
  };

  const liveWaitlistHolds = async (typeId: string): Promise<number> => {
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM slot_holds h JOIN booking_hosts bh ON bh.hold_id = h.id
        WHERE h.meeting_type_id = $1 AND h.client_key = 'waitlist' AND bh.is_live AND h.expires_at > $2`,
      [typeId, t.clock!.now()],
    );
    return n as number;
  };

  const claimUrlIn = (text: string) => {
    const found = /(http:\/\/kairos\.test\/\S+\/book\?\S+)/.exec(text)?.[1];
    if (!found) throw new Error(`no claim link in: ${text}`);
    return new URL(found);
  };

  it('settings: stored and returned; bad values 400 naming the field; another host 404', async () => {
    const { host, typeId } = await waitlistType({}, 45);
    const got = await t.http().get(`/api/meeting-types/${typeId}/waitlist`).set(host.auth).expect(200);
    contract.strictCheck(got);
    expect(got.body).toEqual({ waitlist_enabled: true, waitlist_claim_minutes: 45 });
    for (const bad of [{ waitlist_enabled: 'yes' }, { waitlist_enabled: true, waitlist_claim_minutes: 2 }, {}]) {
      const res = await t.http().put(`/api/meeting-types/${typeId}/waitlist`).set(host.auth).send(bad).expect(400);
      expect(res.body.message).toMatch(/waitlist_/);
    }
    const other = await createHost(t);
    await t.http().get(`/api/meeting-types/${typeId}/waitlist`).set(other.auth).expect(404);
    await t.http().get('/api/waitlist').query({ meeting_type_id: typeId }).set(other.auth).expect(404);
    await t.http().get('/api/waitlist').query({ meeting_type_id: 'nope' }).set(host.auth).expect(400);
    await t.http().get('/api/waitlist').query({ meeting_type_id: typeId }).expect(401);
  });

  it('joining: only a full, otherwise bookable time of a type with a waitlist; one entry per email; JSON errors', async () => {
    const { typeId } = await waitlistType();
    const plain = await createMeetingType(t, await createHost(t, { time_zone: 'UTC' }), {});
    expect((await book(typeId, tue(0), 'j0')).status).toBe(201);

    const noList = await t
      .http()
      .post('/api/waitlist')
      .send({ meeting_type_id: plain.id, start_time: tue(0), name: 'A', email: 'a@example.com' });
    expect(noList.status).toBe(422);
    expect(noList.body.message).toMatch(/no waitlist/);

    const free = await join(typeId, tue(1), 'free');
    expect(free.status).toBe(409);
    expect(free.body.message).toMatch(/free: book it/);

    const night = await join(typeId, '2027-03-02T03:00:00Z', 'night');
    expect(night.status).toBe(422);
    expect(night.body.message).toMatch(/cannot be booked/);

    const past = await join(typeId, '2027-02-26T10:00:00Z', 'past');
    expect(past.status).toBe(422);

    for (const bad of [
      { meeting_type_id: typeId, start_time: 'tomorrow', name: 'A', email: 'a@example.com' },
      { meeting_type_id: typeId, start_time: tue(0), name: '', email: 'a@example.com' },
      { meeting_type_id: typeId, start_time: tue(0), name: 'A', email: 'not-an-email' },
    ]) {
      const res = await t.http().post('/api/waitlist').send(bad);
      expect(res.status).toBe(400);
      expect(typeof res.body.message).toBe('string');
    }

    const first = await join(typeId, tue(0), 'j1');
    expect(first.status).toBe(201);
    contract.strictCheck(first);
    expect(first.body).toMatchObject({ position: 1, status: 'waiting', start_time: tue(0) });
    expect(first.body.token).toMatch(/^wlt_/);
    expect((await join(typeId, tue(0), 'j2')).body.position).toBe(2);
    const again = await t
      .http()
      .post('/api/waitlist')
      .send({ meeting_type_id: typeId, start_time: tue(0), name: 'Again', email: 'WAITERj1@Example.com' });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already on the waitlist/);

    // A held time is full too.
    const held = await t
      .http()
      .post('/api/slots/holds')
      .send({ meeting_type_id: typeId, start_time: tue(2) })
      .expect(201);
    expect((await join(typeId, tue(2), 'h1')).status).toBe(201);
    await t.http().delete(`/api/slots/holds/${held.body.hold_token}`).expect(204);

    // The stored token is a hash; leaving with the token works once.
    const [{ token_hash }] = await t.dataSource.query(`SELECT token_hash FROM waitlist_entries WHERE id = $1`, [first.body.id]);
    expect(token_hash).not.toContain(first.body.token);
    const left = await t.http().delete(`/api/waitlist/${first.body.token}`).expect(200);
    contract.strictCheck(left);
    expect(left.body.status).toBe('left');
    await t.http().delete('/api/waitlist/wlt_unknown').expect(404);
    // Once left, the same email may join again (at the end of the line).
    expect((await join(typeId, tue(0), 'j1')).body.position).toBe(2);
  });

  it('a cancellation promotes the first in line once: hold, claim mail, webhooks; booking with the claim marks it booked', async () => {
    const { host, typeId } = await waitlistType();
    await t
      .http()
      .post('/api/webhooks')
      .set(host.auth)
      .send({ url: hooks.url, events: ['waitlist.joined', 'waitlist.promoted', 'waitlist.expired'] })
      .expect(201);
    const booking = await book(typeId, tue(4), 'p0');
    expect(booking.status).toBe(201);
    for (const n of ['p1', 'p2', 'p3']) expect((await join(typeId, tue(4), n)).status).toBe(201);

    await t.http().delete(`/api/bookings/${booking.body.id}`).set(host.auth).expect(200);
    await settle();
    await settle(); // a second relay pass and a second sweep change nothing
    await t.app.get(Waitlists).sweep();
    await settle();

    const entries = await line(host, typeId);
    expect(entries.map((e) => [e.email, e.status])).toEqual([
      ['waiterp1@example.com', 'promoted'],
      ['waiterp2@example.com', 'waiting'],
      ['waiterp3@example.com', 'waiting'],
    ]);
    expect(await liveWaitlistHolds(typeId)).toBe(1);
    // The slot is held for them: not offered, and another booker gets 409.
    const slots = await t.http().get('/api/availability/slots').query({ meeting_type_id: typeId, date: '2027-03-02', timezone: 'UTC' });
    expect((slots.body.slots as { start_time: string }[]).map((s) => s.start_time)).not.toContain(tue(4));
    expect((await book(typeId, tue(4), 'intruder')).status).toBe(409);

    const mails = smtp.to('waiterp1@example.com');
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain('A place opened up');
    const url = claimUrlIn(mails[0].text);
    expect(url.searchParams.get('start')).toBe(tue(4));
    expect(smtp.to('waiterp2@example.com')).toHaveLength(0);

    // The claim link opens the booking form with the hold.
    const form = await t.http().get(`${url.pathname}${url.search}`).expect(200);
    expect(form.text).toContain(url.searchParams.get('hold')!);

    // Someone else cannot use the hold; the promoted invitee books with it.
    const stolen = await book(typeId, tue(4), 'thief', { hold_token: url.searchParams.get('hold') });
    expect(stolen.status).toBe(400);
    const claimed = await t
      .http()
      .post('/api/bookings')
      .send({
        meeting_type_id: typeId,
        start_time: tue(4),
        invitee_name: 'Waiter p1',
        invitee_email: 'waiterp1@example.com',
        time_zone: 'UTC',
        hold_token: url.searchParams.get('hold'),
      });
    expect(claimed.status).toBe(201);
    await settle();
    expect((await line(host, typeId)).map((e) => e.status)).toEqual(['booked', 'waiting', 'waiting']);

    const events = hooks.requests.map((r) => JSON.parse(r.body) as { event: string; payload: { invitee: { email: string } } });
    expect(events.filter((e) => e.event === 'waitlist.joined')).toHaveLength(3);
    expect(events.filter((e) => e.event === 'waitlist.promoted').map((e) => e.payload.invitee.email)).toEqual(['waiterp1@example.com']);
  });

  it('a lapsed claim expires and the next in line is promoted; leaving while promoted passes it on at once', async () => {
    const { host, typeId } = await waitlistType({}, 30);
    const booking = await book(typeId, tue(6), 'l0');
    for (const n of ['l1', 'l2', 'l3']) expect((await join(typeId, tue(6), n)).status).toBe(201);
    await t.http().delete(`/api/bookings/${booking.body.id}`).set(host.auth).expect(200);
    await settle();
    expect((await line(host, typeId)).map((e) => e.status)).toEqual(['promoted', 'waiting', 'waiting']);

    t.clock!.set(new Date(Date.parse(NOW) + 31 * MIN));
    expect(await t.app.get(Waitlists).sweep()).toBe(1);
    expect(await t.app.get(Waitlists).sweep()).toBe(0);
    await settle();
    expect((await line(host, typeId)).map((e) => e.status)).toEqual(['expired', 'promoted', 'waiting']);
    expect(smtp.to('waiterl2@example.com')).toHaveLength(1);
    expect(await liveWaitlistHolds(typeId)).toBe(1);

    // l2 leaves with the token from their join: l3 is promoted at once.
    const [{ id }] = await t.dataSource.query(`SELECT id FROM waitlist_entries WHERE email = 'waiterl2@example.com'`);
    const { waitlistEntryToken } = await import('../src/modules/booking/domain/waitlist.js');
    const token = waitlistEntryToken('test-secret-that-is-long-enough-0123456789', id as string);
    await t.http().delete(`/api/waitlist/${token}`).expect(200);
    await settle();
    expect((await line(host, typeId)).map((e) => e.status)).toEqual(['expired', 'left', 'promoted']);
    expect(await liveWaitlistHolds(typeId)).toBe(1);
  });

  it('race: 20 waiting over 5 full times, 5 concurrent cancellations, consumers and sweeps run concurrently (two instances) → 5 promoted', async () => {
    const second = await startTestApp({
      now: NOW,
      database: t.database!,
      env: { ...ENV, SMTP_URL: smtp.url, REDIS_PREFIX: t.redisPrefix },
    });
    try {
      const { host, typeId } = await waitlistType({}, 30);
      const times = [10, 11, 12, 13, 14].map(tue);
      const bookings = [];
      for (const [i, start] of times.entries()) {
        const res = await book(typeId, start, `r${i}`);
        expect(res.status).toBe(201);
        bookings.push(res.body.id as string);
      }
      // 4 waiting per time, joined concurrently from both instances: positions 1-4 per time, no duplicates.
      const joined = await Promise.all(
        times.flatMap((start, i) => [0, 1, 2, 3].map((k) => join(typeId, start, `r${i}w${k}`, k % 2 ? second : t))),
      );
      expect(joined.map((r) => r.status)).toEqual(Array(20).fill(201));
      for (const start of times) {
        expect(
          joined
            .filter((r) => r.body.start_time === start)
            .map((r) => r.body.position as number)
            .sort(),
        ).toEqual([1, 2, 3, 4]);
      }

      const t0 = performance.now();
      const cancels = await Promise.all(bookings.map((id, i) => (i % 2 ? second : t).http().delete(`/api/bookings/${id}`).set(host.auth)));
      expect(cancels.map((r) => r.status)).toEqual(Array(5).fill(200));
      // Everything that could promote, at once and twice over: both relays, both sweeps, direct attempts per time.
      const attempts = await Promise.all([
        t.app.get(OutboxRelay).drain(),
        second.app.get(OutboxRelay).drain(),
        t.app.get(Waitlists).sweep(),
        second.app.get(Waitlists).sweep(),
        ...times.flatMap((start) => [
          t.app.get(Waitlists).promoteAt(typeId, new Date(start)),
          second.app.get(Waitlists).promoteAt(typeId, new Date(start)),
        ]),
      ]);
      await settle();
      await settle(second);
      const ms = Math.round(performance.now() - t0);

      const entries = await line(host, typeId);
      const promoted = entries.filter((e) => e.status === 'promoted');
      expect(promoted).toHaveLength(5);
      expect(new Set(promoted.map((e) => e.start_time)).size).toBe(5);
      // FIFO: the first to join each time (position order), whichever instance took them.
      for (const start of times) {
        const atTime = entries.filter((e) => e.start_time === start);
        expect(atTime[0].status).toBe('promoted');
      }
      expect(entries.filter((e) => e.status === 'waiting')).toHaveLength(15);
      expect(await liveWaitlistHolds(typeId)).toBe(5);
      const claimMails = smtp.mails.filter((m) => m.subject.includes('A place opened up') && /waiterr\dw\d@/.test(m.to));
      expect(claimMails).toHaveLength(5);
      const [{ n: deliveries }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM notification_deliveries WHERE kind = 'waitlist_claim' AND recipient LIKE 'waiterr%'`,
      );
      expect(deliveries).toBe(5);
      const directPromotions =
        attempts.slice(4).reduce((a: number, b) => a + (b as number), 0) + (attempts[2] as number) + (attempts[3] as number);

      // Every claim lapses: sweeps on both instances at once promote the next five, exactly.
      t.clock!.set(new Date(Date.parse(NOW) + 31 * MIN));
      second.clock!.set(new Date(Date.parse(NOW) + 31 * MIN));
      const lapsed = await Promise.all([t.app.get(Waitlists).sweep(), second.app.get(Waitlists).sweep(), t.app.get(Waitlists).sweep()]);
      await settle();
      const after = await line(host, typeId);
      expect(after.filter((e) => e.status === 'expired')).toHaveLength(5);
      expect(after.filter((e) => e.status === 'promoted')).toHaveLength(5);
      expect(after.filter((e) => e.status === 'waiting')).toHaveLength(10);
      expect(lapsed.reduce((a, b) => a + b, 0)).toBe(5);
      expect(await liveWaitlistHolds(typeId)).toBe(5);
      const allClaims = smtp.mails.filter((m) => m.subject.includes('A place opened up') && /waiterr\dw\d@/.test(m.to));
      expect(allClaims).toHaveLength(10);
      process.stdout.write(
        `[race] waitlist: 20 waiting, 5 cancels on 2 instances + 2 drains + 2 sweeps + 10 direct attempts: ` +
          `${promoted.length} promoted (direct/sweep won ${directPromotions}), 5 holds, ${claimMails.length} claim mails, ${ms} ms; ` +
          `lapse: 3 concurrent sweeps promoted ${lapsed.join('+')}, ${allClaims.length} claim mails in all\n`,
      );
    } finally {
      await second.close({ keepDatabase: true });
    }
  });

  // Last: its promotion is left to lapse, which the sweeps of the tests above would otherwise meet.
  it("the claim mail is in the waiter's language (API locale, or the booking page's form); a bad locale is a 400", async () => {
    const { host, typeId } = await waitlistType({ name: 'Erstgespräch', slug: 'erstgespraech' });
    const booking = await book(typeId, tue(8), 'g0');
    const joinAs = (n: string, locale?: unknown, time_zone?: unknown) =>
      t
        .http()
        .post('/api/waitlist')
        .send({ meeting_type_id: typeId, start_time: tue(8), name: `Waiter ${n}`, email: `waiter${n}@example.com`, locale, time_zone });
    const bad = await joinAs('gx', 'de-XX');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('locale must be one of en, de, fr, es, pt-BR, ja');
    const badZone = await joinAs('gz', 'de', 'Europe/Nowhere');
    expect(badZone.status).toBe(400);
    expect(badZone.body.message).toBe('time_zone must be an IANA time zone such as "Europe/London"');
    expect((await joinAs('g1', 'de', 'europe/berlin')).status).toBe(201); // stored in its canonical spelling
    // The booking page's form says its language like the booking form does (a French page here).
    const page = await t
      .http()
      .post(`/${host.username}/erstgespraech/waitlist`)
      .type('form')
      .send({ start: tue(8), name: 'Waiter g2', email: 'waiterg2@example.com', tz: 'Europe/Paris', locale: 'fr', lang: 'fr' })
      .expect(200);
    expect(page.text).toContain('lang="fr"');
    expect((await joinAs('g3')).status).toBe(201);
    const entries = await line(host, typeId);
    type Localized = Entry & { locale: string; time_zone: string | null };
    expect(entries.map((e) => [e.email, (e as Localized).locale, (e as Localized).time_zone])).toEqual([
      ['waiterg1@example.com', 'de', 'Europe/Berlin'],
      ['waiterg2@example.com', 'fr', 'Europe/Paris'],
      ['waiterg3@example.com', 'en', null],
    ]);

    await t.http().delete(`/api/bookings/${booking.body.id}`).set(host.auth).expect(200);
    await settle();
    const [mail] = smtp.to('waiterg1@example.com');
    expect(mail.subject).toBe('Ein Platz ist frei geworden: Erstgespräch');
    expect(mail.text).toContain('Hallo Waiter g1,');
    // In the waiter's zone: 13:00 UTC is 14:00 in Berlin (CET).
    expect(mail.text).toContain('Für Erstgespräch am Dienstag, 2. März 2027, 14:00 (Europe/Berlin) ist ein Platz frei geworden.');
    expect(mail.text).toContain('Er ist für Sie reserviert bis Montag, 1. März 2027, 13:30 (Europe/Berlin).');
    expect(mail.text).not.toMatch(/A place opened up|Hello/);
    // The link opens the booking form in German, which books (and mails) in German.
    const url = claimUrlIn(mail.text);
    expect(url.searchParams.get('lang')).toBe('de');
    expect(url.searchParams.get('tz')).toBe('Europe/Berlin');
    const form = await t.http().get(`${url.pathname}${url.search}`).expect(200);
    expect(form.text).toContain('lang="de"');
    expect(form.text).toContain('name="locale" value="de"');
  });
});
