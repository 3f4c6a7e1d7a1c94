import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export interface HoldRow {
  id: string;
  meeting_type_id: string;
  start_time: Date;
  end_time: Date;
  expires_at: Date;
  created_at: Date;
  client_key: string;
  holder_email: string | null;
}

export interface NewHold {
  meetingTypeId: string;
  hostIds: string[];
  start: Date;
  end: Date;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  clientKey: string;
  holderEmail: string | null;
  /** A seat hold: this seat of the group session at `start` (hostIds empty: the session's row holds the host). */
  seat?: number | null;
}

export interface LiveHoldsRow {
  count: number;
  firstExpiry: Date | null;
}

/** countLiveHolds' single aggregate row: a count and the earliest expiry per client, email and meeting type. */
interface LiveHoldCounts {
  client_n: number;
  client_first: Date | null;
  email_n: number;
  email_first: Date | null;
  type_n: number;
  type_first: Date | null;
}

const HOLD_COLUMNS = 'id, meeting_type_id, start_time, end_time, expires_at, created_at, client_key, holder_email';

/**
 * Slot holds' SQL. A hold is a slot_holds row plus one live booking_hosts row per host it occupies (under the same
 * exclusion constraint as bookings). Methods taking a manager run inside the caller's transaction.
 */
@Injectable()
export class SlotHoldRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager) {
    return manager ?? this.dataSource.manager;
  }

  async insertHold(manager: EntityManager, h: NewHold): Promise<string> {
    const [{ id }] = await manager.query<[{ id: string }]>(
      `INSERT INTO slot_holds (meeting_type_id, start_time, end_time, token_hash, expires_at, created_at, client_key, holder_email, seat)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [h.meetingTypeId, h.start, h.end, h.tokenHash, h.expiresAt, h.createdAt, h.clientKey, h.holderEmail, h.seat ?? null],
    );
    if (h.hostIds.length === 0) return id;
    await manager.query(`INSERT INTO booking_hosts (hold_id, user_id, blocked) SELECT $1, unnest($2::uuid[]), tstzrange($3, $4, '[)')`, [
      id,
      h.hostIds,
      h.start,
      h.end,
    ]);
    return id;
  }

  async findHoldByTokenHash(tokenHash: string, manager?: EntityManager, lock = false): Promise<HoldRow | null> {
    const rows = await this.m(manager).query<HoldRow[]>(
      `SELECT ${HOLD_COLUMNS} FROM slot_holds WHERE token_hash = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [tokenHash],
    );
    return rows.at(0) ?? null;
  }

  async findHoldHostIds(holdId: string, manager?: EntityManager): Promise<string[]> {
    const rows = await this.m(manager).query<{ user_id: string }[]>(
      `SELECT user_id FROM booking_hosts WHERE hold_id = $1 ORDER BY user_id`,
      [holdId],
    );
    return rows.map((r) => r.user_id);
  }

  /** The hold became a booking: its row goes, and with it its host rows. */
  async deleteHold(manager: EntityManager, holdId: string): Promise<void> {
    await manager.query(`DELETE FROM slot_holds WHERE id = $1`, [holdId]);
  }

  /**
   * Released early: the time is free at once, the row stays (ended now) for the re-hold cooldown. A seat hold's row
   * goes instead: its seat number is free again (slot_holds_one_per_seat), and no re-hold of a seat is possible.
   */
  async endHold(manager: EntityManager, holdId: string, now: Date): Promise<void> {
    await manager.query(`DELETE FROM slot_holds WHERE id = $1 AND seat IS NOT NULL`, [holdId]);
    await manager.query(`UPDATE slot_holds SET expires_at = LEAST(expires_at, $2) WHERE id = $1`, [holdId, now]);
    await manager.query(`UPDATE booking_hosts SET is_live = false WHERE hold_id = $1`, [holdId]);
  }

  async extendHold(manager: EntityManager, holdId: string, expiresAt: Date): Promise<void> {
    await manager.query(`UPDATE slot_holds SET expires_at = $2 WHERE id = $1`, [holdId, expiresAt]);
  }

  /**
   * Expired holds stop blocking: the constraint cannot look at the clock, so their host rows stop being live before
   * a write. Their rows are kept for the re-hold cooldown and deleted once it is over (`forgetBefore`). One statement:
   * the holds past the cooldown are deleted (their host rows go with them, ON DELETE CASCADE, at the statement's end)
   * and the host rows of the other expired holds stop being live; no row is touched twice.
   */
  async endExpiredHolds(manager: EntityManager, hostIds: string[], now: Date, forgetBefore: Date): Promise<void> {
    await manager.query(
      `WITH forgotten AS (
         DELETE FROM slot_holds h WHERE h.expires_at <= $3
            AND EXISTS (SELECT 1 FROM booking_hosts bh WHERE bh.hold_id = h.id AND bh.user_id = ANY($1::uuid[]))
         RETURNING h.id)
       UPDATE booking_hosts bh SET is_live = false FROM slot_holds h
        WHERE h.id = bh.hold_id AND bh.is_live AND bh.user_id = ANY($1::uuid[]) AND h.expires_at <= $2
          AND h.id NOT IN (SELECT id FROM forgotten)`,
      [hostIds, now, forgetBefore],
    );
  }

  /** Seat numbers of this group session's seat holds (live or lapsed and not yet ended): taken numbers. */
  async seatsHeld(manager: EntityManager, meetingTypeId: string, start: Date): Promise<number[]> {
    const rows = await manager.query<{ seat: number }[]>(
      `SELECT seat FROM slot_holds WHERE meeting_type_id = $1 AND start_time = $2 AND seat IS NOT NULL`,
      [meetingTypeId, start],
    );
    return rows.map((r) => r.seat);
  }

  /** Live holds (not expired at `now`) per client, email, meeting type and host, with the first to end of each. */
  async countLiveHolds(
    manager: EntityManager,
    by: { clientKey: string; email: string | null; meetingTypeId: string; hostIds: string[] },
    now: Date,
  ): Promise<{ client: LiveHoldsRow; email: LiveHoldsRow; meetingType: LiveHoldsRow; hosts: Map<string, LiveHoldsRow> }> {
    // Aggregates without GROUP BY: always exactly one row.
    const [r] = await manager.query<[LiveHoldCounts]>(
      `SELECT count(*) FILTER (WHERE client_key = $1)::int AS client_n, min(expires_at) FILTER (WHERE client_key = $1) AS client_first,
              count(*) FILTER (WHERE holder_email = $2)::int AS email_n, min(expires_at) FILTER (WHERE holder_email = $2) AS email_first,
              count(*) FILTER (WHERE meeting_type_id = $3)::int AS type_n, min(expires_at) FILTER (WHERE meeting_type_id = $3) AS type_first
         FROM slot_holds
        WHERE expires_at > $4 AND (client_key = $1 OR holder_email = $2 OR meeting_type_id = $3)`,
      [by.clientKey, by.email, by.meetingTypeId, now],
    );
    const hostRows = await manager.query<{ user_id: string; n: number; first: Date }[]>(
      `SELECT bh.user_id, count(*)::int AS n, min(h.expires_at) AS first
         FROM booking_hosts bh JOIN slot_holds h ON h.id = bh.hold_id
        WHERE bh.user_id = ANY($1::uuid[]) AND bh.is_live AND h.expires_at > $2
        GROUP BY bh.user_id`,
      [by.hostIds, now],
    );
    const live = (n: number, first: Date | null): LiveHoldsRow => ({ count: n, firstExpiry: first ? new Date(first) : null });
    const hosts = new Map<string, LiveHoldsRow>(by.hostIds.map((id) => [id, live(0, null)]));
    for (const h of hostRows) hosts.set(h.user_id, live(h.n, h.first));
    return {
      client: live(r.client_n, r.client_first),
      email: live(r.email_n, r.email_first),
      meetingType: live(r.type_n, r.type_first),
      hosts,
    };
  }

  /**
   * The latest end of this client's (address or email) holds that overlapped [start, end) on any of the hosts and
   * ended after `since`: a re-hold within the cooldown would chain holds on the same time.
   */
  async lastEndedHoldOf(
    manager: EntityManager,
    by: { clientKey: string; email: string | null; hostIds: string[]; start: Date; end: Date },
    now: Date,
    since: Date,
  ): Promise<Date | null> {
    const [r] = await manager.query<[{ last_end: Date | null }]>(
      `SELECT max(h.expires_at) AS last_end FROM slot_holds h
        WHERE (h.client_key = $1 OR h.holder_email = $2) AND h.expires_at <= $6 AND h.expires_at > $7
          AND h.start_time < $5 AND h.end_time > $4
          AND EXISTS (SELECT 1 FROM booking_hosts bh WHERE bh.hold_id = h.id AND bh.user_id = ANY($3::uuid[]))`,
      [by.clientKey, by.email, by.hostIds, by.start, by.end, now, since],
    );
    return r.last_end ? new Date(r.last_end) : null;
  }
}
