import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The invitee's zone on a waitlist entry (issue #19): the claim mail says the time in it, as the booking mails do.
 * NULL for entries made before (and API callers that send none): their mail says the time in UTC, as before.
 */
export class WaitlistTimeZone1764000010600 implements MigrationInterface {
  name = 'WaitlistTimeZone1764000010600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE waitlist_entries ADD COLUMN time_zone text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE waitlist_entries DROP COLUMN time_zone`);
  }
}
