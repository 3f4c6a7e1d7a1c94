// `npm run bench:round-robin`: does round robin keep its fairness bound with 10,000 simultaneous bookers? (issue #19)
//
//   npm run bench:round-robin                                  10,000 bookers, 8 hosts of weights 1,1,2,2,3,4,5,6
//   RR_BOOKERS=1000 npm run bench:round-robin                  a smaller run
//   RR_PER_SLOT=4 npm run bench:round-robin                    contention: four bookers race for each slot
//
// Creates its own database on the PostgreSQL server (dropped at the end, also on failure or Ctrl-C), starts RR_INSTANCES
// app processes on it (2; one Redis prefix, so they are replicas of one deployment), creates through the API a team of
// K hosts open around the clock and a round-robin type of 15-minute meetings, then fires every booking request at once:
// RR_CONCURRENCY requests in flight at any moment (500, spread over the instances; each app queues far more than its
// database pool serves, so the host locks, not the client, decide the order). Booker j asks for slot ⌊j / RR_PER_SLOT⌋
// in a shuffled order, so with RR_PER_SLOT=1 every booker has a slot of its own and every host is free for every
// booking: the premise of the bound in src/modules/booking/domain/round-robin.ts,
//
//     q_i − 1  ≤  c_i  ≤  q_i + (K − 1) · w_i / W        (q_i = n · w_i / W, n = the number of 201s)
//
// Then it checks the database: every 201 has its confirmed row with one host, no host has two overlapping live
// bookings, the API's round-robin report counts what the rows count, and (RR_PER_SLOT=1) every booker got a 201 and
// every host's count is within the bound. With RR_PER_SLOT=m > 1 the later bookers of a slot find some hosts taken,
// which suspends the premise: the bench then checks that each slot took exactly min(m, K) bookings and prints the
// table with the bound for information only (a host takes at most one booking a slot, so no host can hold more than
// 1/m of them: a weight share at or above that is out of reach). Exits 1 when a check fails.
// Settings (env): RR_BOOKERS (10000), RR_WEIGHTS (1,1,2,2,3,4,5,6: K is their count), RR_CONCURRENCY (500),
// RR_INSTANCES (2), RR_PER_SLOT (1), RR_MINUTES (15, the meeting length), RR_SEED (1, the shuffle),
// RR_ANALYZE_SECONDS (10: on a server without autovacuum, ANALYZE the booking tables this often during the burst, as
// autovacuum would; 0: never), RR_ADMIN_DB (postgres://postgres@127.0.0.1:5432/postgres), RR_REDIS_URL
// (redis://127.0.0.1:6379), RR_KEEP_DB=1.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { simulateAssignments } from '../src/modules/booking/domain/round-robin.js';
import { BENCH_METRICS_TOKEN, type BenchApp, runningApps, startBenchApp } from './app-process.js';

const ADMIN_DB = process.env.RR_ADMIN_DB ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.RR_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BOOKERS = Number(process.env.RR_BOOKERS ?? 10_000);
const WEIGHTS = (process.env.RR_WEIGHTS ?? '1,1,2,2,3,4,5,6').split(',').map((w) => Number(w.trim()));
const CONCURRENCY = Number(process.env.RR_CONCURRENCY ?? 500);
const INSTANCES = Number(process.env.RR_INSTANCES ?? 2);
const PER_SLOT = Number(process.env.RR_PER_SLOT ?? 1);
const MINUTES = Number(process.env.RR_MINUTES ?? 15);
const SEED = Number(process.env.RR_SEED ?? 1);
const KEEP_DB = process.env.RR_KEEP_DB === '1';
/** Seconds between the bench's own ANALYZEs during the burst when the server runs without autovacuum (0: none). */
const ANALYZE_SECONDS = Number(process.env.RR_ANALYZE_SECONDS ?? 10);
/** The app's /metrics needs a bearer token; the bench reads the retry and conflict counters from it. */
const METRICS_TOKEN = BENCH_METRICS_TOKEN;
const PASSWORD = 'bench-password';

for (const [name, value] of Object.entries({
  RR_BOOKERS: BOOKERS,
  RR_CONCURRENCY: CONCURRENCY,
  RR_INSTANCES: INSTANCES,
  RR_PER_SLOT: PER_SLOT,
}))
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}: expected a whole number ≥ 1`);
if (WEIGHTS.length < 2 || WEIGHTS.some((w) => !Number.isInteger(w) || w < 1 || w > 1000))
  throw new Error('RR_WEIGHTS: expected two or more whole numbers from 1 to 1000, e.g. 1,1,2,4');
if (!Number.isInteger(MINUTES) || MINUTES < 5 || 1440 % MINUTES !== 0) throw new Error('RR_MINUTES: a divisor of 1440, at least 5');

// ---------------------------------------------------------------------------------------------------------------------
// The app processes

type App = BenchApp;

/** A port nothing listens on now (other benchmarks may run on this machine at the same time). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function startApp(databaseUrl: string, redisPrefix: string): Promise<App> {
  // The burst queues far more requests than the pools serve (RR_CONCURRENCY in flight; the host locks admit about one
  // booking at a time): at 10K bookers waits for a connection pass DATABASE_CONNECT_TIMEOUT_MS's 60 s, where the app
  // would answer 503. The bench measures fairness under that queue, not the overload answer.
  const env = { DATABASE_CONNECT_TIMEOUT_MS: '120000' };
  return startBenchApp({ port: await freePort(), databaseUrl, redisUrl: REDIS, redisPrefix, env });
}

// ---------------------------------------------------------------------------------------------------------------------
// HTTP: set-up through fetch; the burst through node:http with a bounded keep-alive pool per instance

async function api<T>(url: string, method: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

interface Answer {
  status: number;
  body: { id?: string; message?: string } | null;
  ms: number;
}

function post(agent: http.Agent, port: number, path: string, body: unknown): Promise<Answer> {
  const payload = JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Answer['body'];
          try {
            parsed = text ? (JSON.parse(text) as Answer['body']) : null;
          } catch {
            parsed = { message: text.slice(0, 200) };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, ms: performance.now() - started });
        });
        res.on('error', (error) => resolve({ status: 0, body: { message: error.message }, ms: performance.now() - started }));
      },
    );
    // A socket error is an answer too (status 0): the bench counts it and goes on.
    req.on('error', (error) => resolve({ status: 0, body: { message: error.message }, ms: performance.now() - started }));
    req.end(payload);
  });
}

/** The apps' counters: serialization retries, and 409s of booking creation by cause. */
async function counters(apps: App[]): Promise<{ retries: number; conflicts: Map<string, number> }> {
  let retries = 0;
  const conflicts = new Map<string, number>();
  for (const app of apps) {
    const text = await (await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    retries += Number(/^kairos_booking_serialization_retries_total (\d+)/m.exec(text)?.[1] ?? 0);
    for (const m of text.matchAll(/^kairos_booking_conflicts_total\{([^}]*)\} (\d+)/gm)) {
      if (!/operation="create"/.test(m[1])) continue;
      const cause = /cause="([^"]+)"/.exec(m[1])?.[1] ?? '?';
      conflicts.set(cause, (conflicts.get(cause) ?? 0) + Number(m[2]));
    }
  }
  return { retries, conflicts };
}

// ---------------------------------------------------------------------------------------------------------------------
// The team and its round-robin type

interface Host {
  id: string;
  token: string;
  weight: number;
}

async function seedTeam(url: string, run: string, slotCount: number): Promise<{ hosts: Host[]; teamId: string; typeId: string }> {
  const hosts: Host[] = [];
  for (const [i, weight] of WEIGHTS.entries()) {
    const email = `rr-${run}-${i}@bench.example.com`;
    const user = await api<{ id: string }>(`${url}/api/users`, 'POST', {
      email,
      name: `Host ${i + 1}`,
      password: PASSWORD,
      time_zone: 'UTC',
      username: `rr-${run}-${i}`,
    });
    const login = await api<{ access_token: string }>(`${url}/api/auth/login`, 'POST', { email, password: PASSWORD });
    hosts.push({ id: user.id, token: login.access_token, weight });
    // Open around the clock, every day: every slot is free for every host.
    await api(
      `${url}/api/availability/rules`,
      'POST',
      { time_zone: 'UTC', rules: [0, 1, 2, 3, 4, 5, 6].map((d) => ({ day_of_week: d, start_time: '00:00', end_time: '24:00' })) },
      login.access_token,
    );
  }
  const [owner, ...members] = hosts;
  const team = await api<{ id: string }>(`${url}/api/teams`, 'POST', { name: 'Round robin bench' }, owner.token);
  for (const [i, m] of members.entries()) {
    const invite = await api<{ token: string }>(
      `${url}/api/teams/${team.id}/invitations`,
      'POST',
      { email: `rr-${run}-${i + 1}@bench.example.com` },
      owner.token,
    );
    await api(`${url}/api/teams/invitations/${invite.token}/accept`, 'POST', undefined, m.token);
  }
  const days = Math.ceil(slotCount / (1440 / MINUTES)) + 2;
  const type = await api<{ id: string }>(
    `${url}/api/meeting-types`,
    'POST',
    {
      name: 'Round robin bench',
      slug: `rr-${run}`,
      kind: 'round_robin',
      team_id: team.id,
      host_ids: hosts.map((h) => h.id),
      duration_minutes: MINUTES,
      booking_window_days: days,
    },
    owner.token,
  );
  // Rolling 30 days counts every booking from 30 days back on, the future ones included: all of this run's.
  await api(`${url}/api/meeting-types/${type.id}/round-robin`, 'PUT', { period: 'rolling_30_days' }, owner.token);
  for (const h of hosts) await api(`${url}/api/meeting-types/${type.id}/hosts/${h.id}`, 'PUT', { weight: h.weight }, owner.token);
  return { hosts, teamId: team.id, typeId: type.id };
}

/** Slot i: the i-th meeting-length step from tomorrow 00:00 UTC (every step of every day is open). */
function slotStart(first: number, i: number): string {
  return new Date(first + i * MINUTES * 60_000).toISOString();
}

/** A deterministic shuffle (mulberry32), so a run can be repeated with the same order. */
function shuffled(n: number, seed: number): number[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : NaN;

// ---------------------------------------------------------------------------------------------------------------------

/** The fairness bound of round-robin.ts for host weight w, K hosts, total weight W, n bookings. */
export function fairnessBound(n: number, w: number, weights: number[]): { share: number; low: number; high: number } {
  const W = weights.reduce((s, x) => s + x, 0);
  const share = (n * w) / W;
  return { share, low: share - 1, high: share + ((weights.length - 1) * w) / W };
}

async function main(): Promise<boolean> {
  const run = randomBytes(4).toString('hex');
  const dbName = `kairos_rr_${run}`;
  const dbUrl = ADMIN_DB.replace(/\/[^/]*$/, `/${dbName}`);
  const prefix = `krr_${run}:`;
  const apps: App[] = [];
  const db = new pg.Client({ connectionString: dbUrl });
  let connected = false;
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const child of runningApps) child.kill('SIGKILL');
      if (connected) await db.end().catch(() => undefined);
      const admin = new pg.Client({ connectionString: ADMIN_DB });
      try {
        if (KEEP_DB) throw new Error('kept (RR_KEEP_DB=1): drop it by hand');
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        console.log(`dropped database ${dbName}`);
      } catch (error) {
        console.error(`database ${dbName} not dropped: ${(error as Error).message}`);
      } finally {
        await admin.end().catch(() => undefined);
      }
      const redis = new Redis(REDIS, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        let cursor = '0';
        do {
          const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          cursor = nextCursor;
          if (keys.length) await redis.del(...keys);
        } while (cursor !== '0');
      } catch {
        /* keys under a random prefix are harmless */
      } finally {
        redis.disconnect();
      }
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  const K = WEIGHTS.length;
  const slotCount = Math.ceil(BOOKERS / PER_SLOT);
  console.log(
    `Kairos round-robin benchmark on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}: ` +
      `${BOOKERS} bookers over ${slotCount} slots of ${MINUTES} min (${PER_SLOT} per slot), K = ${K} hosts of weights ${WEIGHTS.join('/')}, ` +
      `${CONCURRENCY} requests in flight over ${INSTANCES} app instance(s); load average ${os.loadavg()[0].toFixed(2)}`,
  );
  try {
    const admin = new pg.Client({ connectionString: ADMIN_DB });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${dbName}`);
      console.log(
        `database ${dbName} on PostgreSQL ${(await admin.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version}`,
      );
    } finally {
      await admin.end();
    }
    // The first instance migrates; the others start after it, on the migrated database.
    for (let i = 0; i < INSTANCES; i++) apps.push(await startApp(dbUrl, prefix));
    await db.connect();
    connected = true;

    const { hosts, teamId, typeId } = await seedTeam(apps[0].url, run, slotCount);
    const tomorrow = new Date();
    tomorrow.setUTCHours(24, 0, 0, 0);
    const first = tomorrow.getTime();
    const before = await counters(apps);
    // The tables grow from empty during the burst. A server without autovacuum (this test machine's) would plan the
    // round-robin count on "empty" statistics all along; analyze as autovacuum would (it analyzes each partition once
    // 10% of it changed), so the figures are those of a server as deployed.
    const autovacuum = (await db.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0].autovacuum === 'on';
    let analyzes = 0;
    let analyzing: Promise<unknown> = Promise.resolve();
    const analyzer =
      autovacuum || ANALYZE_SECONDS <= 0
        ? undefined
        : setInterval(() => {
            analyzing = analyzing
              .then(() => db.query('ANALYZE bookings, booking_hosts'))
              .then(
                () => analyzes++,
                (error: Error) => console.error(`  ANALYZE failed: ${error.message}`),
              );
          }, ANALYZE_SECONDS * 1000);

    // The burst: RR_CONCURRENCY workers, each pulling the next booker until none is left; requests alternate between
    // the instances, each instance with its own pool of keep-alive sockets.
    const perInstance = Math.ceil(CONCURRENCY / INSTANCES);
    const agents = apps.map(() => new http.Agent({ keepAlive: true, maxSockets: perInstance }));
    const order = shuffled(BOOKERS, SEED);
    const answers: (Answer & { slot: number })[] = new Array(BOOKERS);
    let next = 0;
    let done = 0;
    const started = performance.now();
    const progress = setInterval(() => {
      const s = (performance.now() - started) / 1000;
      console.log(`  ${s.toFixed(0)} s: ${done} answered (${(done / s).toFixed(0)}/s)`);
    }, 10_000);
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (;;) {
          const j = next++;
          if (j >= BOOKERS) return;
          const booker = order[j];
          const slot = Math.floor(booker / PER_SLOT);
          const instance = j % INSTANCES;
          const answer = await post(agents[instance], apps[instance].port, '/api/bookings', {
            meeting_type_id: typeId,
            start_time: slotStart(first, slot),
            invitee_name: `Booker ${booker}`,
            invitee_email: `booker-${booker}@bench.example.com`,
            time_zone: 'UTC',
          });
          answers[booker] = { ...answer, slot };
          done++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(progress);
    clearInterval(analyzer);
    await analyzing;
    for (const a of agents) a.destroy();
    const after = await counters(apps);

    // ---- Figures
    const byStatus = new Map<number, number>();
    for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
    const created = answers.filter((a) => a.status === 201);
    const n = created.length;
    const all = answers.map((a) => a.ms).sort((x, y) => x - y);
    const ok = created.map((a) => a.ms).sort((x, y) => x - y);
    const conflicts = [...after.conflicts]
      .map(([cause, v]) => [cause, v - (before.conflicts.get(cause) ?? 0)] as const)
      .filter(([, v]) => v > 0);
    console.log(
      `\n${BOOKERS} requests answered in ${seconds.toFixed(1)} s: ${(BOOKERS / seconds).toFixed(1)} answers/s, ${(n / seconds).toFixed(1)} bookings/s; ` +
        `statuses ${[...byStatus]
          .sort()
          .map(([s, c]) => `${s} × ${c}`)
          .join(', ')}`,
    );
    console.log(
      `latency (client, request sent to answer; queueing included): all p50 ${pct(all, 50).toFixed(0)} ms, p99 ${pct(all, 99).toFixed(0)} ms, ` +
        `max ${all.at(-1)?.toFixed(0)} ms; 201s p50 ${pct(ok, 50).toFixed(0)} ms, p99 ${pct(ok, 99).toFixed(0)} ms`,
    );
    console.log(
      autovacuum
        ? 'the server runs autovacuum'
        : `the server runs without autovacuum: the bench ran ANALYZE bookings, booking_hosts ${analyzes} times (every ${ANALYZE_SECONDS} s)`,
    );
    console.log(
      `serialization retries ${after.retries - before.retries}; 409s by cause: ${conflicts.length ? conflicts.map(([c, v]) => `${c} ${v}`).join(', ') : 'none'}`,
    );
    const odd = answers.filter((a) => a.status !== 201 && a.status !== 409);
    for (const a of odd.slice(0, 5)) console.log(`  unexpected ${a.status}: ${a.body?.message ?? ''}`);

    // ---- Checks against the database
    const failures: string[] = [];
    const rows = (
      await db.query<{ id: string; status: string; start_time: Date; hosts: string[] }>(
        `SELECT b.id::text, b.status, b.start_time, array_agg(bh.user_id::text) FILTER (WHERE bh.user_id IS NOT NULL) AS hosts
           FROM bookings b LEFT JOIN booking_hosts bh ON bh.booking_id = b.id AND bh.is_live
          WHERE b.meeting_type_id = $1 GROUP BY b.id, b.status, b.start_time`,
        [typeId],
      )
    ).rows;
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = created.filter((a) => {
      const row = a.body?.id ? byId.get(a.body.id) : undefined;
      return !row || row.status !== 'confirmed' || row.hosts?.length !== 1 || row.start_time.toISOString() !== slotStart(first, a.slot);
    });
    if (missing.length) failures.push(`${missing.length} 201s without their confirmed one-host row at the asked time`);
    if (rows.length !== n) failures.push(`${rows.length} booking rows for ${n} 201s`);
    const overlaps = Number(
      (
        await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM (
             SELECT blocked, lag(blocked) OVER (PARTITION BY user_id ORDER BY lower(blocked)) AS previous
               FROM booking_hosts WHERE is_live AND user_id = ANY($1::uuid[])) x
            WHERE previous && blocked`,
          [hosts.map((h) => h.id)],
        )
      ).rows[0].n,
    );
    if (overlaps) failures.push(`${overlaps} double bookings (overlapping live rows of one host)`);
    const perSlot = new Map<number, number>();
    for (const a of created) perSlot.set(a.slot, (perSlot.get(a.slot) ?? 0) + 1);
    const askedPerSlot = new Map<number, number>();
    for (const a of answers) askedPerSlot.set(a.slot, (askedPerSlot.get(a.slot) ?? 0) + 1);
    const wrongSlots = [...askedPerSlot].filter(([slot, asked]) => (perSlot.get(slot) ?? 0) !== Math.min(asked, K));
    if (wrongSlots.length) failures.push(`${wrongSlots.length} slots did not take min(bookers, K) bookings`);
    if (odd.length) failures.push(`${odd.length} answers neither 201 nor 409`);

    const counted = new Map<string, number>();
    for (const r of rows) for (const h of r.hosts ?? []) counted.set(h, (counted.get(h) ?? 0) + 1);
    const report = await api<{ hosts: { user_id: string; bookings: number }[]; total_bookings: number }>(
      `${apps[0].url}/api/teams/${teamId}/round-robin?meeting_type_id=${typeId}&next=1`,
      'GET',
      undefined,
      hosts[0].token,
    );
    for (const h of hosts) {
      const reported = report.hosts.find((r) => r.user_id === h.id)?.bookings;
      if (reported !== (counted.get(h.id) ?? 0))
        failures.push(`the report counts ${reported} for a host with ${counted.get(h.id) ?? 0} rows`);
    }

    const W = WEIGHTS.reduce((s, w) => s + w, 0);
    const bounded = PER_SLOT === 1;
    console.log(
      `\nFairness, n = ${n} bookings, K = ${K}, W = ${W}: q_i − 1 ≤ c_i ≤ q_i + (K − 1)·w_i/W` +
        (bounded ? '' : ` (for information: ${PER_SLOT} bookers per slot find hosts taken, outside the bound's premise)`),
    );
    console.log('| host | weight | q_i | c_i | c_i − q_i | bound | ok |');
    console.log('|---|---:|---:|---:|---:|---|---|');
    let violated = 0;
    for (const [i, h] of hosts.entries()) {
      const c = counted.get(h.id) ?? 0;
      const { share, low, high } = fairnessBound(n, h.weight, WEIGHTS);
      // A hair of slack for floating point only: the bound itself is exact.
      const inside = c >= low - 1e-9 && c <= high + 1e-9;
      if (!inside) violated++;
      console.log(
        `| ${i + 1} | ${h.weight} | ${share.toFixed(2)} | ${c} | ${(c - share >= 0 ? '+' : '') + (c - share).toFixed(2)} | ` +
          `[${low.toFixed(2)}, ${high.toFixed(2)}] | ${inside ? 'yes' : 'NO'} |`,
      );
    }
    if (bounded) {
      // With every host free the choice depends only on the counts, so locks that really serialize the bookers give
      // exactly the counts of booking one after another (information: the bound is what is guaranteed).
      const sequential = simulateAssignments(
        hosts.map((h) => ({ userId: h.id, priority: 0, weight: h.weight, bookingsInPeriod: 0, lastBookedAt: null })),
        n,
        0,
      );
      const same = hosts.every((h) => sequential.filter((id) => id === h.id).length === (counted.get(h.id) ?? 0));
      console.log(`the same counts as ${n} bookings one after another: ${same ? 'yes' : 'no'}`);
    }
    if (bounded && violated) failures.push(`fairness bound violated for ${violated} host(s)`);
    if (bounded && n !== BOOKERS) failures.push(`${BOOKERS - n} bookers without a 201 though every slot had all hosts free`);

    console.log(failures.length ? `\nFAILED:\n  - ${failures.join('\n  - ')}` : '\nall checks passed');
    return failures.length === 0;
  } finally {
    for (const app of apps) await app.stop();
    await cleanup();
  }
}

// Run when executed; imported, only the exports are used.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (passed) => process.exit(passed ? 0 : 1),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
