import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { MeetingTypeHost } from '../domain/meeting-type.js';

/** A round-robin host's settings as stored on its meeting_type_hosts row. */
export type HostSettingsChanges = Partial<Pick<MeetingTypeHost, 'weight' | 'priority' | 'fallback' | 'maxBookingsPerPeriod'>>;

interface HostRow {
  user_id: string;
  priority: number;
  weight: number;
  is_fallback: boolean;
  max_bookings_per_period: number | null;
}

/** Writes of a round-robin type's host settings and counting period (issue #19). Each one statement, owner-scoped. */
@Injectable()
export class RoundRobinSettingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Changes the host row of the owner's type; null when the type is not the owner's or the user is not its host.
   * A null `maxBookingsPerPeriod` clears the cap; an absent one keeps it.
   */
  async updateHost(ownerId: string, typeId: string, userId: string, changes: HostSettingsChanges): Promise<MeetingTypeHost | null> {
    // Wrapped in a SELECT: TypeORM returns an UPDATE's rows as [rows, count].
    const rows = await this.dataSource.query<HostRow[]>(
      `WITH changed AS (UPDATE meeting_type_hosts h
          SET weight = COALESCE($4, h.weight),
              priority = COALESCE($5, h.priority),
              is_fallback = COALESCE($6, h.is_fallback),
              max_bookings_per_period = CASE WHEN $7 THEN $8::int ELSE h.max_bookings_per_period END
         FROM meeting_types t
        WHERE t.id = h.meeting_type_id AND t.id = $1 AND t.user_id = $2 AND h.user_id = $3
        RETURNING h.user_id, h.priority, h.weight, h.is_fallback, h.max_bookings_per_period)
       SELECT * FROM changed`,
      [
        typeId,
        ownerId,
        userId,
        changes.weight ?? null,
        changes.priority ?? null,
        changes.fallback ?? null,
        changes.maxBookingsPerPeriod !== undefined,
        changes.maxBookingsPerPeriod ?? null,
      ],
    );
    if (rows.length === 0) return null;
    const row = rows[0];
    return {
      userId: row.user_id,
      priority: row.priority,
      weight: row.weight,
      fallback: row.is_fallback,
      maxBookingsPerPeriod: row.max_bookings_per_period,
    };
  }

  /** Sets the owner's type's counting period; false when the type is not the owner's. */
  async updatePeriod(ownerId: string, typeId: string, period: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `WITH changed AS (UPDATE meeting_types SET round_robin_period = $3, updated_at = now() WHERE id = $1 AND user_id = $2 RETURNING id)
       SELECT id FROM changed`,
      [typeId, ownerId, period],
    );
    return rows.length > 0;
  }
}
