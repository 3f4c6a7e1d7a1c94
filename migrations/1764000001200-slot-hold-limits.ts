import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Slot holds know who made them (client address key, optional invitee email) so live holds can be capped per
 * client, email, host and meeting type; ended holds are kept for the re-hold cooldown (their host rows stop being
 * live), then forgotten.
 */
export class SlotHoldLimits1764000001200 implements MigrationInterface {
  name = 'SlotHoldLimits1764000001200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE slot_holds ADD COLUMN client_key text NOT NULL DEFAULT 'unknown'`);
    await q.query(`ALTER TABLE slot_holds ADD COLUMN holder_email text`);
    await q.query(`CREATE INDEX slot_holds_client_idx ON slot_holds (client_key, expires_at)`);
    await q.query(`CREATE INDEX slot_holds_email_idx ON slot_holds (holder_email, expires_at) WHERE holder_email IS NOT NULL`);
    await q.query(`CREATE INDEX slot_holds_type_idx ON slot_holds (meeting_type_id, expires_at)`);
    await q.query(`CREATE INDEX slot_holds_expires_idx ON slot_holds (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['slot_holds_client_idx', 'slot_holds_email_idx', 'slot_holds_type_idx', 'slot_holds_expires_idx']) {
      await q.query(`DROP INDEX IF EXISTS ${index}`);
    }
    await q.query(`ALTER TABLE slot_holds DROP COLUMN IF EXISTS holder_email`);
    await q.query(`ALTER TABLE slot_holds DROP COLUMN IF EXISTS client_key`);
  }
}
