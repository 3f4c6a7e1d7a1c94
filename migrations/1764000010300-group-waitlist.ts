import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Waitlists for group types (issue #19 part 2): a freed seat of a group session promotes one waiting invitee with a
 * SEAT hold, one seat of that session reserved for the claim minutes.
 * - slot_holds.seat: the seat number (1..the type's seats) of a seat hold; NULL for an ordinary hold. A seat hold has
 *   no booking_hosts row (the session's own row already occupies the host); the slot engine counts it as a taken seat
 *   while it has not expired (seat count = active invitees + live seat holds). Ended seat holds are deleted, so
 *   `slot_holds_one_per_seat` (one row per type, start and seat) is the database's guard against two promotions
 *   taking the same seat.
 * - waitlist_entries.claim_seat: the seat a promoted entry claims (NULL for a whole time, as before).
 *   `waitlist_entries_one_promoted` becomes one promoted entry per (type, start, seat): exactly as before for
 *   one-on-one, round robin and collective types (no seat: one promoted entry per time), and at most one per seat
 *   number for a group session. How many seats may be held (the free ones) is re-checked in the promotion's
 *   SERIALIZABLE transaction under the host's advisory lock, with the booking engine; the seat numbers make a second
 *   promotion computed from the same snapshot fail on the index rather than over-promote.
 */
export class GroupWaitlist1764000010300 implements MigrationInterface {
  name = 'GroupWaitlist1764000010300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE slot_holds ADD COLUMN seat smallint CHECK (seat >= 1)`);
    await q.query(`CREATE UNIQUE INDEX slot_holds_one_per_seat ON slot_holds (meeting_type_id, start_time, seat) WHERE seat IS NOT NULL`);
    await q.query(`ALTER TABLE waitlist_entries ADD COLUMN claim_seat smallint CHECK (claim_seat >= 1)`);
    await q.query(`DROP INDEX waitlist_entries_one_promoted`);
    await q.query(
      `CREATE UNIQUE INDEX waitlist_entries_one_promoted ON waitlist_entries (meeting_type_id, start_time, COALESCE(claim_seat, 0))
         WHERE status = 'promoted'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE waitlist_entries SET status = 'expired', ended_at = now() WHERE status = 'promoted' AND claim_seat IS NOT NULL`);
    await q.query(`DROP INDEX waitlist_entries_one_promoted`);
    await q.query(
      `CREATE UNIQUE INDEX waitlist_entries_one_promoted ON waitlist_entries (meeting_type_id, start_time) WHERE status = 'promoted'`,
    );
    await q.query(`ALTER TABLE waitlist_entries DROP COLUMN claim_seat`);
    await q.query(`DELETE FROM slot_holds WHERE seat IS NOT NULL`);
    await q.query(`ALTER TABLE slot_holds DROP COLUMN seat`);
  }
}
