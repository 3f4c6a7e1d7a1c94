import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThanOrEqual, Repository } from 'typeorm';
import { appendOutboxEvent } from '../../../shared/outbox/outbox-events.js';
import { HOST_MOVE_CONFLICT_EVENT, type HostMoveConflictPayload } from '../../notify/domain/host-notices.js';
import { CalendarEventLinkEntity } from './calendar-event-link.entity.js';
import type { CalendarTx } from './calendar-transactions.js';

/** Where a written (or deleted) event now is. */
export interface WrittenEvent {
  status: 'synced' | 'deleted';
  externalEventId?: string;
  eventStart?: Date;
  eventEnd?: Date;
  integrationId?: string;
  calendarId?: string;
}

/** calendar_event_links: one row per booking and host for the event we write in the host's calendar. */
@Injectable()
export class CalendarEventLinkRepository {
  constructor(@InjectRepository(CalendarEventLinkEntity) private readonly links: Repository<CalendarEventLinkEntity>) {}

  findById(id: string): Promise<CalendarEventLinkEntity | null> {
    return this.links.findOneBy({ id });
  }

  findOfBookingHost(bookingId: string, userId: string): Promise<CalendarEventLinkEntity | null> {
    return this.links.findOneBy({ bookingId, userId });
  }

  listOfBookingHost(bookingId: string, userId: string): Promise<CalendarEventLinkEntity[]> {
    return this.links.findBy({ bookingId, userId });
  }

  /** The host's links among these bookings flagged for their attention. */
  listFlaggedOfHost(userId: string, bookingIds: string[]): Promise<CalendarEventLinkEntity[]> {
    if (bookingIds.length === 0) return Promise.resolve([]);
    return this.links.findBy({ userId, bookingId: In(bookingIds), hostAction: 'flagged' });
  }

  /** Events of ours in one calendar that should still be there as written (to notice host deletions and moves). */
  listLiveInCalendar(tx: CalendarTx | null, integrationId: string, calendarId: string): Promise<CalendarEventLinkEntity[]> {
    return (tx ? tx.getRepository(CalendarEventLinkEntity) : this.links).findBy({
      integrationId,
      calendarId,
      status: In(['synced', 'host_moved']),
    });
  }

  /** Writes that are pending or failed and whose backoff has passed. */
  listDueForRetry(now: Date, limit = 50): Promise<CalendarEventLinkEntity[]> {
    return this.links.find({ where: { status: In(['pending', 'failed']), nextRetryAt: LessThanOrEqual(now) }, take: limit });
  }

  /** Bookings to cancel because the host deleted their event, whose cancellation has not gone through yet. */
  listPendingCancellations(limit = 50): Promise<CalendarEventLinkEntity[]> {
    return this.links.find({ where: { hostAction: 'cancel_requested' }, take: limit });
  }

  createPending(link: {
    bookingId: string;
    userId: string;
    integrationId: string;
    calendarId: string;
    externalEventId: string | null;
  }): Promise<CalendarEventLinkEntity> {
    return this.links.save(this.links.create({ ...link, status: 'pending', attempts: 0 }));
  }

  /** The booking is gone and so is its event (or there never was one). */
  async markDeleted(id: string): Promise<void> {
    await this.links.update({ id }, { status: 'deleted', pendingEvent: null, nextRetryAt: null, lastError: null });
  }

  /** The booking was rescheduled into another one, whose link now owns the event. */
  async markSuperseded(id: string): Promise<void> {
    await this.links.update({ id }, { status: 'superseded', pendingEvent: null, nextRetryAt: null });
  }

  async recordWritten(id: string, written: WrittenEvent): Promise<void> {
    await this.links.update({ id }, { ...written, attempts: 0, lastError: null, nextRetryAt: null, pendingEvent: null });
  }

  /** Keeps the event to apply, so a retry needs nothing else; `nextRetryAt` null gives up. */
  async recordWriteFailure(
    id: string,
    failure: { attempts: number; lastError: string; pendingEvent: { type: string; payload: object }; nextRetryAt: Date | null },
  ): Promise<void> {
    await this.links.update({ id }, { status: 'failed', ...failure });
  }

  /**
   * The host moved the event and the booking followed into `bookingId`: that booking's link takes the event over at
   * the host's times, and this one is superseded (what the writer does for the move's outbox event, done at once).
   */
  async handOver(from: CalendarEventLinkEntity, bookingId: string, start: Date, end: Date): Promise<void> {
    await this.links.manager.transaction(async (tx) => {
      const repo = tx.getRepository(CalendarEventLinkEntity);
      const event = {
        integrationId: from.integrationId,
        calendarId: from.calendarId,
        externalEventId: from.externalEventId,
        eventStart: start,
        eventEnd: end,
        status: 'synced' as const,
        hostAction: null,
        attempts: 0,
        lastError: null,
        nextRetryAt: null,
        pendingEvent: null,
      };
      const existing = await repo.findOneBy({ bookingId, userId: from.userId });
      if (existing) await repo.update({ id: existing.id }, event);
      else await repo.save(repo.create({ bookingId, userId: from.userId, ...event }));
      await repo.update({ id: from.id }, { status: 'superseded', pendingEvent: null, nextRetryAt: null });
    });
  }

  /** The host moved or deleted our event and the booking stays: flagged for their attention. */
  async flagHostChange(id: string, status: 'host_moved' | 'host_deleted', message: string): Promise<void> {
    await this.links.update({ id }, { status, hostAction: 'flagged', lastError: message });
  }

  /**
   * The host moved our event onto a time the booking cannot take: the link is flagged and, in the same transaction,
   * the notice for the host's mail is written to the outbox (notify turns it into a tracked, retried delivery).
   */
  async flagHostMoveConflict(id: string, notice: HostMoveConflictPayload): Promise<void> {
    await this.links.manager.transaction(async (tx) => {
      await tx
        .getRepository(CalendarEventLinkEntity)
        .update({ id }, { status: 'host_moved', hostAction: 'flagged', lastError: notice.message });
      await appendOutboxEvent(tx, { type: HOST_MOVE_CONFLICT_EVENT, bookingId: notice.booking_id, payload: notice });
    });
  }

  /** The host deleted our event and the connection cancels the booking for it. */
  async requestCancellation(id: string): Promise<void> {
    await this.links.update({ id }, { status: 'host_deleted', hostAction: 'cancel_requested', lastError: null });
  }

  async markCancelled(id: string): Promise<void> {
    await this.links.update({ id }, { hostAction: 'cancelled' });
  }

  /** `refused`: the booking module said no (flagged for the host); otherwise the cancellation stays requested and is retried. */
  async recordCancellationFailure(id: string, message: string, refused: boolean): Promise<void> {
    await this.links.update({ id }, { lastError: message, ...(refused ? { hostAction: 'flagged' as const } : {}) });
  }
}
