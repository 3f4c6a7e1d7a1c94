import { Waitlists } from '../src/modules/booking/application/waitlist.service.js';
import { DeliveryDispatcher } from '../src/modules/notify/application/delivery-dispatcher.js';
import { OutboxRelay } from '../src/shared/outbox/outbox-relay.js';
import { settleDeliveries } from './support/deliveries.js';
import { createHost, type TestHost } from './support/factories.js';
import { TestSmtpServer } from './support/mail.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC. Hosts work 09:00-17:00 UTC on weekdays; sessions last 30 minutes.
const NOW = '2027-03-01T12:00:00Z';
const MIN = 60_000;
/** Tuesday 2 March 2027 at 09:00 UTC plus `i` half hours. */
const tue = (i: number) => new Date(Date.parse('2027-03-02T09:00:00Z') + i * 30 * MIN).toISOString();

interface Entry {
  id: string;
  status: string;
  email: string;
  start_time: string;
}

interface Seat {
  bookingId: string;
  token: string;
}

describe('group waitlists: one promotion per freed seat, seat holds (e2e, PostgreSQL or the embedded database)', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;

  const ENV = {
    SMTP_URL: '',
    // The tests drive the relay, the deliveries and the sweep, and move the pinned clock.
    OUTBOX_POLL_INTERVAL_MS: '0',
    NOTIFY_SWEEP_INTERVAL_MS: '0',
    APPROVAL_EXPIRY_INTERVAL_MS: '0',
  };

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    t = await startTestApp({ now: NOW, env: { ...ENV, SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  afterEach(() => t.clock!.set(NOW));

  const settle = async (app: TestApp = t) => {
    await app.app.get(OutboxRelay).drain();
    await app.app.get(DeliveryDispatcher).sweep();
    await settleDeliveries(app);
  };

  async function groupType(seats: number, claimMinutes = 30): Promise<{ host: TestHost; typeId: string; slug: string }> {
    const host = await createHost(t, { time_zone: 'UTC' });
    await setWeeklyHours(t, host, 'UTC');
    const type = await createMeetingType(t, host, { kind: 'group', seats });
    await t
      .http()
      .put(`/api/meeting-types/${type.id}/waitlist`)
      .set(host.auth)
      .send({ waitlist_enabled: true, waitlist_claim_minutes: claimMinutes })
      .expect(200);
    return { host, typeId: type.id, slug: type.slug };
  }

  const book = (typeId: string, start: string, n: number | string, extra: Record<string, unknown> = {}, app: TestApp = t) =>
    app
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: start, ...invitee(n), ...extra });

  /** Fills the session: `seats` invitees, each with their own management token. */
  async function fill(typeId: string, start: string, seats: number, tag: string): Promise<Seat[]> {
    const out: Seat[] = [];
    for (let i = 0; i < seats; i++) {
      const res = await book(typeId, start, `${tag}${i}`);
      expect(res.status).toBe(201);
      out.push({ bookingId: res.body.id as string, token: res.body.management_token as string });
    }
    expect(new Set(out.map((s) => s.bookingId)).size).toBe(1);
    return out;
  }

  const join = (typeId: string, start: string, n: number | string, app: TestApp = t) =>
    app
      .http()
      .post('/api/waitlist')
      .send({ meeting_type_id: typeId, start_time: start, name: `Waiter ${n}`, email: `waiter${n}@example.com` });

  const leaveSeat = (seat: Seat, app: TestApp = t) => app.http().delete(`/api/bookings/${seat.bookingId}`).query({ token: seat.token });

  const line = async (host: TestHost, typeId: string): Promise<Entry[]> =>
    (await t.http().get('/api/waitlist').query({ meeting_type_id: typeId }).set(host.auth).expect(200)).body.entries as Entry[];

  const liveSeatHolds = async (typeId: string): Promise<number> => {
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM slot_holds WHERE meeting_type_id = $1 AND seat IS NOT NULL AND expires_at > $2`,
      [typeId, t.clock!.now()],
    );
    return n as number;
  };

  const activeInvitees = async (bookingId: string): Promise<number> => {
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM booking_invitees WHERE booking_id = $1 AND status = 'active'`,
      [bookingId],
    );
    return n as number;
  };

  const claimOf = (email: string) => {
    const mails = smtp.to(email).filter((m) => m.subject.includes('A place opened up'));
    const found = mails.length > 0 ? /(http:\/\/kairos\.test\/\S+\/book\?\S+)/.exec(mails.at(-1)!.text)?.[1] : undefined;
    if (!found) throw new Error(`no claim link for ${email}`);
    return new URL(found);
  };

  const claim = (typeId: string, start: string, who: string, app: TestApp = t) =>
    app
      .http()
      .post('/api/bookings')
      .send({
        meeting_type_id: typeId,
        start_time: start,
        invitee_name: `Waiter ${who}`,
        invitee_email: `waiter${who}@example.com`,
        time_zone: 'UTC',
        hold_token: claimOf(`waiter${who}@example.com`).searchParams.get('hold'),
      });

  it('joining: a full session only (409 while a seat is free); the booking page offers the line; the admin lists it', async () => {
    const { host, typeId, slug } = await groupType(3);
    await fill(typeId, tue(0), 3, 'f');
    expect((await book(typeId, tue(2), 'half')).status).toBe(201); // one of three seats taken

    const open = await join(typeId, tue(2), 'open');
    expect(open.status).toBe(409);
    expect(open.body.message).toMatch(/free: book it/);
    expect((await join(typeId, tue(1), 'none')).status).toBe(409); // no session yet: every seat is free
    const joined = await join(typeId, tue(0), 'j1');
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ position: 1, status: 'waiting', start_time: tue(0) });
    expect((await join(typeId, tue(0), 'j1')).status).toBe(409); // already waiting

    // The booking form of the full session says it is taken and offers the waitlist, prefilled.
    const page = await t
      .http()
      .post(`/${host.username}/${slug}/book`)
      .type('form')
      .send({ start: tue(0), tz: 'UTC', name: 'Late Comer', email: 'late@example.com' });
    expect(page.status).toBe(409);
    expect(page.text).toContain(`/${host.username}/${slug}/waitlist`);
    expect(page.text).toContain('late@example.com');

    const admin = await t.http().get('/admin/waitlist').query({ meeting_type_id: typeId }).set(host.auth);
    expect(admin.status).toBe(200);
    expect(admin.text).toContain('waiterj1@example.com');
  });

  it('a freed seat promotes one with a seat hold: the session looks full (slots, explain, 409), the claim books it, a lapse passes it on', async () => {
    const { host, typeId } = await groupType(3, 30);
    const seats = await fill(typeId, tue(4), 3, 's');
    for (const n of ['s1', 's2', 's3']) expect((await join(typeId, tue(4), n)).status).toBe(201);

    await leaveSeat(seats[0]).expect(200);
    await settle();
    await settle(); // a second relay pass and a sweep change nothing
    expect(await t.app.get(Waitlists).sweep()).toBe(0);
    expect((await line(host, typeId)).map((e) => e.status)).toEqual(['promoted', 'waiting', 'waiting']);
    expect(await liveSeatHolds(typeId)).toBe(1);
    expect(await activeInvitees(seats[0].bookingId)).toBe(2);

    // 2 invitees + 1 held seat = 3: full for everyone else, with the same answer from slots, explain and a booking.
    const slots = await t.http().get('/api/availability/slots').query({ meeting_type_id: typeId, date: '2027-03-02', timezone: 'UTC' });
    expect((slots.body.slots as { start_time: string }[]).map((s) => s.start_time)).not.toContain(tue(4));
    const explain = await t
      .http()
      .get('/api/availability/explain')
      .query({ meeting_type_id: typeId, start_time: tue(4), timezone: 'UTC' })
      .expect(200);
    expect(explain.body.bookable).toBe(false);
    expect((explain.body.reasons as { code: string }[]).map((r) => r.code)).toContain('seats_full');
    const intruder = await book(typeId, tue(4), 'intruder');
    expect(intruder.status).toBe(409);
    expect(smtp.to('waiters2@example.com')).toHaveLength(0);

    // The claim link opens the form with the hold; someone else cannot use it; the promoted invitee takes the seat.
    const url = claimOf('waiters1@example.com');
    expect(url.searchParams.get('start')).toBe(tue(4));
    const form = await t.http().get(`${url.pathname}${url.search}`).expect(200);
    expect(form.text).toContain(url.searchParams.get('hold')!);
    expect((await book(typeId, tue(4), 'thief', { hold_token: url.searchParams.get('hold') })).status).toBe(400);
    const claimed = await claim(typeId, tue(4), 's1');
    expect(claimed.status).toBe(201);
    expect(claimed.body.id).toBe(seats[0].bookingId); // into the same session
    expect(await activeInvitees(seats[0].bookingId)).toBe(3);
    expect(await liveSeatHolds(typeId)).toBe(0);
    await settle();
    expect((await line(host, typeId)).map((e) => e.status)).toEqual(['booked', 'waiting', 'waiting']);

    // Another seat frees; its claim lapses; the sweep passes it to the next in line.
    await leaveSeat(seats[1]).expect(200);
    await settle();
    expect((await line(host, typeId)).map((e) => e.status)).toEqual(['booked', 'promoted', 'waiting']);
    t.clock!.set(new Date(Date.parse(NOW) + 31 * MIN));
    expect(await t.app.get(Waitlists).sweep()).toBe(1);
    expect(await t.app.get(Waitlists).sweep()).toBe(0);
    await settle();
    expect((await line(host, typeId)).map((e) => e.status)).toEqual(['booked', 'expired', 'promoted']);
    expect(await liveSeatHolds(typeId)).toBe(1);
    expect(smtp.to('waiters3@example.com').filter((m) => m.subject.includes('A place opened up'))).toHaveLength(1);
    // The expired claim's seat hold was deleted (its seat number is free again): its link cannot book (404 hold).
    const stale = await claim(typeId, tue(4), 's2');
    expect(stale.status).toBe(404);
    expect(stale.body.message).toMatch(/hold/);
  });

  it('a session cancelled as a whole frees the time: the first in line claims it whole, the new session then gives its other seats out', async () => {
    const { host, typeId } = await groupType(2, 30);
    const seats = await fill(typeId, tue(6), 2, 'w');
    for (const n of ['w1', 'w2', 'w3']) expect((await join(typeId, tue(6), n)).status).toBe(201);
    await t.http().delete(`/api/bookings/${seats[0].bookingId}`).set(host.auth).expect(200);
    await settle();
    expect((await line(host, typeId)).map((e) => e.status)).toEqual(['promoted', 'waiting', 'waiting']);
    expect(await liveSeatHolds(typeId)).toBe(0); // an ordinary hold: the host's time, not a seat
    expect((await book(typeId, tue(6), 'intruder')).status).toBe(409);

    const claimed = await claim(typeId, tue(6), 'w1');
    expect(claimed.status).toBe(201);
    expect(claimed.body.id).not.toBe(seats[0].bookingId); // a new session
    await settle(); // the claim's booking.created: w1 booked, the session's free seat goes to w2
    expect((await line(host, typeId)).map((e) => e.status)).toEqual(['booked', 'promoted', 'waiting']);
    expect(await liveSeatHolds(typeId)).toBe(1);
    expect((await claim(typeId, tue(6), 'w2')).status).toBe(201);
    expect(await activeInvitees(claimed.body.id as string)).toBe(2);
  });

  it('race: N=6 seats full, M=8 waiting, K=3 seats freed concurrently on two instances while drains, sweeps and direct attempts race → exactly 3 promoted', async () => {
    const second = await startTestApp({
      now: NOW,
      database: t.database!,
      env: { ...ENV, SMTP_URL: smtp.url, REDIS_PREFIX: t.redisPrefix },
    });
    try {
      const N = 6;
      const M = 8;
      const K = 3;
      const { host, typeId } = await groupType(N, 30);
      const start = tue(10);
      const seats = await fill(typeId, start, N, 'r');
      const joined = await Promise.all(Array.from({ length: M }, (_, i) => join(typeId, start, `rw${i}`, i % 2 ? second : t)));
      expect(joined.map((r) => r.status)).toEqual(Array(M).fill(201));

      const t0 = performance.now();
      // The K cancellations and everything that could promote, all at once: both relays, both sweeps and direct
      // attempts on both instances, started while the cancellations are still in flight; then both relays again.
      const promoters = () => [
        t.app.get(OutboxRelay).drain(),
        second.app.get(OutboxRelay).drain(),
        t.app.get(Waitlists).sweep(),
        second.app.get(Waitlists).sweep(),
        t.app.get(Waitlists).promoteAt(typeId, new Date(start)),
        second.app.get(Waitlists).promoteAt(typeId, new Date(start)),
      ];
      const [cancels, attempts] = await Promise.all([
        Promise.all(seats.slice(0, K).map((s, i) => leaveSeat(s, i % 2 ? second : t))),
        Promise.all([...promoters(), ...promoters()]),
      ]);
      expect(cancels.map((r) => r.status)).toEqual(Array(K).fill(200));
      const late = await Promise.all(promoters());
      await settle();
      await settle(second);
      const ms = Math.round(performance.now() - t0);

      const entries = await line(host, typeId);
      const promoted = entries.filter((e) => e.status === 'promoted');
      expect(promoted).toHaveLength(K);
      // FIFO: the first K to join, whichever instance took them.
      expect(entries.slice(0, K).map((e) => e.status)).toEqual(Array(K).fill('promoted'));
      expect(entries.filter((e) => e.status === 'waiting')).toHaveLength(M - K);
      expect(await liveSeatHolds(typeId)).toBe(K);
      const [{ seats: numbers }] = await t.dataSource.query(
        `SELECT array_agg(seat ORDER BY seat) AS seats FROM slot_holds WHERE meeting_type_id = $1 AND seat IS NOT NULL`,
        [typeId],
      );
      expect(numbers).toEqual([1, 2, 3]);
      // The database refuses a second hold on a held seat, whatever the application does.
      const dup = await t.dataSource
        .query(
          `INSERT INTO slot_holds (meeting_type_id, start_time, end_time, token_hash, expires_at, client_key, seat)
           VALUES ($1, $2, $3, $4, $5, 'waitlist', 2)`,
          [typeId, start, new Date(Date.parse(start) + 30 * MIN), 'f'.repeat(64), new Date(Date.parse(NOW) + 30 * MIN)],
        )
        .then(
          () => 'inserted',
          (error: { code?: string; driverError?: { code?: string } }) => error.driverError?.code ?? error.code,
        );
      expect(dup).toBe('23505');
      const claimMails = () => smtp.mails.filter((m) => m.subject.includes('A place opened up') && /waiterrw\d@/.test(m.to));
      expect(claimMails()).toHaveLength(K);
      const [{ n: deliveries }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM notification_deliveries WHERE kind = 'waitlist_claim' AND recipient LIKE 'waiterrw%'`,
      );
      expect(deliveries).toBe(K);
      const direct = [...attempts.filter((_, i) => i % 6 >= 2), ...late.slice(2)].reduce((a: number, b) => a + (b as number), 0);

      // Held seats are taken: concurrent bookers on both instances all get 409.
      const bookers = await Promise.all([0, 1, 2, 3].map((i) => book(typeId, start, `late${i}`, {}, i % 2 ? second : t)));
      expect(bookers.map((r) => r.status)).toEqual([409, 409, 409, 409]);

      // The first claims on the second instance: the session has N - K + 1 invitees, K - 1 seats still held.
      const first = promoted[0].email.replace(/^waiter|@example\.com$/g, '');
      expect((await claim(typeId, start, first, second)).status).toBe(201);
      expect(await activeInvitees(seats[0].bookingId)).toBe(N - K + 1);
      expect((await book(typeId, start, 'late9')).status).toBe(409);
      await settle();

      // The other claims lapse: concurrent sweeps on both instances pass exactly those seats on.
      const later = new Date(Date.parse(NOW) + 31 * MIN);
      t.clock!.set(later);
      second.clock!.set(later);
      const lapsed = await Promise.all([t.app.get(Waitlists).sweep(), second.app.get(Waitlists).sweep(), t.app.get(Waitlists).sweep()]);
      await settle();
      const after = await line(host, typeId);
      expect(after.filter((e) => e.status === 'booked')).toHaveLength(1);
      expect(after.filter((e) => e.status === 'expired')).toHaveLength(K - 1);
      expect(after.filter((e) => e.status === 'promoted')).toHaveLength(K - 1);
      expect(after.filter((e) => e.status === 'waiting')).toHaveLength(M - 2 * K + 1);
      expect(lapsed.reduce((a, b) => a + b, 0)).toBe(K - 1);
      expect(await liveSeatHolds(typeId)).toBe(K - 1);
      expect(claimMails()).toHaveLength(2 * K - 1);
      process.stdout.write(
        `[race] group waitlist: ${N} seats full, ${M} waiting, ${K} seats freed on 2 instances with 6 drains + 6 sweeps + 6 direct attempts racing: ` +
          `${promoted.length} promoted (sweeps/direct won ${direct}), ${K} seat holds, ${K} claim mails, 4 bookers 409, ${ms} ms; ` +
          `lapse: 3 concurrent sweeps promoted ${lapsed.join('+')}\n`,
      );
    } finally {
      await second.close({ keepDatabase: true });
    }
  });
});
