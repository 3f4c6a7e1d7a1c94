import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Onboarding and email verification (issue #18, "Onboarding and account").
 * - `users.onboarded_at`: when the host finished or skipped the welcome after sign-up; NULL shows the welcome. Hosts
 *   that existed before count as onboarded (they never signed up through it).
 * - `users.email_verified_at`: when the host proved the address (a verification link, or Google saying so); NULL
 *   shows the "verify your email" banner in the admin. A changed email address sets it back to NULL.
 * - `email_verifications`: one-time links, like password_resets: the SHA-256 of 32 random bytes (nothing stored can
 *   be replayed), an expiry, used once (consumed by one UPDATE ... RETURNING). `email` is the address the link was
 *   sent to: a link verifies only while the account still has that address.
 */
export class OnboardingAndEmailVerification1764000009600 implements MigrationInterface {
  name = 'OnboardingAndEmailVerification1764000009600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN onboarded_at timestamptz, ADD COLUMN email_verified_at timestamptz`);
    await q.query(`UPDATE users SET onboarded_at = created_at`);
    await q.query(`
      CREATE TABLE email_verifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        email varchar NOT NULL,
        token_hash char(64) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX email_verifications_user_idx ON email_verifications (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS email_verifications`);
    await q.query(`ALTER TABLE users DROP COLUMN IF EXISTS email_verified_at, DROP COLUMN IF EXISTS onboarded_at`);
  }
}
