import { Injectable } from '@nestjs/common';
import { invalid, invalidField } from '../../../shared/http/domain-error.js';
import { CaldavAdapter, type CaldavDiscovery } from '../infrastructure/caldav.adapter.js';
import { CalendarIntegrationRepository } from '../infrastructure/calendar-integration.repository.js';
import { CalendarSelectionRepository } from '../infrastructure/calendar-selection.repository.js';
import { CalendarTransactions } from '../infrastructure/calendar-transactions.js';
import { UnsafeUrlError, assertSafeUrlShape } from '../infrastructure/safe-http.js';
import { CalendarConnections } from './calendar-connections.service.js';
import { CalendarCredentials } from './calendar-credentials.service.js';
import type { CalendarConnectionView } from './calendar-views.js';
import { ConnectionFirstSync } from './connection-first-sync.service.js';

/**
 * Connects a CalDAV account (iCloud, Fastmail, Nextcloud…) with an app password: finds the principal and its
 * calendars before anything is stored (wrong credentials store nothing), keeps the password encrypted, lists the
 * calendars for the host to choose from, and syncs. Reconnecting the same account updates it.
 */
@Injectable()
export class CaldavConnect {
  constructor(
    private readonly caldav: CaldavAdapter,
    private readonly credentials: CalendarCredentials,
    private readonly integrations: CalendarIntegrationRepository,
    private readonly selections: CalendarSelectionRepository,
    private readonly transactions: CalendarTransactions,
    private readonly firstSync: ConnectionFirstSync,
    private readonly connections: CalendarConnections,
  ) {}

  async connectCaldav(userId: string, input: { serverUrl: string; username: string; password: string }): Promise<CalendarConnectionView> {
    let url: URL;
    try {
      url = assertSafeUrlShape(input.serverUrl);
    } catch (error) {
      throw invalidField('server_url', 'invalid_url', `server_url ${(error as Error).message}`);
    }
    let discovery: CaldavDiscovery;
    try {
      discovery = await this.caldav.discover({ serverUrl: url.toString(), username: input.username, password: input.password });
    } catch (error) {
      if (error instanceof UnsafeUrlError) throw invalidField('server_url', 'not_allowed', `server_url is not allowed: ${error.message}`);
      throw invalid(`connecting to the CalDAV server failed: ${(error as Error).message}`);
    }
    if (discovery.calendars.length === 0)
      throw invalid('connecting to the CalDAV server failed: the account has no calendars that hold events');
    // Two connects of the same account at once: the loser of the unique index finds the winner's row and updates it.
    const integration = await this.transactions.runAgainIfRaced(async (tx) => {
      const existing = await this.integrations.lockCaldavAccount(tx, userId, discovery.principalUrl);
      const saved = await this.integrations.store(tx, existing, {
        userId,
        provider: 'caldav',
        serverUrl: url.toString(),
        username: input.username,
        externalAccountId: discovery.principalUrl,
        accountEmail: input.username.includes('@') ? input.username : null,
        passwordEnc: this.credentials.encrypt(input.password),
        status: 'active',
        lastError: null,
        lastErrorAt: null,
        nextSyncAt: null,
        isActive: true,
      });
      await this.selections.upsertListed(tx, saved, discovery.calendars);
      return saved;
    });
    await this.firstSync.run(integration);
    return this.connections.get(userId, integration.id);
  }
}
