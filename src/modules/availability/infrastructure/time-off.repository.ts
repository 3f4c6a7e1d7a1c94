import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { HolidaySetting } from '../domain/holidays.js';
import type { TimeOffRange } from '../domain/time-off.js';

export interface TimeOffRecord extends TimeOffRange {
  userId: string;
  createdAt: Date;
}

interface TimeOffRow {
  id: string;
  user_id: string;
  start_time: Date;
  end_time: Date;
  reason: string | null;
  redirect_to_user_id: string | null;
  created_at: Date;
}

const COLUMNS = 'id, user_id, start_time, end_time, reason, redirect_to_user_id, created_at';

const toRecord = (r: TimeOffRow): TimeOffRecord => ({
  id: r.id,
  userId: r.user_id,
  start: new Date(r.start_time).getTime(),
  end: new Date(r.end_time).getTime(),
  reason: r.reason,
  redirectToUserId: r.redirect_to_user_id,
  createdAt: new Date(r.created_at),
});

/**
 * Hosts' time off and holiday settings (tables of the availability context, migration 1764000009300). The slot
 * engine does not read them here: time off is a branch of the one busy statement and the holiday setting part of the
 * hours JSON (AvailabilityReadsRepository), so a cold slots request stays one round trip.
 */
@Injectable()
export class TimeOffRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Inserts the range unless the host already has `cap` ranges that have not ended at `now` (null then). One
   * statement: the count and the insert see the same snapshot.
   */
  async insertCapped(
    range: { userId: string; start: Date; end: Date; reason: string | null; redirectToUserId: string | null },
    now: Date,
    cap: number,
  ): Promise<TimeOffRecord | null> {
    const rows: TimeOffRow[] = await this.db.query(
      `INSERT INTO time_off (user_id, start_time, end_time, reason, redirect_to_user_id, created_at)
       SELECT $1, $2, $3, $4, $5, $6
        WHERE (SELECT count(*) FROM time_off WHERE user_id = $1 AND end_time > $6) < $7
       RETURNING ${COLUMNS}`,
      [range.userId, range.start, range.end, range.reason, range.redirectToUserId, now, cap],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The host's ranges overlapping [from, to) (either bound optional), earliest start first. */
  async listForUser(userId: string, window: { from: Date | null; to: Date | null }, limit: number): Promise<TimeOffRecord[]> {
    const rows: TimeOffRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM time_off
        WHERE user_id = $1 AND ($2::timestamptz IS NULL OR end_time > $2) AND ($3::timestamptz IS NULL OR start_time < $3)
        ORDER BY start_time, end_time, id LIMIT $4`,
      [userId, window.from, window.to, limit],
    );
    return rows.map(toRecord);
  }

  /** Deletes the host's own range; false when there is none with that id (or it is someone else's). */
  async deleteOwned(id: string, userId: string): Promise<boolean> {
    // Wrapped in a SELECT: TypeORM answers a bare DELETE with [rows, count], whatever was deleted.
    const rows: { id: string }[] = await this.db.query(
      `WITH deleted AS (DELETE FROM time_off WHERE id = $1 AND user_id = $2 RETURNING id) SELECT id FROM deleted`,
      [id, userId],
    );
    return rows.length > 0;
  }

  async getHolidaySetting(userId: string): Promise<HolidaySetting | null> {
    const rows: HolidaySetting[] = await this.db.query(`SELECT country, region FROM holiday_settings WHERE user_id = $1`, [userId]);
    return rows[0] ?? null;
  }

  /** Sets (or with null, removes) the host's holiday setting. */
  async setHolidaySetting(userId: string, setting: HolidaySetting | null, now: Date): Promise<void> {
    if (setting === null) {
      await this.db.query(`DELETE FROM holiday_settings WHERE user_id = $1`, [userId]);
      return;
    }
    await this.db.query(
      `INSERT INTO holiday_settings (user_id, country, region, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO UPDATE SET country = EXCLUDED.country, region = EXCLUDED.region, updated_at = EXCLUDED.updated_at`,
      [userId, setting.country, setting.region, now],
    );
  }

  /**
   * The zone the host's holidays are whole days in when no meeting type is involved (the holidays list): the default
   * schedule's, else the profile's, as the engine falls back (AvailabilityReadsRepository's hours).
   */
  async homeZone(userId: string): Promise<string | null> {
    const rows: { time_zone: string }[] = await this.db.query(
      `SELECT COALESCE(s.time_zone, u.time_zone) AS time_zone
         FROM users u LEFT JOIN schedules s ON s.user_id = u.id AND s.is_default
        WHERE u.id = $1`,
      [userId],
    );
    return rows[0]?.time_zone ?? null;
  }
}
