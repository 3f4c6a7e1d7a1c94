import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/**
 * Round robin's report reads besides the booking counts (those come from BookingQueries.roundRobinTallies, the very
 * counts the booking command ranks by): the team's round-robin types and the owner's zone.
 */
@Injectable()
export class RoundRobinReportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
