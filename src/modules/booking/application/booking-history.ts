import { Injectable } from '@nestjs/common';
import type { BookingStatus } from '../domain/booking-policy.js';
import { BookingRepository } from '../infrastructure/booking.repository.js';

/** One booking of a host's history, live or archived (a view: no invitee personal data). */
export interface BookingHistoryEntry {
  id: string;
  meetingTypeId: string;
  organizerId: string;
  hostIds: string[];
  startTime: Date;
  endTime: Date;
  status: BookingStatus;
  activeInvitees: number;
  /** Ended more than ARCHIVE_AFTER_DAYS ago and moved to the archive (ADR 0014). */
  archived: boolean;
}

export interface BookingHistoryQuery {
  /** Bookings ending after this instant. */
  from?: Date;
  /** Bookings starting before this instant. */
  to?: Date;
  status?: BookingStatus;
  limit: number;
  offset: number;
}

/**
 * The booking module's read port over a host's whole history, hot and archived alike (exported for insights and
 * reports in other contexts): newest first, in three queries whatever the page size.
 */
export abstract class BookingHistory {
  abstract forHost(hostId: string, query: BookingHistoryQuery): Promise<{ entries: BookingHistoryEntry[]; total: number }>;
}

@Injectable()
export class BookingHistoryReader extends BookingHistory {
  constructor(private readonly bookings: BookingRepository) {
    super();
  }

  async forHost(hostId: string, query: BookingHistoryQuery): Promise<{ entries: BookingHistoryEntry[]; total: number }> {
    const { rows, total } = await this.bookings.listForHost(hostId, { ...query, includeArchived: true });
    const ids = rows.map((b) => b.id);
    const [hostIdsOf, inviteesOf] = await Promise.all([this.bookings.findHostIdsOf(ids), this.bookings.findInviteesOf(ids)]);
    const entries = rows.map((b) => ({
      id: b.id,
      meetingTypeId: b.meeting_type_id,
      organizerId: b.host_user_id,
      hostIds: hostIdsOf.get(b.id) ?? [],
      startTime: new Date(b.start_time),
      endTime: new Date(b.end_time),
      status: b.status,
      activeInvitees: (inviteesOf.get(b.id) ?? []).filter((i) => i.status === 'active').length,
      archived: b.archived === true,
    }));
    return { entries, total };
  }
}
