import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isOverdue } from '../domain/booking-approval.js';
import { BookingApprovalRepository } from '../infrastructure/booking-approval.repository.js';
import { BookingRepository } from '../infrastructure/booking.repository.js';
import type { BookingRecord } from './booking-records.js';

/**
 * Ends pending bookings whose deadline for the host's answer has passed (requires_confirmation), inside the caller's
 * transaction: status `expired`, host rows no longer live, and one `booking.expired` outbox event. The busy read
 * already treats such a booking as free from its deadline on; its rows must still stop being live before a write
 * takes the same time (the exclusion constraint cannot read the clock). Both the booking re-check (SlotCheck, when
 * its read saw one) and the expiry job (BookingApprovals.expireDue) come here; the status update is conditional on
 * `pending` under the row lock, so the event is written once whoever gets there first.
 */
@Injectable()
export class PendingExpiry {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly approvals: BookingApprovalRepository,
  ) {}

  /** Every overdue pending booking of these hosts. Returns the hosts whose time was freed. */
  async expireOverdueOfHosts(manager: EntityManager, hostIds: string[], now: Date): Promise<string[]> {
    const freed = new Set<string>();
    for (const id of await this.approvals.findOverdueOfHosts(manager, hostIds, now)) {
      const expired = await this.expire(manager, id, now);
      expired?.hostIds.forEach((h) => freed.add(h));
    }
    return [...freed];
  }

  /** One booking, if it is pending and overdue at `now` (else null: answered, cancelled or expired meanwhile). */
  async expire(manager: EntityManager, bookingId: string, now: Date): Promise<{ booking: BookingRecord; hostIds: string[] } | null> {
    const booking = await this.bookings.findBooking(bookingId, manager, true);
    if (!booking || !isOverdue(booking, now)) return null;
    const hostIds = await this.bookings.findHostIds(booking.id, manager);
    const ended = await this.approvals.markEnded(manager, booking, { status: 'expired', reason: null });
    if (!ended) return null;
    await this.bookings.insertOutboxEvent(manager, 'booking.expired', {
      booking_id: booking.id,
      meeting_type_id: booking.meeting_type_id,
      host_user_ids: hostIds,
      start_time: booking.start_time.toISOString(),
      end_time: booking.end_time.toISOString(),
      invitee_id: null,
      sequence: ended.ical_sequence,
      pending: true,
    });
    return { booking: ended, hostIds };
  }
}
