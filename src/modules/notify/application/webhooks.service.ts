import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import { invalid, invalidField, notFound } from '../../../shared/http/domain-error.js';
import { SecretCipher } from '../../../shared/security/encryption.js';
import { WEBHOOK_EVENTS, type WebhookTarget } from '../domain/plan-deliveries.js';
import { newWebhookSecret } from '../domain/webhook-signature.js';
import { DeliveryStore } from '../infrastructure/delivery-store.js';
import { UnsafeWebhookTargetError, WebhookSender } from '../infrastructure/webhook-sender.js';
import { type WebhookSubscription, WebhookSubscriptionRepository } from '../infrastructure/webhook-subscription.repository.js';

export type { WebhookSubscription } from '../infrastructure/webhook-subscription.repository.js';

const MAX_PER_USER = 25;

/** Hosts' webhook subscriptions. The signing secret is shown once and stored encrypted (it must stay usable). */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly cipher: SecretCipher,
    private readonly sender: WebhookSender,
    private readonly store: DeliveryStore,
    private readonly clock: Clock,
  ) {}

  async create(userId: string, url: string, events: string[]): Promise<{ webhook: WebhookSubscription; secret: string }> {
    const unknown = events.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
    if (unknown.length)
      throw invalidField(
        'events',
        'unknown_event',
        `events must be a subset of ${WEBHOOK_EVENTS.join(', ')} (unknown: ${unknown.join(', ')})`,
      );
    try {
      await this.sender.assertSafeTarget(url);
    } catch (e) {
      if (e instanceof UnsafeWebhookTargetError) throw invalidField('url', 'not_allowed', e.message);
      throw e;
    }
    if ((await this.subscriptions.countOfUser(userId)) >= MAX_PER_USER) throw invalid(`at most ${MAX_PER_USER} webhooks per user`);
    const secret = newWebhookSecret();
    const saved = await this.subscriptions.insert({
      userId,
      url,
      events: [...new Set(events)],
      secretEnc: this.cipher.encrypt(secret),
    });
    return { webhook: saved, secret };
  }

  list(userId: string): Promise<WebhookSubscription[]> {
    return this.subscriptions.listOfUser(userId);
  }

  async get(userId: string, id: string): Promise<WebhookSubscription> {
    const hook = await this.subscriptions.findOfUser(userId, id);
    if (!hook) throw notFound('webhook');
    return hook;
  }

  async remove(userId: string, id: string): Promise<WebhookSubscription> {
    const hook = await this.get(userId, id);
    await this.subscriptions.deleteOfUser(userId, id);
    await this.store.cancelForWebhook(id, this.clock.now());
    return hook;
  }

  /** Pauses or resumes a webhook; a paused one keeps its secret and URL but receives nothing. */
  async setEnabled(userId: string, id: string, enabled: boolean): Promise<WebhookSubscription> {
    const hook = await this.get(userId, id);
    if (enabled === (hook.disabledAt === null)) return hook;
    hook.disabledAt = enabled ? null : this.clock.now();
    await this.subscriptions.setDisabledAt(userId, id, hook.disabledAt);
    return hook;
  }

  async targetsFor(userIds: string[]): Promise<WebhookTarget[]> {
    if (userIds.length === 0) return [];
    const hooks = await this.subscriptions.findEnabledOf(userIds);
    return hooks.map((h) => ({ id: h.id, userId: h.userId, events: h.events }));
  }
}
