import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign in with Google. `users.google_subject` is the Google account's stable id (the OpenID `sub` claim): later
 * sign-ins match on it first, so a host who changes the email address at either end keeps the link. One Google
 * account links to at most one host (unique where set).
 */
export class GoogleSignIn1764000003100 implements MigrationInterface {
  name = 'GoogleSignIn1764000003100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN google_subject text`);
    await q.query(`CREATE UNIQUE INDEX users_google_subject_key ON users (google_subject) WHERE google_subject IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS users_google_subject_key`);
    await q.query(`ALTER TABLE users DROP COLUMN IF EXISTS google_subject`);
  }
}
