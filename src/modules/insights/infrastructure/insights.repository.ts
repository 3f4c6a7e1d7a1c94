import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { InsightsBookingRow, RoundRobinRow } from '../domain/aggregate-insights.js';

const MEETING_STATUSES = `('confirmed', 'pending')`;

/**
 * Insights' SQL. The counter table booking_page_views is insights' own; the booking tables are read, never written
 * (a reporting read, like privacy's export), every read bounded by the partition keys (ADR 0014): bookings by
 * start_time from the range's start (a booking never starts before it was made, so one made in the range starts in
 * it or later), invitees by the bookings' invitees_from.
 */
@Injectable()
export class InsightsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One view of a booking page: the type's counter for the host's day, made or bumped in one statement. */
  async countView(meetingTypeId: string, userId: string, day: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO booking_page_views (meeting_type_id, user_id, day, views) VALUES ($1, $2, $3, 1)
       ON CONFLICT (meeting_type_id, day) DO UPDATE SET views = booking_page_views.views + 1`,
      [meetingTypeId, userId, day],
    );
  }

  async pageViews(userId: string, from: string, to: string): Promise<{ day: string; views: number }[]> {
    return this.dataSource.query(
      `SELECT day::text AS day, sum(views)::int AS views FROM booking_page_views
        WHERE user_id = $1 AND day BETWEEN $2 AND $3 GROUP BY day ORDER BY day`,
      [userId, from, to],
    );
  }

  /**
   * The host's bookings (hot and archived) that start in [start, end) or were made in it, with their invitees marked
   * as no-shows counted.
   */
  async bookingsFor(userId: string, start: Date, end: Date): Promise<InsightsBookingRow[]> {
    const window = `b.start_time >= $2 AND (b.start_time < $3 OR b.created_at < $3)`;
    const rows = await this.dataSource.query<
      { id: string; start_time: Date; created_at: Date; status: InsightsBookingRow['status']; moved: boolean }[]
    >(
      `SELECT b.id, b.start_time, b.created_at, b.status, b.rescheduled_from_id IS NOT NULL AS moved FROM bookings b
        WHERE ${window} AND EXISTS (SELECT 1 FROM booking_hosts bh WHERE bh.booking_id = b.id AND bh.user_id = $1)
       UNION ALL
       SELECT b.id, b.start_time, b.created_at, b.status, b.rescheduled_from_id IS NOT NULL FROM bookings_archive b
        WHERE ${window} AND b.host_ids @> ARRAY[$1::uuid]`,
      [userId, start, end],
    );
    const met = rows.filter((r) => r.status === 'confirmed' && new Date(r.start_time) < end).map((r) => r.id);
    const noShows = await this.noShowsOf(met);
    return rows.map((r) => ({
      startMs: new Date(r.start_time).getTime(),
      createdMs: new Date(r.created_at).getTime(),
      status: r.status,
      rescheduledFrom: r.moved,
      noShows: noShows.get(r.id) ?? 0,
    }));
  }

  private async noShowsOf(bookingIds: string[]): Promise<Map<string, number>> {
    if (bookingIds.length === 0) return new Map();
    // The earliest invitee row of these bookings, as a value: the planner keeps the months from there on.
    const [since] = await this.dataSource.query<[{ at: string | null }]>(
      `SELECT CASE WHEN bool_and(invitees_from IS NOT NULL) THEN min(invitees_from)::text END AS at
         FROM booking_keys WHERE id = ANY($1::uuid[])`,
      [bookingIds],
    );
    const rows = await this.dataSource.query<{ booking_id: string; n: number }[]>(
      `SELECT booking_id, count(*)::int AS n FROM (
         SELECT booking_id FROM booking_invitees
          WHERE booking_id = ANY($1::uuid[]) AND created_at >= $2 AND no_show_at IS NOT NULL
         UNION ALL SELECT booking_id FROM booking_invitees_archive WHERE booking_id = ANY($1::uuid[]) AND no_show_at IS NOT NULL) x
        GROUP BY booking_id`,
      [bookingIds, since.at ?? '-infinity'],
    );
    return new Map(rows.map((r) => [r.booking_id, r.n]));
  }

  /**
   * Round-robin types of the teams the host belongs to (one team, when given), with every host of each (its
   * configured hosts, and anyone who took one of its meetings in the range) and their meetings that take place in
   * [start, end).
   */
  async roundRobin(userId: string, teamId: string | null, start: Date, end: Date): Promise<RoundRobinRow[]> {
    const types = await this.dataSource.query<{ id: string; name: string; team_id: string; team_name: string }[]>(
      `SELECT mt.id, mt.name, mt.team_id, t.name AS team_name FROM meeting_types mt
         JOIN teams t ON t.id = mt.team_id
         JOIN team_members tm ON tm.team_id = mt.team_id AND tm.user_id = $1
        WHERE mt.kind = 'round_robin' AND ($2::uuid IS NULL OR mt.team_id = $2)
        ORDER BY t.name, mt.name, mt.id`,
      [userId, teamId],
    );
    if (types.length === 0) return [];
    const ids = types.map((t) => t.id);
    const counts = await this.dataSource.query<{ meeting_type_id: string; user_id: string; name: string; n: number }[]>(
      `SELECT x.meeting_type_id, x.user_id, u.name, sum(x.n)::int AS n FROM (
         SELECT meeting_type_id, user_id, 0 AS n FROM meeting_type_hosts WHERE meeting_type_id = ANY($1::uuid[])
         UNION ALL
         SELECT b.meeting_type_id, bh.user_id, 1 FROM bookings b JOIN booking_hosts bh ON bh.booking_id = b.id
          WHERE b.meeting_type_id = ANY($1::uuid[]) AND b.start_time >= $2 AND b.start_time < $3 AND b.status IN ${MEETING_STATUSES}
         UNION ALL
         SELECT b.meeting_type_id, unnest(b.host_ids), 1 FROM bookings_archive b
          WHERE b.meeting_type_id = ANY($1::uuid[]) AND b.start_time >= $2 AND b.start_time < $3 AND b.status IN ${MEETING_STATUSES}
       ) x JOIN users u ON u.id = x.user_id
       GROUP BY x.meeting_type_id, x.user_id, u.name
       ORDER BY n DESC, u.name, x.user_id`,
      [ids, start, end],
    );
    return types.map((t) => ({
      meetingTypeId: t.id,
      meetingTypeName: t.name,
      teamId: t.team_id,
      teamName: t.team_name,
      hosts: counts.filter((c) => c.meeting_type_id === t.id).map((c) => ({ userId: c.user_id, name: c.name, bookings: c.n })),
    }));
  }
}
