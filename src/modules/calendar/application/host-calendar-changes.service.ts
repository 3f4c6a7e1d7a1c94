import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../../shared/http/domain-error.js';
import { BookingCommands } from '../../booking/application/booking-commands.service.js';
import { BookingDirectory } from '../../booking/application/booking-directory.js';
import type { HostChange } from '../domain/host-changes.js';
import type { CalendarEventLinkEntity } from '../infrastructure/calendar-event-link.entity.js';
import { CalendarEventLinkRepository } from '../infrastructure/calendar-event-link.repository.js';
import { CalendarLocks } from '../infrastructure/calendar-locks.js';
import type { CalendarIntegrationEntity } from '../infrastructure/calendar-integration.entity.js';

/**
 * Two-way sync: the host deleted or moved the event we wrote. A move reschedules the booking to the event's new time
 * (a collision keeps the old time and is flagged). Deletion cancels the booking (through the booking module, which
 * notifies the invitee) when the connection says so; otherwise the link is flagged for the host's attention.
 */
@Injectable()
export class HostCalendarChanges {
  private readonly logger = new Logger('HostCalendarChanges');

  constructor(
    private readonly links: CalendarEventLinkRepository,
    private readonly bookings: BookingCommands,
    private readonly directory: BookingDirectory,
    private readonly locks: CalendarLocks,
  ) {}

  async apply(change: HostChange, integration: CalendarIntegrationEntity): Promise<void> {
    const seen = await this.links.findById(change.linkId);
    if (!seen) return;
    // Under the host's calendar-write lock, and on the link as it is now: a write of ours that the read caught before
    // the writer recorded it (new times, or the event deleted with its booking) is not taken for the host's doing.
    await this.locks.whileWritingFor(seen.userId, async () => {
      const link = await this.links.findById(change.linkId);
      if (link && stillUnexplained(link, change)) await this.applyToLink(change, link, integration);
    });
  }

  private async applyToLink(change: HostChange, link: CalendarEventLinkEntity, integration: CalendarIntegrationEntity): Promise<void> {
    if (change.kind === 'moved') {
      await this.followMove(link, change.start, change.end);
      return;
    }
    if (!integration.cancelBookingOnDelete) {
      await this.links.flagHostChange(
        link.id,
        'host_deleted',
        'the host deleted the event from their calendar; the booking is still confirmed',
      );
      return;
    }
    await this.links.requestCancellation(link.id);
    await this.cancelBooking(link);
  }

  /**
   * The booking follows the event to its new time (through the booking module, which notifies the invitee and the
   * webhooks). A collision with another booking keeps the old time and flags the link for the host, once per move,
   * and the host is mailed (a notify delivery, through the outbox); a booking changed since the event was written
   * (expectedSequence) is flagged too, and the writer then writes it.
   */
  private async followMove(link: CalendarEventLinkEntity, start: Date, end: Date): Promise<void> {
    // The event shows the booking the link is for: a booking moved past it since (an invitee's reschedule the writer
    // has not written yet) is newer than what the host moved, and is not overwritten (refused, flagged).
    const expected = (await this.directory.getView(link.bookingId))?.sequence;
    const result = await this.bookings.rescheduleByHostCalendar(link.bookingId, start, end, link.userId, expected);
    if (result.outcome === 'moved') {
      // The event now shows the new booking, at the host's time: a second move is judged against it at once.
      await this.links.handOver(link, result.booking.id, start, end);
      return;
    }
    if (result.outcome === 'unchanged') return;
    const message = result.message;
    if (link.status === 'host_moved' && link.hostAction === 'flagged' && link.lastError === message) return; // seen before
    this.logger.warn(`booking ${link.bookingId} did not follow the host's move: ${message}`);
    if (result.outcome !== 'conflict') {
      await this.links.flagHostChange(link.id, 'host_moved', message);
      return;
    }
    // The flag and the host's mail in one transaction: the mail is a delivery row notify sends, retries and tracks;
    // its id is per (link, moved-to time), so the same move seen again is still one mail.
    await this.links.flagHostMoveConflict(link.id, {
      booking_id: result.booking.id,
      link_id: link.id,
      host_id: link.userId,
      start_time: result.booking.start_time.toISOString(),
      end_time: result.booking.end_time.toISOString(),
      moved_to: { start_time: start.toISOString(), end_time: end.toISOString() },
      message,
    });
  }

  /** Cancellations that failed earlier (called by the poller). */
  async retryPendingCancellations(): Promise<void> {
    for (const link of await this.links.listPendingCancellations()) await this.cancelBooking(link);
  }

  private async cancelBooking(link: CalendarEventLinkEntity): Promise<void> {
    try {
      await this.bookings.cancelByHostCalendar(link.bookingId, 'The host removed this meeting from their calendar');
      await this.links.markCancelled(link.id);
    } catch (error) {
      // A refusal (e.g. the booking was rescheduled meanwhile) is flagged for the host; anything else stays
      // cancel_requested and the poller retries.
      const refused = error instanceof DomainError;
      this.logger.warn(`could not cancel booking ${link.bookingId} after the host deleted its event: ${(error as Error).message}`);
      await this.links.recordCancellationFailure(link.id, `cancelling the booking failed: ${(error as Error).message}`, refused);
    }
  }
}

/** Whether the link still differs from what the read saw (the writer may have recorded it since). */
function stillUnexplained(link: CalendarEventLinkEntity, change: HostChange): boolean {
  if (link.status !== 'synced' && link.status !== 'host_moved') return false;
  if (change.kind === 'deleted') return true;
  return link.eventStart?.getTime() !== change.start.getTime() || link.eventEnd?.getTime() !== change.end.getTime();
}
