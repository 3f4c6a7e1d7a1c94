import { createHost, type TestHost } from './support/factories.js';
import { createMeetingType, createTeam, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Fair round robin you can audit (issue #19 part 3): settings, the report and its `next`, history across membership
 * changes, caps and fallback hosts, and the fairness bound under concurrent bookers (PostgreSQL, and
 * KAIROS_TEST_DB=embedded).
 */
const NOW = '2027-03-01T12:00:00.000Z';
const ALL_WEEK = [0, 1, 2, 3, 4, 5, 6].map((d) => ({ day_of_week: d, start_time: '00:00', end_time: '23:30' }));
const CONCURRENT = Number(process.env.ROUND_ROBIN_BOOKERS ?? 400);

type Share = { user_id: string; bookings: number; target_share: number; actual_share: number; weight: number; priority: number };

describe('round robin (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
  }, 180_000);
  afterAll(() => t.close());
  beforeEach(() => t.clock!.set(NOW));

  /** A team of `n` hosts open every day, and a 30-minute round-robin type of the first one's. */
  async function teamType(n: number, typeBody: Record<string, unknown> = {}) {
    const hosts: TestHost[] = [];
    for (let i = 0; i < n; i++) hosts.push(await createHost(t, { time_zone: 'UTC' }));
    const [owner, ...members] = hosts;
    const team = await createTeam(t, owner, members);
    for (const h of hosts) await setWeeklyHours(t, h, 'UTC', ALL_WEEK);
    const type = await createMeetingType(t, owner, {
      kind: 'round_robin',
      team_id: team.id,
      host_ids: hosts.map((h) => h.id),
      booking_window_days: 60,
      ...typeBody,
    });
    return { hosts, owner, team, type };
  }
  const setHost = (owner: TestHost, typeId: string, userId: string, body: Record<string, unknown>) =>
    t.http().put(`/api/meeting-types/${typeId}/hosts/${userId}`).set(owner.auth).send(body);
  const report = async (caller: TestHost, teamId: string, typeId: string, next = 10) =>
    (await t.http().get(`/api/teams/${teamId}/round-robin`).query({ meeting_type_id: typeId, next }).set(caller.auth).expect(200)).body as {
      hosts: Share[];
      next: string[];
      total_bookings: number;
      period: string;
    };
  /** The i-th free half hour from 2027-03-02 00:00 UTC (47 a day: hours end at 23:30; every one free for every host). */
  const slot = (i: number) =>
    new Date(Date.parse('2027-03-02T00:00:00Z') + (Math.floor(i / 47) * 48 + (i % 47)) * 30 * 60_000).toISOString();
  const book = (typeId: string, i: number, who: number | string = i) =>
    t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: slot(i), ...invitee(`rr${who}`) });
  const hostOf = async (bookingId: string) =>
    ((await t.dataSource.query(`SELECT user_id FROM booking_hosts WHERE booking_id = $1`, [bookingId])) as { user_id: string }[])[0]
      .user_id;

  it('the owner sets weight, priority, fallback and cap; bad input is a 400 with JSON; others get 404', async () => {
    const { hosts, owner, team, type } = await teamType(2);
    const [, bob] = hosts;
    await setHost(owner, type.id, bob.id, { weight: 3 }).expect(200);
    const ok = await setHost(owner, type.id, bob.id, { weight: 3, priority: 2, fallback: true, max_bookings_per_period: 5 }).expect(200);
    expect(ok.body).toEqual({ user_id: bob.id, weight: 3, priority: 2, fallback: true, max_bookings_per_period: 5 });
    const partial = await setHost(owner, type.id, bob.id, { max_bookings_per_period: null }).expect(200);
    expect(partial.body).toEqual({ user_id: bob.id, weight: 3, priority: 2, fallback: true, max_bookings_per_period: null });

    for (const [body, message] of [
      [{ weight: 0 }, /weight must be a whole number from 1 to 1000/],
      [{ weight: 1001 }, /weight must be a whole number/],
      [{ weight: 1.5 }, /weight must be a whole number/],
      [{ weight: '2' }, /weight must be a whole number/],
      [{ priority: -1 }, /priority must be a whole number from 0 to 100/],
      [{ fallback: 'yes' }, /fallback must be true or false/],
      [{ max_bookings_per_period: -1 }, /max_bookings_per_period must be null or a whole number/],
      [{}, /send at least one of/],
      [{ weight: 2, color: 'red' }, /property color should not exist/],
    ] as const) {
      const res = await setHost(owner, type.id, bob.id, body).expect(400);
      expect(res.headers['content-type']).toMatch(/json/);
      expect(res.body.message).toMatch(message);
    }
    await setHost(bob, type.id, bob.id, { weight: 9 }).expect(404); // a host, not the owner
    const stranger = await createHost(t);
    const notHost = await setHost(owner, type.id, stranger.id, { weight: 9 }).expect(404);
    expect(notHost.body.message).toMatch(/host of this meeting type not found/);
    await t.http().put(`/api/meeting-types/${type.id}/hosts/nope`).set(owner.auth).send({ weight: 2 }).expect(400);
    await t.http().put(`/api/meeting-types/${type.id}/hosts/${bob.id}`).send({ weight: 2 }).expect(401);
    const solo = await createMeetingType(t, owner, { slug: 'solo' });
    await setHost(owner, solo.id, owner.id, { weight: 2 }).expect(409);

    await t.http().put(`/api/meeting-types/${type.id}/round-robin`).set(owner.auth).send({ period: 'weekly' }).expect(400);
    await t.http().put(`/api/meeting-types/${type.id}/round-robin`).set(bob.auth).send({ period: 'rolling_30_days' }).expect(404);
    await t.http().put(`/api/meeting-types/${type.id}/round-robin`).set(owner.auth).send({ period: 'rolling_30_days' }).expect(200);
    expect((await report(bob, team.id, type.id)).period).toBe('rolling_30_days');

    // An edit of the type keeps its hosts' settings.
    await t.http().put(`/api/meeting-types/${type.id}`).set(owner.auth).send({ name: 'Renamed' }).expect(200);
    expect((await report(owner, team.id, type.id)).hosts.find((h) => h.user_id === bob.id)).toMatchObject({ weight: 3, priority: 2 });
  });

  it('reports target and actual shares to members only, and `next` is what booking one after another does', async () => {
    const { hosts, owner, team, type } = await teamType(3);
    await setHost(owner, type.id, hosts[0].id, { weight: 1 }).expect(200);
    await setHost(owner, type.id, hosts[1].id, { weight: 2 }).expect(200);
    await setHost(owner, type.id, hosts[2].id, { weight: 3 }).expect(200);
    const before = await report(hosts[1], team.id, type.id, 12);
    expect(before.total_bookings).toBe(0);
    expect(before.next).toHaveLength(12);
    const targets = Object.fromEntries(before.hosts.map((h) => [h.user_id, h.target_share]));
    expect(targets).toEqual({ [hosts[0].id]: 0.1667, [hosts[1].id]: 0.3333, [hosts[2].id]: 0.5 });

    const assigned: string[] = [];
    for (let i = 0; i < 12; i++) assigned.push(await hostOf((await book(type.id, i).expect(201)).body.id));
    expect(assigned).toEqual(before.next);
    const after = await report(owner, team.id, type.id);
    expect(after.total_bookings).toBe(12);
    expect(Object.fromEntries(after.hosts.map((h) => [h.user_id, [h.bookings, h.actual_share]]))).toEqual({
      [hosts[0].id]: [2, 0.1667],
      [hosts[1].id]: [4, 0.3333],
      [hosts[2].id]: [6, 0.5],
    });
    const reason = await t.dataSource.query(
      `SELECT assignment_reason FROM bookings WHERE meeting_type_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [type.id],
    );
    expect(reason[0].assignment_reason).toMatchObject({ rule: expect.any(String), weight: expect.any(Number), candidates: 3 });

    const stranger = await createHost(t);
    await t.http().get(`/api/teams/${team.id}/round-robin`).query({ meeting_type_id: type.id }).set(stranger.auth).expect(404);
    const missing = await t.http().get(`/api/teams/${team.id}/round-robin`).set(owner.auth).expect(400);
    expect(missing.body.message).toMatch(/meeting_type_id must be a UUID/);
    await t.http().get(`/api/teams/${team.id}/round-robin`).query({ meeting_type_id: type.id, next: 101 }).set(owner.auth).expect(400);
    const other = await createMeetingType(t, owner, { slug: 'solo-2' });
    await t.http().get(`/api/teams/${team.id}/round-robin`).query({ meeting_type_id: other.id }).set(owner.auth).expect(404);
  });

  it('a removed and re-added host keeps their count; a capped host is skipped; a fallback host only books when no one else is free', async () => {
    const { hosts, owner, team, type } = await teamType(3);
    const [, bob, carol] = hosts;
    for (let i = 0; i < 6; i++) await book(type.id, i).expect(201);
    const counted = async () => Object.fromEntries((await report(owner, team.id, type.id)).hosts.map((h) => [h.user_id, h.bookings]));
    expect(await counted()).toEqual({ [owner.id]: 2, [bob.id]: 2, [carol.id]: 2 });

    await t.http().delete(`/api/teams/${team.id}/members/${bob.id}`).set(owner.auth).expect(204);
    expect(Object.keys(await counted())).not.toContain(bob.id);
    const again = await t.http().post(`/api/teams/${team.id}/invitations`).set(owner.auth).send({ email: bob.email }).expect(201);
    await t.http().post(`/api/teams/invitations/${again.body.token}/accept`).set(bob.auth).expect(200);
    await t
      .http()
      .put(`/api/meeting-types/${type.id}`)
      .set(owner.auth)
      .send({ host_ids: hosts.map((h) => h.id) })
      .expect(200);
    expect(await counted()).toEqual({ [owner.id]: 2, [bob.id]: 2, [carol.id]: 2 });

    // Carol is capped at her 2; Bob only takes bookings when no one else is free.
    await setHost(owner, type.id, carol.id, { max_bookings_per_period: 2 }).expect(200);
    await setHost(owner, type.id, bob.id, { fallback: true }).expect(200);
    const next = (await report(owner, team.id, type.id, 3)).next;
    expect(next).toEqual([owner.id, owner.id, owner.id]);
    const first = await book(type.id, 10).expect(201);
    expect(await hostOf(first.body.id)).toBe(owner.id);
    // At slot 10 the owner is taken: Carol is capped, so the fallback host gets the second booking.
    const second = await book(type.id, 10, 'second').expect(201);
    expect(await hostOf(second.body.id)).toBe(bob.id);
    expect(
      (await t.dataSource.query(`SELECT assignment_reason FROM bookings WHERE id = $1`, [second.body.id]))[0].assignment_reason,
    ).toMatchObject({
      rule: 'only_candidate',
    });
    // Nobody left at slot 10 (Carol at her cap): a 409, not a booking over the cap.
    await book(type.id, 10, 'third').expect(409);
  });

  it('a host at their cap is not offered: slots and explain agree with the booking (409), and the cap lifts with the month', async () => {
    // No booking window: cached answers are not bound to a quarter hour, so the month's turn alone must end them.
    const { hosts, owner, type } = await teamType(3, { booking_window_days: null });
    const [, alice, bob] = hosts;
    // The owner works afternoons only (12:00-23:30 UTC); Alice and Bob all day and are capped at 1 a month.
    await setWeeklyHours(
      t,
      owner,
      'UTC',
      ALL_WEEK.map((r) => ({ ...r, start_time: '12:00' })),
    );
    await setHost(owner, type.id, alice.id, { max_bookings_per_period: 1 }).expect(200);
    await setHost(owner, type.id, bob.id, { max_bookings_per_period: 1 }).expect(200);
    const starts = async (date: string, endDate = date) =>
      (
        await t
          .http()
          .get('/api/availability/slots')
          .query({ meeting_type_id: type.id, date, end_date: endDate, timezone: 'UTC' })
          .expect(200)
      ).body.slots.map((s: { start_time: string }) => s.start_time) as string[];
    const morning = (list: string[]) => list.filter((s) => s.slice(11, 13) < '12');
    const explain = (start: string, who?: TestHost) => {
      const req = t.http().get('/api/availability/explain').query({ meeting_type_id: type.id, start_time: start, timezone: 'UTC' });
      return (who ? req.set(who.auth) : req).expect(200);
    };
    const bookAt = (start: string, who: string) =>
      t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: type.id, start_time: start, ...invitee(who) });

    // Before: mornings are offered (Alice and Bob), and cached that way for March and April alike.
    expect(morning(await starts('2027-03-03'))).toHaveLength(24);
    expect(morning(await starts('2027-04-05'))).toHaveLength(24);

    // One booking each (mornings: only they are free), in March.
    const first = await bookAt('2027-03-02T01:00:00.000Z', 'cap1').expect(201);
    const second = await bookAt('2027-03-02T02:00:00.000Z', 'cap2').expect(201);
    expect(new Set([await hostOf(first.body.id), await hostOf(second.body.id)])).toEqual(new Set([alice.id, bob.id]));

    // After: no morning is offered any more (the bookings bumped both hosts' versions), afternoons still are.
    const after = await starts('2027-03-03');
    expect(morning(after)).toEqual([]);
    expect(after).toContain('2027-03-03T13:00:00Z');
    // Next month's mornings are not offered either: this month's cap counts now, whatever the time booked.
    expect(morning(await starts('2027-04-05'))).toEqual([]);

    // Explain says why, per host, to the owner; the public answer keeps the code without host ids.
    const why = (await explain('2027-03-03T03:00:00Z', owner)).body;
    expect(why.bookable).toBe(false);
    const capReasons = why.reasons.filter((r: { code: string }) => r.code === 'max_bookings_per_period');
    expect(capReasons.map((r: { host_id: string }) => r.host_id).sort()).toEqual([alice.id, bob.id].sort());
    expect(capReasons[0]).toMatchObject({
      message: expect.stringMatching(/at most 1 booking of this meeting type per calendar month .*\(max_bookings_per_period\)/),
      detail: { cap: 'max_bookings_per_period', limit: 1 },
    });
    expect(why.reasons).toContainEqual(expect.objectContaining({ code: 'outside_hours', host_id: owner.id }));
    const anonymous = (await explain('2027-03-03T03:00:00Z')).body;
    expect(anonymous.bookable).toBe(false);
    expect(anonymous.reasons.filter((r: { code: string }) => r.code === 'max_bookings_per_period')).toHaveLength(1);
    expect(JSON.stringify(anonymous)).not.toContain(alice.id);

    // Booking that time is a 409 naming the cap; a hold there is refused too.
    const refused = await bookAt('2027-03-03T03:00:00.000Z', 'cap3').expect(409);
    expect(refused.headers['content-type']).toMatch(/json/);
    expect(refused.body).toMatchObject({ cap: 'max_bookings_per_period', limit: 1 });
    await t.http().post('/api/slots/holds').send({ meeting_type_id: type.id, start_time: '2027-03-03T03:00:00.000Z' }).expect(409);

    // An afternoon (the uncapped owner is free) is bookable, explained so, and books.
    expect((await explain('2027-03-03T13:00:00Z', owner)).body.bookable).toBe(true);
    const afternoon = await bookAt('2027-03-03T13:00:00.000Z', 'cap4').expect(201);
    expect(await hostOf(afternoon.body.id)).toBe(owner.id);

    // A capped host's own booking moves to another morning: the moved booking is replaced, not counted twice.
    const moved = await t
      .http()
      .put(`/api/bookings/${first.body.id}/reschedule`)
      .query({ token: first.body.management_token })
      .send({ start_time: '2027-03-04T01:00:00.000Z' })
      .expect(200);
    expect(await hostOf(moved.body.id)).toBe(await hostOf(first.body.id));
    // ... and the cap still holds for everyone else.
    await bookAt('2027-03-04T03:00:00.000Z', 'cap6').expect(409);

    // April: the month turned, the caps lift; the cached April answer is not served past the turn.
    t.clock!.set('2027-03-31T23:59:00.000Z');
    expect(morning(await starts('2027-04-05'))).toEqual([]);
    t.clock!.set('2027-04-01T00:00:00.000Z');
    expect(morning(await starts('2027-04-05'))).toHaveLength(24);
    expect((await explain('2027-04-05T03:00:00Z', owner)).body.bookable).toBe(true);
    await bookAt('2027-04-05T03:00:00.000Z', 'cap5').expect(201);
  });

  it('never books a host past their cap under concurrent bookers (the re-check and the ranking count alike)', async () => {
    const { hosts, owner, type } = await teamType(2);
    const [, bob] = hosts;
    await setHost(owner, type.id, owner.id, { max_bookings_per_period: 2 }).expect(200);
    await setHost(owner, type.id, bob.id, { max_bookings_per_period: 3 }).expect(200);
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => book(type.id, i, `race${i}`)));
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    console.log(`round robin caps race: ${created.length} x 201, ${refused.length} x 409 on ${process.env.KAIROS_TEST_DB ?? 'postgres'}`);
    expect(created).toHaveLength(5);
    expect(refused).toHaveLength(19);
    const per = new Map<string, number>();
    for (const r of created) per.set(await hostOf(r.body.id), (per.get(await hostOf(r.body.id)) ?? 0) + 1);
    expect(Object.fromEntries(per)).toEqual({ [owner.id]: 2, [bob.id]: 3 });
    // Afterwards the slots offer nothing and a booking's 409 names the cap.
    const slots = await t
      .http()
      .get('/api/availability/slots')
      .query({ meeting_type_id: type.id, date: '2027-03-02', timezone: 'UTC' })
      .expect(200);
    expect(slots.body.slots).toEqual([]);
    expect((await book(type.id, 30, 'late').expect(409)).body).toMatchObject({ cap: 'max_bookings_per_period' });
  });

  it(`keeps the fairness bound with ${CONCURRENT} simultaneous bookers over ${CONCURRENT} slots (weights 1/1/2/4)`, async () => {
    const { hosts, owner, team, type } = await teamType(4);
    const weights = [1, 1, 2, 4];
    for (let i = 0; i < 4; i++) await setHost(owner, type.id, hosts[i].id, { weight: weights[i] }).expect(200);
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => book(type.id, i)));
    const seconds = (Date.now() - started) / 1000;
    expect(results.filter((r) => r.status !== 201).map((r) => [r.status, r.body.message])).toEqual([]);
    const shares = (await report(owner, team.id, type.id)).hosts;
    const W = 8;
    const K = 4;
    const figures = hosts.map((h, i) => {
      const c = shares.find((s) => s.user_id === h.id)?.bookings ?? -1;
      const q = (CONCURRENT * weights[i]) / W;
      return { weight: weights[i], bookings: c, share: q, low: q - 1, high: q + ((K - 1) * weights[i]) / W };
    });
    console.log(
      `round robin race: ${CONCURRENT} bookers in ${seconds.toFixed(1)} s on ${process.env.KAIROS_TEST_DB ?? 'postgres'}`,
      figures,
    );
    for (const f of figures) {
      expect(f.bookings).toBeGreaterThanOrEqual(f.low);
      expect(f.bookings).toBeLessThanOrEqual(f.high);
    }
    expect(figures.reduce((s, f) => s + f.bookings, 0)).toBe(CONCURRENT);
  }, 300_000);

  it('documents the endpoints in the OpenAPI document', async () => {
    const doc = await t.http().get('/api/openapi.json').expect(200);
    expect(doc.body.paths['/api/meeting-types/{id}/hosts/{user_id}'].put).toBeDefined();
    expect(doc.body.paths['/api/meeting-types/{id}/round-robin'].put).toBeDefined();
    expect(doc.body.paths['/api/teams/{id}/round-robin'].get).toBeDefined();
  });
});
