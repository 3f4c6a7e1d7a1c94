import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { migrations } from '../migrations/index.js';
import { migrateUnderLock } from '../src/shared/database/migrate-under-lock.js';
import { createTestDatabase } from './support/test-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { USE_EMBEDDED_DB } from './support/test-env.js';

/** A data migration that is not idempotent (it appends a row) and slow enough for replicas to overlap in it. */
class AppendOnce1999999999999 implements MigrationInterface {
  name = 'AppendOnce1999999999999';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS migration_runs (at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`SELECT pg_sleep(0.3)`);
    await q.query(`INSERT INTO migration_runs DEFAULT VALUES`);
  }
  async down(): Promise<void> {}
}

/**
 * Replicas started together on an empty database (a fresh deploy, or a release with a new migration): each runs
 * migrations at start, so without a lock both would run the same one (DDL then fails on "already exists" and start-up
 * retries; a data migration simply runs twice). Server PostgreSQL only: the embedded database serves one instance.
 */
(USE_EMBEDDED_DB ? describe.skip : describe)('migrations: replicas starting at once migrate once, in order', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const [i, app] of apps.entries()) await app.close({ keepDatabase: i < apps.length - 1 });
  });

  it('three instances on one empty database all start; every migration ran once', async () => {
    const database = await createTestDatabase();
    const started = await Promise.allSettled([0, 1, 2].map(() => startTestApp({ database })));
    for (const s of started) if (s.status === 'fulfilled') apps.push(s.value);
    expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'started'))).toEqual(['started', 'started', 'started']);
    const rows: Array<{ name: string }> = await apps[0].dataSource.query(`SELECT name FROM migrations ORDER BY id`);
    expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
    for (const app of apps) await app.http().get('/health/ready').expect(200);
  });

  it('a data migration pending on three replicas at once runs once, and each replica says what it ran', async () => {
    const database = await createTestDatabase();
    const sources = [0, 1, 2].map(
      () => new DataSource({ type: 'postgres', url: database.url, migrations: [...migrations, AppendOnce1999999999999] }),
    );
    try {
      await Promise.all(sources.map((s) => s.initialize()));
      const ran = await Promise.all(sources.map((s) => migrateUnderLock(s)));
      expect(ran.flat().filter((name) => name === 'AppendOnce1999999999999')).toHaveLength(1);
      expect(ran.flat()).toHaveLength(migrations.length + 1);
      const [{ n }] = await sources[0].query(`SELECT count(*)::int AS n FROM migration_runs`);
      expect(n).toBe(1);
    } finally {
      await Promise.all(sources.map((s) => (s.isInitialized ? s.destroy() : undefined)));
      await database.drop();
    }
  });
});
