import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row whose epoch is stepped when a slot-cache version bump could not be written to Redis: cached slots are keyed
 * by it too, so nothing cached before the missed bump is served once Redis is back (docs/adr/0007-redis-degradation.md).
 */
export class CacheEpoch1764000002100 implements MigrationInterface {
  name = 'CacheEpoch1764000002100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE availability_cache_epoch (id smallint PRIMARY KEY CHECK (id = 1), epoch bigint NOT NULL DEFAULT 0)`);
    await q.query(`INSERT INTO availability_cache_epoch (id, epoch) VALUES (1, 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS availability_cache_epoch`);
  }
}
