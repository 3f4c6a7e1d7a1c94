import type { CalendarIntegrationEntity, CalendarProvider, IntegrationStatus } from '../infrastructure/calendar-integration.entity.js';
import type { CalendarEventLinkEntity, EventLinkStatus } from '../infrastructure/calendar-event-link.entity.js';
import type { CalendarSelectionEntity } from '../infrastructure/calendar-selection.entity.js';

export type OAuthProvider = 'google' | 'microsoft';

/** How the host wants one calendar used (fields left out stay as they are). */
export interface CalendarChoice {
  calendar_id: string;
  is_busy_source?: boolean;
  is_destination?: boolean;
}

/** A host's calendar connection and its health, as the API and the admin pages show it (no secrets). */
export interface CalendarConnectionView {
  id: string;
  userId: string;
  provider: CalendarProvider;
  accountEmail: string | null;
  username: string | null;
  serverUrl: string | null;
  status: IntegrationStatus;
  lastSyncedAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  tokenExpiresAt: Date | null;
  nextSyncAt: Date | null;
  cancelBookingOnDelete: boolean;
  createdAt: Date;
}

/** One calendar of a connection and what the host uses it for. */
export interface CalendarView {
  id: string;
  integrationId: string;
  calendarId: string;
  name: string;
  timeZone: string | null;
  isPrimary: boolean;
  readOnly: boolean;
  isBusySource: boolean;
  isDestination: boolean;
  lastSyncedAt: Date | null;
}

/** The event written (or to write) for a booking in one host's calendar, as its hosts see it. */
export interface CalendarEventView {
  bookingId: string;
  integrationId: string | null;
  calendarId: string | null;
  externalEventId: string | null;
  status: EventLinkStatus;
  hostAction: 'cancel_requested' | 'cancelled' | 'flagged' | null;
  attempts: number;
  lastError: string | null;
  nextRetryAt: Date | null;
}

export const toConnectionView = (i: CalendarIntegrationEntity): CalendarConnectionView => ({
  id: i.id,
  userId: i.userId,
  provider: i.provider,
  accountEmail: i.accountEmail,
  username: i.username,
  serverUrl: i.serverUrl,
  status: i.status,
  lastSyncedAt: i.lastSyncedAt,
  lastError: i.lastError,
  lastErrorAt: i.lastErrorAt,
  tokenExpiresAt: i.tokenExpiresAt,
  nextSyncAt: i.nextSyncAt,
  cancelBookingOnDelete: i.cancelBookingOnDelete,
  createdAt: i.createdAt,
});

export const toCalendarView = (s: CalendarSelectionEntity): CalendarView => ({
  id: s.id,
  integrationId: s.integrationId,
  calendarId: s.calendarId,
  name: s.name,
  timeZone: s.timeZone,
  isPrimary: s.isPrimary,
  readOnly: s.readOnly,
  isBusySource: s.isBusySource,
  isDestination: s.isDestination,
  lastSyncedAt: s.lastSyncedAt,
});

export const toCalendarEventView = (l: CalendarEventLinkEntity): CalendarEventView => ({
  bookingId: l.bookingId,
  integrationId: l.integrationId,
  calendarId: l.calendarId,
  externalEventId: l.externalEventId,
  status: l.status,
  hostAction: l.hostAction,
  attempts: l.attempts,
  lastError: l.lastError,
  nextRetryAt: l.nextRetryAt,
});
