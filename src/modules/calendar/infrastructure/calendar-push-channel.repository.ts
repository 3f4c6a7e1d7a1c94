import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { CalendarPushChannelEntity } from './calendar-push-channel.entity.js';

/** calendar_push_channels: Google watch channels and Graph subscriptions, secrets hashed. */
@Injectable()
export class CalendarPushChannelRepository {
  constructor(@InjectRepository(CalendarPushChannelEntity) private readonly channels: Repository<CalendarPushChannelEntity>) {}

  listOfConnection(integrationId: string): Promise<CalendarPushChannelEntity[]> {
    return this.channels.findBy({ integrationId });
  }

  listExpiringBefore(time: Date): Promise<CalendarPushChannelEntity[]> {
    return this.channels.findBy({ expiresAt: LessThan(time) });
  }

  /** The channel a provider notification names (its secret still to be checked). */
  findByChannelId(provider: string, channelId: string): Promise<CalendarPushChannelEntity | null> {
    return this.channels.findOneBy({ provider, channelId });
  }

  async add(
    channel: Pick<
      CalendarPushChannelEntity,
      'integrationId' | 'selectionId' | 'provider' | 'channelId' | 'resourceId' | 'secretHash' | 'expiresAt'
    >,
  ): Promise<void> {
    await this.channels.save(this.channels.create(channel));
  }

  async delete(id: string): Promise<void> {
    await this.channels.delete({ id });
  }
}
