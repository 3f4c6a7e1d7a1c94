import { jest } from '@jest/globals';
import { BookingRepository } from '../src/modules/booking/infrastructure/booking.repository.js';
import { createHost, type TestHost } from './support/factories.js';
import { createMeetingType, createTeam, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC. Hosts work 09:00-17:00 in New York (EST, UTC-5, until 14 March).
const NOW = '2027-03-01T12:00:00Z';
const TUE_9AM_NY = '2027-03-02T14:00:00Z';
const TUE_930_NY = '2027-03-02T14:30:00Z';
const TUE_10AM_NY = '2027-03-02T15:00:00Z';

describe('bookings (e2e, PostgreSQL or the embedded database)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
  });
  afterAll(() => t.close());

  async function hostWithType(body: Record<string, unknown> = {}): Promise<{ host: TestHost; typeId: string }> {
    const host = await createHost(t, { time_zone: 'America/New_York' });
    await setWeeklyHours(t, host, 'America/New_York');
    const type = await createMeetingType(t, host, body);
    return { host, typeId: type.id };
  }

  const book = (typeId: string, start: string, n: number | string, extra: Record<string, unknown> = {}) =>
    t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: start, ...invitee(n), ...extra });

  async function liveRows(hostId: string) {
    return t.dataSource.query(`SELECT * FROM booking_hosts WHERE user_id = $1 AND is_live`, [hostId]);
  }

  it('books a free slot and returns management links', async () => {
    const { host, typeId } = await hostWithType();
    const res = await book(typeId, TUE_9AM_NY, 1).expect(201);
    expect(res.body).toMatchObject({
      status: 'confirmed',
      start_time: TUE_9AM_NY,
      end_time: TUE_930_NY,
      host_user_id: host.id,
      management_token: expect.stringMatching(/^mgt_/),
      cancel_url: expect.stringContaining(`/booking/${res.body.id}/cancel?token=`),
      reschedule_url: expect.stringContaining(`/booking/${res.body.id}/reschedule?token=`),
    });
    // The token is stored only as a hash.
    const rows = await t.dataSource.query(`SELECT * FROM booking_invitees WHERE booking_id = $1`, [res.body.id]);
    expect(JSON.stringify(rows)).not.toContain(res.body.management_token);
    // An outbox event was written in the same transaction.
    const events = await t.dataSource.query(`SELECT event_type FROM outbox_events WHERE booking_id = $1`, [res.body.id]);
    expect(events).toEqual([{ event_type: 'booking.created' }]);
    // The invitee can download the invitation.
    const ics = await t.http().get(`/api/bookings/${res.body.id}/ics`).query({ token: res.body.management_token }).expect(200);
    expect(ics.headers['content-type']).toMatch(/text\/calendar/);
    expect(ics.text).toMatch(/METHOD:REQUEST/);
    await t.http().get(`/api/bookings/${res.body.id}/ics`).query({ token: 'mgt_nope' }).expect(404);
    // The slot is gone from the slots endpoint at once (cache version bumped).
    const slots = await t
      .http()
      .get('/api/availability/slots')
      .query({ meeting_type_id: typeId, date: '2027-03-02', timezone: 'America/New_York' })
      .expect(200);
    expect(slots.body.slots.map((s: { start_time: string }) => s.start_time)).not.toContain(TUE_9AM_NY);
  });

  it('100 concurrent requests for one slot: exactly one 201, the rest 409, one row stored', async () => {
    const { host, typeId } = await hostWithType();
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => book(typeId, TUE_9AM_NY, `race${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body).toMatchObject({ status_code: 409, error: 'Conflict' });
    expect(await liveRows(host.id)).toHaveLength(1);
  });

  it('a 60-minute and a 30-minute type overlapping at different starts: only one lands', async () => {
    const host = await createHost(t, { time_zone: 'America/New_York' });
    await setWeeklyHours(t, host, 'America/New_York');
    const long = await createMeetingType(t, host, { name: 'Long', slug: 'long', duration_minutes: 60 });
    const short = await createMeetingType(t, host, { name: 'Short', slug: 'short', duration_minutes: 30 });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? book(long.id, TUE_9AM_NY, `l${i}`) : book(short.id, TUE_930_NY, `s${i}`))),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(39);
    expect(await liveRows(host.id)).toHaveLength(1);
  });

  it('two app instances on one database: exactly one winner', async () => {
    const second = await startTestApp({ now: NOW, database: t.database!, env: { REDIS_PREFIX: t.redisPrefix } });
    try {
      const { host, typeId } = await hostWithType();
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          (i % 2 ? second : t)
            .http()
            .post('/api/bookings')
            .send({ meeting_type_id: typeId, start_time: TUE_10AM_NY, ...invitee(`two${i}`) }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(59); // both instances saw the host: one database
      expect(await liveRows(host.id)).toHaveLength(1);
    } finally {
      await second.close({ keepDatabase: true });
    }
  });

  it('group: seats fill exactly under concurrency', async () => {
    const { typeId } = await hostWithType({ kind: 'group', seats: 5 });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => book(typeId, TUE_9AM_NY, `g${i}`)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409)).toHaveLength(25);
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1); // everyone joined the one booking
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM booking_invitees WHERE booking_id = $1`, [[...ids][0]]);
    expect(n).toBe(5);
    const slots = await t
      .http()
      .get('/api/availability/slots')
      .query({ meeting_type_id: typeId, date: '2027-03-02', timezone: 'America/New_York' })
      .expect(200);
    expect(slots.body.slots[0]).toMatchObject({ start_time: TUE_930_NY, seats_remaining: 5 });
  });

  it("group: each seat holder's .ics, JSON and pages show only themself and the host, never the other seat holders", async () => {
    const { host, typeId } = await hostWithType({ kind: 'group', seats: 3 });
    const first = await book(typeId, TUE_9AM_NY, 'seat-a').expect(201);
    const second = await book(typeId, TUE_9AM_NY, 'seat-b').expect(201);
    expect(second.body.id).toBe(first.body.id);
    const seats = [
      { token: first.body.management_token as string, own: 'inviteeseat-a@example.com', other: 'inviteeseat-b@example.com' },
      { token: second.body.management_token as string, own: 'inviteeseat-b@example.com', other: 'inviteeseat-a@example.com' },
    ];
    for (const { token, own, other } of seats) {
      for (const path of [`/api/bookings/${first.body.id}/ics`, `/booking/${first.body.id}/ics`]) {
        const ics = await t.http().get(path).query({ token }).expect(200);
        expect(attendeeEmails(ics.text)).toEqual([own]);
        expect(organizerEmail(ics.text)).toBe(host.email);
        const unfolded = icsLines(ics.text).join('\n');
        expect(unfolded).not.toContain(other);
        expect(unfolded).not.toContain(`Invitee ${other.slice(7, 13)}`); // nor the other one's name
      }
      const json = await t.http().get(`/api/bookings/${first.body.id}`).query({ token }).expect(200);
      expect(json.body.invitees.map((i: { email: string }) => i.email)).toEqual([own]);
      expect(json.body.invitee_email).toBe(own);
      expect(JSON.stringify(json.body)).not.toContain(other);
      const page = await t.http().get(`/booking/${first.body.id}`).query({ token }).expect(200);
      expect(page.text).toContain(own);
      expect(page.text).not.toContain(other);
    }
    // The host still sees every seat holder.
    const hostIcs = await t.http().get(`/api/bookings/${first.body.id}/ics`).set(host.auth).expect(200);
    expect(attendeeEmails(hostIcs.text).sort()).toEqual(['inviteeseat-a@example.com', 'inviteeseat-b@example.com']);
  });

  it('round robin: K hosts, 3K concurrent bookers of one slot → K bookings on K distinct hosts', async () => {
    const K = 4;
    const admin = await createHost(t, { time_zone: 'America/New_York' });
    const members = await Promise.all(Array.from({ length: K - 1 }, () => createHost(t, { time_zone: 'America/New_York' })));
    const hosts = [admin, ...members];
    for (const h of hosts) await setWeeklyHours(t, h, 'America/New_York');
    const team = await createTeam(t, admin, members);
    const type = await createMeetingType(t, admin, { kind: 'round_robin', team_id: team.id, host_ids: hosts.map((h) => h.id) });
    const results = await Promise.all(Array.from({ length: 3 * K }, (_, i) => book(type.id, TUE_9AM_NY, `rr${i}`)));
    const won = results.filter((r) => r.status === 201);
    expect(won).toHaveLength(K);
    expect(results.filter((r) => r.status === 409)).toHaveLength(2 * K);
    expect(new Set(won.map((r) => r.body.host_user_id)).size).toBe(K);
    const detail = await t.http().get(`/api/bookings/${won[0].body.id}`).set(admin.auth);
    // The admin owns the type, so may read the reason for the choice.
    expect(detail.status).toBe(200);
    expect(detail.body.assignment_reason).toMatchObject({ rule: expect.any(String), candidates: expect.any(Number) });
  });

  it('collective: one busy host blocks the slot; a booking blocks every host', async () => {
    const admin = await createHost(t, { time_zone: 'America/New_York' });
    const other = await createHost(t, { time_zone: 'America/New_York' });
    await setWeeklyHours(t, admin, 'America/New_York');
    await setWeeklyHours(t, other, 'America/New_York');
    const team = await createTeam(t, admin, [other]);
    const collective = await createMeetingType(t, admin, {
      kind: 'collective',
      team_id: team.id,
      host_ids: [admin.id, other.id],
      slug: 'panel',
    });
    const solo = await createMeetingType(t, other, { slug: 'solo' });
    await book(solo.id, TUE_9AM_NY, 'solo').expect(201); // `other` is now busy at 09:00
    await book(collective.id, TUE_9AM_NY, 'c1').expect(409);
    const ok = await book(collective.id, TUE_10AM_NY, 'c2').expect(201);
    expect(ok.body.host_user_ids.sort()).toEqual([admin.id, other.id].sort());
    expect(await liveRows(admin.id)).toHaveLength(1);
  });

  it('daily limit holds under concurrency', async () => {
    const { typeId } = await hostWithType({ max_bookings_per_day: 2 });
    const starts = ['14:00', '15:00', '16:00', '17:00', '18:00', '19:00'].map((h) => `2027-03-03T${h}:00Z`);
    const results = await Promise.all(starts.flatMap((s, i) => [book(typeId, s, `d${i}a`), book(typeId, s, `d${i}b`)]));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
  });

  it('reschedule moves the booking and frees the old time; cancel frees the time', async () => {
    const { host, typeId } = await hostWithType();
    const created = await book(typeId, TUE_9AM_NY, 'mover').expect(201);
    const token = created.body.management_token as string;
    const moved = await t
      .http()
      .put(`/api/bookings/${created.body.id}/reschedule`)
      .query({ token })
      .send({ start_time: TUE_10AM_NY })
      .expect(200);
    expect(moved.body).toMatchObject({ status: 'confirmed', start_time: TUE_10AM_NY, rescheduled_from_id: created.body.id });
    const old = await t.http().get(`/api/bookings/${created.body.id}`).set(host.auth).expect(200);
    expect(old.body).toMatchObject({ status: 'rescheduled', rescheduled_to_id: moved.body.id });
    // The old time is bookable again at once.
    await book(typeId, TUE_9AM_NY, 'next').expect(201);
    // The same token manages the new booking.
    const cancelled = await t
      .http()
      .delete(`/api/bookings/${moved.body.id}`)
      .query({ token })
      .send({ reason: 'Conflict came up' })
      .expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancellation_reason: 'Conflict came up' });
    await book(typeId, TUE_10AM_NY, 'after-cancel').expect(201);
    const events = await t.dataSource.query(`SELECT event_type, payload FROM outbox_events WHERE booking_id = ANY($1) ORDER BY id`, [
      [created.body.id, moved.body.id],
    ]);
    expect(events.map((e: { event_type: string }) => e.event_type)).toEqual([
      'booking.created',
      'booking.rescheduled',
      'booking.cancelled',
    ]);
    expect(events[1].payload.previous).toMatchObject({ booking_id: created.body.id, start_time: '2027-03-02T14:00:00.000Z' });
    // Moving into a taken time is a 409 and changes nothing.
    const again = await book(typeId, '2027-03-02T16:00:00Z', 'z').expect(201);
    await t.http().put(`/api/bookings/${again.body.id}/reschedule`).set(host.auth).send({ start_time: TUE_9AM_NY }).expect(409);
    const still = await t.http().get(`/api/bookings/${again.body.id}`).set(host.auth).expect(200);
    expect(still.body).toMatchObject({ status: 'confirmed', start_time: '2027-03-02T16:00:00Z' });
  });

  it('an Idempotency-Key retry returns the first booking; a different body with it is refused', async () => {
    const { host, typeId } = await hostWithType();
    const body = { meeting_type_id: typeId, start_time: TUE_9AM_NY, ...invitee('idem') };
    const [a, b] = await Promise.all([
      t.http().post('/api/bookings').set('Idempotency-Key', 'k-123').send(body),
      t.http().post('/api/bookings').set('Idempotency-Key', 'k-123').send(body),
    ]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(await liveRows(host.id)).toHaveLength(1);
    const c = await t.http().post('/api/bookings').set('Idempotency-Key', 'k-123').send(body).expect(201);
    expect(c.headers['idempotent-replayed']).toBe('true');
    await t
      .http()
      .post('/api/bookings')
      .set('Idempotency-Key', 'k-123')
      .send({ ...body, invitee_name: 'Someone else' })
      .expect(422);
  });

  it('strangers get 404 or 401 on every booking endpoint', async () => {
    const { typeId } = await hostWithType();
    const stranger = await createHost(t);
    const created = await book(typeId, TUE_9AM_NY, 'private').expect(201);
    const id = created.body.id;
    for (const req of [
      () => t.http().get(`/api/bookings/${id}`),
      () => t.http().put(`/api/bookings/${id}/reschedule`).send({ start_time: TUE_10AM_NY }),
      () => t.http().delete(`/api/bookings/${id}`).send({}),
    ]) {
      await req().expect(401);
      await req().query({ token: 'mgt_wrong' }).expect(404);
      await req().set(stranger.auth).expect(404);
    }
    await t.http().get(`/api/users/${created.body.host_user_id}/bookings`).set(stranger.auth).expect(404);
    await t.http().get(`/api/users/${created.body.host_user_id}/bookings`).expect(401);
  });

  it('malformed requests get 4xx and store nothing', async () => {
    const { host, typeId } = await hostWithType({ questions: [{ id: 'topic', label: 'Topic', type: 'text', required: true }] });
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ meeting_type_id: typeId, start_time: 'tomorrow', ...invitee(1) }, 400, /start_time must be an ISO 8601 instant/],
      [{ meeting_type_id: 'x', start_time: TUE_9AM_NY, ...invitee(1) }, 400, /meeting_type_id must be a UUID/],
      [{ meeting_type_id: typeId, start_time: TUE_9AM_NY, ...invitee(1), time_zone: 'Nowhere/City' }, 400, /time_zone/],
      [{ meeting_type_id: typeId, start_time: TUE_9AM_NY, ...invitee(1), invitee_email: 'nope' }, 400, /invitee_email/],
      [{ meeting_type_id: typeId, start_time: TUE_9AM_NY, ...invitee(1), answers: {} }, 400, /"Topic" is required/],
      [
        { meeting_type_id: typeId, start_time: TUE_9AM_NY, ...invitee(1), answers: { topic: 'x' }, extra: 1 },
        400,
        /extra should not exist/,
      ],
      [{ meeting_type_id: '00000000-0000-4000-8000-000000000000', start_time: TUE_9AM_NY, ...invitee(1) }, 404, /meeting type not found/],
      [{ meeting_type_id: typeId, start_time: '2027-03-02T14:10:00Z', ...invitee(1), answers: { topic: 'x' } }, 409, /not available/],
      [{ meeting_type_id: typeId, start_time: '2027-03-01T12:30:00Z', ...invitee(1), answers: { topic: 'x' } }, 409, /not available/],
    ];
    for (const [body, status, message] of cases) {
      const res = await t.http().post('/api/bookings').send(body);
      expect({ status: res.status, message: res.body.message }).toEqual({ status, message: expect.stringMatching(message) });
    }
    expect(await liveRows(host.id)).toHaveLength(0);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM bookings WHERE meeting_type_id = $1`, [typeId]);
    expect(n).toBe(0);
  });

  it('holds reserve a slot until they expire and convert into the booking', async () => {
    const { typeId } = await hostWithType();
    const hold = await t.http().post('/api/slots/holds').send({ meeting_type_id: typeId, start_time: TUE_9AM_NY }).expect(201);
    await book(typeId, TUE_9AM_NY, 'other').expect(409);
    await book(typeId, TUE_9AM_NY, 'holder', { hold_token: hold.body.hold_token }).expect(201);
    // Another hold expires by itself.
    const hold2 = await t.http().post('/api/slots/holds').send({ meeting_type_id: typeId, start_time: TUE_10AM_NY }).expect(201);
    await book(typeId, TUE_10AM_NY, 'x').expect(409);
    t.clock!.advance(11 * 60_000);
    try {
      await book(typeId, TUE_10AM_NY, 'x').expect(201);
      const late = await book(typeId, TUE_10AM_NY, 'late', { hold_token: hold2.body.hold_token }).expect(410);
      expect(late.body).toMatchObject({ status_code: 410, message: expect.stringMatching(/hold has expired/) });
    } finally {
      t.clock!.advance(-11 * 60_000);
    }
  });

  it("lists a host's bookings newest first with filters and pagination", async () => {
    const { host, typeId } = await hostWithType();
    await book(typeId, TUE_9AM_NY, 'l1').expect(201);
    const second = await book(typeId, TUE_10AM_NY, 'l2').expect(201);
    await t.http().delete(`/api/bookings/${second.body.id}`).set(host.auth).send({}).expect(200);
    const all = await t.http().get(`/api/users/${host.id}/bookings`).set(host.auth).expect(200);
    expect(all.body.total).toBe(2);
    expect(all.body.data.map((b: { start_time: string }) => b.start_time)).toEqual([TUE_10AM_NY, TUE_9AM_NY]);
    const confirmed = await t.http().get(`/api/users/${host.id}/bookings`).query({ status: 'confirmed' }).set(host.auth).expect(200);
    expect(confirmed.body.data).toHaveLength(1);
    const paged = await t.http().get('/api/bookings').query({ limit: 1, offset: 1 }).set(host.auth).expect(200);
    expect(paged.body.data[0].start_time).toBe(TUE_9AM_NY);
    await t.http().get('/api/bookings').query({ status: 'weird' }).set(host.auth).expect(400);
  });

  it('a page of bookings reads its hosts and invitees in one query each, whatever its length', async () => {
    const { host, typeId } = await hostWithType();
    for (const [i, start] of [TUE_9AM_NY, TUE_930_NY, TUE_10AM_NY].entries()) await book(typeId, start, `page${i}`).expect(201);
    const repo = t.app.get(BookingRepository);
    // Per-booking reads (what a page must not do) and batch reads; the notify and calendar consumers, working in the
    // background on these bookings' events, read through the batch methods one booking at a time.
    const spies = {
      perBookingHosts: jest.spyOn(repo, 'findHostIds'),
      perBookingInvitees: jest.spyOn(repo, 'findInvitees'),
      hosts: jest.spyOn(repo, 'findHostIdsOf'),
      invitees: jest.spyOn(repo, 'findInviteesOf'),
    };
    try {
      const page = await t.http().get('/api/bookings').set(host.auth).expect(200);
      expect(page.body.data).toHaveLength(3);
      expect(page.body.data.map((b: { invitee_name: string }) => b.invitee_name).sort()).toEqual(
        [0, 1, 2].map((i) => invitee(`page${i}`).invitee_name).sort(),
      );
      expect(page.body.data.every((b: { host_user_ids: string[] }) => b.host_user_ids.join() === host.id)).toBe(true);
      const pageIds = page.body.data.map((b: { id: string }) => b.id).sort();
      const forThePage = (calls: unknown[][]) =>
        calls.filter(([ids]) => JSON.stringify([...(ids as string[])].sort()) === JSON.stringify(pageIds));
      expect(spies.perBookingHosts).not.toHaveBeenCalled();
      expect(spies.perBookingInvitees).not.toHaveBeenCalled();
      expect(forThePage(spies.hosts.mock.calls)).toHaveLength(1);
      expect(forThePage(spies.invitees.mock.calls)).toHaveLength(1);
    } finally {
      for (const spy of Object.values(spies)) spy.mockRestore();
    }
  });
});

/** RFC 5545 content lines, unfolded (a CRLF followed by a space or tab continues the previous line). */
function icsLines(text: string): string[] {
  return text
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .filter(Boolean);
}

/** The mailto: addresses of the ATTENDEE properties (parameters such as CN may come before the value). */
function attendeeEmails(text: string): string[] {
  return icsLines(text)
    .filter((l) => /^ATTENDEE[;:]/i.test(l))
    .map((l) => l.slice(l.search(/:mailto:/i) + 8).toLowerCase());
}

function organizerEmail(text: string): string | undefined {
  const line = icsLines(text).find((l) => /^ORGANIZER[;:]/i.test(l));
  return line?.slice(line.search(/:mailto:/i) + 8).toLowerCase();
}
