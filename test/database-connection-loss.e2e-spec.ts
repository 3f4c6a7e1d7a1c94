import { createServer, type Socket } from 'node:net';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { baseDataSourceOptions } from '../src/shared/database/database-options.js';
import { isDatabaseUnavailable } from '../src/shared/database/pg-errors.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { TEST_ADMIN_DATABASE_URL, USE_EMBEDDED_DB } from './support/test-env.js';

/**
 * A connection checked out of the pool but idle between two statements when the server ends it (a restart: 57P01).
 * pg-pool listens only on idle connections; without a listener of ours the 'error' event is unhandled and ends the
 * process (seen once in the faults suite's "PostgreSQL stopped mid-traffic"). Server PostgreSQL only: the test ends
 * one backend with pg_terminate_backend, which the embedded database has no second session to call.
 */
(USE_EMBEDDED_DB ? describe.skip : describe)('database: a connection lost while checked out', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(baseDataSourceOptions(database.url, 2)).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('is logged, not an unhandled error; its next statement is a database-unavailable error and the pool recovers', async () => {
    const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
    const client = await pool.connect();
    // pg-pool took its idle listener off at checkout: what is left is ours.
    expect(client.listenerCount('error')).toBeGreaterThanOrEqual(1);
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');

    const errored = new Promise<Error>((resolve) => client.once('error', resolve));
    const admin = new pg.Client({ connectionString: TEST_ADMIN_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    } finally {
      await admin.end();
    }
    expect((await errored) as Error & { code?: string }).toMatchObject({ code: '57P01' });

    const next = await client.query('SELECT 1').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isDatabaseUnavailable(next)).toBe(true);
    client.release();

    await expect(dataSource.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  });

  it('a full pool: a request waits at most the connect timeout, then fails as database-unavailable (a 503)', async () => {
    const small = await new DataSource(baseDataSourceOptions(database.url, 2, 300)).initialize();
    const pool = (small.driver as unknown as { master: pg.Pool }).master;
    const held = [await pool.connect(), await pool.connect()];
    try {
      const waited = await small.query('SELECT 1').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isDatabaseUnavailable(waited)).toBe(true);
    } finally {
      for (const client of held) client.release();
      await small.destroy();
    }
  });
});

/** A server that takes connections and never answers: a PostgreSQL hung rather than down (no refusal to react to). */
describe('database: a server that hangs instead of refusing', () => {
  it('connecting gives up after the connect timeout with a database-unavailable error', async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const failed = await new DataSource(baseDataSourceOptions(`postgres://kairos@127.0.0.1:${port}/kairos`, 2, 300)).initialize().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isDatabaseUnavailable(failed)).toBe(true);
      expect(sockets.length).toBeGreaterThanOrEqual(1); // it did reach the server, which never answered
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
