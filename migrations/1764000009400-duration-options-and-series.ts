import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #17 item 5. Meeting types: `duration_options` (lengths an invitee may pick; null = only duration_minutes) and
 * `recurrence` ({frequency, maxOccurrences}; null = single bookings). Recurring bookings: a series row and one
 * membership row per occurrence. bookings is partitioned by month (1764000005000) and a series spans months, so the
 * membership lives in a narrow unpartitioned table keyed by booking_keys (a lookup by series reads one index, then
 * each booking by id and start, pruned to its partition) rather than in a column of every bookings partition and of
 * the archive.
 */
export class DurationOptionsAndSeries1764000009400 implements MigrationInterface {
  name = 'DurationOptionsAndSeries1764000009400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE meeting_types ADD COLUMN duration_options integer[]`);
    await q.query(`ALTER TABLE meeting_types ADD COLUMN recurrence jsonb`);
    await q.query(`
      CREATE TABLE booking_series (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_type_id uuid NOT NULL REFERENCES meeting_types(id) ON DELETE CASCADE,
        frequency varchar(16) NOT NULL CHECK (frequency IN ('weekly', 'every_two_weeks', 'monthly')),
        occurrences integer NOT NULL CHECK (occurrences >= 1),
        duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
        first_start timestamptz NOT NULL,
        time_zone varchar(64) NOT NULL,
        ical_uid varchar(255) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX booking_series_type_idx ON booking_series (meeting_type_id)`);
    // position: the occurrence's place in the series' rule (0 = first); a rescheduled occurrence's successor keeps it,
    // so its original start (RECURRENCE-ID) is always the rule's.
    await q.query(`
      CREATE TABLE booking_series_members (
        booking_id uuid PRIMARY KEY REFERENCES booking_keys(id) ON DELETE CASCADE,
        series_id uuid NOT NULL REFERENCES booking_series(id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position >= 0),
        start_time timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX booking_series_members_series_idx ON booking_series_members (series_id, position)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE booking_series_members`);
    await q.query(`DROP TABLE booking_series`);
    await q.query(`ALTER TABLE meeting_types DROP COLUMN recurrence`);
    await q.query(`ALTER TABLE meeting_types DROP COLUMN duration_options`);
  }
}
