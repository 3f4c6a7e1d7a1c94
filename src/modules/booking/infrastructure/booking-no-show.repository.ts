import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** The no-show mark on invitee rows (issue #18). Runs inside the caller's transaction. */
@Injectable()
export class BookingNoShowRepository {
  /**
   * Sets (or clears, `at` null) the mark of these invitees of one booking. booking_invitees is partitioned by
   * created_at (ADR 0014): the booking's invitees_from, read first and passed as a value, keeps the planner to the
   * months from there on.
   */
  async setNoShow(manager: EntityManager, bookingId: string, inviteeIds: string[], at: Date | null): Promise<void> {
    const [key] = await manager.query<({ since: string | null } | undefined)[]>(
      `SELECT invitees_from::text AS since FROM booking_keys WHERE id = $1`,
      [bookingId],
    );
    await manager.query(`UPDATE booking_invitees SET no_show_at = $3 WHERE booking_id = $1 AND id = ANY($2::uuid[]) AND created_at >= $4`, [
      bookingId,
      inviteeIds,
      at,
      key?.since ?? '-infinity',
    ]);
  }
}
