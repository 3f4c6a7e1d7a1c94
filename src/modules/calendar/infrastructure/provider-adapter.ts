import type { Occurrence } from '../domain/occurrence.js';
import type { OutgoingEvent, WrittenRemoteEvent } from '../domain/outgoing-event.js';

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
  /** CalDAV: every object in the window now (its incremental read lists them all by ETag). */
  listedKeys?: string[];
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
  /** One event by id (Google events.get, Graph /me/events/{id}) as a busy range; null when deleted or cancelled. */
  getEvent(accessToken: string, calendarId: string, eventId: string, hostZone: string): Promise<Occurrence | null>;
  /** Creates (or, if it already exists, updates) the event; returns its provider id and the meeting it carries. */
  upsertEvent(accessToken: string, calendarId: string, existingEventId: string | null, event: OutgoingEvent): Promise<WrittenRemoteEvent>;
  /** Deletes the event; an already-deleted event is fine. */
  deleteEvent(accessToken: string, calendarId: string, eventId: string): Promise<void>;
  watch(accessToken: string, calendarId: string, address: string, secret: string, now: Date): Promise<PushRegistration>;
  stopWatch(accessToken: string, channelId: string, resourceId: string | null): Promise<void>;
}

/** What a calendar remembers between syncs (columns of calendar_selections); each protocol uses its own part. */
export interface CalendarSyncState {
  /** Google nextSyncToken, Graph delta link. */
  syncToken: string | null;
  /** CalDAV getctag; ICS: hash of the last body. */
  ctag: string | null;
  /** ICS validators. */
  etag: string | null;
  lastModified: string | null;
  /** CalDAV: object URL → ETag of what is cached. */
  objectEtags: Record<string, string> | null;
}

/** One calendar of a connection, as sync sees it. */
export interface SyncedCalendar {
  calendarId: string;
  /** The calendar's own zone (floating times are read in it); null: the host's. */
  timeZone: string | null;
  state: CalendarSyncState;
  /** Keys of our events that should be in the window: a read may not skip listing while its state lacks one. */
  expectedKeys?: string[];
}

export interface CalendarRead {
  changes: RemoteChanges;
  state: Partial<CalendarSyncState>;
}

/**
 * A connected calendar account, whatever its protocol (OAuth API, CalDAV, ICS feed), opened with its credentials:
 * everything sync and the booking writer need, so neither has to know which protocol it talks to.
 */
export interface CalendarSource {
  /** Whether bookings can be written into its calendars (ICS feeds are read-only). */
  readonly writable: boolean;
  /** `full`: read everything (and reset the cache); otherwise only what changed. Null: nothing changed at all. */
  readCalendar(calendar: SyncedCalendar, window: SyncWindow, full: boolean): Promise<CalendarRead | null>;
  /**
   * One event by id, wherever it now is (outside the window too): its first occurrence, or null when it is deleted
   * or cancelled. How sync tells an event of ours the host moved far away from one they deleted.
   */
  fetchEvent(calendar: Pick<SyncedCalendar, 'calendarId' | 'timeZone'>, eventId: string, window: SyncWindow): Promise<Occurrence | null>;
  /** Creates (or, if it already exists, updates) the booking's event; returns its id (the one deleteEvent takes). */
  upsertEvent(calendarId: string, existingEventId: string | null, event: OutgoingEvent): Promise<WrittenRemoteEvent>;
  /** Deletes the event; an already-deleted event is fine. */
  deleteEvent(calendarId: string, eventId: string): Promise<void>;
}

export class SyncTokenGoneError extends Error {
  constructor() {
    super('sync token is no longer valid; a full sync is needed');
    this.name = 'SyncTokenGoneError';
  }
}
