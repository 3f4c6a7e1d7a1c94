import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { appendOutboxEvent } from '../../../shared/outbox/outbox-events.js';
import { type Conference, CONFERENCE_READY_EVENT, type ConferenceReadyPayload } from '../domain/conference.js';

interface ConferenceRow {
  booking_id: string;
  provider: Conference['provider'];
  join_url: string;
  meeting_id: string;
}

const toConference = (r: ConferenceRow): Conference => ({ provider: r.provider, joinUrl: r.join_url, meetingId: r.meeting_id });

/** booking_conferences: one video meeting per booking (ADR 0016). */
@Injectable()
export class BookingConferenceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findOf(bookingIds: string[]): Promise<Map<string, Conference>> {
    if (bookingIds.length === 0) return new Map();
    const rows = await this.dataSource.query<ConferenceRow[]>(
      `SELECT booking_id, provider, join_url, meeting_id FROM booking_conferences WHERE booking_id = ANY($1::uuid[])`,
      [bookingIds],
    );
    return new Map(rows.map((r) => [r.booking_id, toConference(r)]));
  }

  /**
   * Records the booking's meeting and, only when it is new or changed, the outbox event about it, in one
   * transaction: a writer that runs twice records once and notifies once. False when nothing changed.
   */
  async record(bookingId: string, c: Conference): Promise<boolean> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      // An INSERT (ON CONFLICT included) answers its RETURNING rows; nothing back: the same meeting was already there.
      const rows = await manager.query<ConferenceRow[]>(
        `INSERT INTO booking_conferences (booking_id, provider, join_url, meeting_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (booking_id) DO UPDATE SET provider = EXCLUDED.provider, join_url = EXCLUDED.join_url,
                meeting_id = EXCLUDED.meeting_id, updated_at = now()
          WHERE (booking_conferences.provider, booking_conferences.join_url, booking_conferences.meeting_id)
                IS DISTINCT FROM (EXCLUDED.provider, EXCLUDED.join_url, EXCLUDED.meeting_id)
         RETURNING booking_id`,
        [bookingId, c.provider, c.joinUrl, c.meetingId],
      );
      if (rows.length === 0) return false;
      const payload: ConferenceReadyPayload = {
        booking_id: bookingId,
        provider: c.provider,
        join_url: c.joinUrl,
        meeting_id: c.meetingId,
      };
      await appendOutboxEvent(manager, { type: CONFERENCE_READY_EVENT, bookingId, payload });
      return true;
    });
  }

  /** Inside the booking's own transaction (a Jitsi room): its booking.created event already tells everyone. */
  async insertWith(manager: EntityManager, bookingId: string, c: Conference): Promise<void> {
    await manager.query(`INSERT INTO booking_conferences (booking_id, provider, join_url, meeting_id) VALUES ($1, $2, $3, $4)`, [
      bookingId,
      c.provider,
      c.joinUrl,
      c.meetingId,
    ]);
  }

  async remove(bookingId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM booking_conferences WHERE booking_id = $1`, [bookingId]);
  }
}
