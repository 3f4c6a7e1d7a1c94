import { Injectable } from '@nestjs/common';
import { compareWithWrittenEvents, type HostChange } from '../domain/host-changes.js';
import { CalendarEventLinkRepository } from '../infrastructure/calendar-event-link.repository.js';
import type { CalendarIntegrationEntity } from '../infrastructure/calendar-integration.entity.js';
import type { CalendarSelectionEntity } from '../infrastructure/calendar-selection.entity.js';
import { CalendarSelectionRepository } from '../infrastructure/calendar-selection.repository.js';
import { CalendarTransactions } from '../infrastructure/calendar-transactions.js';
import { EventsCacheRepository } from '../infrastructure/events-cache.repository.js';
import type { CalendarSyncState, RemoteChanges } from '../infrastructure/provider-adapter.js';

/**
 * Applies one calendar's read in one transaction: the busy-time cache, the calendar's new sync state, and what the
 * host did to the events we wrote there (returned, to act on after commit). `fetched`: our events the read did not
 * list, fetched by id before (found ones are among the changes' occurrences).
 */
@Injectable()
export class CalendarReadApplier {
  constructor(
    private readonly transactions: CalendarTransactions,
    private readonly links: CalendarEventLinkRepository,
    private readonly cache: EventsCacheRepository,
    private readonly selections: CalendarSelectionRepository,
  ) {}

  async apply(
    integration: CalendarIntegrationEntity,
    selection: CalendarSelectionEntity,
    changes: RemoteChanges,
    state: Partial<CalendarSyncState>,
    now: Date,
    fetched: ReadonlySet<string>,
  ): Promise<{ changed: boolean; hostChanges: HostChange[] }> {
    const hostChanges = await this.transactions.run(async (tx) => {
      const written = await this.links.listLiveInCalendar(tx, integration.id, selection.calendarId);
      const compared = compareWithWrittenEvents(written, changes, fetched);
      if (selection.isBusySource) {
        if (changes.reset) await this.cache.replaceCalendar(tx, integration.id, integration.userId, selection.calendarId, compared.foreign);
        else
          await this.cache.replaceKeys(tx, integration.id, integration.userId, selection.calendarId, changes.touchedKeys, compared.foreign);
      } else if (changes.reset) {
        await this.cache.deleteCalendar(tx, integration.id, selection.calendarId);
      }
      await this.selections.saveSyncState(tx, selection.id, state, now, changes.reset);
      return compared.hostChanges;
    });
    return { changed: selection.isBusySource && (changes.reset || changes.touchedKeys.length > 0), hostChanges };
  }
}
