import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { WaitlistEntryRow, WaitlistStatus } from '../domain/waitlist.js';

export type { WaitlistEntryRow };

export interface WaitlistSettings {
  enabled: boolean;
  claimMinutes: number;
  ownerUsername: string;
}

/** UPDATE ... RETURNING answers [rows, count] through TypeORM's postgres driver; INSERT and SELECT answer rows. */
async function returning<T>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const result = await manager.query<unknown>(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

const COLUMNS =
  'id, meeting_type_id, start_time, position, name, email, locale, time_zone, status, hold_id, claim_seat, promoted_at, claim_expires_at, ended_at, created_at';

/** The waitlist's SQL. Methods taking a manager run inside the caller's transaction. */
@Injectable()
export class WaitlistRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager) {
    return manager ?? this.dataSource.manager;
  }

  async settings(meetingTypeId: string, manager?: EntityManager): Promise<WaitlistSettings | null> {
    const rows = await this.m(manager).query<{ waitlist_enabled: boolean; waitlist_claim_minutes: number; username: string }[]>(
      `SELECT t.waitlist_enabled, t.waitlist_claim_minutes, u.username
         FROM meeting_types t JOIN users u ON u.id = t.user_id WHERE t.id = $1`,
      [meetingTypeId],
    );
    const r = rows.at(0);
    return r ? { enabled: r.waitlist_enabled, claimMinutes: r.waitlist_claim_minutes, ownerUsername: r.username } : null;
  }

  async saveSettings(meetingTypeId: string, enabled: boolean, claimMinutes: number): Promise<void> {
    await this.dataSource.query(`UPDATE meeting_types SET waitlist_enabled = $2, waitlist_claim_minutes = $3 WHERE id = $1`, [
      meetingTypeId,
      enabled,
      claimMinutes,
    ]);
  }

  /** Inserts a waiting entry; null when this email already waits (or is promoted) for this time. */
  async insert(
    manager: EntityManager,
    e: {
      id: string;
      meetingTypeId: string;
      start: Date;
      name: string;
      email: string;
      emailNormalized: string;
      locale: string;
      timeZone: string | null;
      tokenHash: string;
      now: Date;
    },
  ): Promise<WaitlistEntryRow | null> {
    const rows = await manager.query<WaitlistEntryRow[]>(
      `INSERT INTO waitlist_entries (id, meeting_type_id, start_time, name, email, email_normalized, locale, time_zone, token_hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (meeting_type_id, start_time, email_normalized) WHERE status IN ('waiting', 'promoted') DO NOTHING
       RETURNING ${COLUMNS}`,
      [e.id, e.meetingTypeId, e.start, e.name, e.email, e.emailNormalized, e.locale, e.timeZone, e.tokenHash, e.now],
    );
    return rows.at(0) ?? null;
  }

  /** 1-based place in the line among those still waiting or promoted at this time. */
  async placeOf(manager: EntityManager, entry: WaitlistEntryRow): Promise<number> {
    const [r] = await manager.query<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM waitlist_entries
        WHERE meeting_type_id = $1 AND start_time = $2 AND status IN ('waiting', 'promoted') AND position <= $3`,
      [entry.meeting_type_id, entry.start_time, entry.position],
    );
    return r.n;
  }

  async list(meetingTypeId: string, status: WaitlistStatus | null, limit: number): Promise<WaitlistEntryRow[]> {
    return this.dataSource.query<WaitlistEntryRow[]>(
      `SELECT ${COLUMNS} FROM waitlist_entries WHERE meeting_type_id = $1 AND ($2::varchar IS NULL OR status = $2)
        ORDER BY start_time, position LIMIT $3`,
      [meetingTypeId, status, limit],
    );
  }

  async findByTokenHash(tokenHash: string, manager?: EntityManager): Promise<WaitlistEntryRow | null> {
    const rows = await this.m(manager).query<WaitlistEntryRow[]>(
      `SELECT ${COLUMNS} FROM waitlist_entries WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    return rows.at(0) ?? null;
  }

  async findById(id: string, manager?: EntityManager): Promise<WaitlistEntryRow | null> {
    const rows = await this.m(manager).query<WaitlistEntryRow[]>(`SELECT ${COLUMNS} FROM waitlist_entries WHERE id = $1`, [id]);
    return rows.at(0) ?? null;
  }

  /** Ends entries (left / expired); returns those that changed. */
  async end(manager: EntityManager, ids: string[], status: 'left' | 'expired' | 'booked', now: Date): Promise<WaitlistEntryRow[]> {
    if (ids.length === 0) return [];
    return returning<WaitlistEntryRow>(
      manager,
      `UPDATE waitlist_entries SET status = $2, ended_at = $3
        WHERE id = ANY($1::uuid[]) AND status IN ('waiting', 'promoted') RETURNING ${COLUMNS}`,
      [ids, status, now],
    );
  }

  /** Promoted entries of this time whose claim has lapsed, locked. */
  async lapsedAt(manager: EntityManager, meetingTypeId: string, start: Date, now: Date): Promise<WaitlistEntryRow[]> {
    return manager.query<WaitlistEntryRow[]>(
      `SELECT ${COLUMNS} FROM waitlist_entries
        WHERE meeting_type_id = $1 AND start_time = $2 AND status = 'promoted' AND claim_expires_at <= $3 FOR UPDATE`,
      [meetingTypeId, start, now],
    );
  }

  async hasLiveClaim(manager: EntityManager, meetingTypeId: string, start: Date): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM waitlist_entries WHERE meeting_type_id = $1 AND start_time = $2 AND status = 'promoted'`,
      [meetingTypeId, start],
    );
    return rows.length > 0;
  }

  /** The first in line at this time (FIFO), locked. */
  async firstWaiting(manager: EntityManager, meetingTypeId: string, start: Date): Promise<WaitlistEntryRow | null> {
    const rows = await manager.query<WaitlistEntryRow[]>(
      `SELECT ${COLUMNS} FROM waitlist_entries
        WHERE meeting_type_id = $1 AND start_time = $2 AND status = 'waiting' ORDER BY position LIMIT 1 FOR UPDATE`,
      [meetingTypeId, start],
    );
    return rows.at(0) ?? null;
  }

  /** Waiting entries whose time has come: nothing can be claimed any more. */
  async waitingPast(manager: EntityManager, meetingTypeId: string, start: Date): Promise<WaitlistEntryRow[]> {
    return manager.query<WaitlistEntryRow[]>(
      `SELECT ${COLUMNS} FROM waitlist_entries WHERE meeting_type_id = $1 AND start_time = $2 AND status = 'waiting' FOR UPDATE`,
      [meetingTypeId, start],
    );
  }

  /** `seat`: the group session's seat the entry claims (null: the whole time). */
  async promote(
    manager: EntityManager,
    id: string,
    holdId: string,
    now: Date,
    claimExpiresAt: Date,
    seat: number | null = null,
  ): Promise<void> {
    await manager.query(
      `UPDATE waitlist_entries SET status = 'promoted', hold_id = $2, promoted_at = $3, claim_expires_at = $4, claim_seat = $5
        WHERE id = $1 AND status = 'waiting'`,
      [id, holdId, now, claimExpiresAt, seat],
    );
  }

  /** The first `limit` in line at this time (FIFO), locked: one per free seat of a group session. */
  async firstWaitingN(manager: EntityManager, meetingTypeId: string, start: Date, limit: number): Promise<WaitlistEntryRow[]> {
    return manager.query<WaitlistEntryRow[]>(
      `SELECT ${COLUMNS} FROM waitlist_entries
        WHERE meeting_type_id = $1 AND start_time = $2 AND status = 'waiting' ORDER BY position LIMIT $3 FOR UPDATE`,
      [meetingTypeId, start, limit],
    );
  }

  /** Seats promoted entries of this time still claim (their numbers are taken until the entry ends). */
  async claimedSeats(manager: EntityManager, meetingTypeId: string, start: Date): Promise<number[]> {
    const rows = await manager.query<{ claim_seat: number }[]>(
      `SELECT claim_seat FROM waitlist_entries
        WHERE meeting_type_id = $1 AND start_time = $2 AND status = 'promoted' AND claim_seat IS NOT NULL`,
      [meetingTypeId, start],
    );
    return rows.map((r) => r.claim_seat);
  }

  /** A promoted entry claims the whole time (not one seat): nobody else is promoted there until it ends. */
  async hasWholeTimeClaim(manager: EntityManager, meetingTypeId: string, start: Date): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM waitlist_entries WHERE meeting_type_id = $1 AND start_time = $2 AND status = 'promoted' AND claim_seat IS NULL`,
      [meetingTypeId, start],
    );
    return rows.length > 0;
  }

  /** The invitee booked the time they waited for: their entry (waiting or promoted) is done. */
  async markBooked(meetingTypeId: string, start: Date, inviteeId: string, now: Date): Promise<WaitlistEntryRow[]> {
    return returning<WaitlistEntryRow>(
      this.dataSource.manager,
      `UPDATE waitlist_entries w SET status = 'booked', ended_at = $4
         FROM booking_invitees i
        WHERE i.id = $3 AND w.email_normalized = lower(trim(i.email))
          AND w.meeting_type_id = $1 AND w.start_time = $2 AND w.status IN ('waiting', 'promoted')
        RETURNING w.id`,
      [meetingTypeId, start, inviteeId, now],
    );
  }

  /** Times worth a promotion attempt: a lapsed claim, or people waiting and nobody promoted (bounded). */
  async timesToSweep(now: Date, limit: number): Promise<{ meeting_type_id: string; start_time: Date }[]> {
    return this.dataSource.query(
      `SELECT meeting_type_id, start_time FROM waitlist_entries
        WHERE status = 'promoted' AND claim_expires_at <= $1
       UNION
       SELECT w.meeting_type_id, w.start_time FROM waitlist_entries w
        WHERE w.status = 'waiting'
          AND NOT EXISTS (SELECT 1 FROM waitlist_entries p
                           WHERE p.meeting_type_id = w.meeting_type_id AND p.start_time = w.start_time AND p.status = 'promoted')
       LIMIT $2`,
      [now, limit],
    );
  }

  /** Live bookings of this type at exactly this start: what makes the time full. */
  async bookingsAt(manager: EntityManager, meetingTypeId: string, start: Date): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM bookings WHERE meeting_type_id = $1 AND start_time = $2 AND status IN ('confirmed', 'pending')`,
      [meetingTypeId, start],
    );
    return rows.map((r) => r.id);
  }
}
