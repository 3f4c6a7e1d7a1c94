import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revocable sign-ins. `users.session_version` is the generation every access token and admin session carries: a
 * password change, email change or reset bumps it, so everything issued before stops working at once (on every
 * replica: the check reads the database). Admin sessions are server-side rows, so logout revokes exactly that one.
 * Password-reset tokens are random, stored as SHA-256, single-use and expiring.
 */
export class Sessions1764000001300 implements MigrationInterface {
  name = 'Sessions1764000001300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN session_version integer NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE TABLE user_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL UNIQUE,
        session_version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX user_sessions_user_idx ON user_sessions (user_id)`);
    await q.query(`
      CREATE TABLE password_resets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX password_resets_user_idx ON password_resets (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS password_resets`);
    await q.query(`DROP TABLE IF EXISTS user_sessions`);
    await q.query(`ALTER TABLE users DROP COLUMN IF EXISTS session_version`);
  }
}
