import { execFile, execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { TEST_ADMIN_DATABASE_URL, TEST_REDIS_URL, USE_EMBEDDED_DB } from './support/test-env.js';
import { freePorts } from './support/free-port.js';
import { describeRequiring } from './support/requires.js';

/**
 * The replica set for real: scripts/cluster.sh starts two `node dist/src/main.js` processes and nginx (deploy/nginx.conf)
 * on loopback ports of their own, over a database and a Redis key prefix of their own, so this file can run beside
 * the other suites and beside `npm run loadtest`. The clock cannot be pinned in other processes: dates are taken a
 * few days from today in UTC, and the host is available around the clock, so no weekday or zone matters.
 */
const NGINX = '/usr/sbin/nginx';
const CLUSTER_SH = join(process.cwd(), 'scripts/cluster.sh');
const describeCluster = USE_EMBEDDED_DB
  ? describe.skip
  : describeRequiring(existsSync(NGINX) ? null : `${NGINX} is absent (apt-get install nginx-light)`);

const run = randomBytes(4).toString('hex');
const DB = `kairos_c_${run}`;
const LOGIN_LIMIT = 5;
/** Each replica's /metrics needs it; cluster.sh passes it to the replicas. */
const METRICS_TOKEN = randomBytes(24).toString('hex');
const REPLICA_ENV = [
  // Everything through nginx comes from 127.0.0.1: keep the general and booking limits out of the way, and test
  // sharing on the login limit with client addresses of the test's own (X-Forwarded-For, trusted from loopback).
  'RATE_LIMIT_ENABLED=true',
  'RATE_LIMIT_MAX=1000000',
  'RATE_LIMIT_BOOKING_MAX=1000000',
  `RATE_LIMIT_LOGIN_MAX=${LOGIN_LIMIT}`,
  'RATE_LIMIT_WINDOW_SECONDS=300',
].join(' ');

const day = (offset: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + offset)).toISOString().slice(0, 10);
};

interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* an nginx error page */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

async function ok(reply: Promise<Reply>, status: number): Promise<Reply> {
  const r = await reply;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r;
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function inParallel<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!, i);
      }
    }),
  );
  return results;
}

/** Two replica ports and nginx's, consecutive (cluster.sh takes BASE_PORT and LB_PORT). */
async function clusterPorts(): Promise<{ base: number; lb: number }> {
  const base = await freePorts(3);
  return { base, lb: base + 2 };
}

describeCluster('cluster: two replicas behind nginx (scripts/cluster.sh)', () => {
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let lb: string;
  let replicas: string[];
  let db: pg.Client;
  let started = false;

  const cluster = (...args: string[]) => execFileSync(CLUSTER_SH, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

  async function hostWithType(label: string): Promise<{ typeId: string; hostId: string }> {
    const email = `cluster-${run}-${label}@example.com`;
    const password = 'correct-horse-battery';
    const user = await ok(
      call(lb, 'POST', '/api/users', { email, name: `Host ${label}`, password, time_zone: 'UTC', username: `c-${run}-${label}` }),
      201,
    );
    const login = await ok(call(lb, 'POST', '/api/auth/login', { email, password }), 200);
    const auth = { authorization: `Bearer ${login.body.access_token}` };
    const allDay = [0, 1, 2, 3, 4, 5, 6].map((d) => ({ day_of_week: d, start_time: '00:00', end_time: '24:00' }));
    const rules = await call(lb, 'POST', '/api/availability/rules', { time_zone: 'UTC', rules: allDay }, auth);
    if (rules.status >= 300) throw new Error(`rules: ${rules.status} ${JSON.stringify(rules.body)}`);
    const type = await ok(
      call(
        lb,
        'POST',
        '/api/meeting-types',
        {
          name: 'Cluster call',
          slug: `call-${label}`,
          duration_minutes: 30,
          minimum_notice_minutes: 0,
          booking_window_days: 30,
        },
        auth,
      ),
      201,
    );
    return { typeId: type.body.id, hostId: user.body.id };
  }

  async function slotStarts(typeId: string, date: string): Promise<string[]> {
    const r = await ok(call(lb, 'GET', `/api/availability/slots?meeting_type_id=${typeId}&date=${date}&timezone=UTC`), 200);
    return r.body.slots.map((s: { start_time: string }) => s.start_time);
  }

  const booking = (typeId: string, start: string, n: string) => ({
    meeting_type_id: typeId,
    start_time: start,
    invitee_name: `Invitee ${n}`,
    invitee_email: `invitee-${n}@example.com`,
    time_zone: 'UTC',
  });

  /** Booking outcomes counted by one replica (its own /metrics). */
  async function outcomes(base: string): Promise<number> {
    const text = (await ok(call(base, 'GET', '/metrics', undefined, { authorization: `Bearer ${METRICS_TOKEN}` }), 200)).body as string;
    return [...text.matchAll(/^kairos_booking_outcomes_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  }

  async function overlappingLiveRows(hostId: string): Promise<number> {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM booking_hosts a JOIN booking_hosts b
         ON a.user_id = b.user_id AND a.ctid < b.ctid AND a.blocked && b.blocked
        WHERE a.user_id = $1 AND a.is_live AND b.is_live`,
      [hostId],
    );
    return rows[0].n;
  }

  beforeAll(async () => {
    const ports = await clusterPorts();
    dir = mkdtempSync(join(tmpdir(), 'kairos-cluster-test-'));
    const admin = new URL(TEST_ADMIN_DATABASE_URL);
    admin.pathname = '/postgres';
    env = {
      ...process.env,
      CLUSTER_DIR: dir,
      CLUSTER_DB: DB,
      CLUSTER_FRESH: '1',
      PG_ADMIN_URL: admin.toString(),
      REDIS_URL: TEST_REDIS_URL,
      BASE_PORT: String(ports.base),
      LB_PORT: String(ports.lb),
      REPLICA_ENV,
      LOG_LEVEL: 'warn',
      DATABASE_POOL_SIZE: '20',
      METRICS_TOKEN,
    };
    lb = `http://127.0.0.1:${ports.lb}`;
    replicas = [`http://127.0.0.1:${ports.base}`, `http://127.0.0.1:${ports.base + 1}`];
    started = true;
    cluster('start', '2'); // builds dist first when src is newer
    const url = new URL(TEST_ADMIN_DATABASE_URL);
    url.pathname = `/${DB}`;
    db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
  }, 300_000);

  afterAll(async () => {
    await db?.end();
    if (started) {
      try {
        cluster('stop');
      } catch {
        /* report the test failures, not this */
      }
      const admin = new pg.Client({ connectionString: env.PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
      await admin.end();
      const redis = new Redis(TEST_REDIS_URL);
      let cursor = '0';
      do {
        const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${DB}*`, 'COUNT', 500);
        cursor = nextCursor;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('100 concurrent bookings of one slot through nginx, served by both replicas: one 201, 99 × 409, one row', async () => {
    const { typeId } = await hostWithType('race');
    const [start] = await slotStarts(typeId, day(3));
    const before = await Promise.all(replicas.map(outcomes));
    const began = Date.now();
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) => call(lb, 'POST', '/api/bookings', booking(typeId, start!, `race-${i}`))),
    );
    const elapsed = Date.now() - began;
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    const { rows } = await db.query(`SELECT id FROM bookings WHERE meeting_type_id = $1`, [typeId]);
    expect(rows).toEqual([{ id: replies.find((r) => r.status === 201)!.body.id }]);
    // least_conn spread the burst: each replica answered some of it.
    const after = await Promise.all(replicas.map(outcomes));
    expect(after[0]! - before[0]!).toBeGreaterThan(0);
    expect(after[1]! - before[1]!).toBeGreaterThan(0);
    expect(after[0]! - before[0]! + after[1]! - before[1]!).toBe(100);
    console.info(
      `[cluster] booking race: 100 requests answered in ${elapsed} ms; replica 1 answered ${after[0]! - before[0]!}, replica 2 ${after[1]! - before[1]!}`,
    );
  }, 120_000);

  it('/metrics: nginx never serves it, each replica only with METRICS_TOKEN', async () => {
    const bearer = { authorization: `Bearer ${METRICS_TOKEN}` };
    const viaLb = await call(lb, 'GET', '/metrics', undefined, bearer);
    expect(viaLb.status).toBe(404);
    expect(viaLb.body).toEqual({ status_code: 404, error: 'Not Found', message: 'Cannot GET /metrics' });
    for (const replica of replicas) {
      expect((await call(replica, 'GET', '/metrics')).status).toBe(401);
      expect((await ok(call(replica, 'GET', '/metrics', undefined, bearer), 200)).body).toMatch(
        /^# TYPE kairos_booking_outcomes_total counter$/m,
      );
    }
  });

  it('the login rate limit is shared through Redis: the 6th attempt in the window gets 429 on either replica', async () => {
    // A client address of this test's own; the replicas trust X-Forwarded-For from loopback, as they do from nginx.
    const client = { 'x-forwarded-for': `198.51.100.${1 + Math.floor(Math.random() * 250)}` };
    const attempt = (k: number) =>
      call(replicas[k % 2]!, 'POST', '/api/auth/login', { email: `nobody-${run}@example.com`, password: 'wrong-password' }, client);
    for (let k = 0; k < LOGIN_LIMIT; k++) {
      // Alternating replicas: neither sees more than 3 of the 5, so a per-process counter would never refuse.
      expect((await attempt(k)).status).toBe(401);
    }
    for (const k of [LOGIN_LIMIT, LOGIN_LIMIT + 1]) {
      const refused = await attempt(k);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.body).toMatchObject({ status_code: 429 });
    }
    // Another client address is not affected.
    expect(
      (
        await call(
          replicas[0]!,
          'POST',
          '/api/auth/login',
          { email: `nobody-${run}@example.com`, password: 'x' },
          { 'x-forwarded-for': '203.0.113.9' },
        )
      ).status,
    ).toBe(401);
  });

  it('SIGKILL of a replica during a burst: reads fail over, no booking is lost or duplicated, unknown outcomes resolve by Idempotency-Key', async () => {
    const { typeId, hostId } = await hostWithType('failover');
    const slots = (await slotStarts(typeId, day(4))).slice(0, 30);
    expect(slots).toHaveLength(30);
    // Three attempts per slot, each its own invitee and Idempotency-Key, interleaved with availability reads.
    const attempts = slots.flatMap((start, s) =>
      [0, 1, 2].map((a) => ({ key: randomUUID(), body: booking(typeId, start, `f-${s}-${a}`) })),
    );
    const reads = Array.from(
      { length: 240 },
      (_, i) =>
        `/api/availability/slots?meeting_type_id=${typeId}&date=${day(4 + (i % 5))}&timezone=${['UTC', 'Asia/Tokyo', 'America/New_York'][i % 3]}`,
    );

    let completedPosts = 0;
    let killed = false;
    let postsAfterKill = 0;
    const kill = new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (completedPosts < attempts.length / 3) return;
        clearInterval(check);
        promisify(execFile)(CLUSTER_SH, ['kill', '2'], { env }).then(() => {
          killed = true;
          resolve();
        }, reject);
      }, 5);
    });
    const post = async (a: (typeof attempts)[number]): Promise<number> => {
      try {
        const r = await call(lb, 'POST', '/api/bookings', a.body, { 'idempotency-key': a.key });
        return r.status;
      } catch {
        return 0; // the connection itself failed: outcome unknown
      } finally {
        completedPosts += 1;
        if (killed) postsAfterKill += 1;
      }
    };
    const [postStatuses, getStatuses] = await Promise.all([
      inParallel(attempts, 8, post),
      inParallel(reads, 8, async (path) => (await call(lb, 'GET', path)).status),
      kill,
    ]);
    expect(killed).toBe(true);
    expect(postsAfterKill).toBeGreaterThan(0);
    expect(cluster('status')).toMatch(/replica 2 .* DOWN/);

    // nginx re-sends an idempotent GET to the surviving replica when one dies under it.
    expect(getStatuses.filter((s) => s !== 200)).toEqual([]);

    // A POST that died with the replica (502 from nginx, or a broken connection) may or may not have committed:
    // retrying it with its Idempotency-Key settles it (the winner's booking replayed, or a fresh attempt).
    const unknown = postStatuses.map((s, i) => ({ s, i })).filter(({ s }) => s !== 201 && s !== 409);
    const final = [...postStatuses];
    const ids = new Map<string, string>(); // Idempotency-Key -> booking id
    for (const { i } of unknown) {
      const r = await call(lb, 'POST', '/api/bookings', attempts[i]!.body, { 'idempotency-key': attempts[i]!.key });
      final[i] = r.status;
    }
    expect(final.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    // Every 201 key, re-sent once more, answers with one and the same booking.
    for (const [i, a] of attempts.entries()) {
      if (final[i] !== 201) continue;
      const again = await ok(call(lb, 'POST', '/api/bookings', a.body, { 'idempotency-key': a.key }), 201);
      const again2 = await ok(call(lb, 'POST', '/api/bookings', a.body, { 'idempotency-key': a.key }), 201);
      expect(again2.body.id).toBe(again.body.id);
      ids.set(a.key, again.body.id);
    }

    // Each slot ended with exactly one booking, each is one the client was told about, and none overlap.
    const { rows } = await db.query(
      `SELECT id, start_time FROM bookings WHERE meeting_type_id = $1 AND status = 'confirmed' ORDER BY start_time`,
      [typeId],
    );
    expect(rows).toHaveLength(slots.length);
    expect(new Set(rows.map((r: { id: string }) => r.id))).toEqual(new Set(ids.values()));
    expect(ids.size).toBe(slots.length);
    expect(await overlappingLiveRows(hostId)).toBe(0);
    console.info(
      `[cluster] fail-over burst: ${postStatuses.filter((s) => s === 201).length} × 201, ${postStatuses.filter((s) => s === 409).length} × 409, ` +
        `${unknown.length} unknown (${unknown.map(({ s }) => s).join(', ') || 'none'}) settled by retry as ${unknown.map(({ i }) => final[i]).join(', ') || '-'}; ` +
        `${getStatuses.length} GETs all 200; ` +
        `${postsAfterKill} POSTs completed after the kill`,
    );
  }, 180_000);
});
