import type { MigrationInterface, QueryRunner } from 'typeorm';

const INVITEE_TABLES = ['booking_invitees', 'booking_invitees_archive'];

/**
 * Insights (issue #18): an invitee a host marked as a no-show (`no_show_at`, null: not marked; on the archive too, so
 * an archived booking keeps its mark), and booking page views counted per meeting type and day. A nullable column
 * without a default rewrites nothing. The counter table is tiny (one row per type and day with views) and written
 * by one upsert per page view; its `day` is the host's calendar day in their zone when the page was viewed.
 */
export class Insights1764000009950 implements MigrationInterface {
  name = 'Insights1764000009950';

  async up(q: QueryRunner): Promise<void> {
    for (const table of INVITEE_TABLES) await q.query(`ALTER TABLE ${table} ADD COLUMN no_show_at timestamptz`);
    await q.query(`
      CREATE TABLE booking_page_views (
        meeting_type_id uuid NOT NULL REFERENCES meeting_types(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        day date NOT NULL,
        views integer NOT NULL DEFAULT 0 CHECK (views >= 0),
        PRIMARY KEY (meeting_type_id, day)
      )`);
    await q.query(`CREATE INDEX booking_page_views_user_day_idx ON booking_page_views (user_id, day)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE booking_page_views`);
    for (const table of INVITEE_TABLES) await q.query(`ALTER TABLE ${table} DROP COLUMN no_show_at`);
  }
}
