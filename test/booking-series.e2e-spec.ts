import { BookingArchive } from '../src/modules/booking/application/booking-archive.service.js';
import type { Response } from 'supertest';
import { createHost, type TestHost } from './support/factories.js';
import { OpenApiContract } from './support/openapi-contract.js';
import { createMeetingType, createTeam, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC. The host works 09:00-17:00 in New York; the US clocks spring forward on 14 March,
// so 09:00 New York is 14:00 UTC before and 13:00 UTC after.
const NOW = '2027-03-01T12:00:00Z';
const WEEKLY_9AM_NY = ['2027-03-02T14:00:00Z', '2027-03-09T14:00:00Z', '2027-03-16T13:00:00Z', '2027-03-23T13:00:00Z'];

const fieldsOf = (body: { errors?: Array<{ field: string }> }) => (body.errors ?? []).map((e) => e.field);
const ms = (iso: string) => iso.replace('Z', '.000Z');
const startsOf = (occurrences: Array<{ start_time: string }>) => occurrences.map((o) => o.start_time);

interface Occurrence {
  id: string;
  start_time: string;
  end_time: string;
  status: string;
  management_token: string;
}

describe('recurring series: all or none (e2e, PostgreSQL or the embedded database)', () => {
  let t: TestApp;
  let contract: OpenApiContract;
  /** Every answer checked against the OpenAPI document (status, fields, types). */
  const checked = (res: Response) => contract.strictCheck(res);
  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
    contract = new OpenApiContract((await t.http().get('/api/openapi.json').expect(200)).body);
  });
  afterAll(() => t.close());

  async function recurringType(body: Record<string, unknown> = {}): Promise<{ host: TestHost; typeId: string }> {
    const host = await createHost(t, { time_zone: 'America/New_York' });
    await setWeeklyHours(t, host, 'America/New_York');
    const type = await createMeetingType(t, host, { recurrence: { frequency: 'weekly', max_occurrences: 8 }, ...body });
    return { host, typeId: type.id };
  }
  const book = (typeId: string, start: string, n: number | string, extra: Record<string, unknown> = {}) =>
    t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: start, ...invitee(n, { time_zone: 'America/New_York' }), ...extra });
  const bookingsOf = (typeId: string) =>
    t.dataSource.query<Array<{ id: string; status: string }>>(`SELECT id, status FROM bookings WHERE meeting_type_id = $1`, [typeId]);
  const seriesRowsOf = (typeId: string) => t.dataSource.query(`SELECT id FROM booking_series WHERE meeting_type_id = $1`, [typeId]);
  const outboxOf = (typeId: string) =>
    t.dataSource.query(`SELECT event_type FROM outbox_events WHERE payload->>'meeting_type_id' = $1`, [typeId]);

  it('books 4 weekly occurrences at the same local time across the DST change, in one answer', async () => {
    const { host, typeId } = await recurringType();
    const res = checked(await book(typeId, WEEKLY_9AM_NY[0], 1, { occurrences: 4 }).expect(201));
    expect(res.body).toMatchObject({
      start_time: WEEKLY_9AM_NY[0],
      end_time: '2027-03-02T14:30:00Z',
      status: 'confirmed',
      recurring_booking_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      management_token: expect.stringMatching(/^mgt_/),
    });
    const occurrences = res.body.occurrences as Occurrence[];
    expect(startsOf(occurrences)).toEqual(WEEKLY_9AM_NY);
    expect(occurrences[0].id).toBe(res.body.id);
    expect(occurrences.every((o) => o.status === 'confirmed' && o.management_token.startsWith('mgt_'))).toBe(true);
    expect(new Set(occurrences.map((o) => o.management_token)).size).toBe(4);
    // Every occurrence is a booking in its own month partition, each with its host row and its event.
    expect(await bookingsOf(typeId)).toHaveLength(4);
    expect(await outboxOf(typeId)).toEqual(Array.from({ length: 4 }, () => ({ event_type: 'booking.created' })));
    const live = await t.dataSource.query(`SELECT 1 FROM booking_hosts WHERE user_id = $1 AND is_live`, [host.id]);
    expect(live).toHaveLength(4);
    // The series, for the host and for the invitee; each occurrence names it.
    const series = checked(await t.http().get(`/api/bookings/${occurrences[2].id}/series`).set(host.auth).expect(200));
    expect(series.body).toMatchObject({
      recurring_booking_id: res.body.recurring_booking_id,
      frequency: 'weekly',
      time_zone: 'America/New_York',
    });
    expect(startsOf(series.body.occurrences)).toEqual(WEEKLY_9AM_NY);
    await t.http().get(`/api/bookings/${occurrences[1].id}/series`).query({ token: occurrences[1].management_token }).expect(200);
    const got = checked(await t.http().get(`/api/bookings/${occurrences[3].id}`).set(host.auth).expect(200));
    expect(got.body.recurring_booking_id).toBe(res.body.recurring_booking_id);
    // The slots of those dates are gone.
    const slots = await t
      .http()
      .get('/api/availability/slots')
      .query({ meeting_type_id: typeId, date: '2027-03-16', timezone: 'America/New_York' })
      .expect(200);
    expect(slots.body.slots.map((s: { start_time: string }) => s.start_time)).not.toContain(WEEKLY_9AM_NY[2]);
  });

  it('all or none: the 3rd occurrence taken answers 409 naming it, and nothing of the series is written', async () => {
    const { typeId } = await recurringType();
    const single = await book(typeId, WEEKLY_9AM_NY[2], 'first').expect(201);
    const refused = checked(await book(typeId, WEEKLY_9AM_NY[0], 2, { occurrences: 4 }));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ start_time: '2027-03-16T13:00:00.000Z', occurrence: 3 });
    expect(refused.body.message).toContain('2027-03-16T13:00:00.000Z');
    expect(await bookingsOf(typeId)).toEqual([{ id: single.body.id, status: 'confirmed' }]);
    expect(await seriesRowsOf(typeId)).toHaveLength(0);
    expect(await outboxOf(typeId)).toHaveLength(1);
    // Three occurrences from the 4th week on are free: booked.
    await book(typeId, WEEKLY_9AM_NY[3], 3, { occurrences: 3 }).expect(201);
  });

  it("caps count the series' own earlier dates, and a series cannot pass the invitee's cap; approval types are not recurring", async () => {
    // Two bookings a month: the 3rd weekly date is refused (409 naming it and the cap), nothing written.
    const monthly = await recurringType({ max_bookings_per_month: 2 });
    const capped = checked(await book(monthly.typeId, WEEKLY_9AM_NY[0], 'cap', { occurrences: 4 }));
    expect(capped.status).toBe(409);
    expect(capped.body).toMatchObject({ occurrence: 3, start_time: '2027-03-16T13:00:00.000Z' });
    expect(await bookingsOf(monthly.typeId)).toEqual([]);
    await book(monthly.typeId, WEEKLY_9AM_NY[0], 'cap', { occurrences: 2 }).expect(201);

    const perInvitee = await recurringType({ max_active_bookings_per_invitee: 3 });
    const tooMany = checked(await book(perInvitee.typeId, WEEKLY_9AM_NY[0], 'inv', { occurrences: 4 }));
    expect(tooMany.status).toBe(409);
    expect(tooMany.body).toMatchObject({ cap: 'max_active_bookings_per_invitee', limit: 3 });
    expect(await bookingsOf(perInvitee.typeId)).toEqual([]);
    await book(perInvitee.typeId, WEEKLY_9AM_NY[0], 'inv', { occurrences: 3 }).expect(201);

    const host = await createHost(t, { time_zone: 'America/New_York' });
    const both = await t
      .http()
      .post('/api/meeting-types')
      .set(host.auth)
      .send({
        name: 'Approved series',
        duration_minutes: 30,
        recurrence: { frequency: 'weekly', max_occurrences: 4 },
        requires_confirmation: true,
      });
    expect(both.status).toBe(400);
    expect(fieldsOf(both.body)).toEqual(['recurrence']);
  });

  it('concurrent series racing for shared occurrences: one wins whole, the others get 409 and wrote nothing', async () => {
    const { host, typeId } = await recurringType();
    const firsts = [WEEKLY_9AM_NY[0], WEEKLY_9AM_NY[0], WEEKLY_9AM_NY[0], WEEKLY_9AM_NY[1], WEEKLY_9AM_NY[1], WEEKLY_9AM_NY[1]];
    const results = await Promise.all(firsts.map((start, i) => book(typeId, start, `race${i}`, { occurrences: 4 })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(5);
    const winner = results.find((r) => r.status === 201)!;
    const rows = await bookingsOf(typeId);
    expect(rows.map((r) => r.id).sort()).toEqual((winner.body.occurrences as Occurrence[]).map((o) => o.id).sort());
    expect(await seriesRowsOf(typeId)).toHaveLength(1);
    expect(await outboxOf(typeId)).toHaveLength(4);
    const live = await t.dataSource.query(`SELECT 1 FROM booking_hosts WHERE user_id = $1 AND is_live`, [host.id]);
    expect(live).toHaveLength(4);
    const invitees = await t.dataSource.query(`SELECT DISTINCT email FROM booking_invitees WHERE booking_id = ANY($1::uuid[])`, [
      rows.map((r) => r.id),
    ]);
    expect(invitees).toHaveLength(1);
  });

  it('cancel one occurrence, move one, then cancel the rest of the series', async () => {
    const { host, typeId } = await recurringType();
    const res = await book(typeId, WEEKLY_9AM_NY[0], 1, { occurrences: 4 }).expect(201);
    const occurrences = res.body.occurrences as Occurrence[];
    const seriesId = res.body.recurring_booking_id as string;

    // One: the ordinary cancel with that occurrence's token.
    await t.http().delete(`/api/bookings/${occurrences[1].id}`).query({ token: occurrences[1].management_token }).expect(200);
    // One moved (the 3rd, to 11:00 New York the same day): it stays in the series, in its place.
    const moved = await t
      .http()
      .put(`/api/bookings/${occurrences[2].id}/reschedule`)
      .query({ token: occurrences[2].management_token })
      .send({ start_time: '2027-03-16T15:00:00Z' })
      .expect(200);
    expect((await t.http().get(`/api/bookings/${moved.body.id}`).set(host.auth).expect(200)).body.recurring_booking_id).toBe(seriesId);
    const series = await t.http().get(`/api/bookings/${occurrences[0].id}/series`).set(host.auth).expect(200);
    expect(series.body.occurrences.map((o: Occurrence) => [o.start_time, o.status])).toEqual([
      [WEEKLY_9AM_NY[0], 'confirmed'],
      [WEEKLY_9AM_NY[1], 'cancelled'],
      ['2027-03-16T15:00:00Z', 'confirmed'],
      [WEEKLY_9AM_NY[3], 'confirmed'],
    ]);

    // The first occurrence's token (the link in the one confirmation mail) manages the other dates too; a token of
    // another series or booking does not.
    const other = await book(typeId, '2027-03-05T14:00:00Z', 'other').expect(201);
    await t.http().get(`/api/bookings/${occurrences[3].id}`).query({ token: other.body.management_token }).expect(404);
    const fourth = await t.http().get(`/api/bookings/${occurrences[3].id}`).query({ token: res.body.management_token }).expect(200);
    expect(fourth.body.invitees).toHaveLength(1);
    expect(fourth.body.start_time).toBe(WEEKLY_9AM_NY[3]);

    // All the rest, by the invitee with the first occurrence's token.
    const cancelled = checked(
      await t
        .http()
        .delete(`/api/bookings/${occurrences[0].id}/series`)
        .query({ token: res.body.management_token })
        .send({ reason: 'Project ended' })
        .expect(200),
    );
    expect(cancelled.body.occurrences.map((o: Occurrence) => o.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    const live = await t.dataSource.query(`SELECT booking_id FROM booking_hosts WHERE user_id = $1 AND is_live`, [host.id]);
    expect(live).toEqual([{ booking_id: other.body.id }]); // only the booking outside the series
    const events = await t.dataSource.query<Array<{ event_type: string; lead: string | null }>>(
      `SELECT event_type, payload->'series'->>'lead' AS lead FROM outbox_events
        WHERE payload->>'meeting_type_id' = $1 AND event_type = 'booking.cancelled' ORDER BY id`,
      [typeId],
    );
    // The single cancel (no series flag), then the series cancel: 3 events, the first carrying the one mail.
    expect(events.map((e) => e.lead)).toEqual([null, 'true', 'false', 'false']);
    // Again: nothing left to cancel, still 200 with the same picture.
    await t.http().delete(`/api/bookings/${occurrences[0].id}/series`).set(host.auth).expect(200);
  });

  it('a collective series books every host at every occurrence; one host busy on one date refuses the series by name', async () => {
    const { host } = await recurringType();
    const member = await createHost(t, { time_zone: 'America/New_York' });
    await setWeeklyHours(t, member, 'America/New_York');
    const team = await createTeam(t, host, [member]);
    const collective = await createMeetingType(t, host, {
      slug: 'collective-series',
      kind: 'collective',
      team_id: team.id,
      host_ids: [host.id, member.id],
      recurrence: { frequency: 'every_two_weeks', max_occurrences: 4 },
    });
    // The member's own meeting on 16 March at 09:00 New York.
    const own = await createMeetingType(t, member, { slug: 'own' });
    await book(own.id, WEEKLY_9AM_NY[2], 'busy').expect(201);
    const refused = await book(collective.id, WEEKLY_9AM_NY[0], 'c1', { occurrences: 2 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ start_time: ms(WEEKLY_9AM_NY[2]), occurrence: 2 });
    expect(await bookingsOf(collective.id)).toHaveLength(0);
    const res = await book(collective.id, WEEKLY_9AM_NY[1], 'c2', { occurrences: 2 }).expect(201);
    expect(startsOf(res.body.occurrences)).toEqual([WEEKLY_9AM_NY[1], WEEKLY_9AM_NY[3]]);
    expect([...res.body.host_user_ids].sort()).toEqual([host.id, member.id].sort());
    const rows = await t.dataSource.query(`SELECT booking_id FROM booking_hosts WHERE booking_id = ANY($1::uuid[]) AND is_live`, [
      (res.body.occurrences as Occurrence[]).map((o) => o.id),
    ]);
    expect(rows).toHaveLength(4);
  });

  it('a monthly series spans month partitions (and the DEFAULT one past those made ahead); it reads and cancels whole', async () => {
    const { host, typeId } = await recurringType({ recurrence: { frequency: 'monthly', max_occurrences: 24 } });
    // A date of the month falls on every weekday in turn: this host works all week.
    const everyDay = [0, 1, 2, 3, 4, 5, 6].map((d) => ({ day_of_week: d, start_time: '09:00', end_time: '17:00' }));
    await setWeeklyHours(t, host, 'America/New_York', everyDay);
    const res = await book(typeId, WEEKLY_9AM_NY[0], 'monthly', { occurrences: 18 }).expect(201);
    const ids = (res.body.occurrences as Occurrence[]).map((o) => o.id);
    const parts = await t.dataSource.query<Array<{ part: string }>>(
      `SELECT DISTINCT tableoid::regclass::text AS part FROM bookings WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(parts.length).toBeGreaterThan(1);
    // The partitions job moves rows out of DEFAULT; the series is found the same way after.
    await t.app.get(BookingArchive).ensurePartitions();
    const series = await t.http().get(`/api/bookings/${ids[17]}/series`).set(host.auth).expect(200);
    expect((series.body.occurrences as Occurrence[]).map((o) => o.id)).toEqual(ids);
    expect((series.body.occurrences as Occurrence[])[17].start_time).toBe('2028-08-02T13:00:00Z'); // 09:00 EDT
    const cancelled = await t.http().delete(`/api/bookings/${ids[0]}/series`).set(host.auth).expect(200);
    expect(new Set((cancelled.body.occurrences as Occurrence[]).map((o) => o.status))).toEqual(new Set(['cancelled']));
  });

  it('an Idempotency-Key replays the whole series; the same key with another body is a 422', async () => {
    const { typeId } = await recurringType();
    const send = (occurrences: number) =>
      book(typeId, WEEKLY_9AM_NY[0], 'idem', { occurrences }).set('Idempotency-Key', `series-${typeId}`);
    const [a, b] = await Promise.all([send(3), send(3)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.recurring_booking_id).toBe(a.body.recurring_booking_id);
    expect((b.body.occurrences as Occurrence[]).map((o) => o.id)).toEqual((a.body.occurrences as Occurrence[]).map((o) => o.id));
    expect([a.headers['idempotent-replayed'], b.headers['idempotent-replayed']].filter(Boolean)).toEqual(['true']);
    expect(await bookingsOf(typeId)).toHaveLength(3);
    expect(await seriesRowsOf(typeId)).toHaveLength(1);
    await send(2).expect(422);
  });

  it('refuses occurrences a type does not allow, and recurrence on kinds that cannot repeat (400 naming the field)', async () => {
    const { host, typeId } = await recurringType({ recurrence: { frequency: 'every_two_weeks', max_occurrences: 3 } });
    for (const occurrences of [4, 0, 53, 2.5, 'two']) {
      const res = checked(await book(typeId, WEEKLY_9AM_NY[0], 1, { occurrences }));
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toEqual(['occurrences']);
    }
    const plain = await createMeetingType(t, host, { slug: 'plain' });
    const notRecurring = await book(plain.id, WEEKLY_9AM_NY[0], 1, { occurrences: 2 });
    expect(notRecurring.status).toBe(400);
    expect(fieldsOf(notRecurring.body)).toEqual(['occurrences']);
    await book(plain.id, WEEKLY_9AM_NY[0], 1, { occurrences: 1 }).expect(201);
    // Every two weeks: 2 and 16 March.
    const biweekly = await book(typeId, WEEKLY_9AM_NY[1], 2, { occurrences: 2 }).expect(201);
    expect(startsOf(biweekly.body.occurrences)).toEqual([WEEKLY_9AM_NY[1], WEEKLY_9AM_NY[3]]);
    // Not a series: reads as its only occurrence; cancelling "the series" is a 400.
    const single = await book(typeId, '2027-03-04T14:00:00Z', 3).expect(201);
    const alone = checked(await t.http().get(`/api/bookings/${single.body.id}/series`).set(host.auth).expect(200));
    expect(alone.body).toMatchObject({ recurring_booking_id: null, frequency: null, occurrences: [{ id: single.body.id }] });
    checked(await t.http().delete(`/api/bookings/${single.body.id}/series`).set(host.auth).expect(400));
    expect((await t.http().get(`/api/bookings/${single.body.id}`).set(host.auth).expect(200)).body.status).toBe('confirmed');

    const member = await createHost(t);
    const team = await createTeam(t, host, [member]);
    for (const kind of ['round_robin', 'group']) {
      const res = await t
        .http()
        .post('/api/meeting-types')
        .set(host.auth)
        .send({
          name: kind,
          duration_minutes: 30,
          kind,
          ...(kind === 'group' ? { seats: 3 } : { team_id: team.id, host_ids: [host.id, member.id] }),
          recurrence: { frequency: 'weekly', max_occurrences: 4 },
        });
      expect(res.status).toBe(400);
      expect(fieldsOf(res.body)).toEqual(['recurrence']);
    }
    const bad = await t
      .http()
      .post('/api/meeting-types')
      .set(host.auth)
      .send({ name: 'x', duration_minutes: 30, recurrence: { frequency: 'daily', max_occurrences: 1 } });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body).sort()).toEqual(['recurrence.frequency', 'recurrence.max_occurrences']);
  });
});
