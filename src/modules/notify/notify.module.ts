import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretCipher } from '../../shared/security/encryption.js';
import { BookingModule } from '../booking/booking.module.js';
import { BookingEventsConsumer } from './application/booking-events.consumer.js';
import { BookingInvitations } from './application/booking-invitations.js';
import { DeliveryDispatcher } from './application/delivery-dispatcher.js';
import { DeliveryMetrics } from './application/delivery-metrics.js';
import { DeliveryWorker } from './application/delivery-worker.js';
import { IcsService } from './application/ics.service.js';
import { NotificationsService } from './application/notifications.service.js';
import { WebhooksService } from './application/webhooks.service.js';
import { BookingCalendarController } from './http/booking-calendar.controller.js';
import { NotificationsController } from './http/notifications.controller.js';
import { WebhooksController } from './http/webhooks.controller.js';
import { DeliveryStore } from './infrastructure/delivery-store.js';
import { NotificationDeliveryEntity } from './infrastructure/notification-delivery.entity.js';
import { SmsProvider, TwilioSmsProvider } from './infrastructure/sms-provider.js';
import { WebhookSender } from './infrastructure/webhook-sender.js';
import { WebhookSubscriptionEntity } from './infrastructure/webhook-subscription.entity.js';
import { WebhookSubscriptionRepository } from './infrastructure/webhook-subscription.repository.js';

/**
 * Notify: booking events (via the outbox relay) → delivery rows → the DeliveryQueue port (BullMQ or in
 * process, provided by DeliveryQueueModule, imported by the app) → email, SMS,
 * webhooks. Downstream of booking: it reads bookings through BookingModule's exported BookingDirectory, and booking
 * never imports notify. Serves the booking's .ics (the invitation its mails attach) and exports BookingInvitations
 * for the web pages.
 */
@Module({
  imports: [TypeOrmModule.forFeature([NotificationDeliveryEntity, WebhookSubscriptionEntity]), BookingModule],
  controllers: [WebhooksController, NotificationsController, BookingCalendarController],
  providers: [
    BookingEventsConsumer,
    BookingInvitations,
    DeliveryDispatcher,
    DeliveryMetrics,
    DeliveryWorker,
    DeliveryStore,
    WebhookSubscriptionRepository,
    IcsService,
    NotificationsService,
    WebhooksService,
    WebhookSender,
    SecretCipher,
    { provide: SmsProvider, useClass: TwilioSmsProvider },
  ],
  exports: [IcsService, BookingInvitations, DeliveryDispatcher, WebhooksService, NotificationsService], // webhooks/notifications: the admin's pages
})
export class NotifyModule {}
