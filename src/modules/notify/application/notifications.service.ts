import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import { invalid, notFound } from '../../../shared/http/domain-error.js';
import { BookingDirectory } from '../../booking/application/booking-directory.js';
import { DeliveryStore } from '../infrastructure/delivery-store.js';
import type { DeliveryStatus, NotificationDeliveryEntity } from '../infrastructure/notification-delivery.entity.js';
import { DeliveryDispatcher } from './delivery-dispatcher.js';

/** One delivery as its host sees it (the admin and the API): no payload, no lease. */
export interface DeliveryRecord {
  id: string;
  bookingId: string | null;
  kind: string;
  channel: string;
  recipient: string;
  recipientRole: string;
  /** The invitee's or host's id; the subscription's id for a webhook delivery. */
  recipientId: string | null;
  eventType: string;
  revision: number;
  status: DeliveryStatus;
  dueAt: Date;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  sentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const toRecord = (d: NotificationDeliveryEntity): DeliveryRecord => ({
  id: d.id,
  bookingId: d.bookingId,
  kind: d.kind,
  channel: d.channel,
  recipient: d.recipient,
  recipientRole: d.recipientRole,
  recipientId: d.recipientId,
  eventType: d.eventType,
  revision: d.revision,
  status: d.status,
  dueAt: d.dueAt,
  attempts: d.attempts,
  maxAttempts: d.maxAttempts,
  lastError: d.lastError,
  sentAt: d.sentAt,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

/** The host's view of deliveries: what was sent, what is pending, what failed and why. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly store: DeliveryStore,
    private readonly bookings: BookingDirectory,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly clock: Clock,
  ) {}

  async list(
    userId: string,
    filter: { bookingId?: string; status?: DeliveryStatus; kind?: string; limit?: number },
  ): Promise<DeliveryRecord[]> {
    if (filter.bookingId) {
      // Only the booking's hosts and its meeting type's owner may look; others get the same 404 as a missing booking.
      const view = await this.bookings.getView(filter.bookingId);
      const owners = view ? [...view.hosts.map((h) => h.id), view.meetingType.ownerId] : [];
      if (!owners.includes(userId)) throw notFound('booking');
    }
    return (await this.store.listVisibleTo(userId, { ...filter, limit: filter.limit ?? 100 })).map(toRecord);
  }

  /** Manual redelivery of a failed row (or a webhook that was delivered): fresh attempts, due now. */
  async redeliver(userId: string, id: string): Promise<DeliveryRecord> {
    const row = await this.store.findVisible(userId, id);
    if (!row) throw notFound('notification');
    const now = this.clock.now();
    if (!(await this.store.reopen(id, now))) {
      throw invalid(`only failed deliveries (or delivered webhooks) can be redelivered; this one is ${row.status}`);
    }
    await this.dispatcher.enqueue([{ id, dueAt: now }]);
    const reopened = await this.store.findVisible(userId, id);
    if (!reopened) throw notFound('notification'); // deleted with its booking in the meantime
    return toRecord(reopened);
  }
}
