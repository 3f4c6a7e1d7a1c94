import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Time off and public holidays (issue #17 item 4), both inputs of the slot engine owned by availability.
 * - `time_off`: ranges a host is away, read into the engine's one busy statement (ADR 0012) beside bookings and
 *   calendar events. `redirect_to_user_id` names a teammate whose page the host's page offers meanwhile; it is set to
 *   NULL when that user is deleted (the time off itself stands).
 * - `holiday_settings`: the host's opt-in to a country's (and region's) public holidays from the date-holidays
 *   dataset. One row per host; no row = no holidays. The days themselves are computed in code, never stored.
 */
export class TimeOff1764000009300 implements MigrationInterface {
  name = 'TimeOff1764000009300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE time_off (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        start_time timestamptz NOT NULL,
        end_time timestamptz NOT NULL,
        reason varchar(200),
        redirect_to_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT time_off_range CHECK (end_time > start_time)
      )`);
    // The busy read asks "this host's ranges overlapping [from, to)": by host, then by end.
    await q.query(`CREATE INDEX time_off_user_end_idx ON time_off (user_id, end_time)`);
    // Deleting a user sets their redirects to NULL without scanning every host's time off.
    await q.query(`CREATE INDEX time_off_redirect_idx ON time_off (redirect_to_user_id) WHERE redirect_to_user_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE holiday_settings (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        country varchar(3) NOT NULL,
        region varchar(10),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE holiday_settings`);
    await q.query(`DROP TABLE time_off`);
  }
}
