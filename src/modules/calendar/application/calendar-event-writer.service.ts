import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import type { OutboxEvent } from '../../../shared/outbox/outbox-relay.js';
import { BookingDirectory } from '../../booking/application/booking-directory.js';
import { BOOKING_EVENT_TYPES, type BookingEventPayload } from '../../booking/domain/booking-views.js';
import { BookingConferences } from '../../booking/application/booking-conferences.service.js';
import { describeBooking, meetingRequestFor } from '../domain/booking-event.js';
import { MAX_WRITE_ATTEMPTS, nextWriteRetry } from '../domain/write-retry.js';
import type { CalendarEventLinkEntity } from '../infrastructure/calendar-event-link.entity.js';
import { CalendarEventLinkRepository, type WrittenEvent } from '../infrastructure/calendar-event-link.repository.js';
import type { CalendarIntegrationEntity } from '../infrastructure/calendar-integration.entity.js';
import { CalendarIntegrationRepository } from '../infrastructure/calendar-integration.repository.js';
import { CalendarLocks } from '../infrastructure/calendar-locks.js';
import type { CalendarSelectionEntity } from '../infrastructure/calendar-selection.entity.js';
import { CalendarSelectionRepository } from '../infrastructure/calendar-selection.repository.js';
import { DestinationOverrideRepository } from '../infrastructure/destination-override.repository.js';
import { CalendarSources } from './calendar-sources.service.js';

interface Destination {
  integration: CalendarIntegrationEntity;
  selection: CalendarSelectionEntity;
}

/**
 * Writes bookings into each host's destination calendar from the outbox: create on booking.created, move on
 * booking.rescheduled, delete on booking.cancelled. Idempotent (deterministic Google ids, Graph transactionId, CalDAV
 * object names from the booking id, one link row per booking and host, writes serialized per host), so a job that runs twice creates one event. A failure
 * is recorded on the link (status failed, last_error) and retried with backoff; it never blocks other bookings.
 */
@Injectable()
export class CalendarEventWriter {
  private readonly logger = new Logger('CalendarEventWriter');

  constructor(
    private readonly links: CalendarEventLinkRepository,
    private readonly selections: CalendarSelectionRepository,
    private readonly integrations: CalendarIntegrationRepository,
    private readonly overrides: DestinationOverrideRepository,
    private readonly locks: CalendarLocks,
    private readonly sources: CalendarSources,
    private readonly directory: BookingDirectory,
    private readonly clock: Clock,
    private readonly conferences: BookingConferences,
  ) {}

  /** The outbox consumer. Never throws for a provider failure (recorded and retried here instead). */
  async handle(event: Pick<OutboxEvent, 'eventType' | 'payload'>): Promise<void> {
    if (!BOOKING_EVENT_TYPES.has(event.eventType)) return;
    const payload = event.payload as unknown as BookingEventPayload;
    // The payload is stored JSON, checked at run time rather than trusted to match its type.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- see the line above
    for (const hostId of payload.host_user_ids ?? []) {
      await this.locks.whileWritingFor(hostId, () => this.writeForHost(event.eventType, payload, hostId));
    }
  }

  /** Retries links whose last attempt failed and whose backoff has passed. */
  async retryDue(): Promise<number> {
    const due = await this.links.listDueForRetry(this.clock.now());
    for (const link of due) {
      const pending = link.pendingEvent;
      if (!pending || link.attempts >= MAX_WRITE_ATTEMPTS) continue;
      const payload = pending.payload as BookingEventPayload;
      await this.locks.whileWritingFor(link.userId, () => this.writeForHost(pending.type, payload, link.userId));
    }
    return due.length;
  }

  private async writeForHost(type: string, payload: BookingEventPayload, hostId: string): Promise<void> {
    const view = await this.directory.getView(payload.booking_id);
    const previousId =
      type === 'booking.rescheduled' && payload.previous?.booking_id !== payload.booking_id ? payload.previous?.booking_id : undefined;
    const previousLink = previousId ? await this.links.findOfBookingHost(previousId, hostId) : null;
    let link = await this.links.findOfBookingHost(payload.booking_id, hostId);
    // Decided by the booking's state now, not by the event type: a late or repeated event cannot resurrect a
    // cancelled meeting, and a group invitee leaving (booking.cancelled on a confirmed booking) just updates it.
    // A pending booking (requires_confirmation) gets no event until it is confirmed (booking.confirmed writes it): a
    // host's calendar shows meetings, not requests. Its slot is held by the booking itself meanwhile.
    if (view?.status === 'pending' && !link?.externalEventId) return;
    const live = view !== null && (view.status === 'confirmed' || view.status === 'pending');
    if (!live) {
      // A superseded link's event belongs to the booking that replaced this one (a host's move followed at once).
      if (link?.status === 'superseded') return;
      if (!link?.externalEventId || link.status === 'deleted') {
        if (link && link.status !== 'deleted') await this.links.markDeleted(link.id);
        return;
      }
      const { integrationId, calendarId, externalEventId } = link;
      await this.attempt(link, type, payload, async () => {
        // A written event always has its connection and calendar; without a connection it was removed with its events.
        const integration = integrationId ? await this.integrations.findById(integrationId) : null;
        if (!integration || !calendarId) return { status: 'deleted' as const };
        const source = await this.sources.open(integration);
        await source.deleteEvent(calendarId, externalEventId);
        return { status: 'deleted' as const };
      });
      return;
    }
    const destination = await this.destinationFor(hostId, view.meetingType.id, previousLink ?? link);
    if (!destination) return; // the host has no calendar that receives bookings
    const start = new Date(payload.start_time);
    const end = new Date(payload.end_time);
    if (
      link?.status === 'synced' &&
      link.eventStart?.getTime() === start.getTime() &&
      link.eventEnd?.getTime() === end.getTime() &&
      link.integrationId === destination.integration.id &&
      (type === 'booking.created' || type === 'booking.confirmed')
    ) {
      return; // delivered twice: the event is already there
    }
    if (!link) {
      link = await this.links.createPending({
        bookingId: payload.booking_id,
        userId: hostId,
        integrationId: destination.integration.id,
        calendarId: destination.selection.calendarId,
        // A rescheduled booking keeps the event of the booking it replaces: the host sees it move, not a new one.
        externalEventId: previousLink?.integrationId === destination.integration.id ? previousLink.externalEventId : null,
      });
    }
    const current = link;
    if (
      payload.rescheduled_by === 'host_calendar' &&
      payload.moved_in_calendar_of === hostId &&
      current.externalEventId &&
      current.integrationId === destination.integration.id
    ) {
      // The host moved this event themselves: it is already where the booking now is. Writing it again could undo a
      // second move the host made meanwhile; recording the times is enough (the next sync compares against them).
      await this.links.recordWritten(current.id, {
        status: 'synced',
        externalEventId: current.externalEventId,
        eventStart: start,
        eventEnd: end,
        integrationId: destination.integration.id,
        calendarId: destination.selection.calendarId,
      });
      if (previousLink && previousLink.status !== 'superseded') await this.links.markSuperseded(previousLink.id);
      return;
    }
    const meeting = meetingRequestFor(view, payload, hostId, destination.integration.provider);
    await this.attempt(current, type, payload, async () => {
      if (destination.integration.status === 'broken')
        throw new Error(destination.integration.lastError ?? 'the calendar connection is broken');
      const source = await this.sources.open(destination.integration);
      const written = await source.upsertEvent(destination.selection.calendarId, current.externalEventId, {
        ...describeBooking(view, start, end),
        conference: meeting,
      });
      if (meeting) {
        // Google may still be making the Meet: the write is retried (same requestId) until the link is there.
        if (!written.conference) throw new Error('the video meeting is not ready yet');
        await this.conferences.record(payload.booking_id, { provider: meeting.provider, ...written.conference });
      }
      return {
        status: 'synced' as const,
        externalEventId: written.id,
        eventStart: start,
        eventEnd: end,
        integrationId: destination.integration.id,
        calendarId: destination.selection.calendarId,
      };
    });
    if (previousLink && previousLink.status !== 'superseded') {
      await this.links.markSuperseded(previousLink.id);
    }
  }

  private async attempt(
    link: CalendarEventLinkEntity,
    type: string,
    payload: BookingEventPayload,
    work: () => Promise<WrittenEvent>,
  ): Promise<void> {
    const attempts = link.attempts + 1;
    try {
      const result = await work();
      await this.links.recordWritten(link.id, result);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(
        `writing booking ${payload.booking_id} to the calendar of host ${link.userId} failed (attempt ${attempts}): ${message}`,
      );
      await this.links.recordWriteFailure(link.id, {
        attempts,
        lastError: message,
        pendingEvent: { type, payload },
        nextRetryAt: nextWriteRetry(attempts, this.clock.now()),
      });
    }
  }

  /** The meeting type's override for this host, else the host's default destination; null when there is none. */
  private async destinationFor(
    hostId: string,
    meetingTypeId: string,
    existing: CalendarEventLinkEntity | null,
  ): Promise<Destination | null> {
    const overrideId = await this.overrides.findSelectionId(meetingTypeId, hostId);
    let selection = overrideId ? await this.selections.findById(overrideId) : null;
    // An event already written stays in its calendar when it moves.
    if (!selection && existing?.integrationId && existing.calendarId && existing.externalEventId) {
      selection = await this.selections.findCalendar(existing.integrationId, existing.calendarId);
    }
    selection ??= await this.selections.findDefaultDestination(hostId);
    if (!selection) return null;
    const integration = await this.integrations.findById(selection.integrationId);
    if (!integration || !this.sources.canWrite(integration.provider)) return null;
    return { integration, selection };
  }
}
