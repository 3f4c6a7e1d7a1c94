import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { READ_APPLICATION_NAME } from '../src/shared/database/database-options.js';
import { createHost, type TestHost } from './support/factories.js';
import { postgresBinaries, startStandbyPair, type StandbyPair } from './support/pg-standby.js';
import { describeRequiring } from './support/requires.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { METRICS_AUTH, USE_EMBEDDED_DB } from './support/test-env.js';

// Monday 1 March 2027, 12:00 UTC. Hosts work 09:00-17:00 in New York (EST, UTC-5).
const NOW = '2027-03-01T12:00:00Z';
const TUE = '2027-03-02';
const TUE_9AM_NY = '2027-03-02T14:00:00Z';
const TUE_10AM_NY = '2027-03-02T15:00:00Z';

async function hostWithType(t: TestApp): Promise<{ host: TestHost; typeId: string }> {
  const host = await createHost(t, { time_zone: 'America/New_York' });
  await setWeeklyHours(t, host, 'America/New_York');
  const type = await createMeetingType(t, host, {});
  return { host, typeId: type.id };
}

async function slotStarts(t: TestApp, typeId: string): Promise<string[]> {
  const res = await t
    .http()
    .get('/api/availability/slots')
    .query({ meeting_type_id: typeId, date: TUE, timezone: 'America/New_York' })
    .expect(200);
  return res.body.slots.map((s: { start_time: string }) => s.start_time);
}

const book = (t: TestApp, typeId: string, start: string, n: string) =>
  t
    .http()
    .post('/api/bookings')
    .send({ meeting_type_id: typeId, start_time: start, ...invitee(n) });

/** Slot cache hits and misses so far, from /metrics. */
async function cacheCounts(t: TestApp): Promise<{ hit: number; miss: number }> {
  const text = (await t.http().get('/metrics').set(METRICS_AUTH).expect(200)).text;
  const count = (result: string) =>
    Number(new RegExp(`kairos_slot_cache_requests_total\\{result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  return { hit: count('hit'), miss: count('miss') };
}

const binaries = postgresBinaries();
const describeStandby = USE_EMBEDDED_DB ? describe.skip : describeRequiring('missing' in binaries ? binaries.missing : null);

describeStandby('read replica: a real streaming standby (pg_basebackup -R) as DATABASE_READ_URL', () => {
  let pair: StandbyPair;
  let db: TestDatabase & { readUrl: string };
  let t: TestApp;

  beforeAll(async () => {
    pair = await startStandbyPair((binaries as { bin: string }).bin);
    db = await pair.createDatabase();
    t = await startTestApp({ now: NOW, database: db, env: { DATABASE_READ_URL: db.readUrl } });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await pair?.stop();
  });

  it('slots are computed from the standby; writes (account, hours, meeting type, booking) all go to the primary', async () => {
    const { typeId } = await hostWithType(t);
    await pair.waitForReplay();
    expect(await slotStarts(t, typeId)).toContain(TUE_9AM_NY);

    // The hours and busy-time statement ran on the app's read pool, which is connected to the standby only
    // (pg_stat_activity keeps the first 1 kB of its text: the name in its leading comment).
    const reads = `SELECT query FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`;
    const onStandby = await pair.standbyQuery<{ query: string }>(reads, [db.name, READ_APPLICATION_NAME]);
    expect(onStandby.map((r) => r.query)).toContainEqual(expect.stringContaining('kairos_hours_and_busy'));
    expect(await pair.primaryQuery(reads, [db.name, READ_APPLICATION_NAME])).toEqual([]);

    await book(t, typeId, TUE_10AM_NY, 'first').expect(201);
    // A standby rejects every write ("cannot execute ... in a read-only transaction"): none was attempted there.
    expect(pair.standbyLog()).not.toMatch(/read-only transaction|ERROR/);
  });

  it('replay paused: a slot booked on the primary still shows free, a second booking of it gets 409 from the primary re-check, and the stale answer is not cached', async () => {
    const { host, typeId } = await hostWithType(t);
    await pair.waitForReplay();
    expect(await slotStarts(t, typeId)).toContain(TUE_9AM_NY);

    await pair.standbyQuery('SELECT pg_wal_replay_pause()');
    try {
      const first = await book(t, typeId, TUE_9AM_NY, 'winner').expect(201);
      const before = await cacheCounts(t);
      // The version bump invalidated the cached entry; the standby has not replayed the booking yet.
      expect(await slotStarts(t, typeId)).toContain(TUE_9AM_NY);
      expect(await slotStarts(t, typeId)).toContain(TUE_9AM_NY);
      const whilePaused = await cacheCounts(t);
      expect(whilePaused.miss - before.miss).toBe(2); // computed twice: a lagging replica's answer is never cached
      expect(whilePaused.hit - before.hit).toBe(0);

      const second = await book(t, typeId, TUE_9AM_NY, 'loser').expect(409);
      expect(second.body).toMatchObject({ status_code: 409, error: 'Conflict' });
      const rows = await t.dataSource.query(`SELECT booking_id FROM booking_hosts WHERE user_id = $1 AND is_live`, [host.id]);
      expect(rows).toEqual([{ booking_id: first.body.id }]);
    } finally {
      await pair.standbyQuery('SELECT pg_wal_replay_resume()');
    }

    await pair.waitForReplay();
    const before = await cacheCounts(t);
    expect(await slotStarts(t, typeId)).not.toContain(TUE_9AM_NY);
    expect(await slotStarts(t, typeId)).not.toContain(TUE_9AM_NY);
    const after = await cacheCounts(t);
    // Once caught up, the entry is cached again: one miss, then a hit.
    expect(after.miss - before.miss).toBe(1);
    expect(after.hit - before.hit).toBe(1);
  });
});

// Without a standby: DATABASE_READ_URL on the same server under a role whose transactions are read-only, so any write
// routed there would fail (SQLSTATE 25006) instead of silently landing.
(USE_EMBEDDED_DB ? describe.skip : describe)('read replica: a read-only role on the primary as DATABASE_READ_URL', () => {
  const role = `kairos_ro_${randomBytes(4).toString('hex')}`;
  let db: TestDatabase;
  let t: TestApp;
  let admin: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`ALTER ROLE ${role} SET default_transaction_read_only = on`);
    // The migrations create the tables when the app starts: grant reading them ahead.
    await admin.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO ${role}`);
    const readUrl = new URL(db.url);
    readUrl.username = role;
    t = await startTestApp({ now: NOW, database: db, env: { DATABASE_READ_URL: readUrl.toString() } });
  });
  afterAll(async () => {
    await admin?.end();
    await t?.close(); // drops the database, and with it the default privileges
    const root = new pg.Client({ connectionString: new URL('/postgres', db.url).toString() });
    await root.connect();
    await root.query(`DROP ROLE IF EXISTS ${role}`);
    await root.end();
  });

  it('slots read through the read role; bookings and other writes succeed on the primary; the role really cannot write', async () => {
    const { host, typeId } = await hostWithType(t);
    expect(await slotStarts(t, typeId)).toContain(TUE_9AM_NY);
    const sessions = await admin.query(`SELECT application_name, query FROM pg_stat_activity WHERE datname = $1 AND usename = $2`, [
      db.name,
      role,
    ]);
    expect(new Set(sessions.rows.map((r) => r.application_name))).toEqual(new Set([READ_APPLICATION_NAME]));
    expect(sessions.rows.map((r) => r.query)).toContainEqual(expect.stringContaining('kairos_hours_and_busy'));

    await book(t, typeId, TUE_9AM_NY, 'ro-1').expect(201);
    await book(t, typeId, TUE_9AM_NY, 'ro-2').expect(409);
    expect(await slotStarts(t, typeId)).not.toContain(TUE_9AM_NY);
    await setWeeklyHours(t, host, 'America/New_York', [{ day_of_week: 2, start_time: '09:00', end_time: '12:00' }]);
    expect(await slotStarts(t, typeId)).not.toContain('2027-03-02T17:00:00Z'); // noon NY: the new hours are read

    const reader = new pg.Client({ connectionString: new URL(`postgres://${role}@${new URL(db.url).host}/${db.name}`).toString() });
    await reader.connect();
    try {
      await expect(reader.query(`DELETE FROM bookings`)).rejects.toMatchObject({ code: '25006' });
    } finally {
      await reader.end();
    }
  });
});
