import type { MigrationInterface, QueryRunner } from 'typeorm';

const INVITEE_TABLES = ['booking_invitees', 'booking_invitees_archive'];
const DELIVERY_TABLES = ['notification_deliveries', 'notification_deliveries_archive'];

/**
 * Guests: the emails an invitee adds to their booking (Calendly's "Add guests"). They live on the invitee's row, so
 * they move with the invitee on a reschedule and go with them on a cancel; a guest has no management token of their
 * own. Their invitations are delivery rows with `recipient_role = 'guest'`. Adding a column with a constant default
 * rewrites nothing; the new CHECK reads every row once.
 */
export class InviteeGuests1764000009500 implements MigrationInterface {
  name = 'InviteeGuests1764000009500';

  async up(q: QueryRunner): Promise<void> {
    for (const table of INVITEE_TABLES) await q.query(`ALTER TABLE ${table} ADD COLUMN guests text[] NOT NULL DEFAULT '{}'`);
    for (const table of DELIVERY_TABLES) await setRoles(q, table, ['invitee', 'host', 'webhook', 'guest']);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of DELIVERY_TABLES) {
      await q.query(`DELETE FROM ${table} WHERE recipient_role = 'guest'`);
      await setRoles(q, table, ['invitee', 'host', 'webhook']);
    }
    for (const table of INVITEE_TABLES) await q.query(`ALTER TABLE ${table} DROP COLUMN guests`);
  }
}

async function setRoles(q: QueryRunner, table: string, roles: string[]): Promise<void> {
  // Named by PostgreSQL on the original table and copied with its name (CREATE TABLE ... LIKE), like the kind check.
  await q.query(`ALTER TABLE ${table} DROP CONSTRAINT notification_deliveries_recipient_role_check`);
  await q.query(
    `ALTER TABLE ${table} ADD CONSTRAINT notification_deliveries_recipient_role_check
       CHECK (recipient_role IN (${roles.map((r) => `'${r}'`).join(', ')}))`,
  );
}
