// HTTP benchmarks against the real app in a child process (real PostgreSQL + Redis on this machine):
// slots endpoint warm and cold against bare Nest on the same body size, and booking creation (steady, flat out, contention).
// BENCH_ROWS (comma-separated, default all) picks the rows: bare (the two yardsticks), live, warm, cold (both cold
// rows), booking (the three booking rows); e.g. BENCH_ROWS=booking BENCH_SECONDS=5 npm run bench measures bookings
// alone. The ratio columns need the bare rows of the same run. BENCH_SERVER_NODE_ARGS passes Node options to the
// server processes (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile them). The booking rows start after 2 s of
// bookings at 50/s, not counted (BENCH_BOOKING_WARMUP=0: none, as before 2026-12-01).
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import pg from 'pg';

const ADMIN_DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The app's /metrics needs a bearer token (SECURITY.md); the bench reads the retry counter from it. */
const METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef01234';

const ROWS = ['bare', 'live', 'warm', 'cold', 'booking'] as const;
type Row = (typeof ROWS)[number];
/** The rows BENCH_ROWS asks for (every row when unset); an unknown name fails at once rather than measure nothing. */
export function benchRows(value = process.env.BENCH_ROWS): Set<Row> {
  if (!value) return new Set(ROWS);
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(ROWS as readonly string[]).includes(n) && n !== 'engine');
  if (unknown.length > 0) throw new Error(`BENCH_ROWS: unknown row ${unknown.join(', ')} (rows: engine, ${ROWS.join(', ')})`);
  return new Set(names.filter((n): n is Row => (ROWS as readonly string[]).includes(n)));
}

interface Server {
  url: string;
  /** CPU time the server process has used so far, ms (user + system, from /proc; NaN where there is none). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on every Linux architecture Node runs on). */
const USER_HZ = 100;

function processCpuMs(pid: number | undefined): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return NaN;
  }
}

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: ADMIN_DB });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

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

async function spawnServer(script: string, readyPath: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  // BENCH_SERVER_NODE_ARGS: Node options for the server processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (Node
  // refuses --cpu-prof in NODE_OPTIONS). A profile is written when the server exits.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const server: Server = {
    url: `http://127.0.0.1:${port}`,
    cpuMs: () => processCpuMs(child.pid),
    // Idempotent: stopping a server that already exited resolves at once (a second wait used to hang forever, so
    // the DROP DATABASE after it never ran).
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(`${server.url}${readyPath}`)).ok) return server;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await server.stop();
  throw new Error(`${script} was not ready after 60 s`);
}

function startServer(databaseUrl: string, env: Record<string, string>): Promise<Server> {
  return spawnServer('dist/src/main.js', '/health/ready', {
    DATABASE_URL: databaseUrl,
    REDIS_URL: REDIS,
    LOG_LEVEL: 'warn',
    APP_SECRET: 'bench-secret-0123456789abcdef0123456789',
    NODE_ENV: 'production',
    RATE_LIMIT_ENABLED: 'false',
    METRICS_TOKEN,
    ...env,
  });
}

/** True when @nestjs/platform-express is installed (a dev dependency, for the bare Express yardstick only). */
function expressInstalled(): boolean {
  try {
    import.meta.resolve('@nestjs/platform-express');
    return true;
  } catch {
    return false;
  }
}

async function json(url: string, method: string, body?: unknown, token?: string) {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A host in New York, Mon-Fri 09:00-17:00, a 30-minute type and 40 existing bookings over the next weeks. */
async function seed(url: string) {
  const suffix = randomBytes(3).toString('hex');
  const email = `bench-${suffix}@example.com`;
  await json(`${url}/api/users`, 'POST', {
    email,
    name: 'Bench Host',
    password: 'bench-password',
    time_zone: 'America/New_York',
    username: `bench-${suffix}`,
  });
  const { body: login } = await json(`${url}/api/auth/login`, 'POST', { email, password: 'bench-password' });
  const token = login.access_token as string;
  await json(
    `${url}/api/availability/rules`,
    'POST',
    {
      time_zone: 'America/New_York',
      rules: [1, 2, 3, 4, 5].map((d) => ({ day_of_week: d, start_time: '09:00', end_time: '17:00' })),
    },
    token,
  );
  const { body: type } = await json(
    `${url}/api/meeting-types`,
    'POST',
    { name: 'Bench', slug: 'bench', duration_minutes: 30, buffer_after_minutes: 10 },
    token,
  );
  return { token, typeId: type.id as string, username: `bench-${suffix}` };
}

/** The app's own count of retried serializable booking transactions (Prometheus text at /metrics). */
async function bookingRetries(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return Number(/^kairos_booking_serialization_retries_total (\d+)/m.exec(text)?.[1] ?? NaN);
}

function fmt(r: autocannon.Result) {
  return `${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, errors ${r.errors + r.non2xx}`;
}

function printTable(rows: { name: string; result: autocannon.Result }[], bare: BareRows, duration: number, connections: number) {
  console.log(
    `\nHTTP (one server process at a time, ${duration}s each after a 2s warm-up, ${connections} connections; autocannon in this process)`,
  );
  // Kairos runs on Fastify (ADR 0015): its own yardstick is bare Nest + Fastify; Express stays for the record.
  const ratio = (r: autocannon.Result, base: autocannon.Result | undefined) =>
    base ? (r.requests.average / base.requests.average).toFixed(3) : 'n/a';
  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(`| ${'what'.padEnd(width)} | req/s | p50 ms | p99 ms | errors | vs bare Fastify | vs bare Express |`);
  console.log(`|${'-'.repeat(width + 2)}|------:|-------:|-------:|-------:|----------------:|----------------:|`);
  for (const { name, result: r } of rows) {
    console.log(
      `| ${name.padEnd(width)} | ${r.requests.average.toFixed(0).padStart(5)} | ${String(r.latency.p50).padStart(6)} | ${String(r.latency.p99).padStart(6)} | ${String(r.errors + r.non2xx).padStart(6)} | ${ratio(r, bare.fastify).padStart(15)} | ${ratio(r, bare.express).padStart(15)} |`,
    );
  }
}

interface BareRows {
  express?: autocannon.Result;
  fastify?: autocannon.Result;
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/**
 * A run of a fixed number of requests, with its time from start to the last response: autocannon notices the end only
 * at its next one-second tick, so its duration and per-second mean round a short run to whole seconds.
 */
function runCounted(opts: autocannon.Options): Promise<{ result: autocannon.Result; elapsedMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let last = started;
    const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve({ result, elapsedMs: last - started })));
    instance.on('response', () => {
      last = performance.now();
    });
  });
}

async function freeSlots(url: string, typeId: string, from: string, to: string): Promise<string[]> {
  const { body } = await json(
    `${url}/api/availability/slots?meeting_type_id=${typeId}&date=${from}&end_date=${to}&timezone=America/New_York`,
    'GET',
  );
  return body.slots.map((s: { start_time: string }) => s.start_time);
}

export async function runHttpBench(): Promise<void> {
  const selected = benchRows();
  if (selected.size === 0) return;
  const dbName = `kairos_bench_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${dbName}`);
  const dbUrl = ADMIN_DB.replace(/\/[^/]*$/, `/${dbName}`);
  const prefix = `kb_${randomBytes(3).toString('hex')}`;
  let warm: Server | undefined;
  try {
    warm = await startServer(dbUrl, { REDIS_PREFIX: prefix });
    const { typeId } = await seed(warm.url);
    const today = new Date();
    const day = (n: number) => new Date(today.getTime() + n * 86_400_000).toISOString().slice(0, 10);
    // Some existing bookings so the busy query has work to do.
    const starts = (await freeSlots(warm.url, typeId, day(1), day(28))).filter((_, i) => i % 7 === 0).slice(0, 40);
    for (const [i, start] of starts.entries()) {
      await json(`${warm.url}/api/bookings`, 'POST', {
        meeting_type_id: typeId,
        start_time: start,
        invitee_name: `B${i}`,
        invitee_email: `b${i}@example.com`,
        time_zone: 'Europe/London',
      });
    }
    const slotsPath = `/api/availability/slots?meeting_type_id=${typeId}&date=${day(1)}&end_date=${day(14)}&timezone=Europe/London`;
    const duration = Number(process.env.BENCH_SECONDS ?? 10);
    const connections = 50;
    const bodyBytes = Buffer.byteLength(await (await fetch(`${warm.url}${slotsPath}`)).text());
    const measure = async (url: string) => {
      await run({ url, connections, duration: 2 }); // warm-up: JIT, connection pools, cache entry
      return run({ url, connections, duration });
    };

    // The yardsticks: bare Nest on each adapter answering a JSON body of the warm slots answer's size.
    const bare: { name: string; result: autocannon.Result }[] = [];
    const bareBy: BareRows = {};
    for (const adapter of selected.has('bare') ? (['express', 'fastify'] as const) : []) {
      if (adapter === 'express' && !expressInstalled()) {
        console.log('\n@nestjs/platform-express is not installed: no bare Express row');
        continue;
      }
      const server = await spawnServer('dist/bench/bare-app.js', '/json', {
        BARE_ADAPTER: adapter,
        BARE_BODY_BYTES: String(bodyBytes),
      });
      try {
        const result = await measure(`${server.url}/json`);
        bareBy[adapter] = result;
        bare.push({ name: `bare Nest + ${adapter === 'express' ? 'Express' : 'Fastify'}, ${bodyBytes} B JSON`, result });
      } finally {
        await server.stop();
      }
    }
    const rows: { name: string; result: autocannon.Result }[] = [...bare];
    if (selected.has('live')) rows.push({ name: 'Kairos GET /health/live', result: await measure(`${warm.url}/health/live`) });
    if (selected.has('warm')) {
      rows.push({ name: 'Kairos slots, warm (cache hit), PG + Redis', result: await measure(`${warm.url}${slotsPath}`) });
    }
    await warm.stop();

    const cold = await startServer(dbUrl, { REDIS_PREFIX: prefix, SLOT_CACHE_TTL_SECONDS: '0' });
    try {
      if (selected.has('cold')) {
        rows.push({ name: 'Kairos slots, cold (cache off), PG + Redis', result: await measure(`${cold.url}${slotsPath}`) });
        const coldRate = await run({ url: `${cold.url}${slotsPath}`, connections, duration, overallRate: 1000 });
        rows.push({ name: 'Kairos slots, cold, 1,000 req/s offered', result: coldRate });
      }
      if (rows.length > 0) printTable(rows, bareBy, duration, connections);
      if (!selected.has('booking')) return;

      console.log('\nBooking creation (distinct free slots)');
      // Every other slot: with the 10-minute buffer, neighbouring 30-minute slots exclude each other.
      const pool: string[] = [];
      for (let from = 70; from < 70 + 62 * 4; from += 62) {
        pool.push(...(await freeSlots(cold.url, typeId, day(from), day(from + 61))).filter((_, i) => i % 2 === 0));
      }
      let next = 0;
      const bookingRequest = () => ({
        method: 'POST' as const,
        path: '/api/bookings',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          meeting_type_id: typeId,
          start_time: pool[next++ % pool.length],
          invitee_name: 'Load',
          invitee_email: `load${next}@example.com`,
          time_zone: 'UTC',
        }),
      });
      // The same warm-up as every other row (2 s at the steady rate, not counted): without it the first bookings of a
      // fresh server process (JIT, pool connections) made the steady row's p99. BENCH_BOOKING_WARMUP=0 leaves it out.
      if (process.env.BENCH_BOOKING_WARMUP !== '0') {
        await run({
          url: cold.url,
          connections: 10,
          duration: 2,
          overallRate: 50,
          requests: [{ setupRequest: (r) => ({ ...r, ...bookingRequest() }) }],
        });
      }
      const retriesAtStart = await bookingRetries(cold.url);
      // Server CPU per request: a figure that the machine's other load changes less than throughput (the database's
      // own CPU is not in it).
      let cpuAt = cold.cpuMs();
      const cpuPer = (r: autocannon.Result) => {
        const used = cold.cpuMs() - cpuAt;
        cpuAt = cold.cpuMs();
        return `server CPU ${(used / Math.max(1, r.requests.total)).toFixed(2)} ms/request`;
      };
      const steady = await run({
        url: cold.url,
        connections: 10,
        duration: Math.min(duration, 8),
        overallRate: 50,
        requests: [{ setupRequest: (r) => ({ ...r, ...bookingRequest() }) }],
      });
      console.log(
        `50 req/s (spec peak):                 ${fmt(steady)}  (${steady['2xx']} created, ${steady.non2xx} non-2xx; ${cpuPer(steady)})`,
      );
      cpuAt = cold.cpuMs();
      const { result: flat, elapsedMs } = await runCounted({
        url: cold.url,
        connections: 20,
        amount: Math.min(500, Math.max(1, pool.length - next - 10)),
        requests: [{ setupRequest: (r) => ({ ...r, ...bookingRequest() }) }],
      });
      console.log(
        `flat out:                             ${((flat['2xx'] * 1000) / elapsedMs).toFixed(1)} created/s (${flat['2xx']} in ${(elapsedMs / 1000).toFixed(2)} s to the last answer), p50 ${flat.latency.p50} ms, p99 ${flat.latency.p99} ms, errors ${flat.errors + flat.non2xx}  (non-2xx: slots already taken once the pool wraps; ${cpuPer(flat)})`,
      );
      console.log(`serialization retries in both runs:   ${(await bookingRetries(cold.url)) - retriesAtStart}`);

      // Contention: 200 bookers, 10 slots.
      const retriesBefore = await bookingRetries(cold.url);
      const contested = (await freeSlots(cold.url, typeId, day(40), day(45))).filter((_, i) => i % 2 === 0).slice(0, 10);
      const t0 = performance.now();
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          json(`${cold.url}/api/bookings`, 'POST', {
            meeting_type_id: typeId,
            start_time: contested[i % contested.length],
            invitee_name: 'C',
            invitee_email: `c${i}@example.com`,
            time_zone: 'UTC',
          }),
        ),
      );
      const ms = performance.now() - t0;
      const created = results.filter((r) => r.status === 201).length;
      const conflicts = results.filter((r) => r.status === 409).length;
      console.log(
        `contention 200 bookers / ${contested.length} slots: all taken in ${ms.toFixed(0)} ms, ${created} created, ${conflicts} x 409, ${(await bookingRetries(cold.url)) - retriesBefore} retries`,
      );
    } finally {
      await cold.stop();
    }
  } finally {
    await warm?.stop().catch(() => undefined);
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}
