import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import { invalid, notFound } from '../../../shared/http/domain-error.js';
import { BookingDirectory } from '../../booking/application/booking-directory.js';
import { DeliveryStore } from '../infrastructure/delivery-store.js';
import type { DeliveryStatus, NotificationDeliveryEntity } from '../infrastructure/notification-delivery.entity.js';
import { DeliveryDispatcher } from './delivery-dispatcher.js';

/** The host's view of deliveries: what was sent, what is pending, what failed and why. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly store: DeliveryStore,
    private readonly bookings: BookingDirectory,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly clock: Clock,
  ) {}

  async list(userId: string, filter: { bookingId?: string; status?: DeliveryStatus; kind?: string; limit?: number }) {
    if (filter.bookingId) {
      // Only the booking's hosts and its meeting type's owner may look; others get the same 404 as a missing booking.
      const view = await this.bookings.getView(filter.bookingId);
      const owners = view ? [...view.hosts.map((h) => h.id), view.meetingType.ownerId] : [];
      if (!owners.includes(userId)) throw notFound('booking');
    }
    return this.store.listVisibleTo(userId, { ...filter, limit: filter.limit ?? 100 });
  }

  /** Manual redelivery of a failed row (or a webhook that was delivered): fresh attempts, due now. */
  async redeliver(userId: string, id: string): Promise<NotificationDeliveryEntity> {
    const row = await this.store.findVisible(userId, id);
    if (!row) throw notFound('notification');
    const now = this.clock.now();
    if (!(await this.store.reopen(id, now))) {
      throw invalid(`only failed deliveries (or delivered webhooks) can be redelivered; this one is ${row.status}`);
    }
    await this.dispatcher.enqueue([{ id, dueAt: now }]);
    return (await this.store.findVisible(userId, id))!;
  }
}
