import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RawStatements } from '../../../shared/database/raw-statements.js';
import type { BusyEntry, CountedEntry, HostSchedule } from '../domain/build-host-inputs.js';

export interface BusyQuery {
  hostIds: string[];
  from: Date;
  to: Date;
  now: Date;
  /**
   * The offered meeting type when it is a group type: its own bookings get invitee counts (seats taken). Null for
   * every other kind, whose engine input ignores the counts, so they are not read.
   */
  groupTypeId: string | null;
  /** The offered type and the horizon of its caps (capHorizon; absent or 0 = none): what the period caps count. */
  typeId?: string | null;
  capHorizon?: number;
}

/** Round robin: the capped hosts, their caps (same order) and how far back their bookings' starts are read. */
export interface RoundRobinStartsQuery {
  hostIds: string[];
  limits: number[];
  from: Date;
}

/** The type owner's zone (calendar months are counted in it) and each capped host's latest starts, newest first. */
export interface RoundRobinStarts {
  /** Null when the owner is gone. */
  ownerZone: string | null;
  starts: Record<string, number[]>;
}

/**
 * Each host's hours as the engine reads them (HostSchedule), as a JSON array of [user id, hours] pairs: the schedule
 * `schedule` (a placeholder) for the host who owns it, else their default, else no hours at all in their profile
 * zone, with the host's holiday setting (null when they follow none; the days are computed in code, holidays.ts) and
 * their own caps (null when unset). Rule times and override intervals ("HH:MM", "24:00" ends a day) come out as
 * minutes of the day, so the parsed JSON is the engine's input as it stands. NULL for no hosts.
 */
const hoursSql = (hosts: string, schedule: string) => `
  SELECT json_agg(json_build_array(h.user_id, json_build_object('timeZone', h.time_zone, 'rules', h.rules, 'overrides', h.overrides,
           'holidays', h.holidays, 'limits', h.limits)))
    FROM (
      SELECT DISTINCT ON (u.id) u.id AS user_id, COALESCE(s.time_zone, u.time_zone) AS time_zone,
         COALESCE((SELECT json_agg(json_build_object(
                    'dayOfWeek', r.day_of_week,
                    'startMinute', (extract(epoch FROM r.start_time) / 60)::int,
                    'endMinute', (extract(epoch FROM r.end_time) / 60)::int) ORDER BY r.day_of_week, r.start_time)
                   FROM availability_rules r WHERE r.schedule_id = s.id), '[]') AS rules,
         COALESCE((SELECT json_agg(json_build_object('date', to_char(o.date, 'YYYY-MM-DD'), 'intervals',
                    (SELECT COALESCE(json_agg(json_build_object(
                              'startMinute', split_part(i.v->>'start_time', ':', 1)::int * 60 + split_part(i.v->>'start_time', ':', 2)::int,
                              'endMinute', split_part(i.v->>'end_time', ':', 1)::int * 60 + split_part(i.v->>'end_time', ':', 2)::int)
                              ORDER BY i.n), '[]')
                       FROM jsonb_array_elements(o.intervals) WITH ORDINALITY AS i(v, n))) ORDER BY o.date)
                   FROM availability_overrides o WHERE o.schedule_id = s.id), '[]') AS overrides,
         (SELECT json_build_object('country', hs.country, 'region', hs.region) FROM holiday_settings hs WHERE hs.user_id = u.id) AS holidays,
         (SELECT json_build_object('weekStart', l.week_start,
                   'maxBookingsPerDay', l.max_bookings_per_day, 'maxBookingsPerWeek', l.max_bookings_per_week,
                   'maxBookingsPerMonth', l.max_bookings_per_month, 'maxBookingsPerYear', l.max_bookings_per_year,
                   'maxBookedMinutesPerDay', l.max_booked_minutes_per_day, 'maxBookedMinutesPerWeek', l.max_booked_minutes_per_week)
            FROM host_booking_limits l WHERE l.user_id = u.id) AS limits
        FROM users u
        LEFT JOIN schedules s ON s.user_id = u.id AND (s.is_default OR s.id = ${schedule}::uuid)
       WHERE u.id = ANY(${hosts}::uuid[])
       ORDER BY u.id, (s.id = ${schedule}::uuid) DESC NULLS LAST) h`;

/**
 * What occupies the hosts over [$2, $3): live booking and hold rows of every meeting type (holds not expired at $4,
 * with their type's buffers), busy events of connected calendars and the hosts' time off, and the live seat holds of
 * group type $5 (source `seat_hold`: seats, not busy time), aggregated into one row:
 * - `busy`: a JSON array of BusyEntry objects (instants as whole epoch milliseconds; invitee counts 0 for now);
 * - `expired_holds_live`: whether holds expired at $4 still have live rows in the range: they occupy nobody, but the
 *   exclusion constraint cannot read the clock, so they refuse a booking's rows until they are ended (BusyRead);
 * - `expired_pending_live`: the same for pending bookings (requires_confirmation) past their deadline
 *   (booking_hosts.pending_until): free from that instant, ended by the booking's PendingExpiry before its write;
 * - `counted`: the ids of the bookings of group type $5 (whose invitee counts, i.e. seats, are read next), or NULL
 *   (always when $5 is NULL);
 * - `counted_from`: the earliest `invitees_from` of their keys (ISO 8601 text, exact to the microsecond), or
 *   '-infinity' when a key does not know its bound (a booking from before migration 1764000006000).
 */
const BUSY_SQL = `
  SELECT COALESCE(json_agg(json_build_object(
           'userId', b.user_id, 'startMs', b.start_ms, 'endMs', b.end_ms, 'source', b.source,
           'bookingId', b.booking_id, 'holdId', b.hold_id, 'meetingTypeId', b.meeting_type_id,
           'bufferBefore', b.buffer_before, 'bufferAfter', b.buffer_after, 'inviteeCount', 0, 'pending', b.pending))
           FILTER (WHERE NOT b.expired_hold AND NOT b.expired_pending), '[]') AS busy,
         COALESCE(bool_or(b.expired_hold), false) AS expired_holds_live,
         COALESCE(bool_or(b.expired_pending), false) AS expired_pending_live,
         json_agg(DISTINCT b.booking_id) FILTER (WHERE b.counts_invitees) AS counted,
         CASE WHEN bool_or(b.invitees_from IS NULL) FILTER (WHERE b.counts_invitees) THEN '-infinity'
              ELSE to_json(min(b.invitees_from) FILTER (WHERE b.counts_invitees)) #>> '{}' END AS counted_from
    FROM (
      SELECT bh.user_id, floor(extract(epoch FROM lower(bh.blocked)) * 1000)::float8 AS start_ms,
             floor(extract(epoch FROM upper(bh.blocked)) * 1000)::float8 AS end_ms,
             CASE WHEN bh.hold_id IS NULL THEN 'booking' ELSE 'hold' END AS source,
             bh.booking_id, bh.hold_id, mt.id AS meeting_type_id,
             mt.buffer_before_minutes AS buffer_before, mt.buffer_after_minutes AS buffer_after,
             mt.id = $5::uuid AND bh.booking_id IS NOT NULL AS counts_invitees, bk.invitees_from,
             (h.expires_at <= $4) IS TRUE AS expired_hold,
             (bh.pending_until <= $4) IS TRUE AS expired_pending, bh.pending_until IS NOT NULL AS pending
        FROM booking_hosts bh
        LEFT JOIN booking_keys bk ON bk.id = bh.booking_id -- not the partitioned bookings: the key has the type (ADR 0014)
        LEFT JOIN slot_holds h ON h.id = bh.hold_id
        JOIN meeting_types mt ON mt.id = COALESCE(bk.meeting_type_id, h.meeting_type_id)
       WHERE bh.user_id = ANY($1::uuid[]) AND bh.is_live
         AND bh.blocked && tstzrange($2, $3, '[)')
      UNION ALL
      SELECT c.user_id, floor(extract(epoch FROM c.start_time) * 1000)::float8, floor(extract(epoch FROM c.end_time) * 1000)::float8,
             'calendar', NULL, NULL, NULL, 0, 0, false, NULL, false, false, false
        FROM calendar_events_cache c
       WHERE c.user_id = ANY($1::uuid[]) AND c.is_busy AND c.status <> 'cancelled'
         AND c.start_time < $3 AND c.end_time > $2
      UNION ALL
      SELECT t.user_id, floor(extract(epoch FROM t.start_time) * 1000)::float8, floor(extract(epoch FROM t.end_time) * 1000)::float8,
             'time_off', NULL, NULL, NULL, 0, 0, false, NULL, false, false, false
        FROM time_off t
       WHERE t.user_id = ANY($1::uuid[]) AND t.start_time < $3 AND t.end_time > $2
      UNION ALL
      -- Seat holds of group type $5 (a waitlist's claim of one seat): no host row, a taken seat until they expire.
      SELECT mt.user_id, floor(extract(epoch FROM h.start_time) * 1000)::float8, floor(extract(epoch FROM h.end_time) * 1000)::float8,
             'seat_hold', NULL, h.id, h.meeting_type_id, 0, 0, false, NULL, false, false, false
        FROM slot_holds h JOIN meeting_types mt ON mt.id = h.meeting_type_id
       WHERE h.meeting_type_id = $5::uuid AND h.seat IS NOT NULL AND h.expires_at > $4
         AND h.start_time < $3 AND h.end_time > $2) b`;

/**
 * The live bookings the period caps count (booking-caps.ts), as a JSON array of [user id, booking id, of type
 * `type`, start ms, minutes], or NULL. Per host, the horizon is the coarsest period of the type's caps (`horizon`,
 * 0 none .. 4 year, from capHorizon) and of the host's own caps (host_booking_limits): nothing is read for a host
 * when neither has a cap, only the type's bookings when the host has none. The bounds cover the periods around
 * [$2, $3) in any zone: a week each side, or whole UTC months or years with a day each side.
 */
const countsSql = (type: string, horizon: string) => `
  SELECT json_agg(json_build_array(bh.user_id, bh.booking_id, bk.meeting_type_id = ${type}::uuid,
           floor(extract(epoch FROM lower(bh.blocked)) * 1000)::float8,
           round(extract(epoch FROM upper(bh.blocked) - lower(bh.blocked)) / 60)::int))
    FROM (SELECT u.id AS user_id, greatest(${horizon}::int, l.horizon) AS horizon, l.horizon > 0 AS host_capped
            FROM unnest($1::uuid[]) u(id)
            LEFT JOIN LATERAL (
              SELECT CASE WHEN hl.max_bookings_per_year IS NOT NULL THEN 4
                          WHEN hl.max_bookings_per_month IS NOT NULL THEN 3
                          WHEN hl.max_bookings_per_week IS NOT NULL OR hl.max_booked_minutes_per_week IS NOT NULL THEN 2
                          WHEN hl.max_bookings_per_day IS NOT NULL OR hl.max_booked_minutes_per_day IS NOT NULL THEN 1
                          ELSE 0 END AS horizon
                FROM host_booking_limits hl WHERE hl.user_id = u.id) l ON true) hz
    JOIN booking_hosts bh ON bh.user_id = hz.user_id AND bh.is_live AND bh.booking_id IS NOT NULL
    JOIN booking_keys bk ON bk.id = bh.booking_id
   WHERE hz.horizon > 0 AND (hz.host_capped IS TRUE OR bk.meeting_type_id = ${type}::uuid)
     AND bh.blocked && tstzrange(
       CASE hz.horizon WHEN 1 THEN $2::timestamptz WHEN 2 THEN $2::timestamptz - interval '7 days'
            WHEN 3 THEN (date_trunc('month', $2::timestamptz AT TIME ZONE 'UTC') - interval '1 day') AT TIME ZONE 'UTC'
            ELSE (date_trunc('year', $2::timestamptz AT TIME ZONE 'UTC') - interval '1 day') AT TIME ZONE 'UTC' END,
       CASE hz.horizon WHEN 1 THEN $3::timestamptz WHEN 2 THEN $3::timestamptz + interval '7 days'
            WHEN 3 THEN (date_trunc('month', $3::timestamptz AT TIME ZONE 'UTC') + interval '1 month 1 day') AT TIME ZONE 'UTC'
            ELSE (date_trunc('year', $3::timestamptz AT TIME ZONE 'UTC') + interval '1 year 1 day') AT TIME ZONE 'UTC' END,
       '[)')`;

/**
 * Round robin's caps (round-robin-cap.ts): per capped host (`hosts`, with `caps` in the same order), the starts of
 * their latest `cap` live bookings of type `type` that start from `from` on, newest first, as epoch ms; and the
 * owner's zone. The filter is the booking command's own (BookingRepository.roundRobinStats): confirmed or pending
 * bookings of the type by start time. NULL when no host is capped.
 */
const roundRobinStartsSql = (type: string, hosts: string, caps: string, from: string) => `
  SELECT json_build_object(
           'ownerZone', (SELECT u.time_zone FROM meeting_types mt JOIN users u ON u.id = mt.user_id WHERE mt.id = ${type}::uuid),
           'starts', json_object_agg(c.user_id, ARRAY(
             SELECT floor(extract(epoch FROM b.start_time) * 1000)::float8
               FROM booking_hosts bh JOIN bookings b ON b.id = bh.booking_id
              WHERE bh.user_id = c.user_id AND b.meeting_type_id = ${type}::uuid AND b.status IN ('confirmed', 'pending')
                AND b.start_time >= ${from}::timestamptz
              ORDER BY b.start_time DESC LIMIT c.cap)))
    FROM unnest(${hosts}::uuid[], ${caps}::int[]) AS c(user_id, cap)
  HAVING count(*) > 0`;

/**
 * A cold slots request's whole read in one round trip: the hours ($1 hosts, $6 the type's schedule) beside the busy
 * row above. Named: parsed once per connection, a generic plan reused (RawStatements; unnamed on the embedded database).
 */
const HOURS_AND_BUSY: { name: string; text: string } = {
  name: 'kairos_hours_and_busy',
  // Named in a leading comment too: pg_stat_activity keeps only the first 1 kB of a statement's text.
  text: `/* kairos_hours_and_busy */ SELECT (${hoursSql('$1', '$6')}) AS hours, b.busy, b.expired_holds_live, b.expired_pending_live,
    b.counted, b.counted_from, (${countsSql('$7', '$8')}) AS cap_counts,
    (${roundRobinStartsSql('$7', '$9', '$10', '$11')}) AS round_robin FROM (${BUSY_SQL}) b`,
};
/** The booking re-check's read: its transaction loaded the hours before it began. */
const BUSY = {
  name: 'kairos_busy',
  text: `/* kairos_busy */ SELECT b.*, (${countsSql('$6', '$7')}) AS cap_counts FROM (${BUSY_SQL}) b`,
};
/** Round robin's cap counts alone, read before a hold's transaction (a booking reads its own, after its host locks). */
const ROUND_ROBIN_STARTS = {
  name: 'kairos_round_robin_starts',
  text: `/* kairos_round_robin_starts */ SELECT (${roundRobinStartsSql('$1', '$2', '$3', '$4')}) AS round_robin`,
};
/** Hours alone, read before a booking's transaction. */
const HOURS = { name: 'kairos_hours', text: `/* kairos_hours */ SELECT (${hoursSql('$1', '$2')}) AS hours` };

/**
 * Active invitees of bookings $1, whose rows were all created from $2 on (booking_invitees is partitioned by
 * created_at: as a value, $2 lets the planner keep only those months; a correlated sub-select per booking planned
 * and probed every month partition, ADR 0014). Unnamed on purpose: a prepared statement's generic plan would plan
 * every partition; only a group type with bookings in the range reads it.
 */
const INVITEE_COUNTS = {
  text: `
  SELECT booking_id, count(*)::int AS n FROM booking_invitees
   WHERE booking_id = ANY($1::uuid[]) AND status = 'active' AND created_at >= $2
   GROUP BY booking_id`,
};

/** What keeps the hosts busy, and whether expired holds still have live rows in the range (a write must end them first). */
export interface BusyRead {
  busy: BusyEntry[];
  expiredHoldsLive: boolean;
  /** Pending bookings past their deadline still have live rows in the range (ended like expired holds). */
  expiredPendingLive: boolean;
  /** The bookings the period caps count (empty when no cap applies). */
  capCounts: CountedEntry[];
}

interface BusyRow {
  busy: BusyEntry[];
  expired_holds_live: boolean;
  expired_pending_live: boolean;
  counted: string[] | null;
  counted_from: string | null;
  cap_counts: [string, string, boolean, number, number][] | null;
}

/**
 * The slot engine's read model (ADR 0012): the hosts' hours (from schedules' tables) and what keeps them busy (live
 * bookings and holds, connected calendars' busy events), in one statement when the slots endpoint needs both. Runs on
 * the given manager's connection (the booking re-check's serializable transaction, or a read-replica session), else
 * on the primary pool.
 */
@Injectable()
export class AvailabilityReadsRepository {
  constructor(private readonly statements: RawStatements) {}

  /** Hours and busy time in one round trip; a second only for a group type with bookings of its own in the range. */
  async hoursAndBusy(
    query: BusyQuery & { scheduleId: string | null; roundRobin?: RoundRobinStartsQuery | null },
    manager?: EntityManager,
  ): Promise<BusyRead & { hours: Map<string, HostSchedule>; roundRobin: RoundRobinStarts | null }> {
    const rr = query.roundRobin ?? null;
    const [row] = await this.statements.rows<BusyRow & { hours: [string, HostSchedule][] | null; round_robin: RoundRobinStarts | null }>(
      HOURS_AND_BUSY,
      [
        ...busyParams(query),
        query.scheduleId,
        query.typeId ?? null,
        query.capHorizon ?? 0,
        rr?.hostIds ?? [],
        rr?.limits ?? [],
        rr?.from ?? query.now,
      ],
      manager,
    );
    return {
      hours: new Map(row.hours ?? []),
      roundRobin: row.round_robin,
      busy: await this.withInviteeCounts(row, manager),
      expiredHoldsLive: row.expired_holds_live,
      expiredPendingLive: row.expired_pending_live,
      capCounts: capCountsOf(row),
    };
  }

  async busy(query: BusyQuery, manager?: EntityManager): Promise<BusyRead> {
    const [row] = await this.statements.rows<BusyRow>(BUSY, [...busyParams(query), query.typeId ?? null, query.capHorizon ?? 0], manager);
    return {
      busy: await this.withInviteeCounts(row, manager),
      expiredHoldsLive: row.expired_holds_live,
      expiredPendingLive: row.expired_pending_live,
      capCounts: capCountsOf(row),
    };
  }

  /** Round robin's cap counts on their own (the same read as in hoursAndBusy), or null when no host is capped. */
  async roundRobinStarts(typeId: string, query: RoundRobinStartsQuery, manager?: EntityManager): Promise<RoundRobinStarts | null> {
    if (query.hostIds.length === 0) return null;
    const [row] = await this.statements.rows<{ round_robin: RoundRobinStarts | null }>(
      ROUND_ROBIN_STARTS,
      [typeId, query.hostIds, query.limits, query.from],
      manager,
    );
    return row.round_robin;
  }

  /** Each host's hours: `scheduleId` for the host who owns it, everyone else's default, none for a host without. */
  async hours(hostIds: string[], scheduleId: string | null, manager?: EntityManager): Promise<Map<string, HostSchedule>> {
    if (hostIds.length === 0) return new Map();
    const [row] = await this.statements.rows<{ hours: [string, HostSchedule][] | null }>(
      HOURS,
      [[...new Set(hostIds)], scheduleId],
      manager,
    );
    return new Map(row.hours ?? []);
  }

  private async withInviteeCounts(row: BusyRow, manager?: EntityManager): Promise<BusyEntry[]> {
    const { busy, counted } = row;
    if (counted === null) return busy;
    const countRows = await this.statements.rows<{ booking_id: string; n: number }>(INVITEE_COUNTS, [counted, row.counted_from], manager);
    // Only the bookings `counted` names are asked for; one of them without active invitees keeps 0.
    const counts = new Map(countRows.map((c) => [c.booking_id, c.n]));
    for (const entry of busy) {
      const n = entry.bookingId === null ? undefined : counts.get(entry.bookingId);
      if (n !== undefined) entry.inviteeCount = n;
    }
    return busy;
  }
}

function busyParams(query: BusyQuery): unknown[] {
  return [[...new Set(query.hostIds)], query.from, query.to, query.now, query.groupTypeId];
}

function capCountsOf(row: BusyRow): CountedEntry[] {
  return (row.cap_counts ?? []).map(([userId, bookingId, own, startMs, minutes]) => ({ userId, bookingId, own, startMs, minutes }));
}
