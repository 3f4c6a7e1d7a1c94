import { BookingArchive } from '../src/modules/booking/application/booking-archive.service.js';
import { OutboxRelay } from '../src/shared/outbox/outbox-relay.js';
import { DeliveryDispatcher } from '../src/modules/notify/application/delivery-dispatcher.js';
import { settleDeliveries } from './support/deliveries.js';
import { createHost, type TestHost } from './support/factories.js';
import { TestWebhookReceiver } from './support/mail.js';
import { createMeetingType, createTeam, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 15 March 2027, 09:00 in Berlin (CET, UTC+1). Berlin moves to CEST (UTC+2) on Sunday 28 March.
const NOW = '2027-03-15T08:00:00Z';
// Friday 2 April 2027, 12:00 CEST: every meeting below has started.
const LATER = '2027-04-02T10:00:00Z';
const BERLIN = 'Europe/Berlin';
const A = '2027-03-26T08:00:00Z'; // Fri 09:00 CET
const B = '2027-03-29T07:00:00Z'; // Mon 09:00 CEST
const C = '2027-03-30T08:00:00Z'; // Tue 10:00 CEST, cancelled
const D = '2027-03-31T07:00:00Z'; // Wed 09:00 CEST, moved to D2
const D2 = '2027-04-01T12:00:00Z'; // Thu 14:00 CEST
const G = '2027-04-01T13:00:00Z'; // Thu 15:00 CEST, a group meeting with two invitees

interface Booking {
  id: string;
  status: string;
  invitees: { id: string; email: string; no_show_at: string | null }[];
}

describe('insights and no-shows (e2e, pinned clock across the Berlin DST change)', () => {
  let t: TestApp;
  let hooks: TestWebhookReceiver;
  let host: TestHost;
  let other: TestHost;
  const ids: Record<string, string> = {};
  let group: Booking;
  let slug: string;

  beforeAll(async () => {
    // ARCHIVE_AFTER_DAYS 30: the last test archives every booking and asks again.
    hooks = await new TestWebhookReceiver().start();
    t = await startTestApp({
      now: NOW,
      env: { OUTBOX_POLL_INTERVAL_MS: '0', NOTIFY_SWEEP_INTERVAL_MS: '0', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', ARCHIVE_AFTER_DAYS: '30' },
    });
    host = await createHost(t, { time_zone: BERLIN });
    other = await createHost(t, { time_zone: BERLIN });
    await setWeeklyHours(t, host, BERLIN);
    const type = await createMeetingType(t, host, { name: 'Intro call', slug: 'intro' });
    slug = type.slug;
    ids.typeId = type.id;
    const workshop = await createMeetingType(t, host, {
      name: 'Workshop',
      slug: 'workshop',
      kind: 'group',
      seats: 3,
      duration_minutes: 60,
    });
    const book = async (typeId: string, start: string, n: string) => {
      const res = await t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: typeId, start_time: start, ...invitee(n) });
      if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as Booking;
    };
    for (const [name, start] of Object.entries({ A, B, C, D })) ids[name] = (await book(type.id, start, name)).id;
    await book(workshop.id, G, 'g1');
    group = await book(workshop.id, G, 'g2');
    ids.G = group.id;
    await t.http().delete(`/api/bookings/${ids.C}`).set(host.auth).send({ reason: 'clash' }).expect(200);
    const moved = await t.http().put(`/api/bookings/${ids.D}/reschedule`).set(host.auth).send({ start_time: D2 }).expect(200);
    ids.D2 = moved.body.id;
    // created_at is the database's now(), not the pinned clock: say these bookings were made at the pinned "now".
    await t.dataSource.query(`UPDATE bookings SET created_at = $1 WHERE host_user_id = $2`, [NOW, host.id]);

    // A round-robin type of a team the host belongs to, hosted by two others.
    const bob = await createHost(t, { time_zone: BERLIN, name: 'Bob Round' });
    const cara = await createHost(t, { time_zone: BERLIN, name: 'Cara Round' });
    for (const h of [bob, cara]) await setWeeklyHours(t, h, BERLIN);
    const team = await createTeam(t, bob, [host, cara]);
    ids.team = team.id;
    const rr = await createMeetingType(t, bob, {
      name: 'Sales demo',
      slug: 'demo',
      kind: 'round_robin',
      team_id: team.id,
      host_ids: [bob.id, cara.id],
    });
    for (const [n, start] of [
      ['r1', '2027-03-29T09:00:00Z'],
      ['r2', '2027-03-29T10:00:00Z'],
      ['r3', '2027-03-29T11:00:00Z'],
    ]) {
      await book(rr.id, start, n);
    }
  });
  afterAll(async () => {
    await t.close();
    await hooks.close();
  });

  describe('no-shows', () => {
    const mark = (id: string, who: TestHost | null, body?: object) => {
      const req = t.http().post(`/api/bookings/${id}/no-show`);
      if (who) void req.set(who.auth);
      return body ? req.send(body) : req;
    };

    it('refuses before the start, anonymous callers and other hosts', async () => {
      t.clock!.set(NOW);
      const early = await mark(ids.A, host).expect(409);
      expect(early.body).toMatchObject({ status_code: 409, reason: 'not_started', start_time: '2027-03-26T08:00:00Z' });
      await mark(ids.A, null).expect(401);
      await mark(ids.A, other).expect(404);
      await t.http().delete(`/api/bookings/${ids.A}/no-show`).set(other.auth).expect(404);
      await mark('not-a-uuid', host).expect(400);
    });

    it('marks after the start, keeps the first time, undoes, and is audited', async () => {
      t.clock!.set(LATER);
      const marked = await mark(ids.A, host).expect(200);
      expect(marked.body.invitees).toEqual([
        expect.objectContaining({ email: 'inviteeA@example.com', no_show_at: '2027-04-02T10:00:00Z' }),
      ]);
      t.clock!.set('2027-04-02T11:00:00Z');
      const again = await mark(ids.A, host, { no_show: true }).expect(200);
      expect(again.body.invitees[0].no_show_at).toBe('2027-04-02T10:00:00Z');
      // Returned on the booking's own read too.
      const read = await t.http().get(`/api/bookings/${ids.A}`).set(host.auth).expect(200);
      expect(read.body.invitees[0].no_show_at).toBe('2027-04-02T10:00:00Z');

      // B: marked, then taken back with DELETE; and again with {no_show: false}.
      await mark(ids.B, host).expect(200);
      const undone = await t.http().delete(`/api/bookings/${ids.B}/no-show`).set(host.auth).expect(200);
      expect(undone.body.invitees[0].no_show_at).toBeNull();
      await mark(ids.B, host).expect(200);
      expect((await mark(ids.B, host, { no_show: false }).expect(200)).body.invitees[0].no_show_at).toBeNull();

      await t.app.get(OutboxRelay).drain();
      const trail = await t.http().get('/api/audit').query({ booking_id: ids.B }).set(host.auth).expect(200);
      const trailOf = (e: { action: string; actor_type: string; actor_id: string }) => `${e.action} ${e.actor_type} ${e.actor_id}`;
      expect(trail.body.entries.map(trailOf).sort()).toEqual([
        expect.stringMatching(/^booking.created invitee /),
        `booking.no_show_cleared host ${host.id}`,
        `booking.no_show_cleared host ${host.id}`,
        `booking.no_show_marked host ${host.id}`,
        `booking.no_show_marked host ${host.id}`,
      ]);
      expect(trail.body.entries.find((e: { action: string }) => e.action === 'booking.no_show_marked').details).toMatchObject({
        invitee_id: expect.any(String),
        start_time: B.replace('Z', '.000Z'),
      });
    });

    it('marks one invitee of a group, and refuses cancelled or moved bookings and unknown invitees', async () => {
      t.clock!.set(LATER);
      const g2 = group.invitees[0].id;
      const res = await mark(ids.G, host, { invitee_id: g2 }).expect(200);
      const byEmail = Object.fromEntries(res.body.invitees.map((i: Booking['invitees'][number]) => [i.email, i.no_show_at]));
      expect(byEmail).toEqual({ 'inviteeg1@example.com': null, 'inviteeg2@example.com': '2027-04-02T10:00:00Z' });
      expect((await mark(ids.C, host).expect(409)).body).toMatchObject({ reason: 'not_confirmed', status: 'cancelled' });
      expect((await mark(ids.D, host).expect(409)).body).toMatchObject({ status: 'rescheduled' });
      const unknown = await mark(ids.A, host, { invitee_id: g2 }).expect(400);
      expect(unknown.body.message).toMatch(/invitee_id/);
      await mark(ids.A, host, { invitee_id: 'x' }).expect(400);
      await mark(ids.A, host, { no_show: 'yes' }).expect(400);
    });

    it('tells webhooks subscribed to invitee.no_show and invitee.no_show_deleted', async () => {
      t.clock!.set(LATER);
      await t
        .http()
        .post('/api/webhooks')
        .set(host.auth)
        .send({ url: hooks.url, events: ['invitee.no_show', 'invitee.no_show_deleted'] })
        .expect(201);
      const g1 = (await t.http().get(`/api/bookings/${ids.G}`).set(host.auth).expect(200)).body.invitees.find(
        (i: Booking['invitees'][number]) => i.email === 'inviteeg1@example.com',
      ).id;
      await mark(ids.G, host, { invitee_id: g1 }).expect(200);
      await t.http().delete(`/api/bookings/${ids.G}/no-show`).query({ invitee_id: g1 }).set(host.auth).expect(200);
      await t.app.get(DeliveryDispatcher).sweep();
      await settleDeliveries(t);
      const bodies = hooks.requests
        .map((r) => JSON.parse(r.body) as { event: string; payload: { invitee: { id: string }; no_show: unknown } })
        .filter((b) => b.payload.invitee.id === g1);
      expect(bodies.map((b) => b.event).sort()).toEqual(['invitee.no_show', 'invitee.no_show_deleted']);
      expect(bodies.find((b) => b.event === 'invitee.no_show')!.payload.no_show).toEqual({
        marked_at: '2027-04-02T10:00:00.000Z',
        marked_by: host.id,
      });
    });
  });

  describe('page views', () => {
    it('counts a GET of the booking page on the host day, not HEAD, prefetch, bots, calendar moves or the slots JSON', async () => {
      t.clock!.set('2027-03-14T23:30:00Z'); // Monday 15 March 00:30 in Berlin
      const page = `/${host.username}/${slug}`;
      for (let i = 0; i < 3; i++) await t.http().get(page).expect(200);
      await t.http().head(page).expect(200);
      await t.http().get(page).set('Sec-Purpose', 'prefetch').expect(200);
      await t.http().get(page).set('User-Agent', 'Googlebot/2.1').expect(200);
      await t.http().get(page).query({ month: '2027-04' }).expect(200);
      await t.http().get('/api/availability/slots').query({ meeting_type_id: ids.typeId, timezone: 'UTC' });
      const rows = await t.dataSource.query(`SELECT day::text AS day, views FROM booking_page_views WHERE user_id = $1`, [host.id]);
      expect(rows).toEqual([{ day: '2027-03-15', views: 3 }]);
    });

    it('never fails the page when counting fails', async () => {
      await t.dataSource.query(`ALTER TABLE booking_page_views RENAME TO booking_page_views_away`);
      try {
        await t.http().get(`/${host.username}/${slug}`).expect(200);
      } finally {
        await t.dataSource.query(`ALTER TABLE booking_page_views_away RENAME TO booking_page_views`);
      }
    });
  });

  describe('GET /api/insights', () => {
    it('answers exact figures in the host zone across the DST change', async () => {
      t.clock!.set(LATER);
      const res = await t.http().get('/api/insights').query({ from: '2027-03-15', to: '2027-04-04' }).set(host.auth).expect(200);
      expect(res.body.range).toEqual({ from: '2027-03-15', to: '2027-04-04', time_zone: BERLIN, week_start: 'monday' });
      expect(res.body.weeks).toEqual([
        { week_start: '2027-03-15', created: 5, cancelled: 0, no_shows: 0 },
        { week_start: '2027-03-22', created: 0, cancelled: 0, no_shows: 1 },
        { week_start: '2027-03-29', created: 0, cancelled: 1, no_shows: 1 },
      ]);
      expect(res.body.totals).toEqual({
        created: 5,
        meetings: 5,
        cancelled: 1,
        rescheduled: 1,
        no_shows: 2,
        page_views: 3,
        conversion_rate: 1.6667,
        cancellation_rate: 0.2,
        reschedule_rate: 0.2,
      });
      const cells = (res.body.heatmap as { weekday: string; hours: number[] }[]).flatMap((d) =>
        d.hours.flatMap((n, hour) => (n > 0 ? [`${d.weekday} ${hour}:00 ${n}`] : [])),
      );
      // Local hours: 09:00 before and after the change, not 08:00 / 07:00 UTC.
      expect(cells).toEqual(['monday 9:00 1', 'thursday 14:00 1', 'thursday 15:00 1', 'friday 9:00 1']);
      expect(res.body.round_robin).toHaveLength(1);
      const rr = res.body.round_robin[0];
      expect(rr).toMatchObject({ meeting_type_name: 'Sales demo', team_id: ids.team, total: 3 });
      expect(rr.hosts.map((h: { name: string }) => h.name).sort()).toEqual(['Bob Round', 'Cara Round']);
      expect(rr.hosts.reduce((s: number, h: { bookings: number }) => s + h.bookings, 0)).toBe(3);
      expect(rr.hosts.map((h: { share: number }) => h.share).sort()).toEqual([0.3333, 0.6667]);
    });

    it('follows the host week start, defaults to the last 12 weeks', async () => {
      t.clock!.set(LATER);
      await t.http().put('/api/availability/limits').set(host.auth).send({ week_start: 'sunday' }).expect(200);
      try {
        const res = await t.http().get('/api/insights').query({ from: '2027-03-21', to: '2027-04-03' }).set(host.auth).expect(200);
        expect(res.body.weeks).toEqual([
          { week_start: '2027-03-21', created: 0, cancelled: 0, no_shows: 1 },
          { week_start: '2027-03-28', created: 0, cancelled: 1, no_shows: 1 },
        ]);
        expect(res.body.heatmap.map((d: { weekday: string }) => d.weekday)[0]).toBe('sunday');
      } finally {
        await t.http().put('/api/availability/limits').set(host.auth).send({ week_start: null }).expect(200);
      }
      const byDefault = await t.http().get('/api/insights').set(host.auth).expect(200);
      expect(byDefault.body.range).toMatchObject({ from: '2027-01-11', to: '2027-04-02' });
      expect(byDefault.body.weeks).toHaveLength(12);
    });

    it('answers another host nothing of it, and refuses bad ranges and foreign teams', async () => {
      const theirs = await t.http().get('/api/insights').query({ from: '2027-03-15', to: '2027-04-04' }).set(other.auth).expect(200);
      expect(theirs.body.totals).toMatchObject({ created: 0, meetings: 0, page_views: 0, conversion_rate: null });
      expect(theirs.body.round_robin).toEqual([]);
      await t.http().get('/api/insights').expect(401);
      for (const query of [
        { from: '2027-13-01' },
        { from: '2027-03-02', to: '2027-03-01' },
        { from: '2027-01-01', to: '2028-01-05' },
        { team_id: 'x' },
      ]) {
        const bad = await t.http().get('/api/insights').query(query).set(host.auth).expect(400);
        expect(bad.body).toMatchObject({ status_code: 400, message: expect.any(String) });
      }
      await t.http().get('/api/insights').query({ team_id: ids.team }).set(other.auth).expect(404);
      const mine = await t.http().get('/api/insights').query({ team_id: ids.team }).set(host.auth).expect(200);
      expect(mine.body.round_robin).toHaveLength(1);
    });

    it('counts archived bookings and their no-shows the same', async () => {
      t.clock!.set(LATER);
      const before = await t.http().get('/api/insights').query({ from: '2027-03-15', to: '2027-04-04' }).set(host.auth).expect(200);
      t.clock!.set('2027-05-15T00:00:00Z');
      const moved = await t.app.get(BookingArchive).archive();
      expect(moved.bookings).toBeGreaterThanOrEqual(9);
      const [{ hot }] = await t.dataSource.query(`SELECT count(*)::int AS hot FROM bookings WHERE host_user_id = $1`, [host.id]);
      expect(hot).toBe(0);
      const after = await t.http().get('/api/insights').query({ from: '2027-03-15', to: '2027-04-04' }).set(host.auth).expect(200);
      expect(after.body).toEqual(before.body);
      // The mark moved with the invitee row.
      const archived = await t.dataSource.query(`SELECT no_show_at FROM booking_invitees_archive WHERE booking_id = $1`, [ids.A]);
      expect(archived).toEqual([{ no_show_at: new Date('2027-04-02T10:00:00Z') }]);
    });
  });
});
