import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { Clock } from '../../../shared/clock/clock.js';
import { UsersService } from '../../identity/application/users.service.js';
import type { Occurrence } from '../domain/occurrence.js';
import { CalendarEventLinkEntity } from '../infrastructure/calendar-event-link.entity.js';
import { CalendarIntegrationEntity } from '../infrastructure/calendar-integration.entity.js';
import { CalendarSelectionEntity } from '../infrastructure/calendar-selection.entity.js';
import { EventsCacheRepository } from '../infrastructure/events-cache.repository.js';
import type { CalendarSource, CalendarSyncState, RemoteChanges, SyncWindow } from '../infrastructure/provider-adapter.js';
import { RateLimitedError } from '../infrastructure/provider-http.js';
import { ConnectionBrokenError } from './calendar-credentials.service.js';
import { CalendarSources } from './calendar-sources.service.js';
import { HostCalendarChanges, type HostChange } from './host-calendar-changes.service.js';

/** How far ahead busy time is cached (recurring series are expanded over this horizon). */
export const SYNC_HORIZON_DAYS = 90;
/** Incremental tokens keep a window fixed at the full sync; a daily full sync slides it forward. */
const FULL_RESYNC_AFTER_MS = 24 * 3600_000;

export type SyncOutcome = { status: 'synced'; changed: boolean } | { status: 'busy' | 'broken' | 'rate_limited' | 'failed'; error?: string };

/**
 * Reads busy time from connected calendars into calendar_events_cache: incrementally (Google syncToken, Graph delta
 * links, CalDAV ctag and object ETags, ICS validators), with a full resync when the provider says the token is gone (410) and once a day. One
 * replica at a time per connection (session advisory lock). Any change bumps the host's availability version.
 */
@Injectable()
export class CalendarSyncService {
  private readonly logger = new Logger('CalendarSync');

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(CalendarIntegrationEntity) private readonly integrations: Repository<CalendarIntegrationEntity>,
    @InjectRepository(CalendarSelectionEntity) private readonly selections: Repository<CalendarSelectionEntity>,
    private readonly cache: EventsCacheRepository,
    private readonly sources: CalendarSources,
    private readonly users: UsersService,
    private readonly versions: AvailabilityVersions,
    private readonly hostChanges: HostCalendarChanges,
    private readonly clock: Clock,
  ) {}

  /** Syncs one connection. `wait`: wait for another replica's run instead of skipping (on-demand sync). */
  async syncIntegration(integrationId: string, options: { wait?: boolean; full?: boolean } = {}): Promise<SyncOutcome> {
    const outcome = await this.withLock(integrationId, options.wait ?? false, () => this.run(integrationId, options.full ?? false));
    return outcome ?? { status: 'busy' };
  }

  private async run(integrationId: string, forceFull: boolean): Promise<SyncOutcome> {
    const integration = await this.integrations.findOneBy({ id: integrationId });
    if (!integration) return { status: 'failed', error: 'connection not found' };
    if (integration.status === 'broken') return { status: 'broken', error: integration.lastError ?? undefined };
    const now = this.clock.now();
    const host = await this.users.getById(integration.userId);
    const window: SyncWindow = {
      hostZone: host.timeZone,
      from: new Date(now.getTime() - 24 * 3600_000),
      to: new Date(now.getTime() + SYNC_HORIZON_DAYS * 24 * 3600_000),
    };
    const selections = (await this.selections.findBy({ integrationId })).filter((s) => s.isBusySource || s.isDestination);
    let changed = false;
    const hostChanges: HostChange[] = [];
    try {
      const source: CalendarSource | null = selections.length > 0 ? await this.sources.open(integration) : null;
      for (const selection of selections) {
        const full = forceFull || !selection.fullSyncedAt || now.getTime() - selection.fullSyncedAt.getTime() > FULL_RESYNC_AFTER_MS;
        const read = await source!.readCalendar({ calendarId: selection.calendarId, timeZone: selection.timeZone, state: syncState(selection) }, window, full);
        if (!read) {
          await this.selections.update({ id: selection.id }, { lastSyncedAt: now });
          continue;
        }
        const result = await this.apply(integration, selection, read.changes, read.state);
        changed ||= result.changed;
        hostChanges.push(...result.hostChanges);
      }
      await this.integrations.update({ id: integration.id }, { lastSyncedAt: now, lastError: null, lastErrorAt: null, nextSyncAt: null });
      return { status: 'synced', changed };
    } catch (error) {
      if (error instanceof ConnectionBrokenError) return { status: 'broken', error: error.message };
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof RateLimitedError) {
        await this.integrations.update({ id: integration.id }, {
          lastError: message, lastErrorAt: now, nextSyncAt: new Date(now.getTime() + error.retryAfterMs),
        });
        return { status: 'rate_limited', error: message };
      }
      this.logger.warn(`sync of calendar connection ${integration.id} (${integration.provider}) failed: ${message}`);
      await this.integrations.update({ id: integration.id }, { lastError: message, lastErrorAt: now });
      return { status: 'failed', error: message };
    } finally {
      if (changed) await this.versions.bump([integration.userId]);
      for (const change of hostChanges) await this.hostChanges.apply(change, integration);
    }
  }

  /** Writes one calendar's changes to the cache and notes what the host did to events we wrote. */
  private async apply(
    integration: CalendarIntegrationEntity,
    selection: CalendarSelectionEntity,
    changes: RemoteChanges,
    state: Partial<CalendarSyncState>,
  ): Promise<{ changed: boolean; hostChanges: HostChange[] }> {
    const now = this.clock.now();
    const hostChanges: HostChange[] = [];
    await this.dataSource.transaction(async (m) => {
      const links = await m.getRepository(CalendarEventLinkEntity).findBy({
        integrationId: integration.id, calendarId: selection.calendarId, status: In(['synced', 'host_moved']),
      });
      const byEventId = new Map(links.filter((l) => l.externalEventId).map((l) => [l.externalEventId!, l]));
      const touched = new Set(changes.touchedKeys);
      const occurrencesByKey = new Map<string, Occurrence[]>();
      for (const o of changes.occurrences) occurrencesByKey.set(o.externalEventId, [...(occurrencesByKey.get(o.externalEventId) ?? []), o]);
      for (const [eventId, link] of byEventId) {
        if (!changes.reset && !touched.has(eventId)) continue;
        const seen = occurrencesByKey.get(eventId);
        if (!seen || seen.length === 0) hostChanges.push({ kind: 'deleted', linkId: link.id });
        else if (link.eventStart && link.eventEnd
          && (seen[0].start.getTime() !== link.eventStart.getTime() || seen[0].end.getTime() !== link.eventEnd.getTime())) {
          hostChanges.push({ kind: 'moved', linkId: link.id, start: seen[0].start, end: seen[0].end });
        }
      }
      // Our own events are already busy as bookings; caching them too would only go stale on reschedule.
      const foreign = changes.occurrences.filter((o) => !byEventId.has(o.externalEventId) && !o.bookingId);
      if (selection.isBusySource) {
        if (changes.reset) await this.cache.replaceCalendar(m, integration.id, integration.userId, selection.calendarId, foreign);
        else await this.cache.replaceKeys(m, integration.id, integration.userId, selection.calendarId, changes.touchedKeys, foreign);
      } else if (changes.reset) {
        await this.cache.deleteCalendar(m, integration.id, selection.calendarId);
      }
      await m.update(CalendarSelectionEntity, { id: selection.id }, {
        ...state,
        lastSyncedAt: now,
        ...(changes.reset ? { fullSyncedAt: now } : {}),
      });
    });
    return { changed: selection.isBusySource && (changes.reset || changes.touchedKeys.length > 0), hostChanges };
  }

  private async withLock<T>(integrationId: string, wait: boolean, work: () => Promise<T>): Promise<T | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const key = `kairos:calendar-sync:${integrationId}`;
    try {
      const deadline = Date.now() + (wait ? 60_000 : 0);
      for (;;) {
        const [row] = await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [key]);
        if (row.locked) break;
        if (Date.now() >= deadline) return null;
        await new Promise((r) => setTimeout(r, 100));
      }
      try {
        return await work();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [key]);
      }
    } finally {
      await runner.release();
    }
  }
}

const syncState = (s: CalendarSelectionEntity): CalendarSyncState => ({
  syncToken: s.syncToken, ctag: s.ctag, etag: s.etag, lastModified: s.lastModified, objectEtags: s.objectEtags,
});
