/** What the admin pages call a calendar connection: "Google Calendar (ada@gmail.com)", "CalDAV (ada on dav.example)". */

export const PROVIDER_LABELS: Record<string, string> = {
  google: 'Google Calendar', microsoft: 'Microsoft 365', ics: 'ICS feed', caldav: 'CalDAV',
};

export interface LabelledConnection {
  provider: string;
  accountEmail: string | null;
  username: string | null;
  serverUrl: string | null;
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
