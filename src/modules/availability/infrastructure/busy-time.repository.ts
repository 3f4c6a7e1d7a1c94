import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** One row of what occupies a host: a live booking or hold (with its meeting type's buffers) or a calendar event. */
export interface BusyRow {
  user_id: string;
  start_ms: number;
  end_ms: number;
  source: 'booking' | 'hold' | 'calendar';
  booking_id: string | null;
  hold_id: string | null;
  meeting_type_id: string | null;
  buffer_before: number;
  buffer_after: number;
  /** Active invitees, only for bookings of the meeting type being queried (group seats). */
  invitee_count: number;
}

export interface BusyQuery {
  hostIds: string[];
  from: Date;
  to: Date;
  now: Date;
  /** The meeting type being offered: its own bookings get invitee counts. */
  meetingTypeId: string;
}

/**
 * Busy time of several hosts over a range in ONE query: live booking/hold rows of every meeting type (not expired
 * holds) and busy events of connected calendars. Runs on the given manager so the booking re-check reads inside
 * its serializable transaction.
 */
@Injectable()
export class BusyTimeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(query: BusyQuery, manager?: EntityManager): Promise<BusyRow[]> {
    const runner = manager ?? this.dataSource.manager;
    const rows: Array<Omit<BusyRow, 'start_ms' | 'end_ms'> & { start_time: Date; end_time: Date }> = await runner.query(
      `SELECT bh.user_id, lower(bh.blocked) AS start_time, upper(bh.blocked) AS end_time,
              CASE WHEN bh.hold_id IS NULL THEN 'booking' ELSE 'hold' END AS source,
              bh.booking_id, bh.hold_id, mt.id AS meeting_type_id,
              mt.buffer_before_minutes AS buffer_before, mt.buffer_after_minutes AS buffer_after,
              CASE WHEN mt.id = $5 AND bh.booking_id IS NOT NULL
                   THEN (SELECT count(*)::int FROM booking_invitees bi WHERE bi.booking_id = bh.booking_id AND bi.status = 'active')
                   ELSE 0 END AS invitee_count
         FROM booking_hosts bh
         LEFT JOIN bookings b ON b.id = bh.booking_id
         LEFT JOIN slot_holds h ON h.id = bh.hold_id
         JOIN meeting_types mt ON mt.id = COALESCE(b.meeting_type_id, h.meeting_type_id)
        WHERE bh.user_id = ANY($1::uuid[]) AND bh.is_live
          AND bh.blocked && tstzrange($2, $3, '[)')
          AND (h.id IS NULL OR h.expires_at > $4)
       UNION ALL
       SELECT c.user_id, c.start_time, c.end_time, 'calendar', NULL, NULL, NULL, 0, 0, 0
         FROM calendar_events_cache c
        WHERE c.user_id = ANY($1::uuid[]) AND c.is_busy AND c.status <> 'cancelled'
          AND c.start_time < $3 AND c.end_time > $2`,
      [query.hostIds, query.from, query.to, query.now, query.meetingTypeId],
    );
    return rows.map((r) => ({
      user_id: r.user_id,
      start_ms: new Date(r.start_time).getTime(),
      end_ms: new Date(r.end_time).getTime(),
      source: r.source,
      booking_id: r.booking_id,
      hold_id: r.hold_id,
      meeting_type_id: r.meeting_type_id,
      buffer_before: Number(r.buffer_before),
      buffer_after: Number(r.buffer_after),
      invitee_count: Number(r.invitee_count),
    }));
  }
}
