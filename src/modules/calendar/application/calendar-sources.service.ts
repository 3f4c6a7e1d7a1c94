import { Injectable, Logger } from '@nestjs/common';
import { type CaldavAccount, CaldavAdapter, CaldavAuthError } from '../infrastructure/caldav.adapter.js';
import type { CalendarIntegrationEntity } from '../infrastructure/calendar-integration.entity.js';
import { IcsFeedAdapter } from '../infrastructure/ics-feed.adapter.js';
import { type CalendarSource, type RemoteChanges, SyncTokenGoneError } from '../infrastructure/provider-adapter.js';
import { MetricsService } from '../../../shared/metrics/metrics.service.js';
import { InvalidGrantError, ProviderError, RateLimitedError } from '../infrastructure/provider-http.js';
import { CalendarCredentials, ConnectionBrokenError } from './calendar-credentials.service.js';

/**
 * Opens a connection as a CalendarSource: OAuth APIs with a fresh access token, CalDAV with the decrypted app
 * password, ICS feeds read-only. Sync and the booking writer only ever talk to the source.
 */
@Injectable()
export class CalendarSources {
  private readonly logger = new Logger('CalendarSources');

  constructor(
    private readonly credentials: CalendarCredentials,
    private readonly ics: IcsFeedAdapter,
    private readonly caldav: CaldavAdapter,
    private readonly metrics: MetricsService,
  ) {}

  /** Whether calendars of this kind of connection can receive bookings. */
  canWrite(provider: string): boolean {
    return provider === 'google' || provider === 'microsoft' || provider === 'caldav';
  }

  /**
   * Throws ConnectionBrokenError when the credentials are gone or refused (the connection is then marked broken).
   * Every call, opening included, is timed in kairos_calendar_api_duration_seconds{provider, operation}, and every
   * failed one counted in kairos_calendar_api_errors_total{provider, kind}.
   */
  async open(integration: CalendarIntegrationEntity): Promise<CalendarSource> {
    const counted = <T>(operation: string, work: () => Promise<T>) => this.counted(integration.provider, operation, work);
    const source = await counted('open', () => this.openUncounted(integration));
    return {
      writable: source.writable,
      readCalendar: (calendar, window, full) => counted('read', () => source.readCalendar(calendar, window, full)),
      fetchEvent: (calendar, eventId, window) => counted('fetch', () => source.fetchEvent(calendar, eventId, window)),
      upsertEvent: (calendarId, existingEventId, event) => counted('upsert', () => source.upsertEvent(calendarId, existingEventId, event)),
      deleteEvent: (calendarId, eventId) => counted('delete', () => source.deleteEvent(calendarId, eventId)),
    };
  }

  private async openUncounted(integration: CalendarIntegrationEntity): Promise<CalendarSource> {
    switch (integration.provider) {
      case 'google':
      case 'microsoft':
        return this.oauth(integration);
      case 'caldav':
        return this.caldavSource(integration);
      case 'ics':
        return this.icsSource(integration);
    }
  }

  private async counted<T>(provider: string, operation: string, work: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    try {
      return await work();
    } catch (error) {
      this.metrics.calendarApiError(provider, errorKind(error));
      throw error;
    } finally {
      this.metrics.observeCalendarCall(provider, operation, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private async oauth(integration: CalendarIntegrationEntity): Promise<CalendarSource> {
    const adapter = this.credentials.oauthAdapter(integration.provider);
    let token = await this.credentials.accessToken(integration.id);
    // A write answered 401 (token revoked or expired early): one refresh, one more try.
    const write = async <T>(work: (accessToken: string) => Promise<T>): Promise<T> => {
      try {
        return await work(token);
      } catch (error) {
        if (!(error instanceof ProviderError) || error.status !== 401) throw error;
        token = await this.credentials.accessToken(integration.id, token);
        return work(token);
      }
    };
    return {
      writable: true,
      readCalendar: async (calendar, window, full) => {
        let changes: RemoteChanges;
        try {
          changes = await adapter.syncCalendar(token, calendar.calendarId, full ? null : calendar.state.syncToken, window);
        } catch (error) {
          if (!(error instanceof SyncTokenGoneError)) throw error;
          this.logger.log(`sync token of calendar ${calendar.calendarId} of connection ${integration.id} expired (410): full resync`);
          changes = await adapter.syncCalendar(token, calendar.calendarId, null, window);
        }
        return { changes, state: { syncToken: changes.nextSyncToken } };
      },
      fetchEvent: (calendar, eventId, window) => adapter.getEvent(token, calendar.calendarId, eventId, window.hostZone),
      upsertEvent: (calendarId, existingEventId, event) => write((t) => adapter.upsertEvent(t, calendarId, existingEventId, event)),
      deleteEvent: (calendarId, eventId) => write((t) => adapter.deleteEvent(t, calendarId, eventId)),
    };
  }

  private async caldavSource(integration: CalendarIntegrationEntity): Promise<CalendarSource> {
    const password = await this.credentials.password(integration.id);
    if (!password || !integration.serverUrl || !integration.username) {
      throw new ConnectionBrokenError(
        await this.credentials.breakConnection(integration.id, 'the CalDAV credentials are missing: reconnect this calendar'),
      );
    }
    const account: CaldavAccount = { serverUrl: integration.serverUrl, username: integration.username, password };
    // A refused password does not heal by retrying: the connection is marked broken, as for a revoked OAuth grant.
    const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof CaldavAuthError)) throw error;
        throw new ConnectionBrokenError(await this.credentials.breakConnection(integration.id, error.message));
      }
    };
    return {
      writable: true,
      readCalendar: (calendar, window, full) => guarded(() => this.caldav.readCalendar(account, calendar, window, full)),
      fetchEvent: (calendar, eventId, window) => guarded(() => this.caldav.fetchEvent(account, eventId, calendar.timeZone, window)),
      // CalDAV servers make no meetings: the event is written without one.
      upsertEvent: async (calendarId, existingEventId, event) => ({
        id: await guarded(() => this.caldav.upsertEvent(account, calendarId, existingEventId, event)),
        conference: null,
      }),
      deleteEvent: (_calendarId, eventId) => guarded(() => this.caldav.deleteEvent(account, eventId)),
    };
  }

  private icsSource(integration: CalendarIntegrationEntity): CalendarSource {
    const readOnly = async (): Promise<never> => {
      throw new Error('ICS feeds are read-only: bookings cannot be written to them');
    };
    return {
      writable: false,
      readCalendar: async (calendar, window, full) => {
        const state = full
          ? { etag: null, lastModified: null, contentHash: null }
          : { etag: calendar.state.etag, lastModified: calendar.state.lastModified, contentHash: calendar.state.ctag };
        if (!integration.serverUrl) throw new Error('this ICS connection has no feed URL');
        const result = await this.ics.fetch(integration.serverUrl, state, window.hostZone, window.from, window.to);
        if (!result.changed) return null;
        return {
          changes: { reset: true, touchedKeys: [], occurrences: result.occurrences, nextSyncToken: null },
          state: { etag: result.state.etag, lastModified: result.state.lastModified, ctag: result.state.contentHash },
        };
      },
      fetchEvent: readOnly, // nothing of ours is ever written to a feed
      upsertEvent: readOnly,
      deleteEvent: readOnly,
    };
  }
}

/** The metric's `kind` label: few values, so dashboards can alert on auth and rate limits apart from outages. */
function errorKind(error: unknown): string {
  if (error instanceof RateLimitedError) return 'rate_limited';
  if (error instanceof ConnectionBrokenError || error instanceof InvalidGrantError || error instanceof CaldavAuthError) return 'auth';
  if (error instanceof ProviderError) return error.status >= 500 ? 'server_error' : 'client_error';
  return 'network';
}
