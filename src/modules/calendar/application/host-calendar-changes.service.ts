import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError } from '../../../shared/http/domain-error.js';
import { BookingCommands } from '../../booking/application/booking-commands.service.js';
import { CalendarEventLinkEntity } from '../infrastructure/calendar-event-link.entity.js';
import type { CalendarIntegrationEntity } from '../infrastructure/calendar-integration.entity.js';

export type HostChange =
  | { kind: 'deleted'; linkId: string }
  | { kind: 'moved'; linkId: string; start: Date; end: Date };

/**
 * Two-way sync: the host deleted or moved the event we wrote. Deletion cancels the booking (through the booking
 * module, which notifies the invitee) when the connection says so; otherwise, and for moves, the link is flagged
 * for the host's attention (the booking keeps its time: invitees agreed to that one).
 */
@Injectable()
export class HostCalendarChanges {
  private readonly logger = new Logger('HostCalendarChanges');

  constructor(
    @InjectRepository(CalendarEventLinkEntity) private readonly links: Repository<CalendarEventLinkEntity>,
    private readonly bookings: BookingCommands,
  ) {}

  async apply(change: HostChange, integration: CalendarIntegrationEntity): Promise<void> {
    const link = await this.links.findOneBy({ id: change.linkId });
    if (!link) return;
    if (change.kind === 'moved') {
      await this.links.update({ id: link.id }, { status: 'host_moved', hostAction: 'flagged',
        lastError: `the host moved the event to ${change.start.toISOString()}–${change.end.toISOString()} in their calendar` });
      return;
    }
    if (!integration.cancelBookingOnDelete) {
      await this.links.update({ id: link.id }, { status: 'host_deleted', hostAction: 'flagged',
        lastError: 'the host deleted the event from their calendar; the booking is still confirmed' });
      return;
    }
    await this.links.update({ id: link.id }, { status: 'host_deleted', hostAction: 'cancel_requested', lastError: null });
    await this.cancelBooking(link);
  }

  /** Cancellations that failed earlier (called by the poller). */
  async retryPendingCancellations(): Promise<void> {
    for (const link of await this.links.find({ where: { hostAction: 'cancel_requested' }, take: 50 })) await this.cancelBooking(link);
  }

  private async cancelBooking(link: CalendarEventLinkEntity): Promise<void> {
    try {
      await this.bookings.cancelByHostCalendar(link.bookingId, 'The host removed this meeting from their calendar');
      await this.links.update({ id: link.id }, { hostAction: 'cancelled' });
    } catch (error) {
      // A refusal (e.g. the booking was rescheduled meanwhile) is flagged for the host; anything else stays
      // cancel_requested and the poller retries.
      const refused = error instanceof DomainError;
      this.logger.warn(`could not cancel booking ${link.bookingId} after the host deleted its event: ${(error as Error).message}`);
      await this.links.update({ id: link.id }, {
        lastError: `cancelling the booking failed: ${(error as Error).message}`, ...(refused ? { hostAction: 'flagged' as const } : {}),
      });
    }
  }
}
