import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = ['confirmation', 'reschedule', 'cancellation', 'reminder', 'webhook'];
const TABLES = ['notification_deliveries', 'notification_deliveries_archive'];

/**
 * The host's mail about a calendar move the booking could not follow becomes a delivery row of its own kind,
 * `host_move_conflict` (before, it was sent directly and lost when SMTP failed). `kind` grows from varchar(16) to
 * varchar(32) to hold it, and its CHECK accepts it, on the partitioned table (its partitions follow) and on the
 * archive (ADR 0014). Widening a varchar rewrites nothing; the new CHECK reads every row once.
 */
export class HostMoveConflictDelivery1764000007000 implements MigrationInterface {
  name = 'HostMoveConflictDelivery1764000007000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await setKinds(q, table, [...KINDS, 'host_move_conflict'], 32);
  }

  async down(q: QueryRunner): Promise<void> {
    // The earlier code knows no such rows: they go (their keys with them, by the tables' triggers).
    for (const table of TABLES) {
      await q.query(`DELETE FROM ${table} WHERE kind = 'host_move_conflict'`);
      await setKinds(q, table, KINDS, 16);
    }
  }
}

async function setKinds(q: QueryRunner, table: string, kinds: string[], length: number): Promise<void> {
  // The constraint was named by PostgreSQL on the original table and copied with its name (CREATE TABLE ... LIKE).
  await q.query(`ALTER TABLE ${table} DROP CONSTRAINT notification_deliveries_kind_check`);
  await q.query(`ALTER TABLE ${table} ALTER COLUMN kind TYPE varchar(${length})`);
  await q.query(
    `ALTER TABLE ${table} ADD CONSTRAINT notification_deliveries_kind_check CHECK (kind IN (${kinds.map((k) => `'${k}'`).join(', ')}))`,
  );
}
