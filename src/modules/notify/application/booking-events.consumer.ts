import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { Clock } from '../../../shared/clock/clock.js';
import { type OutboxEvent, OutboxRelay } from '../../../shared/outbox/outbox-relay.js';
import { BookingDirectory } from '../../booking/application/booking-directory.js';
import {
  BOOKING_EVENT_TYPES,
  type BookingEventPayload,
  type BookingEventType,
  NO_SHOW_EVENT_TYPES,
  type NoShowEventType,
} from '../../booking/domain/booking-views.js';
import { planNoShowWebhooks } from '../domain/no-show-notices.js';
import { HOST_MOVE_CONFLICT_EVENT, type HostMoveConflictPayload, planHostMoveConflict } from '../domain/host-notices.js';
import { planDeliveries, type PlannedDelivery } from '../domain/plan-deliveries.js';
import { planConferenceLink } from '../domain/conference-notices.js';
import { WAITLIST_EVENT_TYPES, type WaitlistEventPayload, type WaitlistEventType } from '../../booking/domain/waitlist.js';
import { planWaitlistDeliveries } from '../domain/waitlist-notices.js';
import { CONFERENCE_READY_EVENT, type ConferenceReadyPayload } from '../../booking/domain/conference.js';
import { DeliveryStore } from '../infrastructure/delivery-store.js';
import { SmsProvider } from '../infrastructure/sms-provider.js';
import { DeliveryDispatcher } from './delivery-dispatcher.js';
import { WebhooksService } from './webhooks.service.js';

export const NOTIFY_CONSUMER = 'notify';

/**
 * Outbox consumer "notify": turns each booking event into delivery rows (deterministic ids, so a replay inserts
 * nothing), withdraws superseded reminders, and hands the new rows to the dispatcher. Idempotent by construction.
 * Also the calendar's notices for the host (a move in their calendar that the booking could not follow).
 */
@Injectable()
export class BookingEventsConsumer implements OnModuleInit {
  private readonly logger = new Logger('NotifyConsumer');

  constructor(
    private readonly relay: OutboxRelay,
    private readonly bookings: BookingDirectory,
    private readonly store: DeliveryStore,
    private readonly webhooks: WebhooksService,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly sms: SmsProvider,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.relay.register(NOTIFY_CONSUMER, (event) => this.handle(event));
  }

  async handle(event: OutboxEvent): Promise<void> {
    if (event.eventType === HOST_MOVE_CONFLICT_EVENT) return this.handleHostMoveConflict(event);
    if (event.eventType === CONFERENCE_READY_EVENT) return this.handleConferenceReady(event);
    if (NO_SHOW_EVENT_TYPES.has(event.eventType)) return this.handleNoShow(event);
    if (WAITLIST_EVENT_TYPES.has(event.eventType)) return this.handleWaitlist(event);
    if (!BOOKING_EVENT_TYPES.has(event.eventType)) return;
    const payload = event.payload as unknown as BookingEventPayload;
    const view = await this.bookings.getView(payload.booking_id);
    if (!view) {
      this.logger.warn(`booking ${payload.booking_id} of outbox event ${event.id} no longer exists; nothing to send`);
      return;
    }
    const now = this.clock.now();
    const ownerIds = [...new Set([...view.hosts.map((h) => h.id), view.meetingType.ownerId])];
    // An invitee who moved may have left others behind (group): whether the old booking still takes place decides
    // if its hosts' reminders go too.
    const previousId = payload.previous?.booking_id;
    const previousView =
      event.eventType === 'booking.rescheduled' && payload.invitee_id && previousId && previousId !== view.id
        ? await this.bookings.getView(previousId)
        : undefined;
    const plan = planDeliveries({
      eventType: event.eventType as BookingEventType,
      payload,
      view,
      webhooks: await this.webhooks.targetsFor(ownerIds),
      now,
      smsEnabled: this.sms.enabled,
      previousView,
      hostMoveDelayMs: this.config.notifyHostMoveDelaySeconds * 1000,
    });
    // Withdraw first: a replayed older event can then not resurrect anything (its rows exist already anyway).
    for (const w of plan.withdraw) await this.store.withdrawReminders(w, now);
    await this.insertAndEnqueue(plan.deliveries, event.id, now);
  }

  private async handleHostMoveConflict(event: OutboxEvent): Promise<void> {
    const payload = event.payload as unknown as HostMoveConflictPayload;
    const view = await this.bookings.getView(payload.booking_id);
    const now = this.clock.now();
    const planned = view ? planHostMoveConflict(payload, view, now) : null;
    if (!planned) {
      this.logger.warn(`the host of outbox event ${event.id} no longer hosts booking ${payload.booking_id}; nothing to send`);
      return;
    }
    await this.insertAndEnqueue([planned], event.id, now);
  }

  /** The booking's video link now exists: a link mail to whoever's mails did not show it, and webhooks. */
  private async handleConferenceReady(event: OutboxEvent): Promise<void> {
    const payload = event.payload as unknown as ConferenceReadyPayload;
    const view = await this.bookings.getView(payload.booking_id);
    if (!view) return;
    const now = this.clock.now();
    const ownerIds = [...new Set([...view.hosts.map((h) => h.id), view.meetingType.ownerId])];
    const planned = planConferenceLink({
      payload,
      view,
      alreadyShown: await this.store.recipientsShownConference(view.id, payload.join_url),
      webhooks: await this.webhooks.targetsFor(ownerIds),
      now,
    });
    await this.insertAndEnqueue(planned, event.id, now);
  }

  /** A no-show marked or taken back: webhooks only. */
  private async handleNoShow(event: OutboxEvent): Promise<void> {
    const payload = event.payload as unknown as BookingEventPayload;
    const view = await this.bookings.getView(payload.booking_id);
    if (!view) return;
    const now = this.clock.now();
    const ownerIds = [...new Set([...view.hosts.map((h) => h.id), view.meetingType.ownerId])];
    const planned = planNoShowWebhooks({
      eventType: event.eventType as NoShowEventType,
      eventId: event.id,
      payload,
      view,
      webhooks: await this.webhooks.targetsFor(ownerIds),
      now,
    });
    await this.insertAndEnqueue(planned, event.id, now);
  }

  /** A waitlist entry joined, was promoted (the claim mail) or expired: mail and webhooks of the type's owner. */
  private async handleWaitlist(event: OutboxEvent): Promise<void> {
    const payload = event.payload as unknown as WaitlistEventPayload;
    const now = this.clock.now();
    const planned = planWaitlistDeliveries({
      eventType: event.eventType as WaitlistEventType,
      eventId: event.id,
      payload,
      webhooks: await this.webhooks.targetsFor([payload.owner_id]),
      now,
    });
    await this.insertAndEnqueue(planned, event.id, now);
  }

  private async insertAndEnqueue(deliveries: PlannedDelivery[], eventId: string, now: Date): Promise<void> {
    const inserted = await this.store.insertNew(deliveries, eventId, this.config.notifyMaxAttempts, now);
    await this.dispatcher.enqueue(inserted.map((d) => ({ id: d.id, dueAt: d.dueAt })));
  }
}
