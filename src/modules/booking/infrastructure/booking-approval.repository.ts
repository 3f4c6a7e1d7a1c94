import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { BookingRecord } from '../application/booking-records.js';

/**
 * The SQL of approval (requires_confirmation): a pending booking's answer, and the look-ups for pending requests past
 * their deadline. bookings is partitioned by start time (ADR 0014), so every update names the start it was read with.
 * Methods taking a manager run inside the caller's transaction (BookingApprovals, under the hosts' locks).
 */
@Injectable()
export class BookingApprovalRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Confirmed: the booking no longer expires, nor do its host rows (they stay live and keep holding the time). */
  async markConfirmed(manager: EntityManager, b: Pick<BookingRecord, 'id' | 'start_time'>): Promise<BookingRecord> {
    const [rows] = await manager.query<[BookingRecord[], number]>(
      `UPDATE bookings SET status = 'confirmed', confirmation_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND start_time = $2 AND status = 'pending' RETURNING *`,
      [b.id, b.start_time],
    );
    await manager.query(`UPDATE booking_hosts SET pending_until = NULL WHERE booking_id = $1`, [b.id]);
    return rows[0];
  }

  /**
   * Declined by a host, or expired: the host rows stop being live (the time is free at once) and the booking keeps its
   * deadline for the record. Null when it was no longer pending (the caller holds its row lock, so it is).
   */
  async markEnded(
    manager: EntityManager,
    b: Pick<BookingRecord, 'id' | 'start_time'>,
    ended: { status: 'declined' | 'expired'; reason: string | null },
  ): Promise<BookingRecord | null> {
    const [rows] = await manager.query<[BookingRecord[], number]>(
      `UPDATE bookings SET status = $3::text, cancellation_reason = $4::text,
              cancelled_by = CASE WHEN $3::text = 'declined' THEN 'host' END,
              updated_at = now()
        WHERE id = $1 AND start_time = $2 AND status = 'pending' RETURNING *`,
      [b.id, b.start_time, ended.status, ended.reason],
    );
    if (!rows[0]) return null;
    await manager.query(`UPDATE booking_hosts SET is_live = false WHERE booking_id = $1`, [b.id]);
    return rows[0];
  }

  /** Pending bookings of these hosts whose deadline has passed at `now` and whose host rows still hold time. */
  async findOverdueOfHosts(manager: EntityManager, hostIds: string[], now: Date): Promise<string[]> {
    const rows = await manager.query<{ booking_id: string }[]>(
      `SELECT DISTINCT booking_id FROM booking_hosts
        WHERE user_id = ANY($1::uuid[]) AND is_live AND booking_id IS NOT NULL AND pending_until <= $2
        ORDER BY booking_id`,
      [hostIds, now],
    );
    return rows.map((r) => r.booking_id);
  }

  /** Up to `limit` pending bookings whose deadline has passed at `now`, oldest deadline first (the expiry job). */
  async findOverdue(now: Date, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM bookings WHERE status = 'pending' AND confirmation_expires_at <= $1
        ORDER BY confirmation_expires_at, id LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }
}
