import type { MigrationInterface, QueryRunner } from 'typeorm';

const INVITEE_TABLES = ['booking_invitees', 'booking_invitees_archive'];

/**
 * Languages (issue #18): the language an invitee booked in (their emails are written in it) and the language a host
 * chose for their own emails and admin. Both default to English, so every existing row reads as before; adding a
 * column with a constant default rewrites nothing. Which tags are accepted is checked where they come in (the API's
 * supported list), not here: adding a language then needs no migration.
 */
export class Locales1764000009900 implements MigrationInterface {
  name = 'Locales1764000009900';

  async up(q: QueryRunner): Promise<void> {
    for (const table of INVITEE_TABLES) await q.query(`ALTER TABLE ${table} ADD COLUMN locale text NOT NULL DEFAULT 'en'`);
    await q.query(`ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT 'en'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN locale`);
    for (const table of INVITEE_TABLES) await q.query(`ALTER TABLE ${table} DROP COLUMN locale`);
  }
}
