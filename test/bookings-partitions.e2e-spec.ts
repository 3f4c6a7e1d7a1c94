import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PartitionedBookings1764000005000 } from '../migrations/1764000005000-partitioned-bookings.js';
import { HostMoveConflictDelivery1764000007000 } from '../migrations/1764000007000-host-move-conflict-delivery.js';
import { migrations } from '../migrations/index.js';
import { BookingArchive } from '../src/modules/booking/application/booking-archive.service.js';
import { BookingHistory } from '../src/modules/booking/application/booking-history.js';
import { OutboxRelay } from '../src/shared/outbox/outbox-relay.js';
import { HOST_PASSWORD, createHost, type TestHost } from './support/factories.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';
import { USE_EMBEDDED_DB } from './support/test-env.js';

// Monday 1 March 2027, 12:00 UTC; hosts work 09:00-17:00 UTC on weekdays.
const NOW = '2027-03-01T12:00:00Z';
const DAY = 86_400_000;
const TABLES = ['bookings', 'booking_invitees', 'notification_deliveries', 'outbox_events'];
/** Where the partitioning migration stands in the list: later migrations run after it and are undone before it. */
const PARTITIONING = migrations.indexOf(PartitionedBookings1764000005000);

/** Undoes the latest migrations up to and including `name`. */
async function undoThrough(dataSource: DataSource, name: string): Promise<void> {
  for (;;) {
    const [last] = await dataSource.query<{ name: string }[]>(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
    await dataSource.undoLastMigration();
    if (last.name === name) return;
  }
}

/** Bookings at scale (ADR 0014): monthly partitions, the DEFAULT safety net, the archive and the conversion. */
describe('partitioned bookings and the archive (e2e, PostgreSQL or the embedded database)', () => {
  let t: TestApp;
  const archive = () => t.app.get(BookingArchive);
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.dataSource.query<T[]>(sql, params);
  const drain = () => t.app.get(OutboxRelay).drain();

  beforeAll(async () => {
    t = await startTestApp({
      now: NOW,
      redis: false,
      env: { OUTBOX_POLL_INTERVAL_MS: '0', NOTIFY_SWEEP_INTERVAL_MS: '0', PARTITION_MONTHS_AHEAD: '6' },
    });
  });
  afterAll(() => t.close());

  async function hostWithType(body: Record<string, unknown> = {}): Promise<{ host: TestHost; typeId: string }> {
    const host = await createHost(t, { time_zone: 'UTC' });
    await setWeeklyHours(t, host, 'UTC');
    const type = await createMeetingType(t, host, { slug: `p-${host.username}`, ...body });
    return { host, typeId: type.id };
  }

  async function book(typeId: string, start: string, n: string): Promise<{ id: string; end_time: string }> {
    const res = await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: start, ...invitee(n, { answers: {} }) });
    if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; end_time: string };
  }

  const partitionsOf = async (table: string) =>
    (
      await q<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass`,
        [table],
      )
    ).map((r) => r.name);

  const partitionOf = async (id: string) =>
    (await q<{ part: string }>(`SELECT tableoid::regclass::text AS part FROM bookings WHERE id = $1`, [id])).at(0)?.part ?? null;

  it('has month partitions from the current month to the months ahead, and a DEFAULT, for every growing table', async () => {
    for (const table of TABLES) {
      const parts = await partitionsOf(table);
      expect(parts).toContain(`${table}_default`);
      // The pinned clock's month and PARTITION_MONTHS_AHEAD (6) after it; the migration made a year from the database's now.
      for (const month of ['2027m03', '2027m04', '2027m09']) expect(parts).toContain(`${table}_y${month}`);
    }
    // The live-occupancy rows and their exclusion constraint stay in one plain table.
    const [hosts] = await q<{ relkind: string }>(`SELECT relkind FROM pg_class WHERE relname = 'booking_hosts'`);
    expect(hosts.relkind).toBe('r');
    const [constraint] = await q<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'booking_hosts_no_overlap'`,
    );
    expect(constraint.def).toMatch(/EXCLUDE USING gist \(user_id WITH =, blocked WITH &&\) WHERE \(is_live\)/);
  });

  it('the job creates the months ahead of a later now', async () => {
    t.clock!.set('2027-11-15T00:00:00Z');
    try {
      expect(await archive().ensurePartitions()).toBeGreaterThan(0);
      for (const table of TABLES) expect(await partitionsOf(table)).toContain(`${table}_y2028m05`);
      // Running it again changes nothing.
      expect(await archive().ensurePartitions()).toBe(0);
    } finally {
      t.clock!.set(NOW);
    }
  });

  it('a booking years ahead lands in the DEFAULT partition, is found, and the job moves it to its own month intact', async () => {
    const { host, typeId } = await hostWithType({ booking_window_days: 3650 });
    const b = await book(typeId, '2031-06-03T10:00:00Z', 'far');
    expect(await partitionOf(b.id)).toBe('bookings_default');
    const found = await t.http().get(`/api/bookings/${b.id}`).set(host.auth).expect(200);
    expect(found.body).toMatchObject({ id: b.id, start_time: '2031-06-03T10:00:00Z', status: 'confirmed' });

    await archive().ensurePartitions();
    expect(await partitionOf(b.id)).toBe('bookings_y2031m06');
    expect(await q(`SELECT 1 FROM bookings_default`)).toEqual([]);
    // Everything that hangs off it is still there: its key, its live host row, its invitee.
    expect(await q(`SELECT start_time FROM booking_keys WHERE id = $1`, [b.id])).toHaveLength(1);
    expect(await q(`SELECT 1 FROM booking_hosts WHERE booking_id = $1 AND is_live`, [b.id])).toHaveLength(1);
    const again = await t.http().get(`/api/bookings/${b.id}`).set(host.auth).expect(200);
    expect(again.body.invitees).toHaveLength(1);
    // The time is still taken: the same slot is refused.
    const clash = await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: '2031-06-03T10:00:00Z', ...invitee('far2', { answers: {} }) });
    expect(clash.status).toBe(409);
    // Cancelling works on the moved row (its id leads to its partition).
    await t.http().delete(`/api/bookings/${b.id}`).set(host.auth).send({ reason: 'later' }).expect(200);
    expect((await t.http().get(`/api/bookings/${b.id}`).set(host.auth).expect(200)).body.status).toBe('cancelled');
  });

  it('a booking never moves partitions in place: its start is fixed (a reschedule inserts a new booking)', async () => {
    const { typeId } = await hostWithType();
    const b = await book(typeId, '2027-03-04T10:00:00Z', 'fixed');
    await expect(q(`UPDATE bookings SET start_time = start_time + interval '1 hour' WHERE id = $1`, [b.id])).rejects.toThrow(/fixed/);
  });

  it("invitees are read by booking from the key's invitees_from on, which follows older rows attached (1764000006000)", async () => {
    const { host, typeId } = await hostWithType();
    const b = await book(typeId, '2027-03-05T10:00:00Z', 'bound');
    const [{ fresh }] = await q<{ fresh: boolean }>(`SELECT invitees_from IS NOT NULL AS fresh FROM booking_keys WHERE id = $1`, [b.id]);
    expect(fresh).toBe(true);
    // A row older than its booking's key (a tool's write; a reschedule moves rows created for an earlier booking):
    // moved into another month's partition, it lowers the bound, so reads that skip older months still find it.
    await q(`UPDATE booking_invitees SET created_at = '2026-12-01T00:00:00Z' WHERE booking_id = $1`, [b.id]);
    expect((await t.http().get(`/api/bookings/${b.id}`).set(host.auth).expect(200)).body.invitees).toHaveLength(1);
    const moved = await t
      .http()
      .put(`/api/bookings/${b.id}/reschedule`)
      .set(host.auth)
      .send({ start_time: '2027-03-05T13:00:00Z' })
      .expect(200);
    expect(moved.body.id).not.toBe(b.id);
    expect((await t.http().get(`/api/bookings/${moved.body.id}`).set(host.auth).expect(200)).body.invitees).toHaveLength(1);
    // The invariant, over every row: no invitee is older than its booking's bound.
    expect(
      await q(`SELECT i.id FROM booking_invitees i JOIN booking_keys k ON k.id = i.booking_id WHERE i.created_at < k.invitees_from`),
    ).toEqual([]);
  });

  describe('the archive', () => {
    // B1 ends Tue 2 March 2027 10:30, B2 (cancelled) Wed 3 March 10:30, B3 Tue 9 March 10:30.
    let host: TestHost;
    let typeId: string;
    let b1: { id: string; end_time: string };
    let b2: { id: string; end_time: string };
    let b3: { id: string; end_time: string };

    beforeAll(async () => {
      ({ host, typeId } = await hostWithType());
      b1 = await book(typeId, '2027-03-02T10:00:00Z', 'a1');
      b2 = await book(typeId, '2027-03-03T10:00:00Z', 'a2');
      b3 = await book(typeId, '2027-03-09T10:00:00Z', 'a3');
      await t.http().delete(`/api/bookings/${b2.id}`).set(host.auth).send({ reason: 'no' }).expect(200);
      await drain();
    });
    afterEach(() => t.clock!.set(NOW));

    const archivedIds = async () =>
      (await q<{ id: string }>(`SELECT id FROM bookings_archive WHERE host_user_id = $1 ORDER BY start_time`, [host.id])).map((r) => r.id);

    it('moves exactly the bookings that ended more than ARCHIVE_AFTER_DAYS (365) ago, with their invitees and deliveries', async () => {
      const deliveriesOf = async (table: string, id: string) =>
        (await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE booking_id = $1`, [id]))[0].n;
      const b1Deliveries = await deliveriesOf('notification_deliveries', b1.id);
      expect(b1Deliveries).toBeGreaterThan(0);

      // Exactly 365 days after B2 ended: B2 ended 365 days ago, not more; only B1 goes.
      t.clock!.set(new Date(Date.parse(b2.end_time) + 365 * DAY));
      await archive().archive();
      expect(await archivedIds()).toEqual([b1.id]);

      t.clock!.set(new Date(Date.parse(b2.end_time) + 365 * DAY + 1));
      await archive().archive();
      expect(await archivedIds()).toEqual([b1.id, b2.id]);

      for (const id of [b1.id, b2.id]) {
        expect(await q(`SELECT 1 FROM bookings WHERE id = $1`, [id])).toEqual([]);
        expect(await q(`SELECT 1 FROM booking_invitees WHERE booking_id = $1`, [id])).toEqual([]);
        expect(await q(`SELECT 1 FROM booking_invitees_archive WHERE booking_id = $1`, [id])).toHaveLength(1);
        expect(await q(`SELECT 1 FROM booking_hosts WHERE booking_id = $1`, [id])).toEqual([]);
        expect(await q(`SELECT archived FROM booking_keys WHERE id = $1`, [id])).toEqual([{ archived: true }]);
      }
      expect(await deliveriesOf('notification_deliveries', b1.id)).toBe(0);
      expect(await deliveriesOf('notification_deliveries_archive', b1.id)).toBe(b1Deliveries);
      const [arch] = await q<{ host_ids: string[]; status: string }>(`SELECT host_ids, status FROM bookings_archive WHERE id = $1`, [
        b2.id,
      ]);
      expect(arch).toEqual({ host_ids: [host.id], status: 'cancelled' });
      // B3 ended later: still hot.
      expect(await partitionOf(b3.id)).toBe('bookings_y2027m03');

      // Running it again (and again at the same moment) changes nothing.
      const rerun = await Promise.all([archive().archive(), archive().archive()]);
      expect(rerun.map((r) => r.bookings)).toEqual([0, 0]);
      expect(await archivedIds()).toEqual([b1.id, b2.id]);
    });

    it('archived bookings stay in the history (API and BookingHistory) and in the export', async () => {
      t.clock!.set(new Date(Date.parse(b2.end_time) + 365 * DAY + 1));
      await archive().archive();
      const list = await t.http().get('/api/bookings').set(host.auth).query({ from: '2027-01-01T00:00:00Z' }).expect(200);
      expect(list.body.data.map((b: { id: string; archived: boolean }) => [b.id, b.archived])).toEqual([
        [b3.id, false],
        [b2.id, true],
        [b1.id, true],
      ]);
      expect(list.body.total).toBe(3);
      const archived = list.body.data.find((b: { id: string }) => b.id === b1.id);
      expect(archived).toMatchObject({ host_user_ids: [host.id], invitees: [expect.objectContaining({ email: 'inviteea1@example.com' })] });
      const cancelledOnly = await t.http().get('/api/bookings').set(host.auth).query({ status: 'cancelled' }).expect(200);
      expect(cancelledOnly.body.data.map((b: { id: string }) => b.id)).toEqual([b2.id]);
      const hotOnly = await t.http().get('/api/bookings').set(host.auth).query({ include_archived: 'false' }).expect(200);
      expect(hotOnly.body.data.map((b: { id: string }) => b.id)).toEqual([b3.id]);
      await t.http().get('/api/bookings').set(host.auth).query({ include_archived: 'maybe' }).expect(400);

      const history = await t.app.get(BookingHistory).forHost(host.id, { limit: 10, offset: 0 });
      expect(history.total).toBe(3);
      expect(history.entries.map((e) => [e.id, e.archived, e.activeInvitees])).toEqual([
        [b3.id, false, 1],
        [b2.id, true, 0],
        [b1.id, true, 1],
      ]);

      const exported = (await t.http().get('/api/users/me/export').set(host.auth).expect(200)).body;
      expect(exported.bookings.map((b: { id: string; archived: boolean }) => [b.id, b.archived])).toEqual([
        [b1.id, true],
        [b2.id, true],
        [b3.id, false],
      ]);
      expect(exported.bookings[0].invitees[0]).toMatchObject({ email: 'inviteea1@example.com' });
    });

    it('concurrent runs move each booking once', async () => {
      const { typeId: other } = await hostWithType();
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push((await book(other, `2027-03-0${2 + (i % 3)}T1${i}:00:00Z`, `c${i}`)).id);
      t.clock!.set('2028-06-01T00:00:00Z');
      const [x, y] = await Promise.all([archive().archive(), archive().archive()]);
      const [{ n }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM bookings_archive WHERE id = ANY($1::uuid[])`, [ids]);
      expect(n).toBe(6);
      expect(await q(`SELECT 1 FROM bookings WHERE id = ANY($1::uuid[])`, [ids])).toEqual([]);
      expect(x.bookings + y.bookings).toBeGreaterThanOrEqual(6);
      const [{ keys }] = await q<{ keys: number }>(
        `SELECT count(*)::int AS keys FROM booking_keys WHERE id = ANY($1::uuid[]) AND archived`,
        [ids],
      );
      expect(keys).toBe(6);
    });

    it('erasing an invitee reaches the archive; deleting the account erases its archived bookings', async () => {
      t.clock!.set(new Date(Date.parse(b2.end_time) + 365 * DAY + 1));
      await archive().archive();
      const erased = await t.http().post('/api/privacy/erase-invitee').set(host.auth).send({ email: 'inviteea1@example.com' }).expect(200);
      expect(erased.body).toEqual({ erased_invitees: 1, bookings: 1 });
      expect(await q(`SELECT email FROM booking_invitees_archive WHERE booking_id = $1`, [b1.id])).toEqual([{ email: '[erased]' }]);

      await t.http().delete('/api/users/me').set(host.auth).send({ password: HOST_PASSWORD }).expect(204);
      for (const table of ['bookings_archive', 'booking_keys']) {
        expect(await q(`SELECT 1 FROM ${table} WHERE id = ANY($1::uuid[])`, [[b1.id, b2.id, b3.id]])).toEqual([]);
      }
      for (const table of ['booking_invitees_archive', 'notification_deliveries_archive', 'booking_invitees', 'notification_deliveries']) {
        expect(await q(`SELECT 1 FROM ${table} WHERE booking_id = ANY($1::uuid[])`, [[b1.id, b2.id, b3.id]])).toEqual([]);
      }
    });
  });
});

describe('the migration, down and up again on a database in use (PostgreSQL or the embedded database)', () => {
  it('converts existing hot and archived rows both ways and the app keeps working', async () => {
    const t = await startTestApp({ now: NOW, redis: false, env: { OUTBOX_POLL_INTERVAL_MS: '0', NOTIFY_SWEEP_INTERVAL_MS: '0' } });
    try {
      const host = await createHost(t, { time_zone: 'UTC' });
      await setWeeklyHours(t, host, 'UTC');
      const type = await createMeetingType(t, host, { slug: 'mig' });
      const ids: string[] = [];
      for (const [start, n] of [
        ['2027-03-02T10:00:00Z', 'm1'],
        ['2027-03-09T10:00:00Z', 'm2'],
      ]) {
        const res = await t
          .http()
          .post('/api/bookings')
          .send({ meeting_type_id: type.id, start_time: start, ...invitee(n, { answers: {} }) })
          .expect(201);
        ids.push(res.body.id as string);
      }
      await t.app.get(OutboxRelay).drain();
      t.clock!.set('2028-03-05T00:00:00Z'); // the first ended more than 365 days ago
      expect((await t.app.get(BookingArchive).archive()).bookings).toBe(1);
      const count = async (table: string) =>
        ((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n;
      const before = { invitees: await count('booking_invitees'), deliveries: await count('notification_deliveries') };

      // host_move_conflict deliveries (migration 1764000007000), hot and archived: down removes them and the kind.
      const conflictRow = (table: string) =>
        t.dataSource.query(
          `INSERT INTO ${table} (id, booking_id, kind, channel, recipient, recipient_role, revision, event_type, visible_to,
             payload, due_at, max_attempts, created_at)
           VALUES (gen_random_uuid(), $1, 'host_move_conflict', 'email', 'h@example.com', 'host', 0,
             'calendar.host_move_conflict', '{}', '{}', now(), 3, '2027-03-01T12:00:00Z')`,
          [ids[1]],
        );
      await conflictRow('notification_deliveries');
      await conflictRow('notification_deliveries_archive');
      const conflicts = async () =>
        (
          await t.dataSource.query<{ n: number }[]>(
            `SELECT (SELECT count(*) FROM notification_deliveries WHERE kind = 'host_move_conflict')
                  + (SELECT count(*) FROM notification_deliveries_archive WHERE kind = 'host_move_conflict')::int AS n`,
          )
        )[0].n;
      expect(Number(await conflicts())).toBe(2);
      await undoThrough(t.dataSource, HostMoveConflictDelivery1764000007000.name);
      expect(Number(await conflicts())).toBe(0);
      for (const table of ['notification_deliveries', 'notification_deliveries_archive']) {
        await expect(conflictRow(table)).rejects.toThrow(/notification_deliveries_kind_check|value too long/);
      }

      await undoThrough(t.dataSource, PartitionedBookings1764000005000.name);
      expect(await count('bookings')).toBe(2);
      expect(await t.dataSource.query(`SELECT relkind::text FROM pg_class WHERE relname = 'bookings'`)).toEqual([{ relkind: 'r' }]);
      await t.dataSource.runMigrations();
      expect(await t.dataSource.query(`SELECT relkind::text FROM pg_class WHERE relname = 'bookings'`)).toEqual([{ relkind: 'p' }]);
      // Down put the archived booking back among the hot ones; up kept every row and link.
      await conflictRow('notification_deliveries');
      await conflictRow('notification_deliveries_archive');
      expect(Number(await conflicts())).toBe(2);
      expect(await count('bookings')).toBe(2);
      expect(await count('booking_keys')).toBe(2);
      expect(await count('booking_invitees')).toBe(before.invitees + 1);
      expect(await count('notification_deliveries')).toBeGreaterThan(before.deliveries);
      const list = await t.http().get('/api/bookings').set(host.auth).expect(200);
      expect(list.body.data.map((b: { id: string }) => b.id)).toEqual([ids[1], ids[0]]);
      const one = await t.http().get(`/api/bookings/${ids[0]}`).set(host.auth).expect(200);
      expect(one.body.invitees).toHaveLength(1);
    } finally {
      await t.close();
    }
    // Two migrations down and up on the embedded database took 58 s on the loaded 2-core machine (24 s on PostgreSQL).
  }, 150_000);
});

// Building a database at the previous migration needs a second database on the server.
(USE_EMBEDDED_DB ? describe.skip : describe)('the migration converts a database with bookings (PostgreSQL)', () => {
  it('moves every row into the partitioned tables and keeps the links between them', async () => {
    const db = await createTestDatabase();
    const open = (list: typeof migrations) =>
      new DataSource({ type: 'postgres', url: db.url, migrations: list, migrationsTransactionMode: 'each' }).initialize();
    const before = await open(migrations.slice(0, PARTITIONING));
    let ids: Record<string, string>;
    try {
      await before.runMigrations();
      const one = async <T>(sql: string, p: unknown[] = []) => ((await before.query(sql, p)) as T[])[0];
      const user = await one<{ id: string }>(
        `INSERT INTO users (email, name, username, time_zone, password_hash) VALUES ('m@example.com', 'M', 'mig', 'UTC', 'x') RETURNING id`,
      );
      const type = await one<{ id: string }>(
        `INSERT INTO meeting_types (user_id, name, slug, duration_minutes) VALUES ($1, 'Call', 'call', 30) RETURNING id`,
        [user.id],
      );
      const booking = async (start: string) =>
        one<{ id: string }>(
          `INSERT INTO bookings (meeting_type_id, host_user_id, start_time, end_time, time_zone, status, ical_uid)
           VALUES ($1, $2, $3, $3::timestamptz + interval '30 minutes', 'UTC', 'confirmed', gen_random_uuid()::text) RETURNING id`,
          [type.id, user.id, start],
        );
      const old = await booking('2025-01-10T10:00:00Z');
      const next = await booking('2027-02-10T10:00:00Z');
      await before.query(`UPDATE bookings SET status = 'rescheduled', rescheduled_to_id = $2 WHERE id = $1`, [old.id, next.id]);
      await before.query(`UPDATE bookings SET rescheduled_from_id = $1 WHERE id = $2`, [old.id, next.id]);
      for (const b of [old, next]) {
        await before.query(
          `INSERT INTO booking_hosts (booking_id, user_id, blocked)
           SELECT id, host_user_id, tstzrange(start_time, end_time, '[)') FROM bookings WHERE id = $1`,
          [b.id],
        );
        await before.query(
          `INSERT INTO booking_invitees (booking_id, name, email, time_zone, management_token_hash)
           VALUES ($1, 'I', 'i@example.com', 'UTC', $2)`,
          [b.id, createHash('sha256').update(b.id).digest('hex')],
        );
        await before.query(`INSERT INTO outbox_events (event_type, booking_id, payload) VALUES ('booking.created', $1, '{}')`, [b.id]);
      }
      await before.query(
        `INSERT INTO notification_deliveries (id, booking_id, kind, channel, recipient, recipient_role, revision, event_type,
           visible_to, payload, due_at, max_attempts)
         VALUES (gen_random_uuid(), $1, 'confirmation', 'email', 'i@example.com', 'invitee', 0, 'booking.created', '{}', '{}', now(), 3)`,
        [next.id],
      );
      await before.query(`INSERT INTO calendar_event_links (booking_id, user_id) VALUES ($1, $2)`, [next.id, user.id]);
      ids = { user: user.id, old: old.id, next: next.id };
    } finally {
      await before.destroy();
    }

    const after = await open(migrations);
    try {
      await after.runMigrations();
      const rows = (sql: string, p: unknown[] = []) => after.query(sql, p) as Promise<Record<string, unknown>[]>;
      expect(await rows(`SELECT tableoid::regclass::text AS part FROM bookings ORDER BY start_time`)).toEqual([
        { part: 'bookings_y2025m01' },
        { part: 'bookings_y2027m02' },
      ]);
      expect(await rows(`SELECT 1 FROM bookings_default`)).toEqual([]);
      expect(await rows(`SELECT id FROM booking_keys ORDER BY start_time`)).toEqual([{ id: ids.old }, { id: ids.next }]);
      const [{ n: invitees }] = await rows(`SELECT count(*)::int AS n FROM booking_invitees`);
      const [{ n: events }] = await rows(`SELECT count(*)::int AS n FROM outbox_events`);
      const [{ n: deliveries }] = await rows(`SELECT count(*)::int AS n FROM notification_deliveries`);
      expect([invitees, events, deliveries]).toEqual([2, 2, 1]);
      expect(await rows(`SELECT rescheduled_to_id FROM bookings WHERE id = $1`, [ids.old])).toEqual([{ rescheduled_to_id: ids.next }]);
      // The outbox sequence still belongs to the table and goes on from where it was.
      const [{ id: nextEvent }] = await rows(`INSERT INTO outbox_events (event_type, payload) VALUES ('x', '{}') RETURNING id::int AS id`);
      expect(nextEvent).toBe(3);
      // Integrity holds through the keys: a host row cannot name a booking that does not exist...
      await expect(
        rows(
          `INSERT INTO booking_hosts (booking_id, user_id, blocked) VALUES (gen_random_uuid(), $1, tstzrange(now(), now() + interval '1 hour'))`,
          [ids.user],
        ),
      ).rejects.toThrow(/foreign key/);
      // ... and deleting the user cascades through bookings, keys, hosts, invitees and event links.
      await rows(`DELETE FROM users WHERE id = $1`, [ids.user]);
      for (const table of ['bookings', 'booking_keys', 'booking_hosts', 'booking_invitees', 'calendar_event_links']) {
        const [{ n }] = await rows(`SELECT count(*)::int AS n FROM ${table}`);
        expect([table, n]).toEqual([table, 0]);
      }
      // Down and up again.
      await undoThrough(after, PartitionedBookings1764000005000.name);
      expect(await rows(`SELECT relkind::text FROM pg_class WHERE relname = 'bookings'`)).toEqual([{ relkind: 'r' }]);
      await after.runMigrations();
      expect(await rows(`SELECT relkind::text FROM pg_class WHERE relname = 'bookings'`)).toEqual([{ relkind: 'p' }]);
    } finally {
      await after.destroy();
      await db.drop();
    }
  });
});
