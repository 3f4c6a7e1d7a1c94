import { Injectable, Logger } from '@nestjs/common';
import type { CalendarIntegrationEntity } from '../infrastructure/calendar-integration.entity.js';
import { CalendarPush } from './calendar-push.service.js';
import { CalendarSyncService } from './calendar-sync.service.js';

/** What follows every (re)connect: a full sync the host waits for, then push channels where the provider has them. */
@Injectable()
export class ConnectionFirstSync {
  private readonly logger = new Logger('CalendarIntegrations');

  constructor(
    private readonly sync: CalendarSyncService,
    private readonly push: CalendarPush,
  ) {}

  async run(integration: CalendarIntegrationEntity): Promise<void> {
    const outcome = await this.sync.syncIntegration(integration.id, { wait: true, full: true });
    if (outcome.status !== 'synced')
      this.logger.warn(`first sync of ${integration.provider} connection ${integration.id}: ${outcome.status}`);
    await this.push
      .ensureChannels(integration.id)
      .catch((error: unknown) => this.logger.warn(`push setup failed: ${(error as Error).message}`));
  }
}
