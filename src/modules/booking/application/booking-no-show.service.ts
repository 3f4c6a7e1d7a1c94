import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import { conflict, invalidField, notFound } from '../../../shared/http/domain-error.js';
import { toApiInstant } from '../../../shared/time/instant.js';
import { decideNoShow } from '../domain/no-show.js';
import { BookingNoShowRepository } from '../infrastructure/booking-no-show.repository.js';
import { BookingRepository } from '../infrastructure/booking.repository.js';
import { BookingTransactions } from '../infrastructure/booking-transactions.js';
import { BookingQueries } from './booking-queries.service.js';
import type { BookingRecord, InviteeRecord } from './booking-records.js';

export interface NoShowResult {
  booking: BookingRecord;
  hostIds: string[];
  invitees: InviteeRecord[];
}

/**
 * Marking invitees as no-shows (issue #18): a host of the booking (anyone else gets its 404) marks or unmarks, after
 * the meeting's start. One READ COMMITTED transaction with the booking row locked, so a cancel racing the mark is
 * seen by one or the other; the change and its outbox event (booking.no_show_marked / _cleared, for the audit trail)
 * commit together.
 */
@Injectable()
export class BookingNoShows {
  constructor(
    private readonly transactions: BookingTransactions,
    private readonly bookings: BookingRepository,
    private readonly noShows: BookingNoShowRepository,
    private readonly queries: BookingQueries,
    private readonly clock: Clock,
  ) {}

  async set(bookingId: string, userId: string, change: { inviteeId: string | null; noShow: boolean }): Promise<NoShowResult> {
    const { actor } = await this.queries.authorize(bookingId, { userId });
    if (actor.kind !== 'host') throw notFound('booking');
    return this.transactions.transaction(async (manager) => {
      const now = this.clock.now();
      const booking = await this.bookings.findBooking(bookingId, manager, true);
      if (!booking) throw notFound('booking');
      const invitees = await this.bookings.findInvitees(booking.id, manager);
      const hostIds = await this.bookings.findHostIds(booking.id, manager);
      const decision = decideNoShow({ booking, invitees, inviteeId: change.inviteeId, noShow: change.noShow, now });
      switch (decision.kind) {
        case 'unknown_invitee':
          throw invalidField('invitee_id', 'unknown', decision.message);
        case 'refuse':
          throw conflict(decision.message, { reason: decision.code, status: booking.status, start_time: toApiInstant(booking.start_time) });
        case 'unchanged':
          return { booking, hostIds, invitees };
        case 'apply':
          break;
      }
      await this.noShows.setNoShow(manager, booking.id, decision.inviteeIds, change.noShow ? now : null);
      for (const inviteeId of decision.inviteeIds) {
        await this.bookings.insertOutboxEvent(manager, change.noShow ? 'booking.no_show_marked' : 'booking.no_show_cleared', {
          booking_id: booking.id,
          meeting_type_id: booking.meeting_type_id,
          host_user_ids: hostIds,
          start_time: booking.start_time.toISOString(),
          end_time: booking.end_time.toISOString(),
          invitee_id: inviteeId,
          marked_by: userId,
          sequence: booking.ical_sequence,
        });
      }
      return { booking, hostIds, invitees: await this.bookings.findInvitees(booking.id, manager) };
    });
  }
}
