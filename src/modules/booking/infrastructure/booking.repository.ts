import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { constraintName, PG_EXCLUSION_VIOLATION, PG_UNIQUE_VIOLATION, sqlState } from '../../../shared/database/pg-errors.js';
import { appendOutboxEvent, outboxEventInsertSql, outboxEventValues } from '../../../shared/outbox/outbox-events.js';
import type { BookingRecord, RoundRobinStats, InviteeRecord } from '../application/booking-records.js';
import type { BookingEventPayload, BookingEventType, NoShowEventType } from '../domain/booking-views.js';
import type { Utm } from '../domain/utm.js';

export interface NewBooking {
  meetingTypeId: string;
  organizerId: string;
  hostIds: string[];
  start: Date;
  end: Date;
  timeZone: string;
  location: Record<string, unknown> | null;
  assignmentReason: Record<string, unknown> | null;
  icalUid?: string;
  icalSequence?: number;
  rescheduledFromId?: string | null;
  /** requires_confirmation: the booking is `pending` until then (its host rows carry it too); null or absent: confirmed. */
  pendingUntil?: Date | null;
}

export interface NewInvitee {
  bookingId: string;
  name: string;
  email: string;
  timeZone: string;
  phone: string | null;
  answers: Record<string, unknown>;
  guests: string[];
  utm: Utm | null;
  locale: string;
}

/** The admin list's filter (searchForHost): a bounded start range, always. */
export interface BookingSearch {
  startFrom: Date;
  startTo: Date;
  statuses?: string[];
  endAfter?: Date;
  endAtOrBefore?: Date;
  /** A substring of an invitee's name or email (LIKE wildcards are matched literally). */
  search?: string;
  descending?: boolean;
  limit: number;
  offset: number;
}

const BOOKING_COLUMNS = `b.id, b.meeting_type_id, b.host_user_id, b.start_time, b.end_time, b.time_zone, b.status, b.location,
  b.cancellation_reason, b.cancelled_by, b.rescheduled_from_id, b.rescheduled_to_id, b.assignment_reason, b.ical_uid,
  b.ical_sequence, b.confirmation_expires_at, b.created_at, b.updated_at`;
const INVITEE_COLUMNS = 'id, booking_id, name, email, time_zone, phone, answers, guests, utm, locale, status, created_at, no_show_at';

/**
 * bookings is partitioned by start_time month (ADR 0014): a lookup by id alone probes every partition, and one that
 * finds the start with a sub-select is pruned only at run time, after the planner has planned every partition (at
 * 1M bookings over 40 months that planning cost more than the statement). So the start is read from booking_keys
 * first and passed as a value: the planner keeps one partition. A booking's start never changes (ADR 0014).
 */
const BY_ID_AND_START = (alias: string) => `${alias}.id = $1 AND ${alias}.start_time = $2`;

/** A write lost the race for a host's time: the exclusion constraint on live booking_hosts rows fired (23P01). */
export const isHostTaken = (error: unknown): boolean => sqlState(error) === PG_EXCLUSION_VIOLATION;

/** Two creates with one Idempotency-Key raced and this one lost the key's primary key (23505). */
export const isIdempotencyKeyTaken = (error: unknown): boolean =>
  sqlState(error) === PG_UNIQUE_VIOLATION && constraintName(error) === 'idempotency_keys_pkey';

/** All booking SQL, with intent-named methods. Methods taking a manager run inside the caller's transaction. */
@Injectable()
export class BookingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager) {
    return manager ?? this.dataSource.manager;
  }

  /**
   * The booking and its host rows in one statement. One live row per host: the exclusion constraint makes any overlap
   * fail here (23P01), whatever raced us. The host rows' foreign key names booking_keys, whose row the bookings
   * trigger writes; both run at the statement's end, in the order the rows were written (the booking first).
   */
  async insertBooking(manager: EntityManager, b: NewBooking): Promise<BookingRecord> {
    const [row] = await manager.query<[BookingRecord]>(
      `WITH b AS (
         INSERT INTO bookings (meeting_type_id, host_user_id, start_time, end_time, time_zone, status, location,
                               assignment_reason, ical_uid, ical_sequence, rescheduled_from_id, confirmation_expires_at)
         VALUES ($1, $2, $3, $4, $5, CASE WHEN $12::timestamptz IS NULL THEN 'confirmed' ELSE 'pending' END, $6, $7,
                 COALESCE($8, gen_random_uuid()::text || '@kairos'), $9, $10, $12)
         RETURNING *),
       hosts AS (
         INSERT INTO booking_hosts (booking_id, user_id, blocked, pending_until)
         SELECT b.id, unnest($11::uuid[]), tstzrange($3, $4, '[)'), $12 FROM b)
       SELECT * FROM b`,
      [
        b.meetingTypeId,
        b.organizerId,
        b.start,
        b.end,
        b.timeZone,
        b.location,
        b.assignmentReason,
        b.icalUid ?? null,
        b.icalSequence ?? 0,
        b.rescheduledFromId ?? null,
        b.hostIds,
        b.pendingUntil ?? null,
      ],
    );
    return row;
  }

  /**
   * insertBooking inside a savepoint: null when one of its hosts was just taken (the exclusion constraint fired), the
   * transaction still usable for the next candidate (round robin tries its hosts in order). Other errors propagate.
   */
  async insertBookingUnlessHostTaken(manager: EntityManager, b: NewBooking): Promise<BookingRecord | null> {
    await manager.query('SAVEPOINT round_robin_pick');
    try {
      const booking = await this.insertBooking(manager, b);
      await manager.query('RELEASE SAVEPOINT round_robin_pick');
      return booking;
    } catch (error) {
      if (!isHostTaken(error)) throw error;
      await manager.query('ROLLBACK TO SAVEPOINT round_robin_pick');
      return null;
    }
  }

  /**
   * The invitee and the outbox event about it, in one statement. The invitee's id is made here, before the INSERT:
   * the management token's hash is derived from it, and the event names it.
   */
  async insertInviteeWithEvent(
    manager: EntityManager,
    i: NewInvitee,
    tokenHashFor: (inviteeId: string) => string,
    event: (inviteeId: string) => { type: BookingEventType; payload: BookingEventPayload },
  ): Promise<InviteeRecord> {
    const id = randomUUID();
    const { type, payload } = event(id);
    const [row] = await manager.query<[InviteeRecord]>(
      `WITH i AS (
         INSERT INTO booking_invitees (id, booking_id, name, email, time_zone, phone, answers, management_token_hash, guests, utm, locale)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *),
       event AS (${outboxEventInsertSql(12)})
       SELECT * FROM i`,
      [
        id,
        i.bookingId,
        i.name,
        i.email,
        i.timeZone,
        i.phone,
        JSON.stringify(i.answers),
        tokenHashFor(id),
        i.guests,
        i.utm === null ? null : JSON.stringify(i.utm),
        i.locale,
        ...outboxEventValues({ type, bookingId: payload.booking_id, payload }),
      ],
    );
    return row;
  }

  async insertOutboxEvent(manager: EntityManager, type: BookingEventType | NoShowEventType, payload: BookingEventPayload): Promise<void> {
    await appendOutboxEvent(manager, { type, bookingId: payload.booking_id, payload });
  }

  /** The live group booking of a meeting type at an exact start, locked so seat counting is exact. */
  async findLiveGroupBookingAt(manager: EntityManager, meetingTypeId: string, start: Date): Promise<BookingRecord | null> {
    const rows = await manager.query<BookingRecord[]>(
      `SELECT ${BOOKING_COLUMNS} FROM bookings b
        WHERE b.meeting_type_id = $1 AND b.start_time = $2 AND b.status = 'confirmed'
        FOR UPDATE`,
      [meetingTypeId, start],
    );
    return rows.at(0) ?? null;
  }

  async countActiveInvitees(manager: EntityManager, bookingId: string): Promise<number> {
    const from = await this.inviteesFrom([bookingId], manager);
    const [r] = await manager.query<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM booking_invitees WHERE booking_id = $1 AND status = 'active' AND created_at >= $2`,
      [bookingId, from],
    );
    return r.n;
  }

  async findBooking(id: string, manager?: EntityManager, lock = false): Promise<BookingRecord | null> {
    const start = await this.startOf(id, manager);
    if (!start) return null;
    const rows = await this.m(manager).query<BookingRecord[]>(
      `SELECT ${BOOKING_COLUMNS} FROM bookings b WHERE ${BY_ID_AND_START('b')} ${lock ? 'FOR UPDATE OF b' : ''}`,
      [id, start],
    );
    return rows.at(0) ?? null;
  }

  /**
   * The booking's start (its partition key) from booking_keys; null when there is no such booking. As text, so a
   * microsecond value written by SQL comes back exact (a JS Date keeps milliseconds).
   */
  private async startOf(id: string, manager?: EntityManager): Promise<string | null> {
    const rows = await this.m(manager).query<{ start_time: string }[]>(
      `SELECT start_time::text AS start_time FROM booking_keys WHERE id = $1`,
      [id],
    );
    return rows.at(0)?.start_time ?? null;
  }

  async findHostIds(bookingId: string, manager?: EntityManager): Promise<string[]> {
    // findHostIdsOf has an entry for every id asked for.
    return (await this.findHostIdsOf([bookingId], manager)).get(bookingId) ?? [];
  }

  async findInvitees(bookingId: string, manager?: EntityManager): Promise<InviteeRecord[]> {
    // findInviteesOf has an entry for every id asked for.
    return (await this.findInviteesOf([bookingId], manager)).get(bookingId) ?? [];
  }

  /** Several bookings in one query (views of many bookings: the export feed). */
  async findBookings(ids: string[], manager?: EntityManager): Promise<BookingRecord[]> {
    if (ids.length === 0) return [];
    // The starts first: given as values, they let the planner keep only those months' partitions (a join on the key
    // table would probe every partition's index per row).
    const keys = await this.m(manager).query<{ start_time: Date }[]>(`SELECT start_time FROM booking_keys WHERE id = ANY($1::uuid[])`, [
      ids,
    ]);
    if (keys.length === 0) return [];
    return this.m(manager).query<BookingRecord[]>(
      `SELECT ${BOOKING_COLUMNS} FROM bookings b WHERE b.id = ANY($1::uuid[]) AND b.start_time = ANY($2::timestamptz[])`,
      [ids, keys.map((k) => k.start_time)],
    );
  }

  /** Host ids per booking, each list sorted, for several bookings in one query. */
  async findHostIdsOf(bookingIds: string[], manager?: EntityManager): Promise<Map<string, string[]>> {
    const byBooking = new Map<string, string[]>(bookingIds.map((id) => [id, []]));
    if (bookingIds.length === 0) return byBooking;
    const rows = await this.m(manager).query<{ booking_id: string; user_id: string }[]>(
      // Archived bookings keep their hosts in bookings_archive.host_ids (their booking_hosts rows are gone).
      `SELECT booking_id, user_id FROM (
         SELECT booking_id, user_id FROM booking_hosts WHERE booking_id = ANY($1::uuid[])
         UNION ALL SELECT a.id, unnest(a.host_ids) FROM bookings_archive a WHERE a.id = ANY($1::uuid[])) x
        ORDER BY booking_id, user_id`,
      [bookingIds],
    );
    for (const r of rows) byBooking.get(r.booking_id)?.push(r.user_id);
    return byBooking;
  }

  /** Invitees per booking (oldest first) for several bookings in one query. */
  async findInviteesOf(bookingIds: string[], manager?: EntityManager): Promise<Map<string, InviteeRecord[]>> {
    const byBooking = new Map<string, InviteeRecord[]>(bookingIds.map((id) => [id, []]));
    if (bookingIds.length === 0) return byBooking;
    const from = await this.inviteesFrom(bookingIds, manager);
    const rows = await this.m(manager).query<InviteeRecord[]>(
      `SELECT ${INVITEE_COLUMNS} FROM (
         SELECT ${INVITEE_COLUMNS} FROM booking_invitees WHERE booking_id = ANY($1::uuid[]) AND created_at >= $2
         UNION ALL SELECT ${INVITEE_COLUMNS} FROM booking_invitees_archive WHERE booking_id = ANY($1::uuid[])) x
        ORDER BY created_at, id`,
      [bookingIds, from],
    );
    for (const r of rows) byBooking.get(r.booking_id)?.push(r);
    return byBooking;
  }

  /**
   * The earliest created_at any invitee row of these bookings can have (booking_keys.invitees_from, kept by a trigger;
   * migration 1764000006000), as a value: `created_at >= $n` lets the planner keep only the month partitions from
   * there on instead of every month. -infinity (no bound) when a key does not know it (old bookings) or is missing.
   */
  private async inviteesFrom(bookingIds: string[], manager?: EntityManager): Promise<string> {
    const [r] = await this.m(manager).query<[{ since: string | null }]>(
      `SELECT CASE WHEN bool_and(invitees_from IS NOT NULL) THEN min(invitees_from)::text END AS since
         FROM booking_keys WHERE id = ANY($1::uuid[])`,
      [bookingIds],
    );
    return r.since ?? '-infinity';
  }

  async findInviteeByTokenHash(tokenHash: string, manager?: EntityManager): Promise<InviteeRecord | null> {
    const rows = await this.m(manager).query<InviteeRecord[]>(
      `SELECT ${INVITEE_COLUMNS} FROM booking_invitees WHERE management_token_hash = $1`,
      [tokenHash],
    );
    return rows.at(0) ?? null;
  }

  /** Frees the booking's time: its host rows stop counting for the exclusion constraint and availability. */
  async releaseHosts(manager: EntityManager, bookingId: string): Promise<void> {
    await manager.query(`UPDATE booking_hosts SET is_live = false WHERE booking_id = $1`, [bookingId]);
  }

  async markCancelled(
    manager: EntityManager,
    bookingId: string,
    reason: string | null,
    by: 'host' | 'invitee' | 'calendar',
  ): Promise<BookingRecord> {
    // An UPDATE through the pg driver resolves to [rows, affected count].
    const [rows] = await manager.query<[BookingRecord[], number]>(
      `UPDATE bookings SET status = 'cancelled', cancellation_reason = $3, cancelled_by = $4,
              ical_sequence = ical_sequence + 1, updated_at = now()
        WHERE ${BY_ID_AND_START('bookings')} RETURNING *`,
      [bookingId, await this.startOf(bookingId, manager), reason, by],
    );
    return rows[0];
  }

  async markRescheduled(manager: EntityManager, bookingId: string, successorId: string): Promise<void> {
    await manager.query(
      `UPDATE bookings SET status = 'rescheduled', rescheduled_to_id = $3, updated_at = now() WHERE ${BY_ID_AND_START('bookings')}`,
      [bookingId, await this.startOf(bookingId, manager), successorId],
    );
  }

  async cancelInvitee(manager: EntityManager, inviteeId: string): Promise<void> {
    await manager.query(`UPDATE booking_invitees SET status = 'cancelled' WHERE id = $1`, [inviteeId]);
  }

  async moveInvitees(manager: EntityManager, inviteeIds: string[], toBookingId: string): Promise<void> {
    await manager.query(`UPDATE booking_invitees SET booking_id = $2 WHERE id = ANY($1::uuid[])`, [inviteeIds, toBookingId]);
  }

  async bumpSequence(manager: EntityManager, bookingId: string): Promise<number> {
    const [rows] = await manager.query<[{ ical_sequence: number }[], number]>(
      `UPDATE bookings SET ical_sequence = ical_sequence + 1, updated_at = now() WHERE ${BY_ID_AND_START('bookings')} RETURNING ical_sequence`,
      [bookingId, await this.startOf(bookingId, manager)],
    );
    return rows[0].ical_sequence;
  }

  /**
   * Round-robin statistics for candidate hosts: live bookings of the type since `periodStart`, and the latest one.
   * Read outside the booking transaction (BookingCommands.roundRobinFairness says why), and only bookings starting
   * from `lookBackFrom`: the bound is on the partition key, so only recent months are read (the whole history cost
   * 80 ms at 1M bookings).
   */
  async roundRobinStats(
    meetingTypeId: string,
    hostIds: string[],
    periodStart: Date,
    lookBackFrom: Date,
    manager?: EntityManager,
  ): Promise<RoundRobinStats> {
    const rows = await (manager ?? this.dataSource.manager).query<{ user_id: string; n: number; last: Date | null }[]>(
      `SELECT bh.user_id,
              count(*) FILTER (WHERE b.start_time >= $3)::int AS n,
              max(b.created_at) AS last
         FROM booking_hosts bh JOIN bookings b ON b.id = bh.booking_id
        WHERE b.meeting_type_id = $1 AND bh.user_id = ANY($2::uuid[]) AND b.status IN ('confirmed', 'pending')
          AND b.start_time >= $4
        GROUP BY bh.user_id`,
      [meetingTypeId, hostIds, periodStart, lookBackFrom],
    );
    return new Map(rows.map((r) => [r.user_id, { count: r.n, last: r.last ? new Date(r.last).getTime() : null }]));
  }

  /** The zone a user's calendar months are counted in (a round-robin type's owner); UTC when the user is gone. */
  async timeZoneOf(userId: string, manager?: EntityManager): Promise<string> {
    const rows = await (manager ?? this.dataSource.manager).query<{ time_zone: string }[]>(`SELECT time_zone FROM users WHERE id = $1`, [
      userId,
    ]);
    return rows[0]?.time_zone ?? 'UTC';
  }

  /**
   * A host's bookings, archived ones included (bookings_archive: the same filters; hosts from host_ids), newest
   * first. `includeArchived: false` reads the hot table only.
   */
  async listForHost(
    hostId: string,
    filter: { status?: string; from?: Date; to?: Date; limit: number; offset: number; includeArchived?: boolean },
  ): Promise<{ rows: BookingRecord[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [hostId];
    if (filter.status) {
      params.push(filter.status);
      where.push(`b.status = $${params.length}`);
    }
    if (filter.from) {
      params.push(filter.from);
      where.push(`b.end_time > $${params.length}`);
    }
    if (filter.to) {
      params.push(filter.to);
      where.push(`b.start_time < $${params.length}`);
    }
    const hot = [`EXISTS (SELECT 1 FROM booking_hosts bh WHERE bh.booking_id = b.id AND bh.user_id = $1)`, ...where].join(' AND ');
    const archived = [`b.host_ids @> ARRAY[$1::uuid]`, ...where].join(' AND ');
    const source =
      filter.includeArchived === false
        ? `SELECT ${BOOKING_COLUMNS}, false AS archived FROM bookings b WHERE ${hot}`
        : `SELECT ${BOOKING_COLUMNS}, false AS archived FROM bookings b WHERE ${hot}
           UNION ALL SELECT ${BOOKING_COLUMNS}, true AS archived FROM bookings_archive b WHERE ${archived}`;
    const [{ total }] = await this.dataSource.query<[{ total: number }]>(`SELECT count(*)::int AS total FROM (${source}) b`, params);
    const rows = await this.dataSource.query<BookingRecord[]>(
      `SELECT * FROM (${source}) b ORDER BY b.start_time DESC, b.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    );
    return { rows, total };
  }

  /**
   * The admin's bookings list (hot table only): bookings of the host starting in [startFrom, startTo) — always a
   * bounded range of the partition key, so only those months are planned — with optional statuses, an end bound and
   * a case-insensitive substring of an invitee's name or email; ordered by (start_time, id) for stable pages.
   */
  async searchForHost(hostId: string, filter: BookingSearch): Promise<{ rows: BookingRecord[]; total: number }> {
    const params: unknown[] = [hostId, filter.startFrom, filter.startTo];
    const where = [
      `EXISTS (SELECT 1 FROM booking_hosts bh WHERE bh.booking_id = b.id AND bh.user_id = $1)`,
      `b.start_time >= $2`,
      `b.start_time < $3`,
    ];
    if (filter.statuses?.length) {
      params.push(filter.statuses);
      where.push(`b.status = ANY($${params.length}::text[])`);
    }
    if (filter.endAfter) {
      params.push(filter.endAfter);
      where.push(`b.end_time > $${params.length}`);
    }
    if (filter.endAtOrBefore) {
      params.push(filter.endAtOrBefore);
      where.push(`b.end_time <= $${params.length}`);
    }
    if (filter.search) {
      params.push(`%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(
        `EXISTS (SELECT 1 FROM booking_invitees i WHERE i.booking_id = b.id AND (i.name ILIKE $${params.length} OR i.email ILIKE $${params.length}))`,
      );
    }
    const condition = where.join(' AND ');
    const [{ total }] = await this.dataSource.query<[{ total: number }]>(
      `SELECT count(*)::int AS total FROM bookings b WHERE ${condition}`,
      params,
    );
    const order = filter.descending ? 'b.start_time DESC, b.id DESC' : 'b.start_time, b.id';
    const rows = await this.dataSource.query<BookingRecord[]>(
      `SELECT ${BOOKING_COLUMNS} FROM bookings b WHERE ${condition} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    );
    return { rows, total };
  }

  // --- idempotency ---------------------------------------------------------------------------------------------

  async findIdempotent(
    scope: string,
    key: string,
    manager?: EntityManager,
  ): Promise<{ request_hash: string; status_code: number; response: unknown } | null> {
    const rows = await this.m(manager).query<{ request_hash: string; status_code: number; response: unknown }[]>(
      `SELECT request_hash, status_code, response FROM idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    return rows.at(0) ?? null;
  }

  async saveIdempotent(
    manager: EntityManager,
    scope: string,
    key: string,
    requestHash: string,
    statusCode: number,
    response: unknown,
  ): Promise<void> {
    await manager.query(`INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response) VALUES ($1, $2, $3, $4, $5)`, [
      scope,
      key,
      requestHash,
      statusCode,
      JSON.stringify(response),
    ]);
  }
}
