import 'reflect-metadata';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { configureApp, createAdapter } from '../../src/bootstrap.js';
import { DatabaseUrlProvider } from '../../src/shared/database/database.module.js';
import { Clock, FixedClock } from '../../src/shared/clock/clock.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { TEST_METRICS_TOKEN, TEST_REDIS_URL, USE_EMBEDDED_DB } from './test-env.js';

export interface TestAppOptions {
  /** Pin the clock (tests that depend on "now" must). */
  now?: string | Date;
  /** Use Redis (default true). */
  redis?: boolean;
  /** Reuse a database (e.g. a second instance on the same database). */
  database?: TestDatabase;
  env?: Record<string, string | undefined>;
}

export interface TestApp {
  app: NestFastifyApplication;
  http: () => ReturnType<typeof request>;
  clock: FixedClock | null;
  database: TestDatabase | null;
  dataSource: DataSource;
  redisPrefix: string;
  /** Closes the app; drops the database and Redis keys unless another instance still uses them. */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

/**
 * The real AppModule over real PostgreSQL and Redis, isolated per test file: its own database and its own Redis key
 * prefix. Only the clock can be replaced.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  // On the embedded database the first instance starts PGlite itself; a second instance joins it over its socket.
  const joinsEmbedded = USE_EMBEDDED_DB && options.database !== undefined;
  let database = USE_EMBEDDED_DB ? (options.database ?? null) : (options.database ?? (await createTestDatabase()));
  const ownDataDir = USE_EMBEDDED_DB && !joinsEmbedded ? mkdtempSync(join(tmpdir(), 'kairos-embedded-')) : undefined;
  const dataDir = joinsEmbedded ? options.database!.dataDir : ownDataDir;
  const redisPrefix = options.env?.REDIS_PREFIX ?? `kt_${randomBytes(5).toString('hex')}`;
  const env: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database?.url,
    DATA_DIR: dataDir ?? './data',
    REDIS_URL: options.redis === false ? undefined : TEST_REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    // The production default (50 ms) is for a dedicated Redis; on a CPU-starved CI machine an event-loop stall alone
    // could exceed it and turn a cache hit into a miss. test/faults.e2e-spec.ts sets its own.
    REDIS_COMMAND_TIMEOUT_MS: '500',
    JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
    RATE_LIMIT_ENABLED: 'false', // suites that fire bursts from one IP; test/ops-*.e2e-spec.ts turns it on
    PUBLIC_URL: 'http://kairos.test',
    METRICS_TOKEN: TEST_METRICS_TOKEN, // /metrics is never public; send METRICS_AUTH
    ARCHIVE_INTERVAL_MS: '0', // test/bookings-partitions.e2e-spec.ts runs the archive by hand, with the pinned clock
    PARTITION_INTERVAL_MS: '0',
    ...options.env,
  };
  const clock = options.now ? new FixedClock(new Date(options.now)) : null;
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(env)] });
  if (clock) builder = builder.overrideProvider(Clock).useValue(clock);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(env), { bufferLogs: true });
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready(); // Fastify answers only once its plugins have loaded
  if (USE_EMBEDDED_DB && !database) {
    const url = await app.get(DatabaseUrlProvider).resolve();
    database = { url, name: 'embedded', dataDir, drop: async () => undefined };
  }
  const server = app.getHttpServer();
  return {
    app,
    http: () => request(server),
    clock,
    database,
    dataSource: app.get(DataSource),
    redisPrefix,
    async close({ keepDatabase = false } = {}) {
      await app.close();
      if (!keepDatabase) {
        await database?.drop();
        if (env.REDIS_URL) await deleteRedisKeys(env.REDIS_URL, redisPrefix);
      }
      if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
    },
  };
}

async function deleteRedisKeys(url: string, prefix: string) {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
