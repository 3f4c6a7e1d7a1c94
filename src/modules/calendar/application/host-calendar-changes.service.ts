import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { DomainError } from '../../../shared/http/domain-error.js';
import { MailTransport } from '../../../shared/mail/mail-transport.js';
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
    private readonly mail: MailTransport,
    private readonly config: AppConfig,
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
   * webhooks). A collision with another booking keeps the old time and flags the link for the host, once per move;
   * so does a booking changed since the event was written (expectedSequence), which the writer then writes.
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
    await this.links.flagHostChange(link.id, 'host_moved', message);
    if (result.outcome === 'conflict') await this.tellHostOfConflict(link, result.booking.id, start, message);
  }

  /** Once per flagged move (the flag above is written first): a lost mail is logged, the admin still shows the flag. */
  private async tellHostOfConflict(link: CalendarEventLinkEntity, bookingId: string, movedTo: Date, message: string): Promise<void> {
    try {
      const view = await this.directory.getView(bookingId);
      const host = view?.hosts.find((h) => h.id === link.userId);
      if (!view || !host) return;
      const detail = `${this.config.publicUrl}/admin/bookings/${view.id}`;
      await this.mail.send({
        id: `host-move-conflict-${link.id}-${movedTo.getTime()}`,
        to: host.email,
        subject: `Not moved: ${view.meetingType.name} stays at ${view.startTime.toISOString()}`,
        text: `You moved "${view.meetingType.name}" in your calendar, but ${message}.\n\nMove it back or pick a free time: ${detail}\n`,
        html: `<p>You moved “${escapeHtml(view.meetingType.name)}” in your calendar, but ${escapeHtml(message)}.</p><p><a href="${escapeHtml(detail)}">Open the booking</a></p>`,
      });
    } catch (error) {
      this.logger.warn(`could not tell the host about the conflicting move of booking ${bookingId}: ${(error as Error).message}`);
    }
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

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
