import { createHost, type TestHost } from './support/factories.js';
import { OpenApiContract } from './support/openapi-contract.js';
import { createMeetingType, createTeam, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC (07:00 in New York, EST until 14 March). Hosts work 09:00-17:00 on weekdays.
const NOW = '2027-03-01T12:00:00Z';
const NY = 'America/New_York';
const MINUTE = 60_000;

/** Starts of 15-minute meetings in the week of 8-12 March 2027 (09:00-17:00 EST = 14:00-22:00 UTC): 160 of them. */
function weekOfMarch8(count: number): string[] {
  const out: string[] = [];
  for (let d = 8; d <= 12 && out.length < count; d++) {
    const day = Date.parse(`2027-03-${String(d).padStart(2, '0')}T14:00:00Z`);
    for (let m = 0; m < 8 * 60 && out.length < count; m += 15) out.push(new Date(day + m * MINUTE).toISOString().replace('.000Z', 'Z'));
  }
  return out;
}

type Res = { status: number; body: { message?: string; cap?: string } & Record<string, unknown> };

/** Statuses and the wall time of a burst, for the report. */
async function race(label: string, requests: Promise<Res>[]): Promise<Res[]> {
  const t0 = performance.now();
  const results = await Promise.all(requests);
  const ms = Math.round(performance.now() - t0);
  const created = results.filter((r) => r.status === 201).length;
  const refused = results.filter((r) => r.status === 409).length;
  process.stdout.write(`[race] ${label}: ${created} x 201, ${refused} x 409, ${results.length - created - refused} other, ${ms} ms\n`);
  return results;
}

describe('booking limits and policies (e2e, PostgreSQL or the embedded database)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
  });
  afterAll(() => t.close());

  async function nyHost(): Promise<TestHost> {
    const host = await createHost(t, { time_zone: NY });
    await setWeeklyHours(t, host, NY);
    return host;
  }

  const book = (app: TestApp, typeId: string, start: string, who: number | string, extra: Record<string, unknown> = {}) =>
    app
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: start, ...invitee(who), ...extra });

  const slotDates = async (typeId: string, date: string, endDate: string) => {
    const res = await t
      .http()
      .get('/api/availability/slots')
      .query({ meeting_type_id: typeId, date, end_date: endDate, timezone: NY })
      .expect(200);
    return [...new Set((res.body.slots as { local_start_time: string }[]).map((s) => s.local_start_time.slice(0, 10)))];
  };

  const liveBookings = async (typeIds: string[]) => {
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM bookings WHERE meeting_type_id = ANY($1::uuid[]) AND status IN ('pending', 'confirmed')`,
      [typeIds],
    );
    return n as number;
  };

  it('stores, returns and clears the new meeting type fields, and refuses bad ones naming the field', async () => {
    const host = await nyHost();
    const type = await createMeetingType(t, host, {
      max_bookings_per_day: 2,
      max_bookings_per_week: 5,
      max_bookings_per_month: 15,
      max_bookings_per_year: 100,
      max_booked_minutes_per_day: 90,
      max_booked_minutes_per_week: 300,
      max_active_bookings_per_invitee: 1,
      cancellation_cutoff_minutes: 1440,
      reschedule_cutoff_minutes: 0,
      booking_window_days: 10,
      booking_window_type: 'business_days',
    });
    expect(type).toMatchObject({
      max_bookings_per_week: 5,
      max_bookings_per_month: 15,
      max_bookings_per_year: 100,
      max_booked_minutes_per_day: 90,
      max_booked_minutes_per_week: 300,
      max_active_bookings_per_invitee: 1,
      cancellation_cutoff_minutes: 1440,
      reschedule_cutoff_minutes: 0,
      booking_window_type: 'business_days',
    });
    const cleared = await t
      .http()
      .put(`/api/meeting-types/${type.id}`)
      .set(host.auth)
      .send({ max_bookings_per_week: null, booking_window_type: null, cancellation_cutoff_minutes: null })
      .expect(200);
    expect(cleared.body).toMatchObject({
      max_bookings_per_week: null,
      max_bookings_per_month: 15,
      booking_window_type: 'calendar_days',
      cancellation_cutoff_minutes: null,
    });

    const bad: [Record<string, unknown>, string, RegExp][] = [
      [{ max_bookings_per_week: 0 }, 'max_bookings_per_week', /max_bookings_per_week must be an integer from 1/],
      [{ booking_window_type: 'weekly' }, 'booking_window_type', /booking_window_type must be one of: calendar_days, business_days/],
      [{ cancellation_cutoff_minutes: -1 }, 'cancellation_cutoff_minutes', /from 0/],
      [{ max_bookings_per_day: 3, max_bookings_per_week: 2 }, 'max_bookings_per_week', /must be at least max_bookings_per_day \(3\)/],
      [{ max_booked_minutes_per_day: 20 }, 'max_booked_minutes_per_day', /at least duration_minutes \(30\)/],
    ];
    for (const [body, field, message] of bad) {
      const res = await t
        .http()
        .post('/api/meeting-types')
        .set(host.auth)
        .send({ name: 'Bad', duration_minutes: 30, ...body })
        .expect(400);
      expect(res.body.message).toMatch(message);
      expect(JSON.stringify(res.body)).toContain(field);
    }
  });

  it("a host's caps: defaults, update, partial update and bad input", async () => {
    const host = await nyHost();
    const initial = await t.http().get('/api/availability/limits').set(host.auth).expect(200);
    expect(initial.body).toEqual({
      max_bookings_per_day: null,
      max_bookings_per_week: null,
      max_bookings_per_month: null,
      max_bookings_per_year: null,
      max_booked_minutes_per_day: null,
      max_booked_minutes_per_week: null,
      week_start: 'monday',
      updated_at: null,
    });
    await t.http().put('/api/availability/limits').set(host.auth).send({ max_bookings_per_week: 4, week_start: 'sunday' }).expect(200);
    const partial = await t.http().put('/api/availability/limits').set(host.auth).send({ max_bookings_per_day: 2 }).expect(200);
    expect(partial.body).toMatchObject({ max_bookings_per_day: 2, max_bookings_per_week: 4, week_start: 'sunday' });
    const bad = await t.http().put('/api/availability/limits').set(host.auth).send({ week_start: 'someday' }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('week_start');
    const order = await t.http().put('/api/availability/limits').set(host.auth).send({ max_bookings_per_week: 1 }).expect(400);
    expect(order.body.message).toMatch(/max_bookings_per_week must be at least max_bookings_per_day \(2\)/);
    await t.http().get('/api/availability/limits').expect(401);
  });

  it('100 concurrent bookers on distinct free slots of one week against a weekly cap of 3: exactly 3', async () => {
    const host = await nyHost();
    const type = await createMeetingType(t, host, { duration_minutes: 15, max_bookings_per_week: 3 });
    expect(await slotDates(type.id, '2027-03-08', '2027-03-12')).toHaveLength(5);
    const results = await race(
      'weekly cap 3, one instance',
      weekOfMarch8(100).map((start, i) => book(t, type.id, start, `week${i}`)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status === 409)).toHaveLength(97);
    expect(await liveBookings([type.id])).toBe(3);
    const capped = results.filter((r) => r.status === 409 && r.body.cap === 'max_bookings_per_week');
    expect(capped.length).toBeGreaterThan(0);
    expect(capped[0].body.message).toMatch(/^this meeting type takes at most 3 bookings a week \(max_bookings_per_week\)/);

    // The slots endpoint decides alike: the week is gone, the next one is open.
    expect(await slotDates(type.id, '2027-03-08', '2027-03-19')).toEqual([
      '2027-03-15',
      '2027-03-16',
      '2027-03-17',
      '2027-03-18',
      '2027-03-19',
    ]);
    const explain = await t
      .http()
      .get('/api/availability/explain')
      .query({ meeting_type_id: type.id, start_time: '2027-03-12T20:00:00Z', timezone: NY })
      .expect(200);
    expect(explain.body).toMatchObject({
      bookable: false,
      local_start_time: '2027-03-12T15:00:00-05:00',
      reasons: [{ code: 'max_bookings_per_week', message: expect.stringContaining('at most 3 bookings a week') }],
    });
  });

  it('the same rush across two app instances on one database: exactly 3', async () => {
    const second = await startTestApp({ now: NOW, database: t.database!, env: { REDIS_PREFIX: t.redisPrefix } });
    try {
      const host = await nyHost();
      const type = await createMeetingType(t, host, { duration_minutes: 15, max_bookings_per_week: 3 });
      const results = await race(
        'weekly cap 3, two instances',
        weekOfMarch8(100).map((start, i) => book(i % 2 ? second : t, type.id, start, `two${i}`)),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(3);
      expect(results.filter((r) => r.status === 409)).toHaveLength(97);
      expect(await liveBookings([type.id])).toBe(3);
      // Each instance's slots cache saw the bookings (one Redis prefix, versions bumped per host).
      for (const app of [t, second]) {
        const res = await app
          .http()
          .get('/api/availability/slots')
          .query({ meeting_type_id: type.id, date: '2027-03-08', end_date: '2027-03-12' });
        expect(res.body.slots).toEqual([]);
      }
    } finally {
      await second.close({ keepDatabase: true });
    }
  });

  it("a host's weekly cap counts all their types; a week starting on Sunday moves the boundary", async () => {
    const host = await createHost(t, { time_zone: NY });
    const everyDay = [0, 1, 2, 3, 4, 5, 6].map((d) => ({ day_of_week: d, start_time: '09:00', end_time: '17:00' }));
    await setWeeklyHours(t, host, NY, everyDay);
    const a = await createMeetingType(t, host, { name: 'A', slug: 'a', duration_minutes: 15 });
    const b = await createMeetingType(t, host, { name: 'B', slug: 'b', duration_minutes: 15 });
    // Both cached before the cap is set: the cap and every booking of either type must reach both entries.
    expect(await slotDates(a.id, '2027-03-08', '2027-03-15')).toHaveLength(8);
    expect(await slotDates(b.id, '2027-03-08', '2027-03-15')).toHaveLength(8);
    await t.http().put('/api/availability/limits').set(host.auth).send({ max_bookings_per_week: 3 }).expect(200);
    const results = await race(
      'host weekly cap 3 over two types',
      weekOfMarch8(100).map((start, i) => book(t, i % 2 ? a.id : b.id, start, `host${i}`)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(await liveBookings([a.id, b.id])).toBe(3);
    expect(results.find((r) => r.body.cap === 'max_bookings_per_week')?.body.message).toMatch(/^this host takes at most 3 bookings a week/);
    // Monday weeks: 8-14 March is full (the Sunday too); Sunday weeks: Sunday the 14th starts a new one.
    expect(await slotDates(b.id, '2027-03-08', '2027-03-15')).toEqual(['2027-03-15']);
    expect(await slotDates(a.id, '2027-03-08', '2027-03-15')).toEqual(['2027-03-15']);
    await t.http().put('/api/availability/limits').set(host.auth).send({ week_start: 'sunday' }).expect(200);
    expect(await slotDates(b.id, '2027-03-08', '2027-03-15')).toEqual(['2027-03-14', '2027-03-15']);
  });

  it("a meeting type's cap takes effect at once on cached slots, and lifting it brings them back", async () => {
    const host = await nyHost();
    const type = await createMeetingType(t, host, {});
    await book(t, type.id, '2027-03-09T14:00:00Z', 'fresh1').expect(201);
    expect(await slotDates(type.id, '2027-03-08', '2027-03-15')).toHaveLength(6);
    await t.http().put(`/api/meeting-types/${type.id}`).set(host.auth).send({ max_bookings_per_week: 1 }).expect(200);
    expect(await slotDates(type.id, '2027-03-08', '2027-03-15')).toEqual(['2027-03-15']);
    await t.http().put(`/api/meeting-types/${type.id}`).set(host.auth).send({ max_bookings_per_week: null }).expect(200);
    expect(await slotDates(type.id, '2027-03-08', '2027-03-15')).toHaveLength(6);
  });

  it('a daily minute cap under a rush: 60 minutes a day of 15-minute meetings is 4 bookings', async () => {
    const host = await nyHost();
    const type = await createMeetingType(t, host, { duration_minutes: 15, max_booked_minutes_per_day: 60 });
    const monday = weekOfMarch8(32); // Monday 8 March only
    const results = await race(
      'daily minute cap 60 (15-minute meetings)',
      monday.map((start, i) => book(t, type.id, start, `min${i}`)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(4);
    expect(results.filter((r) => r.status === 409)).toHaveLength(28);
    expect(results.find((r) => r.body.cap)?.body.message).toMatch(/at most 60 booked minutes a day \(max_booked_minutes_per_day\)/);
    expect(await slotDates(type.id, '2027-03-08', '2027-03-09')).toEqual(['2027-03-09']);
  });

  it('group: a weekly cap of one session still lets invitees fill its seats', async () => {
    const host = await nyHost();
    const type = await createMeetingType(t, host, { kind: 'group', seats: 3, max_bookings_per_week: 1 });
    const first = await book(t, type.id, '2027-03-09T14:00:00Z', 'g1').expect(201);
    const joined = await book(t, type.id, '2027-03-09T14:00:00Z', 'g2').expect(201);
    expect(joined.body.id).toBe(first.body.id);
    const other = await book(t, type.id, '2027-03-10T14:00:00Z', 'g3').expect(409);
    expect(other.body.cap).toBe('max_bookings_per_week');
    const res = await t
      .http()
      .get('/api/availability/slots')
      .query({ meeting_type_id: type.id, date: '2027-03-08', end_date: '2027-03-12' })
      .expect(200);
    expect(res.body.slots).toEqual([expect.objectContaining({ start_time: '2027-03-09T14:00:00Z', seats_remaining: 1 })]);
  });

  it('monthly and yearly caps count calendar months and years in the host zone', async () => {
    const host = await nyHost();
    const monthly = await createMeetingType(t, host, { name: 'M', slug: 'm', duration_minutes: 30, max_bookings_per_month: 2 });
    await book(t, monthly.id, '2027-03-02T14:00:00Z', 'm1').expect(201);
    await book(t, monthly.id, '2027-03-31T13:00:00Z', 'm2').expect(201); // 09:00 EDT on Wednesday 31 March
    expect(await slotDates(monthly.id, '2027-03-29', '2027-04-02')).toEqual(['2027-04-01', '2027-04-02']);
    const refused = await book(t, monthly.id, '2027-03-30T13:00:00Z', 'm3').expect(409);
    expect(refused.body).toMatchObject({ cap: 'max_bookings_per_month', limit: 2 });

    const yearly = await createMeetingType(t, host, { name: 'Y', slug: 'y', duration_minutes: 30, max_bookings_per_year: 1 });
    await book(t, yearly.id, '2027-03-03T14:00:00Z', 'y1').expect(201);
    expect(await slotDates(yearly.id, '2027-12-27', '2028-01-04')).toEqual(['2028-01-03', '2028-01-04']);
  });

  it('max_active_bookings_per_invitee holds under a rush by one email, across round-robin hosts', async () => {
    const admin = await nyHost();
    const other = await nyHost();
    const team = await createTeam(t, admin, [other]);
    const type = await createMeetingType(t, admin, {
      kind: 'round_robin',
      team_id: team.id,
      host_ids: [admin.id, other.id],
      duration_minutes: 15,
      max_active_bookings_per_invitee: 2,
    });
    // One person, written differently each time.
    const emails = ['Ada@Example.com', 'ada@example.com', ' ADA@example.COM '];
    const results = await race(
      'invitee cap 2 (one email, two hosts)',
      weekOfMarch8(30).map((start, i) =>
        t
          .http()
          .post('/api/bookings')
          .send({ meeting_type_id: type.id, start_time: start, invitee_name: 'Ada', invitee_email: emails[i % 3].trim(), time_zone: NY }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 409)).toHaveLength(28);
    expect(results.find((r) => r.status === 409)?.body.message).toMatch(
      /at most 2 upcoming bookings per invitee \(max_active_bookings_per_invitee\)/,
    );
    // Someone else is not affected; a cancelled booking frees a place.
    await book(t, type.id, '2027-03-15T14:00:00Z', 'someone-else').expect(201);
    const mine = results.find((r) => r.status === 201)!;
    await t
      .http()
      .delete(`/api/bookings/${mine.body.id as string}`)
      .query({ token: mine.body.management_token })
      .send({})
      .expect(200);
    await t
      .http()
      .post('/api/bookings')
      .send({
        meeting_type_id: type.id,
        start_time: '2027-03-16T14:00:00Z',
        invitee_name: 'Ada',
        invitee_email: 'ada@example.com',
        time_zone: NY,
      })
      .expect(201);
  });

  it('cancellation and reschedule cutoffs refuse invitees with 409 naming the cutoff; the host can always act', async () => {
    const host = await nyHost();
    const type = await createMeetingType(t, host, { cancellation_cutoff_minutes: 1440, reschedule_cutoff_minutes: 600 });
    // Today 15:00 EST: eight hours ahead.
    const soon = await book(t, type.id, '2027-03-01T20:00:00Z', 'cut1').expect(201);
    const token = soon.body.management_token as string;
    const cancel = await t.http().delete(`/api/bookings/${soon.body.id}`).query({ token }).send({}).expect(409);
    expect(cancel.body.message).toMatch(
      /can no longer be cancelled online: .* up to 1 day before the start \(cancellation_cutoff_minutes\)/,
    );
    const move = await t
      .http()
      .put(`/api/bookings/${soon.body.id}/reschedule`)
      .query({ token })
      .send({ start_time: '2027-03-04T15:00:00Z' })
      .expect(409);
    expect(move.body.message).toMatch(/up to 10 hours before the start \(reschedule_cutoff_minutes\)/);
    // The host moves it, then cancels it.
    const moved = await t
      .http()
      .put(`/api/bookings/${soon.body.id}/reschedule`)
      .set(host.auth)
      .send({ start_time: '2027-03-01T21:00:00Z' })
      .expect(200);
    await t.http().delete(`/api/bookings/${moved.body.id}`).set(host.auth).send({}).expect(200);
    // Further ahead than both cutoffs, the invitee can.
    const later = await book(t, type.id, '2027-03-04T14:00:00Z', 'cut2').expect(201);
    const laterToken = later.body.management_token as string;
    const rescheduled = await t
      .http()
      .put(`/api/bookings/${later.body.id}/reschedule`)
      .query({ token: laterToken })
      .send({ start_time: '2027-03-04T15:00:00Z' })
      .expect(200);
    await t.http().delete(`/api/bookings/${rescheduled.body.id}`).query({ token: laterToken }).send({}).expect(200);
  });

  it('business-day windows skip the weekend in the host zone', async () => {
    const host = await nyHost();
    const business = await createMeetingType(t, host, {
      name: 'Biz',
      slug: 'biz',
      booking_window_days: 2,
      booking_window_type: 'business_days',
    });
    const calendar = await createMeetingType(t, host, { name: 'Cal', slug: 'cal', booking_window_days: 2 });
    t.clock!.set('2027-03-05T12:00:00Z'); // Friday 07:00 EST
    try {
      expect(await slotDates(business.id, '2027-03-05', '2027-03-10')).toEqual(['2027-03-05', '2027-03-08', '2027-03-09']);
      expect(await slotDates(calendar.id, '2027-03-05', '2027-03-10')).toEqual(['2027-03-05']);
      const beyond = await book(t, business.id, '2027-03-10T14:00:00Z', 'biz').expect(409);
      expect(beyond.body.message).toMatch(/not available/);
      const explain = await t
        .http()
        .get('/api/availability/explain')
        .query({ meeting_type_id: business.id, start_time: '2027-03-10T14:00:00Z' })
        .expect(200);
      expect(explain.body.reasons.map((r: { code: string }) => r.code)).toEqual(['booking_window']);
      await book(t, business.id, '2027-03-09T14:00:00Z', 'biz').expect(201);
    } finally {
      t.clock!.set(NOW);
    }
  });

  it('explain: bookable exactly when a booking succeeds, with reasons; 400 and 404 for bad input', async () => {
    const host = await nyHost();
    const type = await createMeetingType(t, host, { minimum_notice_minutes: 180 });
    const ask = (start: string) =>
      t.http().get('/api/availability/explain').query({ meeting_type_id: type.id, start_time: start }).expect(200);
    expect((await ask('2027-03-02T14:00:00Z')).body).toEqual({
      bookable: true,
      start_time: '2027-03-02T14:00:00Z',
      end_time: '2027-03-02T14:30:00Z',
      local_start_time: '2027-03-02T14:00:00+00:00',
      reasons: [],
    });
    await book(t, type.id, '2027-03-02T14:00:00Z', 'ex1').expect(201);
    expect((await ask('2027-03-02T14:00:00Z')).body).toMatchObject({ bookable: false, reasons: [{ code: 'busy_booking' }] });
    expect((await ask('2027-03-02T03:00:00Z')).body).toMatchObject({ bookable: false, reasons: [{ code: 'outside_hours' }] });
    expect((await ask('2027-03-01T14:00:00Z')).body).toMatchObject({ bookable: false, reasons: [{ code: 'minimum_notice' }] }); // 09:00 EST today: 2 h ahead
    const bad = await t.http().get('/api/availability/explain').query({ meeting_type_id: type.id, start_time: 'tomorrow' }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('start_time');
    await t
      .http()
      .get('/api/availability/explain')
      .query({ meeting_type_id: '00000000-0000-4000-8000-000000000000', start_time: '2027-03-02T14:00:00Z' })
      .expect(404);
  });

  it('answers as the OpenAPI document says (meeting type fields, host caps, explain, the 409 naming a cap)', async () => {
    const contract = new OpenApiContract((await t.http().get('/api/openapi.json').expect(200)).body);
    const host = await nyHost();
    const created = contract.strictCheck(
      await t
        .http()
        .post('/api/meeting-types')
        .set(host.auth)
        .send({ name: 'C', duration_minutes: 30, max_bookings_per_week: 1, booking_window_type: 'business_days' }),
    );
    expect(created.status).toBe(201);
    contract.strictCheck(await t.http().get('/api/availability/limits').set(host.auth));
    contract.strictCheck(
      await t.http().put('/api/availability/limits').set(host.auth).send({ max_bookings_per_month: 10, week_start: 'sunday' }),
    );
    contract.strictCheck(await t.http().put('/api/availability/limits').set(host.auth).send({ max_bookings_per_day: 0 }));
    contract.strictCheck(await book(t, created.body.id, '2027-03-09T14:00:00Z', 'c1'));
    const refused = contract.strictCheck(await book(t, created.body.id, '2027-03-10T14:00:00Z', 'c2'));
    expect(refused.status).toBe(409);
    const explain = (q: Record<string, string>) => t.http().get('/api/availability/explain').query(q);
    const ok = contract.strictCheck(await explain({ meeting_type_id: created.body.id, start_time: '2027-03-10T14:00:00Z', timezone: NY }));
    expect(ok.body.reasons).toEqual([expect.objectContaining({ code: 'max_bookings_per_week' })]);
    contract.strictCheck(await explain({ meeting_type_id: created.body.id, start_time: 'nope' }));
    contract.strictCheck(await explain({ meeting_type_id: '00000000-0000-4000-8000-000000000000', start_time: '2027-03-10T14:00:00Z' }));
  });
});
