import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fair round robin (issue #19 part 3): per host of a type, a fallback flag ("only if no one else is free") and a cap
 * on bookings of the type per counting period (null: none); per type, the counting period, `calendar_month` (in the
 * owner's zone; what the ranking counted before) or `rolling_30_days`. Defaults rewrite nothing (PostgreSQL 11+).
 */
export class RoundRobinFairness1764000010100 implements MigrationInterface {
  name = 'RoundRobinFairness1764000010100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE meeting_type_hosts ADD COLUMN is_fallback boolean NOT NULL DEFAULT false`);
    await q.query(
      `ALTER TABLE meeting_type_hosts ADD COLUMN max_bookings_per_period integer CHECK (max_bookings_per_period BETWEEN 0 AND 10000)`,
    );
    await q.query(
      `ALTER TABLE meeting_types ADD COLUMN round_robin_period varchar NOT NULL DEFAULT 'calendar_month'
         CHECK (round_robin_period IN ('calendar_month', 'rolling_30_days'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE meeting_types DROP COLUMN round_robin_period`);
    await q.query(`ALTER TABLE meeting_type_hosts DROP COLUMN max_bookings_per_period`);
    await q.query(`ALTER TABLE meeting_type_hosts DROP COLUMN is_fallback`);
  }
}
