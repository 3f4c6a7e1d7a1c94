import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface HostTally {
  count: number;
  last: number | null;
}

/**
 * Round robin's report reads (issue #19): the booking tables are read, never written, bounded by the partition key
 * like the booking command's own count (BookingRepository.roundRobinStats: live bookings of the type whose start is
 * at or after the period's start). Counting is by the booking's host, not by membership: a host removed from the
 * team and added again keeps every booking they had.
 */
@Injectable()
export class RoundRobinReportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async tallies(meetingTypeId: string, hostIds: string[], periodStart: Date, lookBackFrom: Date): Promise<Map<string, HostTally>> {
    if (hostIds.length === 0) return new Map();
    const rows = await this.dataSource.query<{ user_id: string; n: number; last: Date | null }[]>(
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

  /** The team's round-robin types, by name. */
  async teamTypes(teamId: string): Promise<{ id: string; name: string; ownerId: string }[]> {
    return this.dataSource.query(
      `SELECT id, name, user_id AS "ownerId" FROM meeting_types WHERE team_id = $1 AND kind = 'round_robin' ORDER BY name, id`,
      [teamId],
    );
  }

  async timeZoneOf(userId: string): Promise<string> {
    const rows = await this.dataSource.query<{ time_zone: string }[]>(`SELECT time_zone FROM users WHERE id = $1`, [userId]);
    return rows[0]?.time_zone ?? 'UTC';
  }
}
