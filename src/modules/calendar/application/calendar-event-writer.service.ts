import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, LessThanOrEqual, Repository } from 'typeorm';
import { Clock } from '../../../shared/clock/clock.js';
import type { OutboxEvent } from '../../../shared/outbox/outbox-relay.js';
import { type BookingEventPayload, BookingDirectory } from '../../booking/application/booking-directory.js';
import { describeBooking } from '../domain/booking-event.js';
import { CalendarEventLinkEntity } from '../infrastructure/calendar-event-link.entity.js';
import { CalendarIntegrationEntity } from '../infrastructure/calendar-integration.entity.js';
import { CalendarSelectionEntity } from '../infrastructure/calendar-selection.entity.js';
import { CalendarSources } from './calendar-sources.service.js';

const BOOKING_EVENTS = new Set(['booking.created', 'booking.rescheduled', 'booking.cancelled']);
const MAX_ATTEMPTS = 12;

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
    private readonly dataSource: DataSource,
    @InjectRepository(CalendarEventLinkEntity) private readonly links: Repository<CalendarEventLinkEntity>,
    @InjectRepository(CalendarSelectionEntity) private readonly selections: Repository<CalendarSelectionEntity>,
    @InjectRepository(CalendarIntegrationEntity) private readonly integrations: Repository<CalendarIntegrationEntity>,
    private readonly sources: CalendarSources,
    private readonly directory: BookingDirectory,
    private readonly clock: Clock,
  ) {}

  /** The outbox consumer. Never throws for a provider failure (recorded and retried here instead). */
  async handle(event: Pick<OutboxEvent, 'eventType' | 'payload'>): Promise<void> {
    if (!BOOKING_EVENTS.has(event.eventType)) return;
    const payload = event.payload as unknown as BookingEventPayload;
    for (const hostId of payload.host_user_ids ?? []) {
      await this.withHostLock(hostId, () => this.writeForHost(event.eventType, payload, hostId));
    }
  }

  /** Retries links whose last attempt failed and whose backoff has passed. */
  async retryDue(): Promise<number> {
    const due = await this.links.find({
      where: { status: In(['pending', 'failed']), nextRetryAt: LessThanOrEqual(this.clock.now()) },
      take: 50,
    });
    for (const link of due) {
      if (!link.pendingEvent || link.attempts >= MAX_ATTEMPTS) continue;
      const payload = link.pendingEvent.payload as BookingEventPayload;
      await this.withHostLock(link.userId, () => this.writeForHost(link.pendingEvent!.type, payload, link.userId));
    }
    return due.length;
  }

  private async writeForHost(type: string, payload: BookingEventPayload, hostId: string): Promise<void> {
    const view = await this.directory.getView(payload.booking_id);
    const previousId = type === 'booking.rescheduled' && payload.previous?.booking_id !== payload.booking_id ? payload.previous?.booking_id : undefined;
    const previousLink = previousId ? await this.links.findOneBy({ bookingId: previousId, userId: hostId }) : null;
    let link = await this.links.findOneBy({ bookingId: payload.booking_id, userId: hostId });
    // Decided by the booking's state now, not by the event type: a late or repeated event cannot resurrect a
    // cancelled meeting, and a group invitee leaving (booking.cancelled on a confirmed booking) just updates it.
    const live = view !== null && (view.status === 'confirmed' || view.status === 'pending');
    if (!live) {
      if (!link?.externalEventId || link.status === 'deleted') {
        if (link && link.status !== 'deleted') await this.links.update({ id: link.id }, { status: 'deleted', pendingEvent: null, nextRetryAt: null, lastError: null });
        return;
      }
      await this.attempt(link, type, payload, async () => {
        const integration = await this.integrations.findOneBy({ id: link!.integrationId! });
        if (!integration) return { status: 'deleted' as const }; // the connection was removed with its events
        const source = await this.sources.open(integration);
        await source.deleteEvent(link!.calendarId!, link!.externalEventId!);
        return { status: 'deleted' as const };
      });
      return;
    }
    const destination = await this.destinationFor(hostId, view.meetingType.id, previousLink ?? link);
    if (!destination) return; // the host has no calendar that receives bookings
    const start = new Date(payload.start_time);
    const end = new Date(payload.end_time);
    if (link?.status === 'synced' && link.eventStart?.getTime() === start.getTime() && link.eventEnd?.getTime() === end.getTime()
      && link.integrationId === destination.integration.id && type === 'booking.created') {
      return; // delivered twice: the event is already there
    }
    if (!link) {
      link = await this.links.save(this.links.create({
        bookingId: payload.booking_id, userId: hostId, integrationId: destination.integration.id,
        calendarId: destination.selection.calendarId,
        // A rescheduled booking keeps the event of the booking it replaces: the host sees it move, not a new one.
        externalEventId: previousLink?.integrationId === destination.integration.id ? previousLink.externalEventId : null,
        status: 'pending', attempts: 0,
      }));
    }
    const current = link;
    await this.attempt(current, type, payload, async () => {
      if (destination.integration.status === 'broken') throw new Error(destination.integration.lastError ?? 'the calendar connection is broken');
      const source = await this.sources.open(destination.integration);
      const eventId = await source.upsertEvent(destination.selection.calendarId, current.externalEventId, describeBooking(view, start, end));
      return { status: 'synced' as const, externalEventId: eventId, eventStart: start, eventEnd: end,
        integrationId: destination.integration.id, calendarId: destination.selection.calendarId };
    });
    if (previousLink && previousLink.status !== 'superseded') {
      await this.links.update({ id: previousLink.id }, { status: 'superseded', pendingEvent: null, nextRetryAt: null });
    }
  }

  private async attempt(
    link: CalendarEventLinkEntity,
    type: string,
    payload: BookingEventPayload,
    work: () => Promise<Partial<CalendarEventLinkEntity> & { status: 'synced' | 'deleted' }>,
  ): Promise<void> {
    const attempts = link.attempts + 1;
    try {
      const result = await work();
      await this.links.update({ id: link.id }, { ...result, attempts: 0, lastError: null, nextRetryAt: null, pendingEvent: null });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const backoffMs = Math.min(6 * 3600_000, 60_000 * 2 ** Math.min(attempts - 1, 10));
      this.logger.warn(`writing booking ${payload.booking_id} to the calendar of host ${link.userId} failed (attempt ${attempts}): ${message}`);
      await this.links.update({ id: link.id }, {
        status: 'failed', attempts, lastError: message, pendingEvent: { type, payload },
        nextRetryAt: attempts >= MAX_ATTEMPTS ? null : new Date(this.clock.now().getTime() + backoffMs),
      });
    }
  }

  /** The meeting type's override for this host, else the host's default destination; null when there is none. */
  private async destinationFor(hostId: string, meetingTypeId: string, existing: CalendarEventLinkEntity | null): Promise<Destination | null> {
    const [override] = await this.dataSource.query(
      `SELECT selection_id FROM calendar_destination_overrides WHERE meeting_type_id = $1 AND user_id = $2`,
      [meetingTypeId, hostId],
    );
    let selection = override ? await this.selections.findOneBy({ id: override.selection_id }) : null;
    // An event already written stays in its calendar when it moves.
    if (!selection && existing?.integrationId && existing.calendarId && existing.externalEventId) {
      selection = await this.selections.findOneBy({ integrationId: existing.integrationId, calendarId: existing.calendarId });
    }
    selection ??= await this.selections.findOneBy({ userId: hostId, isDestination: true });
    if (!selection) return null;
    const integration = await this.integrations.findOneBy({ id: selection.integrationId });
    if (!integration || !this.sources.canWrite(integration.provider)) return null;
    return { integration, selection };
  }

  private async withHostLock(hostId: string, work: () => Promise<void>): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const key = `kairos:calendar-write:${hostId}`;
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtext($1))`, [key]);
      try {
        await work();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [key]);
      }
    } finally {
      await runner.release();
    }
  }
}
