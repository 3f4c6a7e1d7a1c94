import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { BusyEntry } from '../domain/build-host-inputs.js';

export interface BusyQuery {
  hostIds: string[];
  from: Date;
  to: Date;
  now: Date;
  /**
   * The group meeting type being offered, whose own bookings get invitee counts (its seats); null for other kinds,
   * which count no invitees (the engine uses the counts for group seats only): no second query then.
   */
  seatsOfType: string | null;
}

/**
 * What occupies the hosts over [$2, $3): live booking and hold rows of every meeting type (with their type's buffers)
 * and busy events of connected calendars. Instants come out as whole epoch milliseconds. Holds expired at $4 occupy
 * nobody; their rows come back marked `expired_hold` (still live, they block a write until ended: BusyRead).
 * Bookings of type $5 (a group type; NULL matches none) carry their key's `invitees_from`: their invitee counts (the
 * seats taken) are read next, pruned by it.
 */
const BUSY_SQL = `
  SELECT bh.user_id, floor(extract(epoch FROM lower(bh.blocked)) * 1000)::float8 AS start_ms,
         floor(extract(epoch FROM upper(bh.blocked)) * 1000)::float8 AS end_ms,
         CASE WHEN bh.hold_id IS NULL THEN 'booking' ELSE 'hold' END AS source,
         bh.booking_id, bh.hold_id, mt.id AS meeting_type_id,
         mt.buffer_before_minutes AS buffer_before, mt.buffer_after_minutes AS buffer_after,
         (mt.id = $5 AND bh.booking_id IS NOT NULL) IS TRUE AS counts_invitees, bk.invitees_from,
         (h.expires_at <= $4) IS TRUE AS expired_hold
    FROM booking_hosts bh
    LEFT JOIN booking_keys bk ON bk.id = bh.booking_id -- not the partitioned bookings: the key has the type (ADR 0014)
    LEFT JOIN slot_holds h ON h.id = bh.hold_id
    JOIN meeting_types mt ON mt.id = COALESCE(bk.meeting_type_id, h.meeting_type_id)
   WHERE bh.user_id = ANY($1::uuid[]) AND bh.is_live
     AND bh.blocked && tstzrange($2, $3, '[)')
  UNION ALL
  SELECT c.user_id, floor(extract(epoch FROM c.start_time) * 1000)::float8, floor(extract(epoch FROM c.end_time) * 1000)::float8,
         'calendar', NULL, NULL, NULL, 0, 0, false, NULL, false
    FROM calendar_events_cache c
   WHERE c.user_id = ANY($1::uuid[]) AND c.is_busy AND c.status <> 'cancelled'
     AND c.start_time < $3 AND c.end_time > $2`;

/** float8 and int4 columns: both drivers (pg, PGlite) return them as numbers. */
interface BusyRow {
  user_id: string;
  start_ms: number;
  end_ms: number;
  source: BusyEntry['source'];
  booking_id: string | null;
  hold_id: string | null;
  meeting_type_id: string | null;
  buffer_before: number;
  buffer_after: number;
  counts_invitees: boolean;
  invitees_from: Date | null;
  expired_hold: boolean;
}

/** What busy() read: the entries that occupy the hosts, and whether expired holds still have live rows in the range. */
export interface BusyRead {
  entries: BusyEntry[];
  /**
   * Host rows of holds that have expired but were not ended yet lie in the range: they occupy nobody, but the
   * exclusion constraint cannot look at the clock, so they still refuse a booking's rows until they are ended.
   */
  expiredHoldsLive: boolean;
}

/**
 * Active invitees of bookings $1, whose rows were all created from $2 on (booking_invitees is partitioned by
 * created_at: as a value, $2 lets the planner keep only those months; a correlated sub-select per booking planned
 * and probed every month partition, ADR 0014).
 */
const INVITEE_COUNTS_SQL = `
  SELECT booking_id, count(*)::int AS n FROM booking_invitees
   WHERE booking_id = ANY($1::uuid[]) AND status = 'active' AND created_at >= $2
   GROUP BY booking_id`;

/**
 * What keeps hosts busy, as the slot engine reads it: live bookings and holds, and connected calendars' busy events.
 * Runs on the given manager (the booking re-check's serializable transaction, or a read-replica connection), else on
 * the primary pool.
 */
@Injectable()
export class BusyTimesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async busy(query: BusyQuery, manager?: EntityManager): Promise<BusyRead> {
    const m = manager ?? this.dataSource.manager;
    const read: BusyRow[] = await m.query(BUSY_SQL, busyParams(query));
    const rows = read.filter((r) => !r.expired_hold);
    const counted = rows.filter((r) => r.counts_invitees);
    const counts = new Map<string, number>();
    if (counted.length > 0) {
      // A key that does not know its bound (a booking from before migration 1764000006000) means every month.
      const from = counted.some((r) => r.invitees_from === null)
        ? '-infinity'
        : // minus 1 ms: a Date drops the microseconds, and the bound must not exceed any row's created_at
          new Date(Math.min(...counted.map((r) => new Date(r.invitees_from as Date).getTime())) - 1);
      const ids = [...new Set(counted.map((r) => r.booking_id))];
      const countRows: { booking_id: string; n: number }[] = await m.query(INVITEE_COUNTS_SQL, [ids, from]);
      for (const c of countRows) counts.set(c.booking_id, c.n);
    }
    return {
      entries: rows.map((r) => toBusyEntry(r, r.counts_invitees ? (counts.get(r.booking_id as string) ?? 0) : 0)),
      expiredHoldsLive: rows.length < read.length,
    };
  }
}

function busyParams(query: BusyQuery): unknown[] {
  return [[...new Set(query.hostIds)], query.from, query.to, query.now, query.seatsOfType];
}

function toBusyEntry(r: BusyRow, inviteeCount: number): BusyEntry {
  return {
    userId: r.user_id,
    startMs: r.start_ms,
    endMs: r.end_ms,
    source: r.source,
    bookingId: r.booking_id,
    holdId: r.hold_id,
    meetingTypeId: r.meeting_type_id,
    bufferBefore: r.buffer_before,
    bufferAfter: r.buffer_after,
    inviteeCount,
  };
}
