import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository } from 'typeorm';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity.js';

/** A host's webhook subscription as the rest of notify sees it (the encrypted secret only through findWithSecret). */
export interface WebhookSubscription {
  id: string;
  userId: string;
  url: string;
  events: string[];
  disabledAt: Date | null;
  createdAt: Date;
}

const toSubscription = (w: WebhookSubscriptionEntity): WebhookSubscription => ({
  id: w.id,
  userId: w.userId,
  url: w.url,
  events: w.events,
  disabledAt: w.disabledAt,
  createdAt: w.createdAt,
});

/** All I/O on webhook_subscriptions. */
@Injectable()
export class WebhookSubscriptionRepository {
  constructor(@InjectRepository(WebhookSubscriptionEntity) private readonly repo: Repository<WebhookSubscriptionEntity>) {}

  countOfUser(userId: string): Promise<number> {
    return this.repo.countBy({ userId });
  }

  async insert(w: { userId: string; url: string; events: string[]; secretEnc: string }): Promise<WebhookSubscription> {
    return toSubscription(await this.repo.save(this.repo.create(w)));
  }

  async listOfUser(userId: string): Promise<WebhookSubscription[]> {
    return (await this.repo.find({ where: { userId }, order: { createdAt: 'DESC' } })).map(toSubscription);
  }

  async findOfUser(userId: string, id: string): Promise<WebhookSubscription | null> {
    const hook = await this.repo.findOneBy({ id, userId });
    return hook && toSubscription(hook);
  }

  async deleteOfUser(userId: string, id: string): Promise<void> {
    await this.repo.delete({ id, userId });
  }

  async setDisabledAt(userId: string, id: string, disabledAt: Date | null): Promise<void> {
    await this.repo.update({ id, userId }, { disabledAt });
  }

  /** The enabled subscriptions of these users (who an event's webhooks go to). */
  async findEnabledOf(userIds: string[]): Promise<WebhookSubscription[]> {
    return (await this.repo.findBy({ userId: In(userIds), disabledAt: IsNull() })).map(toSubscription);
  }

  /** One subscription with its encrypted signing secret (for the worker that signs the delivery). */
  async findWithSecret(id: string): Promise<(WebhookSubscription & { secretEnc: string }) | null> {
    const hook = await this.repo.createQueryBuilder('w').addSelect('w.secretEnc').where('w.id = :id', { id }).getOne();
    return hook && { ...toSubscription(hook), secretEnc: hook.secretEnc };
  }
}
