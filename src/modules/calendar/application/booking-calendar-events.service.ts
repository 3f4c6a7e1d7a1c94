import { Injectable } from '@nestjs/common';
import { notFound } from '../../../shared/http/domain-error.js';
import { BookingQueries } from '../../booking/application/booking-queries.service.js';
import { CalendarEventLinkRepository } from '../infrastructure/calendar-event-link.repository.js';
import { type CalendarEventView, toCalendarEventView } from './calendar-views.js';

/** The calendar events written for a booking, shown to its hosts (status, last error, retries). */
@Injectable()
export class BookingCalendarEvents {
  constructor(
    private readonly bookings: BookingQueries,
    private readonly links: CalendarEventLinkRepository,
  ) {}

  /** Only a host of the booking may look; anyone else gets the same 404 as for a booking that does not exist. */
  async forHost(bookingId: string, userId: string): Promise<CalendarEventView[]> {
    const { actor } = await this.bookings.authorize(bookingId, { userId });
    if (actor.kind !== 'host') throw notFound('booking');
    return (await this.links.listOfBookingHost(bookingId, userId)).map(toCalendarEventView);
  }

  /** Host's attention needed (a move or deletion in their calendar the booking did not follow): message by booking id. */
  async flaggedFor(userId: string, bookingIds: string[]): Promise<Map<string, string>> {
    const flagged = await this.links.listFlaggedOfHost(userId, bookingIds);
    return new Map(flagged.map((l) => [l.bookingId, l.lastError ?? 'changed in your calendar']));
  }
}
