import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** calendar_destination_overrides: per meeting type and host, the calendar that receives its bookings. */
@Injectable()
export class DestinationOverrideRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The overriding calendar's selection id, or null when the host's default destination applies. */
  async findSelectionId(meetingTypeId: string, userId: string): Promise<string | null> {
    const rows = await this.dataSource.query<Array<{ selection_id: string }>>(
      `SELECT selection_id FROM calendar_destination_overrides WHERE meeting_type_id = $1 AND user_id = $2`,
      [meetingTypeId, userId],
    );
    return rows.at(0)?.selection_id ?? null;
  }

  async set(meetingTypeId: string, userId: string, selectionId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO calendar_destination_overrides (meeting_type_id, user_id, selection_id) VALUES ($1, $2, $3)
       ON CONFLICT (meeting_type_id, user_id) DO UPDATE SET selection_id = EXCLUDED.selection_id`,
      [meetingTypeId, userId, selectionId],
    );
  }

  async clear(meetingTypeId: string, userId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM calendar_destination_overrides WHERE meeting_type_id = $1 AND user_id = $2`, [
      meetingTypeId,
      userId,
    ]);
  }

  /**
   * Whether the user owns the meeting type or hosts it. This reads meeting-types' tables: MeetingTypesService has no
   * "is this user a host of" read yet (its snapshots list host rows for team kinds only).
   */
  async isMeetingTypeOfHost(meetingTypeId: string, userId: string): Promise<boolean> {
    const [visible] = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM meeting_types mt WHERE mt.id = $1
          AND (mt.user_id = $2 OR EXISTS (SELECT 1 FROM meeting_type_hosts h WHERE h.meeting_type_id = mt.id AND h.user_id = $2))`,
      [meetingTypeId, userId],
    );
    return Boolean(visible);
  }
}
