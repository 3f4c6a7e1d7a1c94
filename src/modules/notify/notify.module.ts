import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretCipher } from '../../shared/security/encryption.js';
import { AccountMails } from './application/account-mails.js';
import { BookingEventsConsumer } from './application/booking-events.consumer.js';
import { BookingViews } from './application/booking-views.js';
import { DeliveryDispatcher } from './application/delivery-dispatcher.js';
import { DeliveryWorker } from './application/delivery-worker.js';
import { IcsService } from './application/ics.service.js';
import { NotificationsService } from './application/notifications.service.js';
import { WebhooksService } from './application/webhooks.service.js';
import { NotificationsController } from './http/notifications.controller.js';
import { WebhooksController } from './http/webhooks.controller.js';
import { DeliveryStore } from './infrastructure/delivery-store.js';
import { MailTransport } from './infrastructure/mail-transport.js';
import { NotificationDeliveryEntity } from './infrastructure/notification-delivery.entity.js';
import { SmsProvider, TwilioSmsProvider } from './infrastructure/sms-provider.js';
import { WebhookSender } from './infrastructure/webhook-sender.js';
import { WebhookSubscriptionEntity } from './infrastructure/webhook-subscription.entity.js';

/**
 * Notify: booking events (via the outbox relay) → delivery rows → the DeliveryQueue port (BullMQ or in process,
 * provided by DeliveryQueueModule, imported by the app) → email, SMS, webhooks. Exports IcsService (invitations, add-to-calendar links) for the booking and web contexts.
 */
@Module({
  imports: [TypeOrmModule.forFeature([NotificationDeliveryEntity, WebhookSubscriptionEntity])],
  controllers: [WebhooksController, NotificationsController],
  providers: [
    BookingViews, BookingEventsConsumer, DeliveryDispatcher, DeliveryWorker, DeliveryStore, IcsService,
    NotificationsService, WebhooksService, MailTransport, AccountMails, WebhookSender, SecretCipher,
    { provide: SmsProvider, useClass: TwilioSmsProvider },
  ],
  exports: [IcsService, DeliveryDispatcher, WebhooksService, NotificationsService, AccountMails], // webhooks/notifications: the admin's pages; AccountMails: identity's reset mails
})
export class NotifyModule {}
