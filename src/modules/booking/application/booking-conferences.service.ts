import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { type Conference, conferenceProviderOf, JITSI_ROOM_BYTES, jitsiConference } from '../domain/conference.js';
import { BookingConferenceRepository } from '../infrastructure/booking-conference.repository.js';

/**
 * The booking's video meeting, for the contexts that make it (calendar: Google Meet and Teams events; conferencing:
 * Zoom and Jitsi) and for the booking's own reads. Exported by BookingModule; the table stays booking's (ADR 0016).
 */
@Injectable()
export class BookingConferences {
  constructor(
    private readonly conferences: BookingConferenceRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * A new booking's Jitsi room, inside the booking transaction: it needs no API call, so the booking's first mails,
   * invitation and webhooks already carry the link. Other locations: nothing (and no statement).
   */
  async roomWithBooking(manager: EntityManager, bookingId: string, location: Record<string, unknown> | null): Promise<Conference | null> {
    if (conferenceProviderOf(location) !== 'jitsi') return null;
    const room = jitsiConference(this.config.jitsiBaseUrl, randomBytes(JITSI_ROOM_BYTES));
    await this.conferences.insertWith(manager, bookingId, room);
    return room;
  }

  /** Records the link; writes `booking.conference_ready` only when it is new or changed. */
  record(bookingId: string, conference: Conference): Promise<boolean> {
    return this.conferences.record(bookingId, conference);
  }

  /** The meeting was removed (cancelled booking): the booking no longer shows a link. */
  remove(bookingId: string): Promise<void> {
    return this.conferences.remove(bookingId);
  }

  async of(bookingId: string): Promise<Conference | null> {
    return (await this.conferences.findOf([bookingId])).get(bookingId) ?? null;
  }

  /**
   * Each booking's meeting; a rescheduled booking whose own record is not written yet shows its predecessor's, which
   * it keeps (same Jitsi room, same Zoom meeting, same calendar event), so no page or mail says "link to follow" in
   * between. Only while the booking takes place: a cancelled one shows none (even while a writer that raced the
   * cancel has yet to see it), a rescheduled one leaves its meeting to its successor.
   */
  async ofBookings(bookings: { id: string; rescheduledFromId: string | null; status: string }[]): Promise<Map<string, Conference | null>> {
    const live = bookings.filter((b) => b.status === 'confirmed' || b.status === 'pending');
    const ids = [...new Set(live.flatMap((b) => (b.rescheduledFromId ? [b.id, b.rescheduledFromId] : [b.id])))];
    const found = await this.conferences.findOf(ids);
    const shown = (b: (typeof bookings)[number]) =>
      found.get(b.id) ?? (b.rescheduledFromId ? found.get(b.rescheduledFromId) : undefined) ?? null;
    return new Map(bookings.map((b) => [b.id, live.includes(b) ? shown(b) : null]));
  }
}
