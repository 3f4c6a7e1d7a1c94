import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CalDAV connections (one per account: its principal URL, so reconnecting updates it) and each host's private ICS
 * export feed: the feed token is looked up by its SHA-256 and kept encrypted only so the owner can see the URL again.
 */
export class Caldav1764000000500 implements MigrationInterface {
  name = 'Caldav1764000000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNIQUE INDEX calendar_integrations_caldav_key
        ON calendar_integrations (user_id, lower(external_account_id))
        WHERE provider = 'caldav'`);
    await q.query(`
      CREATE TABLE calendar_export_feeds (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL UNIQUE,
        token_enc text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS calendar_export_feeds`);
    await q.query(`DROP INDEX IF EXISTS calendar_integrations_caldav_key`);
  }
}
