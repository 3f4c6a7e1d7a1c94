import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The language a waitlist entry joined in (issue #19): its claim mail is written in it, like an invitee's booking
 * mails. English by default, so every existing entry reads as before; a constant default rewrites nothing. Which tags
 * are accepted is checked where they come in (the API's supported list), as for booking_invitees.locale.
 */
export class WaitlistLocale1764000010500 implements MigrationInterface {
  name = 'WaitlistLocale1764000010500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE waitlist_entries ADD COLUMN locale text NOT NULL DEFAULT 'en'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE waitlist_entries DROP COLUMN locale`);
  }
}
