import { Injectable } from '@nestjs/common';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { DomainError, notFound } from '../../../shared/http/domain-error.js';
import type { CalendarIntegrationEntity } from '../infrastructure/calendar-integration.entity.js';
import { CalendarIntegrationRepository } from '../infrastructure/calendar-integration.repository.js';
import { CalendarPush } from './calendar-push.service.js';
import { CalendarSyncService, type SyncOutcome } from './calendar-sync.service.js';
import { type CalendarConnectionView, toConnectionView } from './calendar-views.js';

/** A host's calendar connections: listing with their health, settings, sync on demand, disconnect. Owner only; others see 404. */
@Injectable()
export class CalendarConnections {
  constructor(
    private readonly integrations: CalendarIntegrationRepository,
    private readonly sync: CalendarSyncService,
    private readonly push: CalendarPush,
    private readonly versions: AvailabilityVersions,
  ) {}

  async list(userId: string): Promise<CalendarConnectionView[]> {
    return (await this.integrations.listOfHost(userId)).map(toConnectionView);
  }

  async get(userId: string, id: string): Promise<CalendarConnectionView> {
    return toConnectionView(await this.owned(userId, id));
  }

  async updateSettings(userId: string, id: string, changes: { cancel_booking_on_delete?: boolean }): Promise<CalendarConnectionView> {
    const integration = await this.owned(userId, id);
    if (changes.cancel_booking_on_delete === undefined) return toConnectionView(integration);
    return toConnectionView(await this.integrations.setCancelBookingOnDelete(integration, changes.cancel_booking_on_delete));
  }

  async syncNow(userId: string, id: string): Promise<{ outcome: SyncOutcome; integration: CalendarConnectionView }> {
    const integration = await this.owned(userId, id);
    if (integration.status === 'broken')
      throw new DomainError('conflict', `this connection is broken: ${integration.lastError ?? 'reconnect it'}`);
    const outcome = await this.sync.syncIntegration(id, { wait: true });
    return { outcome, integration: await this.get(userId, id) };
  }

  /** Disconnect: stops push, then forgets the credentials, the calendars and the cached busy time. */
  async remove(userId: string, id: string): Promise<void> {
    const integration = await this.owned(userId, id);
    await this.push.stopChannels(integration.id).catch(() => undefined);
    await this.integrations.delete(id); // cascades to selections, cached events, channels
    await this.versions.bump([userId]);
  }

  private async owned(userId: string, id: string): Promise<CalendarIntegrationEntity> {
    const integration = await this.integrations.findOfHost(userId, id);
    if (!integration) throw notFound('integration');
    return integration;
  }
}
