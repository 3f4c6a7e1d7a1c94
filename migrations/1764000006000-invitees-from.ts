import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invitees by booking without probing every month (issue #15, ADR 0014). booking_invitees is partitioned by
 * created_at, which says nothing about the booking, so "the invitees of booking X" probed every month partition's
 * index, and the planner paid for every partition on each such read (the slots' busy read, the booking response,
 * the notification consumer). `booking_keys.invitees_from` is a lower bound of the created_at of every invitee row
 * that points at the booking: the key row takes now() when the booking is inserted (no invitee can point at it
 * before), and a trigger lowers it whenever an invitee row with an older created_at is attached (inserted, or moved
 * over by a reschedule). Readers pass it as a value (`created_at >= $n`), so the planner keeps only the months from
 * there on. NULL means unknown (keys of old bookings not backfilled below): readers then read every month.
 */
export class InviteesFrom1764000006000 implements MigrationInterface {
  name = 'InviteesFrom1764000006000';

  async up(q: QueryRunner): Promise<void> {
    // Nullable first, so existing rows stay NULL (unknown) instead of taking the migration's now().
    await q.query(`ALTER TABLE booking_keys ADD COLUMN invitees_from timestamptz`);
    await q.query(`ALTER TABLE booking_keys ALTER COLUMN invitees_from SET DEFAULT now()`);
    await q.query(`
      CREATE FUNCTION booking_invitees_from() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Writes only when the bound moves (an older row attached); NULL (unknown) stays NULL.
        UPDATE booking_keys SET invitees_from = NEW.created_at WHERE id = NEW.booking_id AND invitees_from > NEW.created_at;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER booking_invitees_from AFTER INSERT OR UPDATE OF booking_id, created_at ON booking_invitees
        FOR EACH ROW EXECUTE FUNCTION booking_invitees_from()`);
    // Backfill the bookings that reads by id are about (those starting from the previous month on); older keys stay
    // NULL, so the migration stays short on a large history (one pass over booking_invitees, a hash join).
    await q.query(`
      UPDATE booking_keys k SET invitees_from = COALESCE(m.first, now())
        FROM booking_keys k2
        LEFT JOIN (SELECT i.booking_id, min(i.created_at) AS first FROM booking_invitees i GROUP BY i.booking_id) m
          ON m.booking_id = k2.id
       WHERE k.id = k2.id AND k2.start_time >= date_trunc('month', now()) - interval '1 month'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS booking_invitees_from ON booking_invitees`);
    await q.query(`DROP FUNCTION IF EXISTS booking_invitees_from()`);
    await q.query(`ALTER TABLE booking_keys DROP COLUMN IF EXISTS invitees_from`);
  }
}
