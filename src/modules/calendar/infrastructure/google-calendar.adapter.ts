import { Injectable } from '@nestjs/common';
import { allDayRange, type Occurrence } from '../domain/occurrence.js';
import {
  type OAuthCalendarAdapter,
  type PushRegistration,
  type RemoteCalendar,
  type RemoteChanges,
  SyncTokenGoneError,
  type SyncWindow,
} from './provider-adapter.js';
import type { OutgoingEvent, WrittenRemoteEvent } from '../domain/outgoing-event.js';
import { providerFetch } from './provider-http.js';
import { OAuthProviderClient } from './oauth-provider-client.js';

export const GOOGLE_SCOPES = [
  'openid',
  'email',
  'https://www.googleapis.com/auth/calendar.readonly',
  'https://www.googleapis.com/auth/calendar.events',
];

/** Our deterministic Google event id for a booking: base32hex alphabet (a-v, 0-9), so a retried insert collides. */
export const googleEventIdFor = (bookingId: string) => `kairos${bookingId.replace(/-/g, '').toLowerCase()}`;

// The parts of Google Calendar API v3 resources we read; Google may omit any optional field.
interface GoogleCalendarListEntry {
  id: string;
  summary?: string;
  summaryOverride?: string;
  primary?: boolean;
  accessRole?: string;
  timeZone?: string;
}

interface GoogleEventTime {
  date?: string;
  dateTime?: string;
}

interface GoogleEvent {
  id: string;
  status?: string;
  start?: GoogleEventTime;
  end?: GoogleEventTime;
  transparency?: string;
  attendees?: { self?: boolean; responseStatus?: string }[];
  extendedProperties?: { private?: Record<string, string | undefined> };
}

/** What an events.insert/patch answer says about the event's Meet (conferenceDataVersion=1). */
interface GoogleConferenceAnswer {
  id?: string;
  hangoutLink?: string;
  conferenceData?: {
    conferenceId?: string;
    entryPoints?: { entryPointType?: string; uri?: string }[];
    createRequest?: { status?: { statusCode?: string } };
  };
}

/** The Meet of an event as Google answers it; null while its creation is still pending (or when it failed). */
export function googleMeetOf(event: GoogleConferenceAnswer): { joinUrl: string; meetingId: string } | null {
  const video = event.conferenceData?.entryPoints?.find((e) => e.entryPointType === 'video')?.uri;
  const joinUrl = event.hangoutLink ?? video;
  if (!joinUrl) return null;
  return { joinUrl, meetingId: event.conferenceData?.conferenceId ?? event.id ?? '' };
}

interface GooglePage<Item> {
  items?: Item[];
  nextPageToken?: string;
  nextSyncToken?: string;
}

/** Google Calendar API v3 over plain HTTP (the endpoints come from configuration). */
@Injectable()
export class GoogleCalendarAdapter extends OAuthProviderClient implements OAuthCalendarAdapter {
  readonly provider = 'google' as const;
  readonly label = 'Google';
  protected get cfg() {
    return this.config.google;
  }

  authorizationUrl(state: string, redirectUri: string): string {
    const url = new URL(this.cfg.authUrl);
    url.search = new URLSearchParams({
      client_id: this.cfg.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: GOOGLE_SCOPES.join(' '),
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
      state,
    }).toString();
    return url.toString();
  }

  private auth(accessToken: string) {
    return { Authorization: `Bearer ${accessToken}` };
  }

  private cal(calendarId: string) {
    return `${this.cfg.apiUrl}/calendars/${encodeURIComponent(calendarId)}`;
  }

  async account(accessToken: string) {
    const { body } = await providerFetch<{ id?: string }>(
      this.http,
      `${this.cfg.apiUrl}/calendars/primary`,
      { headers: this.auth(accessToken) },
      this.retryPolicy,
    );
    return { id: String(body.id), email: typeof body.id === 'string' && body.id.includes('@') ? body.id : null };
  }

  async listCalendars(accessToken: string): Promise<RemoteCalendar[]> {
    const out: RemoteCalendar[] = [];
    let pageToken: string | undefined;
    do {
      const url = new URL(`${this.cfg.apiUrl}/users/me/calendarList`);
      url.searchParams.set('maxResults', '250');
      if (pageToken) url.searchParams.set('pageToken', pageToken);
      const { body } = await providerFetch<GooglePage<GoogleCalendarListEntry>>(
        this.http,
        url.toString(),
        { headers: this.auth(accessToken) },
        this.retryPolicy,
      );
      for (const c of body.items ?? []) {
        out.push({
          id: c.id,
          name: c.summaryOverride ?? c.summary ?? c.id,
          primary: Boolean(c.primary),
          readOnly: !['owner', 'writer'].includes(c.accessRole ?? ''),
          timeZone: c.timeZone ?? null,
        });
      }
      pageToken = body.nextPageToken;
    } while (pageToken);
    return out;
  }

  async syncCalendar(accessToken: string, calendarId: string, syncToken: string | null, window: SyncWindow): Promise<RemoteChanges> {
    const changes: RemoteChanges = { reset: !syncToken, touchedKeys: [], occurrences: [], nextSyncToken: null };
    let pageToken: string | undefined;
    do {
      const url = new URL(`${this.cal(calendarId)}/events`);
      url.searchParams.set('singleEvents', 'true');
      url.searchParams.set('maxResults', '250');
      if (syncToken) url.searchParams.set('syncToken', syncToken);
      else {
        // A full read lists the window, as Graph and CalDAV do; an event of ours moved beyond it is fetched by id.
        url.searchParams.set('timeMin', window.from.toISOString());
        url.searchParams.set('timeMax', window.to.toISOString());
      }
      if (pageToken) url.searchParams.set('pageToken', pageToken);
      const res = await providerFetch<GooglePage<GoogleEvent>>(
        this.http,
        url.toString(),
        { headers: this.auth(accessToken), accept: [410] },
        this.retryPolicy,
      );
      if (res.status === 410) throw new SyncTokenGoneError();
      for (const item of res.body.items ?? []) {
        changes.touchedKeys.push(item.id);
        const occurrence = this.toOccurrence(item, window.hostZone);
        if (occurrence) changes.occurrences.push(occurrence);
      }
      pageToken = res.body.nextPageToken;
      if (!pageToken) changes.nextSyncToken = res.body.nextSyncToken ?? null;
    } while (pageToken);
    return changes;
  }

  /** events.get: a deleted event answers 404/410, or comes back as a "cancelled" tombstone (null either way). */
  async getEvent(accessToken: string, calendarId: string, eventId: string, hostZone: string): Promise<Occurrence | null> {
    const res = await providerFetch<GoogleEvent>(
      this.http,
      `${this.cal(calendarId)}/events/${encodeURIComponent(eventId)}`,
      { headers: this.auth(accessToken), accept: [404, 410] },
      this.retryPolicy,
    );
    if (res.status === 404 || res.status === 410) return null;
    return this.toOccurrence(res.body, hostZone);
  }

  /** Google event → busy range (null for cancelled events). */
  private toOccurrence(item: GoogleEvent, hostZone: string): Occurrence | null {
    if (item.status === 'cancelled' || !item.start || !item.end) return null;
    const declined = (item.attendees ?? []).some((a) => a.self && a.responseStatus === 'declined');
    const busy = item.transparency !== 'transparent' && !declined;
    const status = item.status === 'tentative' ? 'tentative' : 'confirmed';
    const bookingId = item.extendedProperties?.private?.kairosBookingId;
    if (item.start.date) {
      const { start, end } = allDayRange(item.start.date, item.end.date ?? item.start.date, hostZone);
      return { externalEventId: item.id, start, end, allDay: true, busy, status, bookingId };
    }
    // A missing dateTime makes an invalid date, like a malformed one.
    const start = new Date(item.start.dateTime ?? NaN);
    const end = new Date(item.end.dateTime ?? NaN);
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return null;
    return { externalEventId: item.id, start, end, allDay: false, busy, status, bookingId };
  }

  private body(event: OutgoingEvent) {
    return {
      summary: event.summary,
      description: event.description,
      location: event.location ?? undefined,
      start: { dateTime: event.start.toISOString(), timeZone: 'UTC' },
      end: { dateTime: event.end.toISOString(), timeZone: 'UTC' },
      status: 'confirmed',
      extendedProperties: { private: { kairosBookingId: event.bookingId } },
      // Google ignores a createRequest whose requestId it has seen for this event: a retry or a move keeps the Meet.
      ...(event.conference?.provider === 'google_meet'
        ? { conferenceData: { createRequest: { requestId: event.conference.requestId, conferenceSolutionKey: { type: 'hangoutsMeet' } } } }
        : {}),
    };
  }

  /** conferenceDataVersion=1 is what makes Google read (and answer) conferenceData at all. */
  private writeQuery(event: OutgoingEvent) {
    return `sendUpdates=none${event.conference?.provider === 'google_meet' ? '&conferenceDataVersion=1' : ''}`;
  }

  private written(body: GoogleConferenceAnswer, id: string, event: OutgoingEvent): WrittenRemoteEvent {
    return { id: body.id ?? id, conference: event.conference?.provider === 'google_meet' ? googleMeetOf(body) : null };
  }

  async upsertEvent(
    accessToken: string,
    calendarId: string,
    existingEventId: string | null,
    event: OutgoingEvent,
  ): Promise<WrittenRemoteEvent> {
    const headers = this.auth(accessToken);
    if (!existingEventId) {
      const id = googleEventIdFor(event.bookingId);
      const res = await providerFetch<GoogleConferenceAnswer>(
        this.http,
        `${this.cal(calendarId)}/events?${this.writeQuery(event)}`,
        {
          method: 'POST',
          headers,
          json: { id, ...this.body(event) },
          accept: [409],
        },
        this.retryPolicy,
      );
      if (res.status !== 409) return this.written(res.body, id, event);
      existingEventId = id; // a retry after a lost answer: the event is there, make sure it is current
    }
    const res = await providerFetch<GoogleConferenceAnswer>(
      this.http,
      `${this.cal(calendarId)}/events/${encodeURIComponent(existingEventId)}?${this.writeQuery(event)}`,
      {
        method: 'PATCH',
        headers,
        json: this.body(event),
      },
      this.retryPolicy,
    );
    return this.written(res.body, existingEventId, event);
  }

  async deleteEvent(accessToken: string, calendarId: string, eventId: string): Promise<void> {
    await providerFetch(
      this.http,
      `${this.cal(calendarId)}/events/${encodeURIComponent(eventId)}?sendUpdates=none`,
      {
        method: 'DELETE',
        headers: this.auth(accessToken),
        accept: [404, 410],
      },
      this.retryPolicy,
    );
  }

  async watch(accessToken: string, calendarId: string, address: string, secret: string, now: Date): Promise<PushRegistration> {
    const channelId = crypto.randomUUID();
    const { body } = await providerFetch<{ resourceId?: string; expiration?: string }>(
      this.http,
      `${this.cal(calendarId)}/events/watch`,
      {
        method: 'POST',
        headers: this.auth(accessToken),
        json: { id: channelId, type: 'web_hook', address, token: secret, params: { ttl: String(7 * 24 * 3600) } },
      },
      this.retryPolicy,
    );
    const expiration = Number(body.expiration);
    return {
      channelId,
      resourceId: body.resourceId ?? null,
      expiresAt: new Date(Number.isFinite(expiration) && expiration > 0 ? expiration : now.getTime() + 7 * 24 * 3600_000),
    };
  }

  async stopWatch(accessToken: string, channelId: string, resourceId: string | null): Promise<void> {
    await providerFetch(
      this.http,
      `${this.cfg.apiUrl}/channels/stop`,
      {
        method: 'POST',
        headers: this.auth(accessToken),
        json: { id: channelId, resourceId },
        accept: [404],
      },
      this.retryPolicy,
    );
  }
}
