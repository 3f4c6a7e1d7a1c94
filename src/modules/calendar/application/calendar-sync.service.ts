import { Injectable, Logger } from '@nestjs/common';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { Clock } from '../../../shared/clock/clock.js';
import { UsersService } from '../../identity/application/users.service.js';
import { eventsToFetch, type HostChange, recordedInWindow, type WrittenEventRef } from '../domain/host-changes.js';
import type { Occurrence } from '../domain/occurrence.js';
import { CalendarEventLinkRepository } from '../infrastructure/calendar-event-link.repository.js';
import { CalendarIntegrationRepository } from '../infrastructure/calendar-integration.repository.js';
import type { CalendarSelectionEntity } from '../infrastructure/calendar-selection.entity.js';
import { CalendarSelectionRepository } from '../infrastructure/calendar-selection.repository.js';
import { CalendarLocks } from '../infrastructure/calendar-locks.js';
import type { CalendarSource, CalendarSyncState, RemoteChanges, SyncWindow } from '../infrastructure/provider-adapter.js';
import { RateLimitedError } from '../infrastructure/provider-http.js';
import { ConnectionBrokenError } from './calendar-credentials.service.js';
import { CalendarReadApplier } from './calendar-read-applier.service.js';
import { CalendarSources } from './calendar-sources.service.js';
import { HostCalendarChanges } from './host-calendar-changes.service.js';

/** How far ahead busy time is cached (recurring series are expanded over this horizon). */
export const SYNC_HORIZON_DAYS = 90;
/** Incremental tokens keep a window fixed at the full sync; a daily full sync slides it forward. */
const FULL_RESYNC_AFTER_MS = 24 * 3600_000;

export type SyncOutcome =
  { status: 'synced'; changed: boolean } | { status: 'busy' | 'broken' | 'rate_limited' | 'failed'; error?: string };

/**
 * Reads busy time from connected calendars into calendar_events_cache: incrementally (Google syncToken, Graph delta
 * links, CalDAV ctag and object ETags, ICS validators), with a full resync when the provider says the token is gone (410) and once a day. One
 * replica at a time per connection (session advisory lock). Any change bumps the host's availability version.
 */
@Injectable()
export class CalendarSyncService {
  private readonly logger = new Logger('CalendarSync');

  constructor(
    private readonly integrations: CalendarIntegrationRepository,
    private readonly selections: CalendarSelectionRepository,
    private readonly reads: CalendarReadApplier,
    private readonly locks: CalendarLocks,
    private readonly sources: CalendarSources,
    private readonly users: UsersService,
    private readonly versions: AvailabilityVersions,
    private readonly hostChanges: HostCalendarChanges,
    private readonly links: CalendarEventLinkRepository,
    private readonly clock: Clock,
  ) {}

  /** Syncs one connection. `wait`: wait for another replica's run instead of skipping (on-demand sync). */
  async syncIntegration(integrationId: string, options: { wait?: boolean; full?: boolean } = {}): Promise<SyncOutcome> {
    const outcome = await this.locks.whileSyncing(integrationId, options.wait ?? false, () =>
      this.run(integrationId, options.full ?? false),
    );
    return outcome ?? { status: 'busy' };
  }

  private async run(integrationId: string, forceFull: boolean): Promise<SyncOutcome> {
    const integration = await this.integrations.findById(integrationId);
    if (!integration) return { status: 'failed', error: 'connection not found' };
    if (integration.status === 'broken') return { status: 'broken', error: integration.lastError ?? undefined };
    const now = this.clock.now();
    const host = await this.users.getById(integration.userId);
    const window: SyncWindow = {
      hostZone: host.timeZone,
      from: new Date(now.getTime() - 24 * 3600_000),
      to: new Date(now.getTime() + SYNC_HORIZON_DAYS * 24 * 3600_000),
    };
    const selections = (await this.selections.listOfConnection(integrationId)).filter((s) => s.isBusySource || s.isDestination);
    let changed = false;
    const hostChanges: HostChange[] = [];
    try {
      // Opened once, and only when there is a calendar to read.
      let source: CalendarSource | null = null;
      for (const selection of selections) {
        const full = forceFull || !selection.fullSyncedAt || now.getTime() - selection.fullSyncedAt.getTime() > FULL_RESYNC_AFTER_MS;
        source ??= await this.sources.open(integration);
        // Read before the calendar: a link written after this read is judged by the next sync, not this one.
        const ours = await this.links.listLiveInCalendar(null, integration.id, selection.calendarId);
        const read = await source.readCalendar(
          {
            calendarId: selection.calendarId,
            timeZone: selection.timeZone,
            state: syncState(selection),
            expectedKeys: recordedInWindow(ours, window),
          },
          window,
          full,
        );
        if (!read) {
          await this.selections.markRead(selection.id, now);
          continue;
        }
        const { changes, fetched } = await this.withOursFetched(source, selection, ours, read.changes, window);
        const result = await this.reads.apply(integration, selection, changes, read.state, this.clock.now(), fetched);
        changed ||= result.changed;
        hostChanges.push(...result.hostChanges);
      }
      await this.integrations.recordSynced(integration.id, now);
      return { status: 'synced', changed };
    } catch (error) {
      if (error instanceof ConnectionBrokenError) return { status: 'broken', error: error.message };
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof RateLimitedError) {
        await this.integrations.recordRateLimited(integration.id, message, now, new Date(now.getTime() + error.retryAfterMs));
        return { status: 'rate_limited', error: message };
      }
      this.logger.warn(`sync of calendar connection ${integration.id} (${integration.provider}) failed: ${message}`);
      await this.integrations.recordSyncFailure(integration.id, message, now);
      return { status: 'failed', error: message };
    } finally {
      if (changed) await this.versions.bump([integration.userId]);
      for (const change of hostChanges) await this.hostChanges.apply(change, integration);
    }
  }

  /**
   * Our events the read covers but does not list are fetched by id and added to it: moved out of the window is a
   * move, only a deleted or cancelled event is a deletion. A failed fetch fails the sync (nothing of it is saved,
   * so the next run reads the same changes again) rather than take a far move for a deletion.
   */
  private async withOursFetched(
    source: CalendarSource,
    selection: CalendarSelectionEntity,
    ours: WrittenEventRef[],
    changes: RemoteChanges,
    window: SyncWindow,
  ): Promise<{ changes: RemoteChanges; fetched: Set<string> }> {
    const ids = eventsToFetch(ours, changes, window);
    const found: Occurrence[] = [];
    for (const id of ids) {
      const event = await source.fetchEvent(selection, id, window);
      if (event) found.push(event);
    }
    return { changes: { ...changes, occurrences: [...changes.occurrences, ...found] }, fetched: new Set(ids) };
  }
}

const syncState = (s: CalendarSelectionEntity): CalendarSyncState => ({
  syncToken: s.syncToken,
  ctag: s.ctag,
  etag: s.etag,
  lastModified: s.lastModified,
  objectEtags: s.objectEtags,
});
