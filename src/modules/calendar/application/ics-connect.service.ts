import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import { invalidField } from '../../../shared/http/domain-error.js';
import { CalendarIntegrationRepository } from '../infrastructure/calendar-integration.repository.js';
import { CalendarSelectionRepository } from '../infrastructure/calendar-selection.repository.js';
import { CalendarTransactions } from '../infrastructure/calendar-transactions.js';
import { IcsFeedAdapter } from '../infrastructure/ics-feed.adapter.js';
import { UnsafeUrlError, assertSafeUrlShape } from '../infrastructure/safe-http.js';
import { type CalendarConnectionView, toConnectionView } from './calendar-views.js';
import { ConnectionFirstSync } from './connection-first-sync.service.js';

/** Connecting a read-only iCalendar feed: one calendar whose events block time. */
@Injectable()
export class IcsConnect {
  constructor(
    private readonly ics: IcsFeedAdapter,
    private readonly integrations: CalendarIntegrationRepository,
    private readonly selections: CalendarSelectionRepository,
    private readonly transactions: CalendarTransactions,
    private readonly firstSync: ConnectionFirstSync,
    private readonly clock: Clock,
  ) {}

  async connectIcs(userId: string, rawUrl: string): Promise<CalendarConnectionView> {
    let url: URL;
    try {
      url = assertSafeUrlShape(rawUrl);
    } catch (error) {
      throw invalidField('url', 'invalid_url', `url ${(error as Error).message}`);
    }
    const now = this.clock.now();
    try {
      // Validate before storing: reachable, not private, really iCalendar.
      await this.ics.fetch(
        url.toString(),
        { etag: null, lastModified: null, contentHash: null },
        'UTC',
        now,
        new Date(now.getTime() + 86_400_000),
      );
    } catch (error) {
      if (error instanceof UnsafeUrlError) throw invalidField('url', 'not_allowed', `url is not allowed: ${error.message}`);
      throw invalidField('url', 'unreadable', `the feed could not be read: ${(error as Error).message}`);
    }
    const integration = await this.transactions.run(async (tx) => {
      const saved = await this.integrations.store(tx, null, {
        userId,
        provider: 'ics',
        serverUrl: url.toString(),
        accountEmail: null,
        status: 'active',
        isActive: true,
      });
      await this.selections.addFeedCalendar(tx, saved, url.hostname);
      return saved;
    });
    await this.firstSync.run(integration);
    return toConnectionView(integration);
  }
}
