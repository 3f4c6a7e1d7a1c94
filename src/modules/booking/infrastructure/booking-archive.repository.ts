import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

const BOOKING_COLUMNS = `id, meeting_type_id, host_user_id, start_time, end_time, time_zone, status, location, cancellation_reason,
  cancelled_by, rescheduled_from_id, rescheduled_to_id, assignment_reason, ical_uid, ical_sequence, confirmation_expires_at, created_at, updated_at`;
const INVITEE_COLUMNS = `id, booking_id, name, email, time_zone, phone, answers, management_token_hash, guests, utm, locale, status, created_at, no_show_at`;
const DELIVERY_COLUMNS = `id, booking_id, ical_uid, kind, channel, recipient, recipient_role, recipient_id, revision, event_type,
  outbox_event_id, visible_to, payload, status, due_at, attempts, max_attempts, claimed_until, last_error, sent_at, created_at, updated_at`;
const OUTBOX_COLUMNS = `id, event_type, booking_id, payload, occurred_at, txid`;

/** What one archive batch moved. */
export interface ArchivedBatch {
  bookings: number;
  invitees: number;
  deliveries: number;
}

/**
 * The partitions and the archive (ADR 0014). Rows move in batches, each batch one transaction: a booking and
 * everything that hangs off it leave the hot tables and enter the archive together, or not at all. Rows are taken
 * FOR UPDATE SKIP LOCKED, so a second runner (another replica, a second call) moves other rows or none: nothing is
 * moved twice, and a deleted hot row always has its archive row in the same commit.
 */
@Injectable()
export class BookingArchiveRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Month partitions from the month of `at` to `monthsAhead` after it, and any month with rows in a DEFAULT partition. */
  async ensurePartitions(at: Date, monthsAhead: number): Promise<number> {
    const [row] = await this.dataSource.query<[{ created: number }]>(`SELECT kairos_ensure_partitions($1, $2) AS created`, [
      at,
      monthsAhead,
    ]);
    return row.created;
  }

  /** Drops month partitions that end by `before` and are empty (the archive emptied them). */
  async dropEmptyPartitions(before: Date): Promise<number> {
    const [row] = await this.dataSource.query<[{ dropped: number }]>(`SELECT kairos_drop_empty_partitions($1) AS dropped`, [before]);
    return row.dropped;
  }

  /** Moves up to `limit` bookings that ended before `cutoff`, with their invitees and deliveries, into the archive. */
  archiveBookings(cutoff: Date, limit: number): Promise<ArchivedBatch> {
    return this.dataSource.transaction(async (m) => {
      // The key triggers keep booking_keys and notification_delivery_keys as they are: the rows keep their ids.
      await m.query(`SELECT set_config('kairos.moving_rows', 'on', true)`);
      const moved = await m.query<{ id: string }[]>(
        `WITH picked AS (
           SELECT id, start_time FROM bookings WHERE end_time < $1 ORDER BY end_time, id LIMIT $2 FOR UPDATE SKIP LOCKED),
         gone AS (
           DELETE FROM bookings b USING picked p WHERE b.id = p.id AND b.start_time = p.start_time RETURNING b.*)
         INSERT INTO bookings_archive (${BOOKING_COLUMNS}, host_ids)
         SELECT ${BOOKING_COLUMNS},
                COALESCE((SELECT array_agg(bh.user_id ORDER BY bh.user_id) FROM booking_hosts bh WHERE bh.booking_id = gone.id), '{}')
           FROM gone
         RETURNING id`,
        [cutoff, limit],
      );
      const ids = moved.map((r) => r.id);
      if (ids.length === 0) return { bookings: 0, invitees: 0, deliveries: 0 };
      await m.query(`UPDATE booking_keys SET archived = true WHERE id = ANY($1::uuid[])`, [ids]);
      // Ended bookings' host rows no longer occupy anything; the archive keeps who hosted in host_ids.
      await m.query(`DELETE FROM booking_hosts WHERE booking_id = ANY($1::uuid[])`, [ids]);
      const invitees = await this.move(m, 'booking_invitees', INVITEE_COLUMNS, ids);
      const deliveries = await this.move(m, 'notification_deliveries', DELIVERY_COLUMNS, ids);
      await m.query(`SELECT set_config('kairos.moving_rows', '', true)`);
      return { bookings: ids.length, invitees, deliveries };
    });
  }

  /**
   * Moves up to `limit` outbox events older than `cutoff` that every consumer has passed (ADR 0011 cursors) into
   * outbox_events_archive. Returns how many.
   */
  archiveOutboxEvents(cutoff: Date, limit: number): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const rows = await m.query<{ id: string }[]>(
        `WITH picked AS (
           SELECT e.id, e.occurred_at FROM outbox_events e
            WHERE e.occurred_at < $1
              AND NOT EXISTS (SELECT 1 FROM outbox_consumer_offsets o WHERE (e.txid, e.id) > (o.last_txid, o.last_event_id))
            ORDER BY e.occurred_at, e.id LIMIT $2 FOR UPDATE SKIP LOCKED),
         gone AS (
           DELETE FROM outbox_events e USING picked p WHERE e.id = p.id AND e.occurred_at = p.occurred_at RETURNING e.*)
         INSERT INTO outbox_events_archive (${OUTBOX_COLUMNS}) SELECT ${OUTBOX_COLUMNS} FROM gone RETURNING id`,
        [cutoff, limit],
      );
      return rows.length;
    });
  }

  private async move(m: EntityManager, table: string, columns: string, bookingIds: string[]): Promise<number> {
    const rows = await m.query<{ id: string }[]>(
      `WITH gone AS (DELETE FROM ${table} WHERE booking_id = ANY($1::uuid[]) RETURNING *)
       INSERT INTO ${table}_archive (${columns}) SELECT ${columns} FROM gone RETURNING id`,
      [bookingIds],
    );
    return rows.length;
  }
}
