/** What the admin pages call a calendar connection: "Google Calendar (ada@gmail.com)", "CalDAV (ada on dav.example)". */

export const PROVIDER_LABELS: Record<string, string> = {
  google: 'Google Calendar',
  microsoft: 'Microsoft 365',
  ics: 'ICS feed',
  caldav: 'CalDAV',
};

export interface LabelledConnection {
  provider: string;
  accountEmail: string | null;
  username: string | null;
  serverUrl: string | null;
}

/** What the calendars pages read of a connection (the calendar context's integration, as exported by its service). */
export interface ConnectionView extends LabelledConnection {
  id: string;
  status: string;
  cancelBookingOnDelete: boolean;
  lastSyncedAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  tokenExpiresAt: Date | null;
  nextSyncAt: Date | null;
}

/** What the calendars pages read of one calendar of a connection. */
export interface CalendarChoiceView {
  calendarId: string;
  name: string;
  isPrimary: boolean;
  readOnly: boolean;
  isBusySource: boolean;
  isDestination: boolean;
  lastSyncedAt: Date | null;
}

export const providerLabel = (provider: string): string => PROVIDER_LABELS[provider] ?? provider;

/** The account, or for feeds and servers only the host name: feed URLs often carry a secret in the path. */
export function accountOf(i: LabelledConnection): string {
  if (i.accountEmail) return i.accountEmail;
  if (i.provider === 'caldav' && i.username && i.serverUrl) {
    try {
      return `${i.username} on ${new URL(i.serverUrl).host}`;
    } catch {
      return i.username;
    }
  }
  if (i.serverUrl) {
    try {
      return new URL(i.serverUrl).host;
    } catch {
      return 'feed';
    }
  }
  return i.username ?? 'account';
}

export const connectionLabel = (i: LabelledConnection): string => `${providerLabel(i.provider)} (${accountOf(i)})`;
