import { Injectable } from '@nestjs/common';
import { allDayRange, isKnownZone, type Occurrence, wallToInstant } from '../domain/occurrence.js';
import {
  type OAuthCalendarAdapter,
  type PushRegistration,
  type RemoteCalendar,
  type RemoteChanges,
  SyncTokenGoneError,
  type SyncWindow,
} from './provider-adapter.js';
import type { OutgoingEvent, WrittenRemoteEvent } from '../domain/outgoing-event.js';
import { providerFetch, type HttpResult } from './provider-http.js';
import { OAuthProviderClient } from './oauth-provider-client.js';

export const MICROSOFT_SCOPES = ['offline_access', 'openid', 'email', 'User.Read', 'Calendars.ReadWrite'];
/** Our booking id on Graph events (a named string extended property in a private property set). */
export const KAIROS_GRAPH_PROPERTY = 'String {6f0c2a8e-5a7d-4d0b-9d0e-6b7c4b1f2a10} Name kairosBookingId';

// The parts of Microsoft Graph v1.0 resources we read; Graph may omit any optional field.
/** An event as a create or update answers it (onlineMeeting once isOnlineMeeting made one). */
interface GraphWriteAnswer {
  id?: string;
  onlineMeeting?: { joinUrl?: string } | null;
}

interface GraphCalendar {
  id: string;
  name?: string;
  isDefaultCalendar?: boolean;
  canEdit?: boolean;
}

interface GraphDateTime {
  dateTime?: string;
  timeZone?: string;
}

interface GraphEvent {
  id: string;
  '@removed'?: unknown;
  isCancelled?: boolean;
  isAllDay?: boolean;
  showAs?: string;
  responseStatus?: { response?: string };
  start?: GraphDateTime;
  end?: GraphDateTime;
}

interface GraphPage<Item> {
  value?: Item[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** Microsoft Graph v1.0 calendars over plain HTTP (the endpoints come from configuration). */
@Injectable()
export class MicrosoftGraphAdapter extends OAuthProviderClient implements OAuthCalendarAdapter {
  readonly provider = 'microsoft' as const;
  readonly label = 'Microsoft';
  protected get cfg() {
    return this.config.microsoft;
  }

  protected override tokenForm() {
    return { scope: MICROSOFT_SCOPES.join(' ') };
  }

  authorizationUrl(state: string, redirectUri: string): string {
    const url = new URL(this.cfg.authUrl);
    url.search = new URLSearchParams({
      client_id: this.cfg.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      response_mode: 'query',
      scope: MICROSOFT_SCOPES.join(' '),
      prompt: 'select_account',
      state,
    }).toString();
    return url.toString();
  }

  private auth(accessToken: string, extra: Record<string, string> = {}) {
    return { Authorization: `Bearer ${accessToken}`, ...extra };
  }

  async account(accessToken: string) {
    const { body } = await providerFetch<{ id?: string; mail?: string | null; userPrincipalName?: string | null }>(
      this.http,
      `${this.cfg.apiUrl}/me`,
      { headers: this.auth(accessToken) },
      this.retryPolicy,
    );
    return { id: String(body.id), email: body.mail ?? body.userPrincipalName ?? null };
  }

  async listCalendars(accessToken: string): Promise<RemoteCalendar[]> {
    const out: RemoteCalendar[] = [];
    let next: string | undefined = `${this.cfg.apiUrl}/me/calendars?$top=100`;
    while (next) {
      const { body }: HttpResult<GraphPage<GraphCalendar>> = await providerFetch(
        this.http,
        next,
        { headers: this.auth(accessToken) },
        this.retryPolicy,
      );
      for (const c of body.value ?? []) {
        out.push({ id: c.id, name: c.name ?? c.id, primary: Boolean(c.isDefaultCalendar), readOnly: c.canEdit === false, timeZone: null });
      }
      next = body['@odata.nextLink'];
    }
    return out;
  }

  async syncCalendar(accessToken: string, calendarId: string, deltaLink: string | null, window: SyncWindow): Promise<RemoteChanges> {
    const changes: RemoteChanges = { reset: !deltaLink, touchedKeys: [], occurrences: [], nextSyncToken: null };
    let next: string | undefined;
    if (deltaLink) next = deltaLink;
    else {
      const url = new URL(`${this.cfg.apiUrl}/me/calendars/${encodeURIComponent(calendarId)}/calendarView/delta`);
      url.searchParams.set('startDateTime', window.from.toISOString());
      url.searchParams.set('endDateTime', window.to.toISOString());
      next = url.toString();
    }
    while (next) {
      const res: HttpResult<GraphPage<GraphEvent>> = await providerFetch(
        this.http,
        next,
        {
          headers: this.auth(accessToken, { Prefer: 'outlook.timezone="UTC", odata.maxpagesize=100' }),
          accept: [410],
        },
        this.retryPolicy,
      );
      if (res.status === 410) throw new SyncTokenGoneError();
      for (const item of res.body.value ?? []) {
        changes.touchedKeys.push(item.id);
        if (item['@removed']) continue;
        const occurrence = this.toOccurrence(item, window.hostZone);
        if (occurrence) changes.occurrences.push(occurrence);
      }
      next = res.body['@odata.nextLink'];
      if (!next) changes.nextSyncToken = res.body['@odata.deltaLink'] ?? null;
    }
    return changes;
  }

  /** GET /me/events/{id}: 404 when deleted; a cancelled meeting (isCancelled) is null too. */
  async getEvent(accessToken: string, _calendarId: string, eventId: string, hostZone: string): Promise<Occurrence | null> {
    const res = await providerFetch<GraphEvent>(
      this.http,
      `${this.cfg.apiUrl}/me/events/${encodeURIComponent(eventId)}`,
      { headers: this.auth(accessToken, { Prefer: 'outlook.timezone="UTC"' }), accept: [404] },
      this.retryPolicy,
    );
    if (res.status === 404) return null;
    return this.toOccurrence(res.body, hostZone);
  }

  private instant(value: { dateTime?: string; timeZone?: string } | undefined): Date | null {
    if (!value?.dateTime) return null;
    const [date, rawTime = '00:00:00'] = value.dateTime.split('T');
    const time = rawTime.replace(/(\.\d{3})\d*/, '$1').replace(/Z$/, '');
    const zone = value.timeZone && value.timeZone !== 'UTC' && isKnownZone(value.timeZone) ? value.timeZone : 'UTC';
    const d = zone === 'UTC' ? new Date(`${date}T${time}Z`) : wallToInstant(date, time, zone);
    return Number.isNaN(d.getTime()) ? null : d;
  }

  private toOccurrence(item: GraphEvent, hostZone: string): Occurrence | null {
    if (item.isCancelled || !item.start || !item.end) return null;
    const declined = item.responseStatus?.response === 'declined';
    const busy = item.showAs !== 'free' && !declined;
    const status = item.showAs === 'tentative' ? 'tentative' : 'confirmed';
    if (item.isAllDay) {
      // All-day events are dates: take the calendar dates and make them the host's local days.
      const startDate = String(item.start.dateTime).slice(0, 10);
      const endDate = String(item.end.dateTime).slice(0, 10);
      const { start, end } = allDayRange(startDate, endDate, hostZone);
      return { externalEventId: item.id, start, end, allDay: true, busy, status };
    }
    const start = this.instant(item.start);
    const end = this.instant(item.end);
    if (!start || !end) return null;
    return { externalEventId: item.id, start, end, allDay: false, busy, status };
  }

  private body(event: OutgoingEvent) {
    const iso = (d: Date) => d.toISOString().replace(/Z$/, '');
    return {
      subject: event.summary,
      body: { contentType: 'text', content: event.description },
      location: event.location ? { displayName: event.location } : undefined,
      start: { dateTime: iso(event.start), timeZone: 'UTC' },
      end: { dateTime: iso(event.end), timeZone: 'UTC' },
      showAs: 'busy',
      singleValueExtendedProperties: [{ id: KAIROS_GRAPH_PROPERTY, value: event.bookingId }],
      // The Teams meeting belongs to the event: moving the event keeps it.
      ...(event.conference?.provider === 'microsoft_teams' ? { isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' } : {}),
    };
  }

  private written(body: GraphWriteAnswer, id: string, event: OutgoingEvent): WrittenRemoteEvent {
    const joinUrl = body.onlineMeeting?.joinUrl;
    const conference = event.conference?.provider === 'microsoft_teams' && joinUrl ? { joinUrl, meetingId: body.id ?? id } : null;
    return { id: body.id ?? id, conference };
  }

  async upsertEvent(
    accessToken: string,
    calendarId: string,
    existingEventId: string | null,
    event: OutgoingEvent,
  ): Promise<WrittenRemoteEvent> {
    const headers = this.auth(accessToken);
    if (existingEventId) {
      const res = await providerFetch<GraphWriteAnswer>(
        this.http,
        `${this.cfg.apiUrl}/me/events/${encodeURIComponent(existingEventId)}`,
        {
          method: 'PATCH',
          headers,
          json: this.body(event),
          accept: [404],
        },
        this.retryPolicy,
      );
      if (res.status !== 404) return this.written(res.body, existingEventId, event);
    }
    // transactionId makes Graph answer a retried create with the event it already made.
    const { body } = await providerFetch<GraphWriteAnswer>(
      this.http,
      `${this.cfg.apiUrl}/me/calendars/${encodeURIComponent(calendarId)}/events`,
      {
        method: 'POST',
        headers,
        json: { ...this.body(event), transactionId: event.bookingId },
      },
      this.retryPolicy,
    );
    return this.written(body, body.id ?? '', event);
  }

  async deleteEvent(accessToken: string, _calendarId: string, eventId: string): Promise<void> {
    await providerFetch(
      this.http,
      `${this.cfg.apiUrl}/me/events/${encodeURIComponent(eventId)}`,
      {
        method: 'DELETE',
        headers: this.auth(accessToken),
        accept: [404, 410],
      },
      this.retryPolicy,
    );
  }

  async watch(accessToken: string, calendarId: string, address: string, secret: string, now: Date): Promise<PushRegistration> {
    // Graph's limit for Outlook resources is 4230 minutes (just under 3 days).
    const expires = new Date(now.getTime() + 4200 * 60_000);
    const { body } = await providerFetch<{ id: string; expirationDateTime?: string }>(
      this.http,
      `${this.cfg.apiUrl}/subscriptions`,
      {
        method: 'POST',
        headers: this.auth(accessToken),
        json: {
          changeType: 'created,updated,deleted',
          notificationUrl: address,
          resource: `/me/calendars/${calendarId}/events`,
          expirationDateTime: expires.toISOString(),
          clientState: secret,
        },
      },
      this.retryPolicy,
    );
    return { channelId: body.id, resourceId: null, expiresAt: body.expirationDateTime ? new Date(body.expirationDateTime) : expires };
  }

  async stopWatch(accessToken: string, channelId: string): Promise<void> {
    await providerFetch(
      this.http,
      `${this.cfg.apiUrl}/subscriptions/${encodeURIComponent(channelId)}`,
      {
        method: 'DELETE',
        headers: this.auth(accessToken),
        accept: [404],
      },
      this.retryPolicy,
    );
  }
}
