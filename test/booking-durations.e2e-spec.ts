import type { Response } from 'supertest';
import { createHost, type TestHost } from './support/factories.js';
import { OpenApiContract } from './support/openapi-contract.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC. The host works 09:00-17:00 in New York (EST, UTC-5, until 14 March).
const NOW = '2027-03-01T12:00:00Z';
const TUE = '2027-03-02';
const TUE_9AM_NY = '2027-03-02T14:00:00Z';
const TUE_10AM_NY = '2027-03-02T15:00:00Z';
const TUE_11AM_NY = '2027-03-02T16:00:00Z';

const fieldsOf = (body: { errors?: Array<{ field: string }> }) => (body.errors ?? []).map((e) => e.field);

describe('duration options: the invitee picks the length (e2e, PostgreSQL or the embedded database)', () => {
  let t: TestApp;
  let host: TestHost;
  let contract: OpenApiContract;
  /** Every answer checked against the OpenAPI document (status, fields, types). */
  const checked = (res: Response) => contract.strictCheck(res);
  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
    contract = new OpenApiContract((await t.http().get('/api/openapi.json').expect(200)).body);
    host = await createHost(t, { time_zone: 'America/New_York' });
    await setWeeklyHours(t, host, 'America/New_York');
  });
  afterAll(() => t.close());

  const slots = (typeId: string, extra: Record<string, string> = {}) =>
    t
      .http()
      .get('/api/availability/slots')
      .query({ meeting_type_id: typeId, date: TUE, timezone: 'America/New_York', ...extra });
  const book = (typeId: string, start: string, n: number | string, extra: Record<string, unknown> = {}) =>
    t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: start, ...invitee(n), ...extra });

  it('a meeting type stores its options sorted, shows the default alone when it has none, and refuses bad lists', async () => {
    const type = await createMeetingType(t, host, { slug: 'options', duration_minutes: 30, duration_options: [60, 15, 30] });
    expect(type).toMatchObject({ duration_minutes: 30, duration_options: [15, 30, 60] });
    const plain = await createMeetingType(t, host, { slug: 'plain' });
    expect(plain.duration_options).toEqual([30]);
    const cleared = checked(
      await t.http().put(`/api/meeting-types/${type.id}`).set(host.auth).send({ duration_options: null }).expect(200),
    );
    expect(cleared.body.duration_options).toEqual([30]);
    await t
      .http()
      .put(`/api/meeting-types/${type.id}`)
      .set(host.auth)
      .send({ duration_options: [15, 30, 60] })
      .expect(200);

    const bad = async (body: Record<string, unknown>, field = 'duration_options') => {
      const res = await t
        .http()
        .post('/api/meeting-types')
        .set(host.auth)
        .send({ name: 'Bad', duration_minutes: 30, ...body });
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toContain(field);
    };
    await bad({ duration_options: [15, 60] }); // the default is missing
    await bad({ duration_options: [30, 30] });
    await bad({ duration_options: [30, 4] });
    await bad({ duration_options: [30, 721] });
    await bad({ duration_options: [30, 12.5] });
    await bad({ duration_options: '30' });
    await bad({ kind: 'group', seats: 5, duration_options: [30, 60] });
    // Changing the default to a length the options lack names the options.
    const res = await t.http().put(`/api/meeting-types/${type.id}`).set(host.auth).send({ duration_minutes: 45 });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['duration_options']);
  });

  it('slots take duration_minutes: ends and steps follow it, the cache keeps lengths apart, a length not offered is a 400', async () => {
    const type = await createMeetingType(t, host, { slug: 'slots-lengths', duration_options: [15, 30, 60], buffer_after_minutes: 15 });
    const byDefault = await slots(type.id).expect(200);
    expect(byDefault.body.duration_minutes).toBe(30);
    expect(byDefault.body.slots[0]).toMatchObject({ start_time: TUE_9AM_NY, end_time: '2027-03-02T14:30:00Z' });
    const hour = checked(await slots(type.id, { duration_minutes: '60' }).expect(200));
    expect(hour.body.duration_minutes).toBe(60);
    // 09:00..16:00 starts an hour apart; the last ends at 17:00 (the after-buffer may run past the hours).
    expect(hour.body.slots.map((s: { start_time: string; end_time: string }) => [s.start_time, s.end_time])).toEqual(
      [14, 15, 16, 17, 18, 19, 20, 21].map((h) => [`2027-03-02T${h}:00:00Z`, `2027-03-02T${h + 1}:00:00Z`]),
    );
    // Served again (from the cache where there is one): the same bytes for each length, never the other's.
    expect((await slots(type.id, { duration_minutes: '60' }).expect(200)).text).toBe(hour.text);
    expect((await slots(type.id).expect(200)).text).toBe(byDefault.text);
    expect((await slots(type.id, { duration_minutes: '15' }).expect(200)).body.slots).toHaveLength(32);

    for (const value of ['45', '0', 'abc', '30.5', '-30']) {
      const res = checked(await slots(type.id, { duration_minutes: value }));
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toEqual(['duration_minutes']);
    }
    const plain = await createMeetingType(t, host, { slug: 'slots-plain' });
    expect(fieldsOf((await slots(plain.id, { duration_minutes: '60' }).expect(400)).body)).toEqual(['duration_minutes']);
    await slots(plain.id, { duration_minutes: '30' }).expect(200);
  });

  it('a booking stores the length picked, blocks exactly that (plus buffers), and a length not offered is a 400', async () => {
    const type = await createMeetingType(t, host, { slug: 'book-lengths', duration_options: [30, 60], buffer_after_minutes: 15 });
    const res = checked(await book(type.id, TUE_9AM_NY, 1, { duration_minutes: 60 }).expect(201));
    expect(res.body).toMatchObject({ start_time: TUE_9AM_NY, end_time: TUE_10AM_NY, duration_minutes: 60 });
    const [row] = await t.dataSource.query(`SELECT end_time FROM bookings WHERE id = $1`, [res.body.id]);
    expect(new Date(row.end_time).toISOString()).toBe(TUE_10AM_NY.replace('Z', '.000Z'));
    const got = await t.http().get(`/api/bookings/${res.body.id}`).set(host.auth).expect(200);
    expect(got.body.duration_minutes).toBe(60);

    // 10:00 is inside the 15-minute after-buffer of the 09:00-10:00 meeting; 10:15 in 15-minute steps would be free.
    await book(type.id, TUE_10AM_NY, 2).expect(409);
    const starts = (await slots(type.id).expect(200)).body.slots.map((s: { start_time: string }) => s.start_time);
    expect(starts).not.toContain(TUE_9AM_NY);
    expect(starts).not.toContain(TUE_10AM_NY);
    expect(starts).toContain(TUE_11AM_NY);

    for (const duration of [45, 0, 'sixty', 30.5]) {
      const refused = checked(await book(type.id, TUE_11AM_NY, 3, { duration_minutes: duration }));
      expect(refused.status).toBe(400);
      expect(fieldsOf(refused.body)).toEqual(['duration_minutes']);
    }
    expect(await t.dataSource.query(`SELECT 1 FROM bookings WHERE meeting_type_id = $1`, [type.id])).toHaveLength(1);
    // The default when none is given.
    const short = await book(type.id, TUE_11AM_NY, 4).expect(201);
    expect(short.body).toMatchObject({ end_time: '2027-03-02T16:30:00Z', duration_minutes: 30 });
  });

  it('a reschedule keeps the booking length unless another is given; a hold blocks the length it names', async () => {
    const type = await createMeetingType(t, host, { slug: 'move-lengths', duration_options: [30, 60, 90] });
    const booked = await book(type.id, '2027-03-03T14:00:00Z', 1, { duration_minutes: 90 }).expect(201);
    const token = booked.body.management_token as string;
    const moved = await t
      .http()
      .put(`/api/bookings/${booked.body.id}/reschedule`)
      .query({ token })
      .send({ start_time: '2027-03-04T14:00:00Z' })
      .expect(200);
    expect(moved.body).toMatchObject({ start_time: '2027-03-04T14:00:00Z', end_time: '2027-03-04T15:30:00Z', duration_minutes: 90 });
    const shorter = await t
      .http()
      .put(`/api/bookings/${moved.body.id}/reschedule`)
      .query({ token })
      .send({ start_time: '2027-03-04T16:00:00Z', duration_minutes: 30 })
      .expect(200);
    expect(shorter.body).toMatchObject({ end_time: '2027-03-04T16:30:00Z', duration_minutes: 30 });
    const refused = await t
      .http()
      .put(`/api/bookings/${shorter.body.id}/reschedule`)
      .query({ token })
      .send({ start_time: '2027-03-04T18:00:00Z', duration_minutes: 45 });
    expect(refused.status).toBe(400);
    expect(fieldsOf(refused.body)).toEqual(['duration_minutes']);

    // A 60-minute hold at 09:00 Friday blocks 09:30 too; a 30-minute slot at 10:00 stays free.
    const hold = await t
      .http()
      .post('/api/slots/holds')
      .send({ meeting_type_id: type.id, start_time: '2027-03-05T14:00:00Z', duration_minutes: 60 })
      .expect(201);
    const friday = (await slots(type.id, { date: '2027-03-05' }).expect(200)).body.slots.map((s: { start_time: string }) => s.start_time);
    expect(friday).not.toContain('2027-03-05T14:30:00Z');
    expect(friday).toContain('2027-03-05T15:00:00Z');
    const withHold = await book(type.id, '2027-03-05T14:00:00Z', 9, { duration_minutes: 60, hold_token: hold.body.hold_token }).expect(201);
    expect(withHold.body.end_time).toBe('2027-03-05T15:00:00Z');
    const badHold = await t
      .http()
      .post('/api/slots/holds')
      .send({ meeting_type_id: type.id, start_time: '2027-03-05T16:00:00Z', duration_minutes: 45 });
    expect(badHold.status).toBe(400);
    expect(fieldsOf(badHold.body)).toEqual(['duration_minutes']);
  });
});
