import { createHost, type TestHost } from './support/factories.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC. Hosts work 09:00-17:00 in New York (EST, UTC-5): Tuesday's 30-minute slots are
// 14:00Z ... 21:30Z (16 of them).
const NOW = '2027-03-01T12:00:00Z';
const TUESDAY = Array.from({ length: 16 }, (_, i) => new Date(Date.UTC(2027, 2, 2, 14, 30 * i)).toISOString().replace('.000', ''));
const MIN = 60_000;

/**
 * Issue 12, item 2: anonymous slot holds must not let one client empty a host's calendar. Default caps (config):
 * 5 live holds per client address, 2 per email, 10 per host, 6 per meeting type; holds last 5 minutes, extend to at
 * most 15 minutes after they were made, and a client cannot re-hold a time within 15 minutes of its hold ending.
 */
describe('slot holds under abuse (e2e, PostgreSQL or the embedded database)', () => {
  let t: TestApp;
  let clients = 0;
  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
  });
  afterAll(() => t.close());
  afterEach(() => t.clock!.set(NOW));

  /** A fresh client address per call (trust proxy: loopback, so X-Forwarded-For names the client). */
  const newClient = () => `198.51.100.${++clients}`;

  async function hostWithType(body: Record<string, unknown> = {}): Promise<{ host: TestHost; typeId: string }> {
    const host = await createHost(t, { time_zone: 'America/New_York' });
    await setWeeklyHours(t, host, 'America/New_York');
    const type = await createMeetingType(t, host, body);
    return { host, typeId: type.id };
  }

  const hold = (client: string, typeId: string, start: string, extra: Record<string, unknown> = {}) =>
    t
      .http()
      .post('/api/slots/holds')
      .set('X-Forwarded-For', client)
      .send({ meeting_type_id: typeId, start_time: start, ...extra });
  const book = (client: string, typeId: string, start: string, n: string, extra: Record<string, unknown> = {}) =>
    t
      .http()
      .post('/api/bookings')
      .set('X-Forwarded-For', client)
      .send({ meeting_type_id: typeId, start_time: start, ...invitee(n), ...extra });
  const storedHolds = async (typeId: string): Promise<number> =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM slot_holds WHERE meeting_type_id = $1`, [typeId]))[0].n;

  function expectCapped(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, cap: string) {
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toMatchObject({ status_code: 429, error: 'Too Many Requests', message: expect.any(String), cap });
  }

  it('one client trying to hold every slot of a host is stopped at its cap; the other slots stay bookable and holdable by others', async () => {
    const { typeId } = await hostWithType();
    const attacker = newClient();
    const results = [];
    for (const start of TUESDAY) results.push(await hold(attacker, typeId, start));
    expect(results.slice(0, 5).map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    for (const r of results.slice(5)) expectCapped(r, 'client');
    expect(results[5].headers['retry-after']).toBe('300'); // when its first hold ends
    expect(await storedHolds(typeId)).toBe(5); // nothing stored past the cap

    // The held times are taken; every other one stays bookable, and holdable by other clients.
    await book(newClient(), typeId, TUESDAY[0], 'blocked').expect(409);
    await book(newClient(), typeId, TUESDAY[5], 'someone').expect(201);
    await hold(newClient(), typeId, TUESDAY[6]).expect(201);
    const slots = await t
      .http()
      .get('/api/availability/slots')
      .query({ meeting_type_id: typeId, date: '2027-03-02', timezone: 'UTC' })
      .expect(200);
    expect(slots.body.slots).toHaveLength(16 - 5 - 1 - 1);

    // An IPv6 client counts per /64: rotating the interface id does not reset the cap.
    const v6 = Array.from({ length: 6 }, (_, i) => `2001:db8:7:7::${i + 1}`);
    const { typeId: other } = await hostWithType();
    const v6Results = [];
    for (const [i, address] of v6.entries()) v6Results.push(await hold(address, other, TUESDAY[i]));
    expect(v6Results.slice(0, 5).every((r) => r.status === 201)).toBe(true);
    expectCapped(v6Results[5], 'client');
  });

  it('caps live holds per meeting type and per host, whoever makes them (429 with Retry-After, nothing stored)', async () => {
    const { host, typeId } = await hostWithType({ slug: 'first' });
    const second = await createMeetingType(t, host, { slug: 'second' });
    for (const start of TUESDAY.slice(0, 6)) await hold(newClient(), typeId, start).expect(201);
    expectCapped(await hold(newClient(), typeId, TUESDAY[6]), 'meeting_type');
    // The host's other type may take 4 more: 10 live holds on one host at most.
    for (const start of TUESDAY.slice(8, 12)) await hold(newClient(), second.id, start).expect(201);
    expectCapped(await hold(newClient(), second.id, TUESDAY[12]), 'host');
    expect((await storedHolds(typeId)) + (await storedHolds(second.id))).toBe(10);
    // Booking needs no hold: the unheld times stay bookable.
    await book(newClient(), second.id, TUESDAY[12], 'without-hold').expect(201);
    // Once the holds expire, the caps free up.
    t.clock!.advance(5 * MIN);
    await hold(newClient(), typeId, TUESDAY[6]).expect(201);
  });

  it('caps live holds per invitee email, and a hold given for an email books only for that email', async () => {
    const { typeId } = await hostWithType();
    const email = { invitee_email: 'Hoarder@Example.com' };
    const first = await hold(newClient(), typeId, TUESDAY[0], email).expect(201);
    await hold(newClient(), typeId, TUESDAY[1], { invitee_email: 'hoarder@example.com' }).expect(201);
    expectCapped(await hold(newClient(), typeId, TUESDAY[2], email), 'email');
    expect(await storedHolds(typeId)).toBe(2);
    const stolen = await book(newClient(), typeId, TUESDAY[0], 'thief', { hold_token: first.body.hold_token }).expect(400);
    expect(stolen.body.message).toMatch(/another invitee_email/);
    await book(newClient(), typeId, TUESDAY[0], 'x', { invitee_email: 'hoarder@example.com', hold_token: first.body.hold_token }).expect(
      201,
    );
  });

  it('a hold is short, extends only up to its lifetime cap, frees the slot when it ends, and cannot be chained by re-holding', async () => {
    const { typeId } = await hostWithType();
    const me = newClient();
    const created = await hold(me, typeId, TUESDAY[3]).expect(201);
    const token = created.body.hold_token as string;
    expect(created.body).toMatchObject({ expires_at: '2027-03-01T12:05:00.000Z', max_expires_at: '2027-03-01T12:15:00.000Z' });

    t.clock!.advance(4 * MIN); // 12:04
    await t
      .http()
      .patch(`/api/slots/holds/${token}`)
      .expect(200)
      .expect((r) => expect(r.body.expires_at).toBe('2027-03-01T12:09:00.000Z'));
    t.clock!.advance(4 * MIN); // 12:08
    await t
      .http()
      .patch(`/api/slots/holds/${token}`)
      .expect(200)
      .expect((r) => expect(r.body.expires_at).toBe('2027-03-01T12:13:00.000Z'));
    t.clock!.advance(4 * MIN); // 12:12: capped at 15 minutes after creation
    await t
      .http()
      .patch(`/api/slots/holds/${token}`)
      .expect(200)
      .expect((r) => expect(r.body.expires_at).toBe('2027-03-01T12:15:00.000Z'));
    t.clock!.advance(2 * MIN); // 12:14: no further
    const refused = await t.http().patch(`/api/slots/holds/${token}`).expect(409);
    expect(refused.body).toMatchObject({ status_code: 409, expires_at: '2027-03-01T12:15:00.000Z' });
    await book(newClient(), typeId, TUESDAY[3], 'waiting').expect(409); // still held

    t.clock!.advance(1 * MIN + 1); // 12:15: ended, the slot is free again
    await t.http().patch(`/api/slots/holds/${token}`).expect(410);
    const slots = await t
      .http()
      .get('/api/availability/slots')
      .query({ meeting_type_id: typeId, date: '2027-03-02', timezone: 'UTC' })
      .expect(200);
    expect(slots.body.slots.map((s: { start_time: string }) => s.start_time)).toContain(TUESDAY[3]);

    // The same client cannot chain a new hold on that time for 15 minutes after its hold ended (others can).
    const chained = await hold(me, typeId, TUESDAY[3]);
    expectCapped(chained, 'rehold');
    expect(Number(chained.headers['retry-after'])).toBe(900);
    t.clock!.advance(14 * MIN);
    expectCapped(await hold(me, typeId, TUESDAY[3]), 'rehold');
    const other = await hold(newClient(), typeId, TUESDAY[3]).expect(201);
    await t.http().delete(`/api/slots/holds/${other.body.hold_token}`).expect(204);
    await book(newClient(), typeId, TUESDAY[3], 'after-release').expect(201); // released: free at once
  });

  it('releasing and re-holding the same time does not chain either', async () => {
    const { typeId } = await hostWithType();
    const me = newClient();
    const first = await hold(me, typeId, TUESDAY[0]).expect(201);
    await t.http().delete(`/api/slots/holds/${first.body.hold_token}`).expect(204);
    expectCapped(await hold(me, typeId, TUESDAY[0]), 'rehold');
    await hold(me, typeId, TUESDAY[1]).expect(201); // another time is fine
  });

  it('20 parallel holds from one client, across two app instances, never exceed its cap', async () => {
    const second = await startTestApp({ now: NOW, database: t.database!, env: { REDIS_PREFIX: t.redisPrefix } });
    try {
      const { typeId } = await hostWithType();
      const { typeId: otherType } = await hostWithType();
      const me = newClient();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? second : t)
            .http()
            .post('/api/slots/holds')
            .set('X-Forwarded-For', me)
            .send({ meeting_type_id: i < 10 ? typeId : otherType, start_time: TUESDAY[i % 16] }),
        ),
      ); // distinct times per type
      expect(results.filter((r) => r.status === 201)).toHaveLength(5);
      for (const r of results.filter((r) => r.status !== 201)) expectCapped(r, 'client');
      expect((await storedHolds(typeId)) + (await storedHolds(otherType))).toBe(5);
      // And 20 parallel clients on one meeting type: exactly its cap.
      const { typeId: busy } = await hostWithType();
      const many = await Promise.all(
        TUESDAY.slice(0, 16).map((start, i) =>
          (i % 2 ? second : t)
            .http()
            .post('/api/slots/holds')
            .set('X-Forwarded-For', newClient())
            .send({ meeting_type_id: busy, start_time: start }),
        ),
      );
      expect(many.filter((r) => r.status === 201)).toHaveLength(6);
      expect(await storedHolds(busy)).toBe(6);
    } finally {
      await second.close({ keepDatabase: true });
    }
  });

  it('the booking page holds a picked time with the same service and caps, and books with the hold', async () => {
    const { host, typeId } = await hostWithType({ slug: 'page' });
    const path = `/${host.username}/page`;
    const calendar = await t.http().get(path).query({ tz: 'UTC', date: '2027-03-02' }).expect(200);
    expect(calendar.text).toContain(`action="${path}/hold"`); // picking a time posts (a GET holds nothing)
    await t.http().get(`${path}/book`).query({ start: TUESDAY[0], tz: 'UTC' }).expect(200);
    expect(await storedHolds(typeId)).toBe(0);

    const visitor = newClient();
    const picked = await t
      .http()
      .post(`${path}/hold`)
      .set('X-Forwarded-For', visitor)
      .type('form')
      .send({ start: TUESDAY[0], tz: 'UTC' })
      .expect(303);
    const formUrl = new URL(picked.headers.location, 'http://kairos.test');
    const holdToken = formUrl.searchParams.get('hold')!;
    expect(holdToken).toMatch(/^hld_/);
    const form = await t
      .http()
      .get(formUrl.pathname + formUrl.search)
      .expect(200);
    expect(form.text).toContain('reserved for you until');
    expect(form.text).toContain(`name="hold" value="${holdToken}"`);
    await book(newClient(), typeId, TUESDAY[0], 'api-racer').expect(409); // held for the page's visitor
    const booked = await t
      .http()
      .post(`${path}/book`)
      .set('X-Forwarded-For', visitor)
      .type('form')
      .send({ start: TUESDAY[0], tz: 'UTC', hold: holdToken, name: 'Page Visitor', email: 'page@example.com' })
      .expect(303);
    expect(booked.headers.location).toMatch(/booked=1/);
    expect(await storedHolds(typeId)).toBe(0); // the hold became the booking

    // The page and the API share the client's cap: 5 API holds, then the page reserves nothing (429) but still
    // offers the form, which books the time if it is free.
    const hoarder = newClient();
    for (const start of TUESDAY.slice(2, 7)) await hold(hoarder, typeId, start).expect(201);
    const refused = await t.http().post(`${path}/hold`).set('X-Forwarded-For', hoarder).type('form').send({ start: TUESDAY[8], tz: 'UTC' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.text).toContain('could not reserve this time');
    expect(refused.text).not.toContain('name="hold"');
    expect(await storedHolds(typeId)).toBe(5);
    // A time someone else holds: the calendar again, with the "taken" notice.
    const taken = await t
      .http()
      .post(`${path}/hold`)
      .set('X-Forwarded-For', newClient())
      .type('form')
      .send({ start: TUESDAY[2], tz: 'UTC' });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('That time was just taken');
  });
});
