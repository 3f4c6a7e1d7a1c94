import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Reads for the per-invitee cap (max_active_bookings_per_invitee). */
@Injectable()
export class InviteeBookingsRepository {
  /**
   * The invitee's (normalised email) bookings of the type that start after `now` and still stand (pending or
   * confirmed: they have live host rows), on the caller's transaction. Upcoming bookings are never archived (only
   * ended ones are, ADR 0014), so booking_keys and booking_invitees hold them all; the email index serves the look-up.
   */
  async countUpcoming(manager: EntityManager, meetingTypeId: string, email: string, now: Date): Promise<number> {
    const [row] = await manager.query<{ n: number }[]>(
      `SELECT count(DISTINCT bi.booking_id)::int AS n
         FROM booking_invitees bi
         JOIN booking_keys bk ON bk.id = bi.booking_id
        WHERE lower(bi.email) = $1 AND bi.status = 'active' AND bk.meeting_type_id = $2 AND bk.start_time > $3
          AND EXISTS (SELECT 1 FROM booking_hosts bh WHERE bh.booking_id = bi.booking_id AND bh.is_live)`,
      [email, meetingTypeId, now],
    );
    return row.n;
  }
}
