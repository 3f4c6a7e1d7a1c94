import type { Occurrence } from '../domain/occurrence.js';

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date;
  scope: string | null;
}

export interface RemoteCalendar {
  id: string;
  name: string;
  primary: boolean;
  readOnly: boolean;
  timeZone: string | null;
}

export interface SyncWindow {
  hostZone: string;
  from: Date;
  to: Date;
}

/** One pass over one calendar: `reset` = full read (replace everything cached); otherwise only `touchedKeys` change. */
export interface RemoteChanges {
  reset: boolean;
  touchedKeys: string[];
  occurrences: Occurrence[];
  nextSyncToken: string | null;
}

/** What we write into the host's calendar for a booking. Nothing about other events is ever read back. */
export interface OutgoingEvent {
  bookingId: string;
  summary: string;
  description: string;
  location: string | null;
  start: Date;
  end: Date;
}

export interface PushRegistration {
  channelId: string;
  resourceId: string | null;
  expiresAt: Date;
}

/** An OAuth calendar provider (Google Calendar v3, Microsoft Graph v1.0). */
export interface OAuthCalendarAdapter {
  readonly provider: 'google' | 'microsoft';
  readonly label: string;
  isConfigured(): boolean;
  authorizationUrl(state: string, redirectUri: string): string;
  exchangeCode(code: string, redirectUri: string, now: Date): Promise<TokenSet>;
  /** Throws InvalidGrantError when the grant is revoked. */
  refresh(refreshToken: string, now: Date): Promise<TokenSet>;
  account(accessToken: string): Promise<{ id: string; email: string | null }>;
  listCalendars(accessToken: string): Promise<RemoteCalendar[]>;
  /** Throws SyncTokenGoneError when the token is no longer valid (the caller then does a full sync). */
  syncCalendar(accessToken: string, calendarId: string, syncToken: string | null, window: SyncWindow): Promise<RemoteChanges>;
  /** Creates (or, if it already exists, updates) the event; returns its provider id. */
  upsertEvent(accessToken: string, calendarId: string, existingEventId: string | null, event: OutgoingEvent): Promise<string>;
  /** Deletes the event; an already-deleted event is fine. */
  deleteEvent(accessToken: string, calendarId: string, eventId: string): Promise<void>;
  watch(accessToken: string, calendarId: string, address: string, secret: string, now: Date): Promise<PushRegistration>;
  stopWatch(accessToken: string, channelId: string, resourceId: string | null): Promise<void>;
}

export class SyncTokenGoneError extends Error {
  constructor() {
    super('sync token is no longer valid; a full sync is needed');
    this.name = 'SyncTokenGoneError';
  }
}
