// `npm run bench:history`: do slots and booking latency grow with the number of historical bookings?
//
//   npm run bench:history                                     smoke run: sizes 0 and 100,000
//   npm run bench:history -- --sizes 0,1000000,10000000      the issue's sizes (10M: generation takes a while, see docs)
//
// Creates its own database on the PostgreSQL server (dropped at the end, also on failure or Ctrl-C), lets the built app
// migrate it, seeds hosts with SQL, then for each size (ascending, reached incrementally) generates bookings set-based in
// SQL, VACUUM ANALYZEs, starts one app process with a fresh Redis prefix (cold caches) and measures slots cold, slots
// warm and booking creation at fixed offered rates (open loop: a slow response does not slow the sender down).
// Settings (env): HISTORY_SIZES, HISTORY_HOSTS (2000), HISTORY_CHUNK (500000 bookings per transaction),
// HISTORY_SECONDS (20 per phase), HISTORY_COLD_RATE (10/s), HISTORY_WARM_RATE (25/s), HISTORY_BOOKING_RATE (10/s):
// rates below what the app sustains on a shared 2-core machine, so latency, not queueing, is measured (a trivial
// endpoint is measured beside them as the machine's own noise); HISTORY_KEEP_DB=1,
// HISTORY_FK_CHECKS=1 (keep foreign-key triggers on while generating; by default they are skipped, rows are consistent
// by construction, while the exclusion constraint and unique indexes still check every row),
// HISTORY_ADMIN_DB (postgres://postgres@127.0.0.1:5432/postgres), HISTORY_REDIS_URL (redis://127.0.0.1:6379),
// HISTORY_PORT (3911).
// Long runs in two steps (10M takes about an hour to generate; measure it with the code as it is later):
//   HISTORY_MEASURE=0 npm run bench:history -- --sizes 10000000     generate only, keep both databases, print the run id
//   HISTORY_RUN=<id> npm run bench:history                          measure a kept pair at the size it holds (kept)
//   HISTORY_RUN=<id> HISTORY_DONE_PAST=.. HISTORY_DONE_FUTURE=.. ... -- --sizes N   grow a kept pair further (same week)
// HISTORY_WORKERS (2): sessions generating chunks side by side, when triggers are skipped (see Generator.prepare).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { BENCH_METRICS_TOKEN, type BenchApp, runningApps, startBenchApp } from './app-process.js';

const ADMIN_DB = process.env.HISTORY_ADMIN_DB ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.HISTORY_REDIS_URL ?? 'redis://127.0.0.1:6379';
const HOSTS = Number(process.env.HISTORY_HOSTS ?? 2000);
const CHUNK = Number(process.env.HISTORY_CHUNK ?? 500_000);
const WORKERS = Math.max(1, Number(process.env.HISTORY_WORKERS ?? 2));
const SECONDS = Number(process.env.HISTORY_SECONDS ?? 20);
const COLD_RATE = Number(process.env.HISTORY_COLD_RATE ?? 10);
const WARM_RATE = Number(process.env.HISTORY_WARM_RATE ?? 25);
const BOOKING_RATE = Number(process.env.HISTORY_BOOKING_RATE ?? 10);
/** Leaves the database (and app stopped) for a look with psql afterwards; prints its name. */
const MEASURE = process.env.HISTORY_MEASURE !== '0';
const REUSE_RUN = process.env.HISTORY_RUN;
if (REUSE_RUN !== undefined && !/^[0-9a-f]{8}$/.test(REUSE_RUN)) throw new Error(`HISTORY_RUN: expected a run id such as 1a2b3c4d`);
const KEEP_DB = process.env.HISTORY_KEEP_DB === '1' || !MEASURE || REUSE_RUN !== undefined;
const PORT = Number(process.env.HISTORY_PORT ?? 3911);
/** The app's /metrics needs a bearer token; the bench reads the serialization-retry counter from it. */
const METRICS_TOKEN = BENCH_METRICS_TOKEN;
/** Hosts 0..TEAMS*10-1 form teams of ten, each with a round-robin and a collective type. */
const TEAMS = Math.min(100, Math.floor(HOSTS / 20));
/** Share of bookings that lie ahead (the rest is history over the past three years). */
const FUTURE_SHARE = 0.03;
/** Host zones and their rough UTC offsets (hours), so generated bookings fall in the hosts' working hours. */
const ZONES = [
  'America/New_York',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'America/Los_Angeles',
  'Australia/Sydney',
  'UTC',
];
const SHIFTS = [-5, 0, 1, 5, 9, -8, 10, 0];
/**
 * Each host has a grid of one-hour cells (Mon-Fri 09:00-17:00 in its zone): 156 weeks behind, 12 ahead. Booking k of a
 * host takes cell (k * P + host * 37) mod S, a bijection while k < S, so no two bookings of a host ever overlap (live
 * future rows must satisfy the exclusion constraint; past rows are kept apart for realism).
 */
const PAST = { stream: 'p', weeks: 156, prime: 7919 } as const;
const FUTURE = { stream: 'f', weeks: 12, prime: 7 } as const;
const CELLS_PER_WEEK = 40;

type Stream = typeof PAST | typeof FUTURE;

interface Figures {
  p50: number;
  p95: number;
  p99: number;
  ok: number;
  failed: number;
  rate: number;
  /** The machine's 1-minute load average at the end of the run (other work shares the cores). */
  load: number;
}

interface SizeResult {
  size: number;
  rows: Record<string, number>;
  dbBytes: number;
  generationSeconds: number;
  /** GET /health/live: no database, no cache; what the machine's load alone costs. */
  trivial: Figures;
  cold: Figures;
  warm: Figures;
  booking: Figures;
  /** The same phases against the database without history, right before. */
  baseline: Pick<SizeResult, 'trivial' | 'cold' | 'warm' | 'booking'>;
}

function parseSizes(): number[] {
  const i = process.argv.indexOf('--sizes');
  const raw = i >= 0 ? process.argv[i + 1] : (process.env.HISTORY_SIZES ?? '0,100000');
  const sizes = (raw ?? '').split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 0))
    throw new Error(`--sizes: expected e.g. 0,1000000 (got "${raw}")`);
  if (sizes.some((n, j) => j > 0 && n <= sizes[j - 1])) throw new Error('--sizes must be ascending: sizes are reached incrementally');
  return sizes;
}

/** A deterministic, valid version-4 UUID from text (the API validates ids), so generated rows can point at each other. */
const uuidOf = (textExpr: string) => `overlay(overlay(md5(${textExpr}) placing '4' from 13) placing '8' from 17)::uuid`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const day = (base: Date, n: number) => new Date(base.getTime() + n * 86_400_000).toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------------------------------
// The app process

type App = BenchApp;

function startApp(databaseUrl: string, redisPrefix: string): Promise<App> {
  return startBenchApp({ port: PORT, databaseUrl, redisUrl: REDIS, redisPrefix });
}

// ---------------------------------------------------------------------------------------------------------------------
// Generation (all set-based SQL on one session; the helper tables are temporary)

/** Columns the generator writes, per table. Every NOT NULL column without a default must be among them. */
const WRITES: Record<string, string[]> = {
  users: ['id', 'email', 'name', 'username', 'time_zone', 'password_hash'],
  schedules: ['id', 'user_id', 'name', 'time_zone', 'is_default'],
  availability_rules: ['schedule_id', 'user_id', 'day_of_week', 'start_time', 'end_time'],
  teams: ['id', 'name', 'created_by'],
  team_members: ['team_id', 'user_id', 'role'],
  meeting_types: ['id', 'user_id', 'team_id', 'name', 'slug', 'kind', 'seats', 'duration_minutes'],
  meeting_type_hosts: ['meeting_type_id', 'user_id'],
  bookings: [
    'id',
    'meeting_type_id',
    'host_user_id',
    'start_time',
    'end_time',
    'time_zone',
    'status',
    'location',
    'cancellation_reason',
    'cancelled_by',
    'rescheduled_from_id',
    'rescheduled_to_id',
    'assignment_reason',
    'ical_uid',
    'ical_sequence',
    'created_at',
    'updated_at',
  ],
  booking_invitees: ['id', 'booking_id', 'name', 'email', 'time_zone', 'phone', 'answers', 'management_token_hash', 'status', 'created_at'],
  booking_hosts: ['id', 'booking_id', 'hold_id', 'user_id', 'blocked', 'is_live'],
  notification_deliveries: [
    'id',
    'booking_id',
    'ical_uid',
    'kind',
    'channel',
    'recipient',
    'recipient_role',
    'recipient_id',
    'revision',
    'event_type',
    'outbox_event_id',
    'visible_to',
    'payload',
    'status',
    'due_at',
    'attempts',
    'max_attempts',
    'sent_at',
    'created_at',
    'updated_at',
  ],
  outbox_events: ['event_type', 'booking_id', 'payload', 'occurred_at'],
};
const COUNTED = ['bookings', 'booking_invitees', 'booking_hosts', 'notification_deliveries', 'outbox_events'];
const cols = (table: string) => WRITES[table].join(', ');

/** Fails clearly when the schema moved under the generator (say a partitioning migration added a required column). */
export async function checkColumns(db: pg.Client): Promise<void> {
  const problems: string[] = [];
  for (const [table, written] of Object.entries(WRITES)) {
    const { rows } = await db.query<{ column_name: string; required: boolean }>(
      `SELECT column_name, (is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO' AND is_generated = 'NEVER') AS required
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
      [table],
    );
    if (rows.length === 0) problems.push(`table ${table} does not exist`);
    const present = new Set(rows.map((r) => r.column_name));
    for (const c of written) if (!present.has(c)) problems.push(`${table}.${c} no longer exists`);
    for (const r of rows)
      if (r.required && !written.includes(r.column_name)) problems.push(`${table}.${r.column_name} is NOT NULL without a default`);
  }
  if (problems.length) {
    throw new Error(`history generator: the schema changed and bench/history.bench.ts does not fill it:\n  - ${problems.join('\n  - ')}`);
  }
}

/** The session's map of host index to ids (temporary tables, so every generating connection builds its own). */
async function benchTables(db: pg.Client, salt: string): Promise<void> {
  const id = (tag: string, expr: string) => uuidOf(`'${salt}:${tag}:' || ${expr}`);
  await db.query(
    `CREATE TEMP TABLE bench_hosts AS
     SELECT h AS idx, ${id('u', 'h')} AS user_id, ${id('s', 'h')} AS schedule_id,
            ($1::text[])[1 + h % 8] AS zone, ($2::int[])[1 + h % 8] AS shift,
            ${id('t30', 'h')} AS t30, ${id('t60', 'h')} AS t60,
            CASE WHEN h % 10 = 0 THEN ${id('tg', 'h')} END AS tgroup,
            CASE WHEN h < $4 * 10 THEN h / 10 END AS team
       FROM generate_series(0, $3::int - 1) h`,
    [ZONES, SHIFTS, HOSTS, TEAMS],
  );
  await db.query(`CREATE UNIQUE INDEX ON bench_hosts (idx)`);
  await db.query(
    `CREATE TEMP TABLE bench_teams AS
     SELECT t AS idx, ${id('team', 't')} AS team_id, ${id('rr', 't')} AS rr, ${id('coll', 't')} AS coll,
            (SELECT user_id FROM bench_hosts WHERE idx = t * 10) AS owner
       FROM generate_series(0, $1::int - 1) t`,
    [TEAMS],
  );
  await db.query(`CREATE UNIQUE INDEX ON bench_teams (idx)`);
}

export async function seedHosts(db: pg.Client, salt: string): Promise<void> {
  const t0 = performance.now();
  await db.query('BEGIN');
  await benchTables(db, salt);
  await db.query(
    `INSERT INTO users (${cols('users')})
     SELECT user_id, 'host' || idx || '@bench.example.com', 'Host ' || idx, 'host' || idx, zone, 'bench: no login' FROM bench_hosts`,
  );
  await db.query(`INSERT INTO schedules (${cols('schedules')}) SELECT schedule_id, user_id, 'Working hours', zone, true FROM bench_hosts`);
  await db.query(
    `INSERT INTO availability_rules (${cols('availability_rules')})
     SELECT schedule_id, user_id, d, '09:00', '17:00' FROM bench_hosts, generate_series(1, 5) d`,
  );
  await db.query(`INSERT INTO teams (${cols('teams')}) SELECT team_id, 'Team ' || idx, owner FROM bench_teams`);
  await db.query(
    `INSERT INTO team_members (${cols('team_members')})
     SELECT t.team_id, h.user_id, CASE WHEN h.user_id = t.owner THEN 'admin' ELSE 'member' END
       FROM bench_hosts h JOIN bench_teams t ON t.idx = h.team`,
  );
  await db.query(
    `INSERT INTO meeting_types (${cols('meeting_types')})
     SELECT t30, user_id, NULL::uuid, 'Intro call', 'intro', 'one_on_one', NULL::int, 30 FROM bench_hosts
     UNION ALL SELECT t60, user_id, NULL, 'Meeting', 'meeting', 'one_on_one', NULL, 60 FROM bench_hosts
     UNION ALL SELECT tgroup, user_id, NULL, 'Workshop', 'workshop', 'group', 5, 60 FROM bench_hosts WHERE tgroup IS NOT NULL
     UNION ALL SELECT rr, owner, team_id, 'Team call', 'team-call-' || idx, 'round_robin', NULL, 30 FROM bench_teams
     UNION ALL SELECT coll, owner, team_id, 'Team panel', 'team-panel-' || idx, 'collective', NULL, 30 FROM bench_teams`,
  );
  await db.query(
    `INSERT INTO meeting_type_hosts (${cols('meeting_type_hosts')})
     SELECT t30, user_id FROM bench_hosts
     UNION ALL SELECT t60, user_id FROM bench_hosts
     UNION ALL SELECT tgroup, user_id FROM bench_hosts WHERE tgroup IS NOT NULL
     UNION ALL SELECT t.rr, h.user_id FROM bench_hosts h JOIN bench_teams t ON t.idx = h.team
     UNION ALL SELECT t.coll, h.user_id FROM bench_hosts h JOIN bench_teams t ON t.idx = h.team`,
  );
  await db.query('COMMIT');
  console.log(`seeded ${HOSTS} hosts (${TEAMS} teams of 10) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** Monday 00:00 UTC of the week holding `d`. */
function mondayOf(d: Date): Date {
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  m.setUTCDate(m.getUTCDate() - ((m.getUTCDay() + 6) % 7));
  return m;
}

/**
 * Bookings [lo, hi) of a stream in one transaction. Booking i belongs to host i mod HOSTS as its k-th (k = i div HOSTS);
 * m = k mod 20 picks its fate: 0 and 3 cancelled (by invitee, by host), 1 rescheduled to booking i + HOSTS (m = 2, same
 * host, same iCalendar UID), 5-6 a group type with three seats on hosts that have one, 7-8 the team's round robin, 9 a
 * past collective meeting of the whole team. Ids are md5 of (run salt, stream, i), so pairs can point at each other.
 */
/**
 * One chunk in one transaction. `fillKeys`: the session skips triggers (session_replication_role = replica), so the
 * rows the key triggers would write (booking_keys, notification_delivery_keys) are written here, set-based.
 */
async function generateChunk(
  db: pg.Client,
  salt: string,
  s: Stream,
  origin: Date,
  lo: number,
  hi: number,
  fillKeys: KeyFilling,
): Promise<number> {
  const cells = s.weeks * CELLS_PER_WEEK;
  const idOf = (expr: string) => uuidOf(`'${salt}:${s.stream}:' || (${expr})`);
  await db.query('BEGIN');
  await db.query(
    `CREATE TEMP TABLE g ON COMMIT DROP AS
     SELECT x.*, ${idOf('x.i')} AS id,
            x.start_time + make_interval(mins => x.dur) AS end_time,
            CASE x.m WHEN 0 THEN 'cancelled' WHEN 3 THEN 'cancelled' WHEN 1 THEN 'rescheduled' ELSE 'confirmed' END AS status,
            CASE WHEN x.m = 1 AND x.i + $3 < $2 THEN ${idOf('x.i + $3')} END AS to_id,
            CASE WHEN x.m = 2 AND x.i - $3 >= 0 THEN ${idOf('x.i - $3')} END AS from_id,
            CASE WHEN x.m = 2 AND x.i - $3 >= 0 THEN ${idOf('x.i - $3')} ELSE ${idOf('x.i')} END::text || '@kairos' AS ical_uid,
            LEAST(x.start_time - make_interval(days => (x.i % 14)::int + 1, hours => (x.i % 7)::int), now() - interval '1 hour') AS created_at
       FROM (
         SELECT i, k, m, h.user_id AS host_id, h.team, h.zone, tk,
                CASE tk WHEN 'group' THEN h.tgroup WHEN 'rr' THEN t.rr WHEN 'coll' THEN t.coll WHEN 't60' THEN h.t60 ELSE h.t30 END AS type_id,
                CASE WHEN tk IN ('group', 't60') THEN 60 ELSE 30 END AS dur,
                CASE WHEN tk = 'group' THEN 3 ELSE 1 END AS seats,
                $5::timestamptz + make_interval(weeks => (cell / 40)::int, days => (cell % 40 / 8)::int, hours => (9 + cell % 8 - h.shift)::int) AS start_time
           FROM (SELECT i, i / $3 AS k, (i / $3) % 20 AS m, i % $3 AS hi, (i / $3 * $4 + i % $3 * 37) % $6 AS cell
                   FROM generate_series($1::bigint, $2::bigint - 1) i) q
           JOIN bench_hosts h ON h.idx = q.hi
           LEFT JOIN bench_teams t ON t.idx = h.team
           CROSS JOIN LATERAL (SELECT CASE
                  WHEN h.tgroup IS NOT NULL AND q.m IN (5, 6) THEN 'group'
                  WHEN h.team IS NOT NULL AND q.m IN (7, 8) THEN 'rr'
                  WHEN h.team IS NOT NULL AND q.m = 9 AND $7 = 'p' THEN 'coll'
                  WHEN q.k % 3 = 0 THEN 't60' ELSE 't30' END AS tk) c
       ) x`,
    [lo, hi, HOSTS, s.prime, origin, cells, s.stream],
  );
  const live = s.stream === 'f' ? `g.status = 'confirmed'` : 'false';
  await db.query(
    `INSERT INTO bookings (${cols('bookings')})
     SELECT id, type_id, host_id, start_time, end_time, ($1::text[])[1 + i % 8], status, '{"type":"video"}'::jsonb,
            CASE WHEN m = 3 THEN 'Host unavailable' END, CASE m WHEN 0 THEN 'invitee' WHEN 3 THEN 'host' END,
            from_id, NULL::uuid, CASE WHEN tk = 'rr' THEN '{"strategy":"round_robin"}'::jsonb END, ical_uid,
            CASE WHEN from_id IS NOT NULL THEN 1 ELSE 0 END, created_at,
            CASE WHEN status = 'confirmed' THEN created_at ELSE LEAST(created_at + interval '1 day', now()) END
       FROM g ORDER BY i`,
    [ZONES],
  );
  // invitees_from (migration 1764000006000): the invitees below are created with the booking.
  if (fillKeys === 'with-invitees-from') {
    await db.query(
      `INSERT INTO booking_keys (id, start_time, meeting_type_id, invitees_from) SELECT id, start_time, type_id, created_at FROM g`,
    );
  } else if (fillKeys) {
    await db.query(`INSERT INTO booking_keys (id, start_time, meeting_type_id) SELECT id, start_time, type_id FROM g`);
  }
  // The old side of a reschedule points at the new one afterwards, as the app does: inserted together, the two foreign
  // keys would form a cycle that a key table filled by row triggers (the partitioned shape) cannot check in one statement.
  await db.query(
    `UPDATE bookings b SET rescheduled_to_id = g.to_id FROM g WHERE g.to_id IS NOT NULL AND b.id = g.id AND b.start_time = g.start_time`,
  );
  await db.query(
    `INSERT INTO booking_invitees (${cols('booking_invitees')})
     SELECT gen_random_uuid(), g.id, 'Guest ' || (g.i % 700000) || '-' || n, 'guest' || (g.i % 700000) || '-' || n || '@example.com',
            ($1::text[])[1 + g.i % 8], NULL, '{}'::jsonb,
            md5('${salt}:${s.stream}:inv:' || g.i || ':' || n) || md5('${salt}:${s.stream}:tok:' || g.i || ':' || n),
            CASE WHEN g.status = 'cancelled' THEN 'cancelled' ELSE 'active' END, g.created_at
       FROM g CROSS JOIN LATERAL generate_series(1, g.seats) n`,
    [ZONES],
  );
  await db.query(
    `INSERT INTO booking_hosts (${cols('booking_hosts')})
     SELECT gen_random_uuid(), g.id, NULL::uuid, g.host_id, tstzrange(g.start_time, g.end_time, '[)'), ${live} FROM g WHERE g.tk <> 'coll'
     UNION ALL
     SELECT gen_random_uuid(), g.id, NULL, h.user_id, tstzrange(g.start_time, g.end_time, '[)'), false
       FROM g JOIN bench_hosts h ON h.team = g.team WHERE g.tk = 'coll'`,
  );
  // Confirmation for every booking; then a reminder (past confirmed), a cancellation or a reschedule notice. All sent.
  const deliveries = `INSERT INTO notification_deliveries (${cols('notification_deliveries')})
     SELECT gen_random_uuid(), g.id, g.ical_uid, d.kind, 'email', 'guest' || (g.i % 700000) || '-1@example.com', 'invitee', NULL::uuid,
            d.rev, d.event_type, NULL::bigint, ARRAY[g.host_id], jsonb_build_object('subject', d.kind, 'start_time', g.start_time),
            'sent', d.due, 1, 8, d.due + interval '2 seconds', d.due, d.due + interval '2 seconds'
       FROM g CROSS JOIN LATERAL (VALUES
              ('confirmation', 0, 'booking.created', g.created_at),
              (CASE g.status WHEN 'cancelled' THEN 'cancellation' WHEN 'rescheduled' THEN 'reschedule' ELSE 'reminder' END,
               CASE WHEN g.status = 'confirmed' THEN 0 ELSE 1 END,
               CASE g.status WHEN 'cancelled' THEN 'booking.cancelled' WHEN 'rescheduled' THEN 'booking.rescheduled' ELSE 'booking.created' END,
               CASE WHEN g.status = 'confirmed' THEN g.start_time - interval '1 day' ELSE LEAST(g.created_at + interval '1 day', now()) END)
            ) d(kind, rev, event_type, due)
      WHERE d.kind <> 'reminder' OR g.start_time < now()`;
  await db.query(
    fillKeys
      ? `WITH ins AS (${deliveries} RETURNING id, created_at) INSERT INTO notification_delivery_keys (id, created_at) SELECT id, created_at FROM ins`
      : deliveries,
  );
  await db.query(
    `INSERT INTO outbox_events (${cols('outbox_events')})
     SELECT d.event_type, g.id,
            jsonb_build_object('booking_id', g.id, 'meeting_type_id', g.type_id, 'host_user_ids', jsonb_build_array(g.host_id),
                               'start_time', g.start_time, 'end_time', g.end_time),
            d.at
       FROM g CROSS JOIN LATERAL (VALUES ('booking.created', g.created_at),
              (CASE g.status WHEN 'cancelled' THEN 'booking.cancelled' WHEN 'rescheduled' THEN 'booking.rescheduled' END,
               LEAST(g.created_at + interval '1 day', now()))) d(event_type, at)
      WHERE d.event_type IS NOT NULL`,
  );
  await db.query('COMMIT');
  return hi - lo;
}

/** Every outbox consumer has already relayed the generated events (else the app would replay millions of them). */
async function markOutboxRelayed(db: pg.Client): Promise<void> {
  await db.query(
    `INSERT INTO outbox_consumer_offsets (consumer, last_txid, last_event_id)
     SELECT c, e.txid, e.id FROM unnest($1::text[]) c,
            (SELECT txid, id FROM outbox_events ORDER BY txid DESC, id DESC LIMIT 1) e
     ON CONFLICT (consumer) DO UPDATE SET last_txid = EXCLUDED.last_txid, last_event_id = EXCLUDED.last_event_id, updated_at = now()`,
    [['notify', 'audit', 'calendar-writer']],
  );
  // Consumers the list above does not know yet (a new one) are moved too.
  await db.query(
    `UPDATE outbox_consumer_offsets o SET last_txid = e.txid, last_event_id = e.id, updated_at = now()
       FROM (SELECT txid, id FROM outbox_events ORDER BY txid DESC, id DESC LIMIT 1) e`,
  );
}

/** Triggers the generator may skip by writing their rows itself: the key tables of the partitioned shape. */
const KEY_TRIGGERS = new Set([
  'bookings.bookings_keys',
  'bookings.bookings_keys_fixed',
  'notification_deliveries.notification_deliveries_keys',
  'notification_deliveries.notification_deliveries_created_fixed',
  'booking_invitees.booking_invitees_from',
]);

/** Whether the generator writes the key rows the skipped triggers would (and booking_keys.invitees_from with them). */
type KeyFilling = false | 'keys' | 'with-invitees-from';

export class Generator {
  private done = { p: 0, f: 0 };
  readonly pastOrigin: Date;
  readonly futureOrigin: Date;
  /** Sessions that generate chunks side by side (the first is `db`); more than one only when triggers are skipped. */
  private sessions: pg.Client[] = [];
  private fillKeys: KeyFilling = false;

  constructor(
    private readonly db: pg.Client,
    private readonly salt: string,
    now: Date,
    private readonly databaseUrl?: string,
  ) {
    this.futureOrigin = mondayOf(new Date(now.getTime() + 7 * 86_400_000));
    this.pastOrigin = new Date(mondayOf(now).getTime() - (PAST.weeks + 1) * 7 * 86_400_000);
  }

  /** Continues a kept run (HISTORY_RUN): how many past and future bookings it already holds (printed as it grew). */
  resumeFrom(done: { p: number; f: number }): void {
    this.done = { ...done };
  }

  /**
   * Foreign-key checks are row triggers and dominate bulk inserts; session_replication_role = replica skips them (and
   * every other trigger). Allowed when the tables we write have no triggers, or only the key triggers of the
   * partitioned shape, whose rows the generator then writes itself; constraints and indexes still apply. Rows are
   * consistent by construction (checked after generation). HISTORY_FK_CHECKS=1 keeps every trigger on (one session).
   */
  async prepare(): Promise<void> {
    const { rows } = await this.db.query<{ name: string }>(
      `SELECT tgrelid::regclass || '.' || tgname AS name FROM pg_trigger
        WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relname = ANY($1) AND relnamespace = 'public'::regnamespace)`,
      [Object.keys(WRITES)],
    );
    // Monthly partitions (the partitioned shape): create the past months up front, so history does not pile up in the
    // DEFAULT partition.
    const [{ fn }] = (await this.db.query<{ fn: string | null }>(`SELECT to_regproc('kairos_ensure_partitions')::text AS fn`)).rows;
    if (fn) await this.db.query(`SELECT kairos_ensure_partitions($1, 4)`, [this.pastOrigin]);
    const unknown = rows.map((r) => r.name).filter((n) => !KEY_TRIGGERS.has(n));
    const replica = process.env.HISTORY_FK_CHECKS !== '1' && unknown.length === 0;
    const [{ bounded }] = (
      await this.db.query<{ bounded: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'booking_keys' AND column_name = 'invitees_from') AS bounded`,
      )
    ).rows;
    this.fillKeys = replica && rows.length > 0 ? (bounded ? 'with-invitees-from' : 'keys') : false;
    if (process.env.HISTORY_FK_CHECKS === '1') console.log('foreign-key checks on while generating (HISTORY_FK_CHECKS=1)');
    else if (!replica) console.log(`foreign-key checks stay on: the tables have triggers (${unknown.join(', ')})`);
    else if (this.fillKeys) console.log('triggers skipped while generating; booking_keys and notification_delivery_keys written set-based');
    const workers = replica && this.databaseUrl ? WORKERS : 1;
    this.sessions = [this.db];
    for (let i = 1; i < workers; i++) {
      const c = new pg.Client({ connectionString: this.databaseUrl });
      await c.connect();
      await benchTables(c, this.salt);
      this.sessions.push(c);
    }
    for (const c of this.sessions) {
      await c.query(`SET work_mem = '256MB'`);
      await c.query(`SET synchronous_commit = off`);
      if (replica) await c.query(`SET session_replication_role = replica`);
    }
    if (workers > 1) console.log(`${workers} sessions generate chunks side by side (HISTORY_WORKERS)`);
  }

  async close(): Promise<void> {
    for (const c of this.sessions.slice(1)) await c.end().catch(() => undefined);
    this.sessions = [this.db];
  }

  /** Brings the total to `size` bookings; returns seconds spent (generation and VACUUM ANALYZE). */
  async reach(size: number): Promise<number> {
    const future = Math.round(size * FUTURE_SHARE);
    const targets = { p: size - future, f: future };
    for (const s of [PAST, FUTURE]) {
      const perHost = Math.ceil(targets[s.stream] / HOSTS);
      if (perHost > s.weeks * CELLS_PER_WEEK) {
        throw new Error(
          `${size} bookings need ${perHost} ${s.stream === 'p' ? 'past' : 'future'} bookings per host, more than the ` +
            `${s.weeks * CELLS_PER_WEEK} free hours: raise HISTORY_HOSTS`,
        );
      }
    }
    const t0 = performance.now();
    const before = this.done.p + this.done.f;
    // Chunks are independent when triggers are skipped (a reschedule's two rows are in one chunk or point back at a
    // committed one by id only), so each session takes the next chunk as it finishes one.
    const chunks: { s: Stream; lo: number; hi: number }[] = [];
    for (const s of [PAST, FUTURE]) {
      for (let lo = this.done[s.stream]; lo < targets[s.stream]; lo += CHUNK)
        chunks.push({ s, lo, hi: Math.min(targets[s.stream], lo + CHUNK) });
    }
    let generated = 0;
    const work = async (session: pg.Client) => {
      for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
        const { s, lo, hi } = chunk;
        const c0 = performance.now();
        await generateChunk(session, this.salt, s, s === PAST ? this.pastOrigin : this.futureOrigin, lo, hi, this.fillKeys);
        generated += hi - lo;
        console.log(
          `  ${s.stream === 'p' ? 'past  ' : 'future'} bookings ${lo}..${hi - 1}: ${((performance.now() - c0) / 1000).toFixed(1)} s ` +
            `(${before + generated} of ${size}, ${Math.round(generated / ((performance.now() - t0) / 1000 || 1))} bookings/s in this step)`,
        );
      }
    };
    await Promise.all(this.sessions.map(work));
    this.done = { p: Math.max(this.done.p, targets.p), f: Math.max(this.done.f, targets.f) };
    if (size > 0) await markOutboxRelayed(this.db);
    if (this.fillKeys) await checkKeys(this.db);
    const v0 = performance.now();
    await this.db.query('VACUUM ANALYZE');
    console.log(`  VACUUM ANALYZE: ${((performance.now() - v0) / 1000).toFixed(1)} s`);
    return (performance.now() - t0) / 1000;
  }
}

/** With triggers skipped, what they would have kept: every booking and delivery has its key, every reference a target. */
async function checkKeys(db: pg.Client): Promise<void> {
  const { rows } = await db.query<{ problem: string; n: string }>(
    `SELECT 'bookings without a key' AS problem, count(*) AS n FROM bookings b WHERE NOT EXISTS (SELECT 1 FROM booking_keys k WHERE k.id = b.id)
     UNION ALL SELECT 'keys without a booking', count(*) FROM booking_keys k
       WHERE NOT k.archived AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.id = k.id AND b.start_time = k.start_time)
     UNION ALL SELECT 'deliveries without a key', (SELECT count(*) FROM notification_deliveries) - (SELECT count(*) FROM notification_delivery_keys)
     UNION ALL SELECT 'dangling booking references', count(*) FROM (
       SELECT booking_id FROM booking_invitees UNION ALL SELECT booking_id FROM booking_hosts
       UNION ALL SELECT rescheduled_from_id FROM bookings WHERE rescheduled_from_id IS NOT NULL
       UNION ALL SELECT rescheduled_to_id FROM bookings WHERE rescheduled_to_id IS NOT NULL) r(id)
       WHERE NOT EXISTS (SELECT 1 FROM booking_keys k WHERE k.id = r.id)`,
  );
  const bad = rows.filter((r) => Number(r.n) !== 0);
  if (bad.length) throw new Error(`generated rows inconsistent: ${bad.map((r) => `${r.problem}: ${r.n}`).join(', ')}`);
  console.log('  keys and references checked: consistent');
}

// ---------------------------------------------------------------------------------------------------------------------
// Measurement: open loop at a fixed offered rate, every latency kept (exact percentiles)

interface Req {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Latencies are also reported per tag (one-on-one and round-robin bookings). */
  tag?: string;
}

async function openLoop(base: string, rate: number, seconds: number, next: (n: number) => Req): Promise<Figures> {
  const total = Math.max(1, Math.round(rate * seconds));
  const latencies: number[] = [];
  const tagged = new Map<string, number[]>();
  let ok = 0;
  let failed = 0;
  const statuses = new Map<string, number>();
  const inFlight: Promise<void>[] = [];
  const t0 = performance.now();
  for (let n = 0; n < total; n++) {
    const due = t0 + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const r = next(n);
    const sent = performance.now();
    inFlight.push(
      fetch(base + r.path, {
        method: r.method,
        headers: r.body === undefined ? undefined : { 'content-type': 'application/json' },
        body: r.body === undefined ? undefined : JSON.stringify(r.body),
      })
        .then(async (res) => {
          const text = await res.text();
          if (!res.ok && !statuses.has(String(res.status))) console.log(`    first ${res.status}: ${text.slice(0, 200)}`);
          latencies.push(performance.now() - sent);
          if (r.tag) tagged.set(r.tag, [...(tagged.get(r.tag) ?? []), performance.now() - sent]);
          if (res.ok) ok++;
          else {
            failed++;
            statuses.set(String(res.status), (statuses.get(String(res.status)) ?? 0) + 1);
          }
        })
        .catch((error: Error & { cause?: { code?: string } }) => {
          failed++;
          const key = `${error.message}${error.cause?.code ? ` (${error.cause.code})` : ''}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
        }),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - t0) / 1000;
  const load = os.loadavg()[0];
  if (statuses.size) console.log(`    failures: ${[...statuses].map(([k, v]) => `${v} x ${k}`).join(', ')}`);
  const pct = (list: number[], p: number) => list[Math.min(list.length - 1, Math.ceil((p / 100) * list.length) - 1)] ?? NaN;
  latencies.sort((a, b) => a - b);
  for (const [tag, list] of tagged) {
    list.sort((a, b) => a - b);
    console.log(`    ${tag}: ${list.length} requests, p50 ${ms(pct(list, 50))} ms, p99 ${ms(pct(list, 99))} ms`);
  }
  return { p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), ok, failed, rate: ok / elapsed, load };
}

/** The app's count of retried serializable booking transactions (Prometheus text at /metrics). */
async function bookingRetries(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return Number(/^kairos_booking_serialization_retries_total (\d+)/m.exec(text)?.[1] ?? NaN);
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface HostTypes {
  idx: number;
  t30: string;
  team: number | null;
}

async function measure(app: App, db: pg.Client, tag: string): Promise<Pick<SizeResult, 'trivial' | 'cold' | 'warm' | 'booking'>> {
  const hosts = (await db.query<HostTypes>(`SELECT idx, t30::text, team FROM bench_hosts ORDER BY idx`)).rows;
  const teams = (await db.query<{ rr: string }>(`SELECT rr::text FROM bench_teams ORDER BY idx`)).rows;
  const today = new Date();
  const slotsPath = (type: string, from: number, days: number) =>
    `/api/availability/slots?meeting_type_id=${type}&date=${day(today, from)}&end_date=${day(today, from + days - 1)}&timezone=UTC`;
  // Cold: every request a distinct (type, week) the cache has never seen; one in five a team's round robin over 10 hosts.
  const coldPath = (j: number) =>
    j % 5 === 0 && teams.length
      ? slotsPath(teams[Math.floor(j / 5) % teams.length].rr, 1 + (j % 42), 7)
      : slotsPath(hosts[j % hosts.length].t30, 1 + (j % 42), 7);
  // Warm-up (JIT, pools) on pages the measured phases never ask for.
  await openLoop(app.url, 10, 5, (n) => ({ method: 'GET', path: slotsPath(hosts[(n * 7) % hosts.length].t30, 60 + (n % 20), 7) }));
  const trivial = await openLoop(app.url, 10, Math.min(SECONDS, 10), () => ({ method: 'GET', path: '/health/live' }));
  console.log(`    trivial     ${fmtFigures(trivial)}`);
  const cold = await openLoop(app.url, COLD_RATE, SECONDS, (n) => ({ method: 'GET', path: coldPath(n) }));
  console.log(`    slots cold  ${fmtFigures(cold)}`);

  // Warm: ten pages already in the cache, asked again and again.
  const warmPaths = Array.from({ length: 10 }, (_, j) => coldPath(j));
  for (const p of warmPaths) await getJson(app.url + p);
  const warm = await openLoop(app.url, WARM_RATE, SECONDS, (n) => ({ method: 'GET', path: warmPaths[n % warmPaths.length] }));
  console.log(`    slots warm  ${fmtFigures(warm)}`);

  // Bookings: distinct free slots in weeks 13-14 ahead (beyond the generated future grid, so later sizes' generated live
  // rows never meet them), an hour apart so none excludes another. One in five books a team's round robin (its host
  // choice reads the type's booking history), the rest hosts outside the teams.
  const need = Math.round(BOOKING_RATE * SECONDS);
  const from = Math.round((mondayOf(today).getTime() + (FUTURE.weeks + 1) * 7 * 86_400_000 - today.getTime()) / 86_400_000) + 7;
  const collect = async (types: string[], count: number, perType: number) => {
    const out: { type: string; start: string }[] = [];
    for (const type of types) {
      if (out.length >= count) break;
      const { slots } = await getJson<{ slots: { start_time: string }[] }>(app.url + slotsPath(type, from, 14));
      let last = -Infinity;
      let taken = 0;
      for (const sl of slots) {
        const t = Date.parse(sl.start_time);
        if (t - last < 3_600_000) continue;
        last = t;
        out.push({ type, start: sl.start_time });
        if (out.length >= count || ++taken >= perType) break;
      }
    }
    return out;
  };
  // Few slots per host, taken host after host: the app serializes one host's bookings (advisory lock), and a pool
  // drawn from a handful of hosts would measure that queue instead of the booking.
  const interleave = (list: { type: string; start: string }[]) => {
    const rank = new Map<string, number>();
    return list
      .map((slot) => {
        const r = rank.get(slot.type) ?? 0;
        rank.set(slot.type, r + 1);
        return { slot, r };
      })
      .sort((a, b) => a.r - b.r)
      .map((x) => x.slot);
  };
  const rrCount = teams.length ? Math.floor(need / 5) : 0;
  const rrPool = interleave(
    await collect(
      teams.map((t) => t.rr),
      rrCount,
      2,
    ),
  );
  const onePool = interleave(
    await collect(
      hosts.filter((x) => x.team === null).map((x) => x.t30),
      need - rrPool.length,
      3,
    ),
  );
  const pool = onePool.flatMap((slot, j) => (j % 4 === 0 && rrPool[j / 4] ? [rrPool[j / 4], slot] : [slot]));
  if (pool.length < need) console.log(`    only ${pool.length} free slots for ${need} bookings`);
  const retriesBefore = await bookingRetries(app.url);
  const booking = await openLoop(app.url, BOOKING_RATE, SECONDS, (n) => ({
    method: 'POST',
    tag: rrPool.includes(pool[n % pool.length]) ? 'round robin' : 'one-on-one',
    path: '/api/bookings',
    body: {
      meeting_type_id: pool[n % pool.length].type,
      start_time: pool[n % pool.length].start,
      invitee_name: 'Load',
      invitee_email: `load-${tag}-${n}@example.com`,
      time_zone: 'UTC',
    },
  }));
  console.log(`    bookings    ${fmtFigures(booking)}; serialization retries ${(await bookingRetries(app.url)) - retriesBefore}`);
  return { trivial, cold, warm, booking };
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
const fmtFigures = (f: Figures) =>
  `p50 ${ms(f.p50)} ms, p95 ${ms(f.p95)} ms, p99 ${ms(f.p99)} ms, ${f.rate.toFixed(1)}/s achieved, ${f.ok} ok, ${f.failed} failed, load ${f.load.toFixed(1)}`;

export async function counts(db: pg.Client): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of COUNTED) out[t] = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
  return out;
}

function printTable(results: SizeResult[]): void {
  const x = (v: number, b: number) => (b > 0 && Number.isFinite(v) ? `${(v / b).toFixed(2)}x` : '-');
  const pair = (f: Figures) => `${ms(f.p50)}/${ms(f.p99)}`;
  console.log('\nHistory at scale: p50/p99 in ms, history database (H) and baseline without history (B) measured back to back');
  console.log(
    [
      'size',
      'bookings/invitees/hosts/deliveries/outbox',
      'db',
      'gen s',
      'trivial H | B',
      'cold H | B',
      'warm H | B',
      'booking H | B',
      'p99 H/B cold warm booking',
      'load',
    ].join(' | '),
  );
  for (const r of results) {
    const b = r.baseline;
    console.log(
      [
        r.size,
        COUNTED.map((t) => r.rows[t]).join('/'),
        `${(r.dbBytes / 2 ** 30).toFixed(2)} GB`,
        r.generationSeconds.toFixed(0),
        `${pair(r.trivial)} | ${pair(b.trivial)}`,
        `${pair(r.cold)} | ${pair(b.cold)}`,
        `${pair(r.warm)} | ${pair(b.warm)}`,
        `${pair(r.booking)} | ${pair(b.booking)}`,
        `${x(r.cold.p99, b.cold.p99)} ${x(r.warm.p99, b.warm.p99)} ${x(r.booking.p99, b.booking.p99)}`,
        Math.max(r.cold.load, r.warm.load, r.booking.load, b.cold.load, b.warm.load, b.booking.load).toFixed(1),
      ].join(' | '),
    );
  }
  const first = results[0];
  console.log(
    `p99 against the first size (${first.size}), history database: ` +
      results
        .map(
          (r) =>
            `${r.size}: cold ${x(r.cold.p99, first.cold.p99)} warm ${x(r.warm.p99, first.warm.p99)} booking ${x(r.booking.p99, first.booking.p99)}`,
        )
        .join('; '),
  );
}

// ---------------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  // A kept run grows further when sizes are given (HISTORY_DONE_PAST/FUTURE say where it stopped), else is measured.
  const sizesGiven = process.argv.includes('--sizes') || process.env.HISTORY_SIZES !== undefined;
  const sizes = REUSE_RUN && !sizesGiven ? [] : parseSizes();
  const generating = sizes.length > 0;
  const run = REUSE_RUN ?? randomBytes(4).toString('hex');
  // The history database grows; the baseline keeps the same hosts and no history. Both are measured back to back at
  // every size, so the ratio between them holds even when other work on the machine changes the absolute figures.
  const names = [`kairos_history_${run}`, `kairos_history_${run}_base`];
  const [dbUrl, baseUrl] = names.map((n) => ADMIN_DB.replace(/\/[^/]*$/, `/${n}`));
  const prefixes: string[] = [];
  const clients: pg.Client[] = [];
  // One clean-up, awaited by whoever comes second (a signal while main is failing because the signal closed its client).
  let cleaning: Promise<void> | null = null;
  const cleanup = () => (cleaning ??= dropEverything());
  const dropEverything = async () => {
    for (const child of runningApps) child.kill('SIGKILL');
    for (const c of clients) await c.end().catch(() => undefined);
    const admin = new pg.Client({ connectionString: ADMIN_DB });
    try {
      if (KEEP_DB) throw new Error('kept (HISTORY_KEEP_DB=1): drop them by hand');
      await admin.connect();
      for (const n of names) await admin.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
      console.log(`dropped databases ${names.join(', ')}`);
    } catch (error) {
      console.error(`could not drop databases ${names.join(', ')}: ${(error as Error).message}`);
    } finally {
      await admin.end().catch(() => undefined);
    }
    const redis = new Redis(REDIS, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      for (const prefix of prefixes) {
        let cursor = '0';
        do {
          const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          cursor = nextCursor;
          if (keys.length) await redis.del(...keys);
        } while (cursor !== '0');
      }
    } catch {
      /* Redis keys under a random prefix are harmless */
    } finally {
      redis.disconnect();
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  console.log(
    `Kairos history benchmark on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, ` +
      `Node ${process.version}; sizes ${sizes.join(', ')}; ${HOSTS} hosts; ${SECONDS} s per phase at ${COLD_RATE}/${WARM_RATE}/${BOOKING_RATE} per s`,
  );
  try {
    const salt = run;
    const [db, baseDb] = [dbUrl, baseUrl].map((connectionString) => new pg.Client({ connectionString }));
    if (REUSE_RUN) {
      // A kept pair: the app migrates it again at its first start (a no-op unless the code has new migrations).
      for (const c of [db, baseDb]) {
        await c.connect();
        clients.push(c);
      }
      await benchTables(db, salt); // the session's host map (temporary tables), which generation and measurement read
      console.log(`reusing databases ${names.join(', ')}`);
    } else {
      const admin = new pg.Client({ connectionString: ADMIN_DB });
      await admin.connect();
      try {
        for (const n of names) await admin.query(`CREATE DATABASE ${n}`);
        const { rows } = await admin.query<{ server_version: string }>('SHOW server_version');
        console.log(`databases ${names.join(', ')} on PostgreSQL ${rows[0].server_version}`);
      } finally {
        await admin.end();
      }
      for (const [i, url] of [dbUrl, baseUrl].entries()) {
        // The first start runs the migrations.
        prefixes.push(`khist_${run}_migrate${i}`);
        await (await startApp(url, prefixes.at(-1)!)).stop();
        const c = i === 0 ? db : baseDb;
        await c.connect();
        clients.push(c);
        await checkColumns(c);
        await seedHosts(c, salt); // same salt: the same ids in both
      }
    }
    const generator = new Generator(db, salt, new Date(), dbUrl);
    if (REUSE_RUN && generating) {
      const done = { p: Number(process.env.HISTORY_DONE_PAST), f: Number(process.env.HISTORY_DONE_FUTURE) };
      if (!Number.isInteger(done.p) || !Number.isInteger(done.f)) {
        throw new Error(
          'growing a kept run: set HISTORY_DONE_PAST and HISTORY_DONE_FUTURE (the last past and future "of" counts it printed)',
        );
      }
      generator.resumeFrom(done);
    }
    if (generating) await generator.prepare();
    const results: SizeResult[] = [];
    let rowsBefore = 0;
    // Reusing: one measurement at the size the kept database holds.
    const steps = generating ? sizes : [Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM bookings')).rows[0].n)];
    for (const size of steps) {
      console.log(`\n== ${size} bookings`);
      const generationSeconds = generating ? await generator.reach(size) : 0;
      const rows = await counts(db);
      const dbBytes = Number((await db.query<{ b: string }>('SELECT pg_database_size(current_database()) AS b')).rows[0].b);
      const allRows = COUNTED.reduce((sum, t) => sum + rows[t], 0);
      console.log(
        `  rows: ${COUNTED.map((t) => `${t} ${rows[t]}`).join(', ')}; database ${(dbBytes / 2 ** 30).toFixed(2)} GB; ` +
          `generated in ${generationSeconds.toFixed(0)} s with VACUUM ANALYZE: ${Math.round((allRows - rowsBefore) / (generationSeconds || 1))} rows/s`,
      );
      rowsBefore = allRows;
      if (!MEASURE) continue;
      const measured: Pick<SizeResult, 'trivial' | 'cold' | 'warm' | 'booking'>[] = [];
      for (const [i, url] of [baseUrl, dbUrl].entries()) {
        console.log(i === 0 ? '  baseline (no history):' : `  history (${size} bookings):`);
        prefixes.push(`khist_${run}_${size}_${i}_${Date.now()}`);
        const app = await startApp(url, prefixes.at(-1)!);
        try {
          measured.push(await measure(app, db, `${size}-${i}-${Date.now()}`));
        } finally {
          await app.stop();
        }
      }
      results.push({ size, rows, dbBytes, generationSeconds, ...measured[1], baseline: measured[0] });
    }
    if (!MEASURE) console.log(`\ngenerated and kept: measure with HISTORY_RUN=${run} npm run bench:history`);
    await generator.close();
    if (results.length) printTable(results);
  } finally {
    await cleanup();
  }
}

// Run when executed; imported (a check of the generator against another schema), only the exports are used.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
