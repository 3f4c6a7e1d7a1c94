#!/usr/bin/env node
// Load test: the spec's peak mix (availability checks at 100x the booking rate) against replicas behind nginx.
//
//   npm run loadtest                      starts scripts/cluster.sh (2 replicas + nginx), runs 60 s, stops the cluster
//   LOADTEST_SECONDS=30 npm run loadtest  shorter run
//   LOADTEST_URL=http://127.0.0.1:8080 DATABASE_URL=postgres://... npm run loadtest   against a running deployment
//
// Settings: LOADTEST_SECONDS (60), LOADTEST_REPLICAS (2), LOADTEST_CONNECTIONS (64, availability clients),
// LOADTEST_HOSTS (50), LOADTEST_RATIO (100 availability checks per booking attempt), LOADTEST_KILL_REPLICA (0; K kills
// replica K half way through: fail-over drill), LOADTEST_KEEP=1 leaves the cluster running, LOADTEST_OUT (JSON file).
// Afterwards it checks the database: no double booking, and every 201 has its booking row (none lost or duplicated).
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.LOADTEST_SECONDS ?? 60);
const REPLICAS = Number(process.env.LOADTEST_REPLICAS ?? 2);
const CONNECTIONS = Number(process.env.LOADTEST_CONNECTIONS ?? 64);
const HOSTS = Number(process.env.LOADTEST_HOSTS ?? 50);
const RATIO = Number(process.env.LOADTEST_RATIO ?? 100);
const KILL = Number(process.env.LOADTEST_KILL_REPLICA ?? 0);
const ZONES = ['UTC', 'Europe/London', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'Asia/Kolkata'];
const DAYS = 14;

const cluster = (...args) =>
  execFileSync(join(ROOT, 'scripts/cluster.sh'), args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      CLUSTER_FRESH: '1',
      LOG_LEVEL: 'warn',
      // One client IP drives the whole load: keep rate limiting on (its Redis cost is part of the figures) but high.
      REPLICA_ENV: 'RATE_LIMIT_MAX=1000000 RATE_LIMIT_BOOKING_MAX=1000000 RATE_LIMIT_LOGIN_MAX=100000',
    },
  }).toString();

async function api(base, method, path, body, token) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const day = (offset) =>
  new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + offset)).toISOString().slice(0, 10);
const pick = (list) => list[Math.floor(Math.random() * list.length)];

async function seed(base) {
  const types = [];
  const run = randomBytes(3).toString('hex');
  for (let i = 0; i < HOSTS; i++) {
    const email = `load-${run}-${i}@example.com`;
    const password = 'load-test-password';
    await api(base, 'POST', '/api/users', { email, name: `Load ${i}`, password, time_zone: 'UTC', username: `load-${run}-${i}` });
    const { access_token: token } = await api(base, 'POST', '/api/auth/login', { email, password });
    await api(
      base,
      'POST',
      '/api/availability/rules',
      {
        time_zone: pick(ZONES),
        rules: [1, 2, 3, 4, 5].map((d) => ({ day_of_week: d, start_time: '09:00', end_time: '17:00' })),
      },
      token,
    );
    const type = await api(
      base,
      'POST',
      '/api/meeting-types',
      { name: 'Load call', slug: 'load', duration_minutes: 30, buffer_after_minutes: 10 },
      token,
    );
    types.push(type.id);
  }
  return types;
}

/** Bookable starts per type (first page of slots over the window), so booking attempts aim at real slots. */
async function slotPool(base, types) {
  const pool = [];
  for (const id of types) {
    const r = await api(base, 'GET', `/api/availability/slots?meeting_type_id=${id}&date=${day(1)}&end_date=${day(DAYS)}&timezone=UTC`);
    // A few popular slots per host: attempts collide, as real invitees do on the first free morning slots.
    for (const s of r.slots.slice(0, 12)) pool.push({ id, start: s.start_time });
  }
  return pool;
}

function summarize(name, r) {
  const codes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
  return {
    endpoint: name,
    requests: r.requests.total,
    req_per_s: Math.round((r.requests.total / r.duration) * 10) / 10,
    p50_ms: r.latency.p50,
    p90_ms: r.latency.p90,
    p99_ms: r.latency.p99,
    max_ms: r.latency.max,
    status_codes: codes,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

function run(opts) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
    instance.on('error', () => undefined);
  });
}

async function main() {
  let base = process.env.LOADTEST_URL;
  let databaseUrl = process.env.DATABASE_URL;
  const started = !base;
  if (started) {
    process.stderr.write(`[loadtest] starting ${REPLICAS} replicas + nginx\n`);
    cluster('start', String(REPLICAS));
    const env = Object.fromEntries(
      cluster('env')
        .trim()
        .split('\n')
        .map((l) => l.split(/=(.*)/s).slice(0, 2)),
    );
    base = env.LB_URL;
    databaseUrl = env.DATABASE_URL;
  }
  try {
    process.stderr.write(`[loadtest] seeding ${HOSTS} hosts through ${base}\n`);
    const types = await seed(base);
    const pool = await slotPool(base, types);
    const created = [];

    const availability = {
      url: base,
      connections: CONNECTIONS,
      duration: SECONDS,
      timeout: 10,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => ({
            ...req,
            path: `/api/availability/slots?meeting_type_id=${pick(types)}&date=${day(1 + Math.floor(Math.random() * DAYS))}&timezone=${encodeURIComponent(pick(ZONES))}`,
          }),
        },
      ],
    };
    // Calibrate: the availability throughput decides the booking rate (1 booking attempt per RATIO checks).
    process.stderr.write('[loadtest] warming the slot cache (5 s), then calibrating (5 s)\n');
    await run({ ...availability, duration: 5 });
    const probe = await run({ ...availability, duration: 5 });
    const bookingRate = Math.max(1, Math.round(probe.requests.total / probe.duration / RATIO));
    process.stderr.write(
      `[loadtest] availability ~${Math.round(probe.requests.total / probe.duration)} req/s -> bookings ${bookingRate} req/s; running ${SECONDS} s\n`,
    );

    let n = 0;
    const booking = {
      url: base,
      connections: Math.max(2, Math.min(32, bookingRate)),
      overallRate: bookingRate,
      duration: SECONDS,
      timeout: 10,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => {
            const slot = pick(pool);
            n += 1;
            return {
              ...req,
              path: '/api/bookings',
              body: JSON.stringify({
                meeting_type_id: slot.id,
                start_time: slot.start,
                invitee_name: `Load Invitee ${n}`,
                invitee_email: `invitee${n}@example.com`,
                time_zone: 'UTC',
              }),
            };
          },
          onResponse: (status, body) => {
            if (status === 201) created.push(JSON.parse(body).id);
          },
        },
      ],
    };
    if (KILL > 0) {
      setTimeout(
        () => {
          process.stderr.write(`[loadtest] killing replica ${KILL}\n`);
          try {
            cluster('kill', String(KILL));
          } catch (e) {
            process.stderr.write(`${e}\n`);
          }
        },
        (SECONDS * 1000) / 2,
      ).unref();
    }
    const [a, b] = await Promise.all([run(availability), run(booking)]);

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const [
      {
        rows: [dbl],
      },
      {
        rows: [live],
      },
      {
        rows: [missing],
      },
    ] = await Promise.all([
      db.query(`SELECT count(*)::int AS n FROM booking_hosts a JOIN booking_hosts b ON a.user_id = b.user_id AND a.id < b.id
                 AND a.is_live AND b.is_live AND a.blocked && b.blocked`),
      db.query(`SELECT count(*)::int AS n FROM bookings WHERE status = 'confirmed'`),
      db.query(`SELECT count(*)::int AS n FROM unnest($1::uuid[]) AS c(id) WHERE NOT EXISTS (SELECT 1 FROM bookings b WHERE b.id = c.id)`, [
        created,
      ]),
    ]);
    await db.end();

    const report = {
      command: `LOADTEST_SECONDS=${SECONDS} npm run loadtest`,
      at: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        memory_gb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      replicas: REPLICAS,
      seconds: SECONDS,
      hosts: HOSTS,
      ratio: RATIO,
      killed_replica: KILL || null,
      endpoints: [summarize('GET /api/availability/slots', a), summarize('POST /api/bookings', b)],
      // Requests still in flight when the run stops may commit without their 201 being counted.
      bookings: {
        created_201: created.length,
        confirmed_rows: live.n,
        created_but_missing: missing.n,
        committed_in_flight_at_stop: live.n - created.length,
      },
      double_bookings: dbl.n,
    };
    const out = process.env.LOADTEST_OUT ?? join(os.tmpdir(), `kairos-loadtest-${Date.now()}.json`);
    writeFileSync(out, JSON.stringify(report, null, 2));
    console.log(JSON.stringify(report, null, 2));
    console.log('\n| endpoint | requests | req/s | p50 ms | p99 ms | status codes | errors |\n|---|---|---|---|---|---|---|');
    for (const e of report.endpoints) {
      console.log(
        `| ${e.endpoint} | ${e.requests} | ${e.req_per_s} | ${e.p50_ms} | ${e.p99_ms} | ${JSON.stringify(e.status_codes)} | ${e.errors + e.timeouts} |`,
      );
    }
    console.log(
      `\ndouble bookings: ${dbl.n}; bookings 201: ${created.length}, confirmed rows: ${live.n}, missing: ${missing.n}; report: ${out}`,
    );
    const inFlightMax = booking.connections;
    if (dbl.n !== 0 || missing.n !== 0 || live.n < created.length || live.n - created.length > inFlightMax) process.exitCode = 1;
  } finally {
    if (started && process.env.LOADTEST_KEEP !== '1') cluster('stop');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
