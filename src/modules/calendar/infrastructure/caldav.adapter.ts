import { Injectable, Logger } from '@nestjs/common';
import { createDAVClient, type DAVCalendar, type DAVResponse } from 'tsdav';
import { AppConfig } from '../../../config/app-config.js';
import { OutboundError, OutboundHttp, statusClass } from '../../../shared/outbound/outbound-http.js';
import { renderIcsCalendar } from '../../notify/application/ics.service.js';
import { icalInstant, occurrencesOf, parseVEvents } from '../domain/ical.js';
import { isKnownZone, type Occurrence } from '../domain/occurrence.js';
import type { OutgoingEvent } from '../domain/outgoing-event.js';
import type { CalendarRead, RemoteCalendar, SyncedCalendar, SyncWindow } from './provider-adapter.js';
import { ProviderError } from './provider-http.js';
import { UnsafeUrlError, asUnsafeUrlError } from './safe-http.js';

export interface CaldavAccount {
  serverUrl: string;
  username: string;
  password: string;
}

export interface CaldavDiscovery {
  principalUrl: string;
  homeUrl: string;
  calendars: RemoteCalendar[];
}

/** The server refused the username or password (401/403): the host must reconnect with an app password. */
export class CaldavAuthError extends Error {
  constructor(readonly status: number) {
    super(`the CalDAV server rejected the username or password (${status}); use an app-specific password where the provider requires one`);
    this.name = 'CaldavAuthError';
  }
}

/**
 * The object name of a booking's event: fixed by the (first) booking id, so a repeated write lands on the same object.
 * Its UID is the booking's iCalendar UID (the emailed invitation's), not this name.
 */
export const caldavObjectName = (bookingId: string) => `kairos-${bookingId}`;
/** Objects written before the UID was the invitation's carried their name as UID. */
const LEGACY_UID = /^kairos-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const OUR_MARK = /^X-KAIROS-BOOKING-ID:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\r?$/im;
/** Another client changed the object between our read and our write (If-Match failed): read again, this often. */
const WRITE_ATTEMPTS = 3;

/** Responses are bigger than ICS feeds' (a multiget of many objects). */
const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;
const MULTIGET_BATCH = 100;

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
const text = (value: unknown): string | null => {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object') {
    if ('_cdata' in value) return String(value._cdata);
    if ('_text' in value) return String(value._text);
    return null;
  }
  // tsdav turns numeric text into numbers
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
};
const icalStamp = (d: Date) => `${d.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;

/**
 * CalDAV (iCloud, Fastmail, Nextcloud, Radicale…) through tsdav with Basic auth. Every request goes through the shared
 * outbound client, as ICS feeds do (private addresses only where CALENDAR_PRIVATE_URL_ALLOWLIST allows them).
 * Busy time: getctag says whether anything changed; then a calendar-query lists the ETags of the objects in the sync
 * window and a calendar-multiget fetches only the new or changed ones. Bookings are written as one iCalendar object
 * per booking (no ORGANIZER/ATTENDEE, so servers with implicit scheduling send no invitations of their own).
 */
@Injectable()
export class CaldavAdapter {
  private readonly logger = new Logger('CalDAV');

  constructor(
    private readonly config: AppConfig,
    private readonly outbound: OutboundHttp,
  ) {}

  /** Finds the principal, its calendar home and the calendars that hold events. */
  async discover(account: CaldavAccount): Promise<CaldavDiscovery> {
    const seen: number[] = [];
    const refusals: UnsafeUrlError[] = [];
    const client = await this.client(account, (status, error) => {
      if (status) seen.push(status);
      const refused = asUnsafeUrlError(error);
      if (refused instanceof UnsafeUrlError) refusals.push(refused);
    });
    let dav;
    try {
      dav = await client.createAccount({ account: { accountType: 'caldav', serverUrl: account.serverUrl }, loadCollections: false });
    } catch (error) {
      if (refusals.length) throw refusals[0];
      const denied = seen.find((s) => s === 401 || s === 403);
      if (denied) throw new CaldavAuthError(denied);
      const reason = error instanceof OutboundError ? ` (${error.message})` : '';
      throw new ProviderError(0, 'discovery', `no CalDAV account was found at this address${reason}`);
    }
    const calendars = await client.fetchCalendars({
      account: dav,
      props: {
        'd:displayname': {},
        'c:calendar-timezone': {},
        'cs:getctag': {},
        'd:resourcetype': {},
        'c:supported-calendar-component-set': {},
        'd:current-user-privilege-set': {},
      },
      projectedProps: { currentUserPrivilegeSet: true },
    });
    const eventCalendars = calendars.filter((c) => !c.components?.length || c.components.includes('VEVENT'));
    const listed = eventCalendars.map((c) => this.toRemoteCalendar(c));
    const primary = listed.find((c) => !c.readOnly) ?? listed.at(0);
    if (primary) primary.primary = true;
    // tsdav fills both when it finds the account.
    if (!dav.principalUrl || !dav.homeUrl) throw new ProviderError(0, 'discovery', 'no CalDAV account was found at this address');
    return { principalUrl: dav.principalUrl, homeUrl: dav.homeUrl, calendars: listed };
  }

  private toRemoteCalendar(c: DAVCalendar): RemoteCalendar {
    const zone = /TZID:([^\r\n]+)/.exec(c.timezone ?? '')?.[1]?.trim();
    const privileges = c.projectedProps?.currentUserPrivilegeSet as { privilege?: unknown } | undefined;
    // No privilege set reported: assume writable (the first PUT will say otherwise).
    const readOnly =
      privileges?.privilege !== undefined &&
      ![privileges.privilege]
        .flat()
        .some((p) => p && typeof p === 'object' && Object.keys(p).some((k) => ['write', 'writeContent', 'all', 'bind'].includes(k)));
    const url = withSlash(c.url);
    return {
      id: url,
      name: text(c.displayName) ?? decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).pop() ?? url),
      primary: false,
      readOnly,
      timeZone: isKnownZone(zone) ? zone : null,
    };
  }

  /** Changes of one calendar since `calendar.state` (null when its ctag has not moved). */
  async readCalendar(account: CaldavAccount, calendar: SyncedCalendar, window: SyncWindow, full: boolean): Promise<CalendarRead | null> {
    const client = await this.client(account);
    const url = withSlash(calendar.calendarId);
    const ctag = await this.ctag(client, url);
    const known = calendar.state.objectEtags;
    // Radicale's ctag is a hash of the contents: an object of ours written and deleted since the last read leaves it
    // as it was, so it only says "unchanged" when every object of ours is already known.
    const ours = (calendar.expectedKeys ?? []).every((key) => known?.[key] !== undefined);
    if (!full && ctag !== null && ctag === calendar.state.ctag && known && ours) return null;

    const listing = await client.calendarQuery({
      url,
      props: { 'd:getetag': {} },
      filters: {
        'comp-filter': {
          _attributes: { name: 'VCALENDAR' },
          'comp-filter': {
            _attributes: { name: 'VEVENT' },
            'time-range': { _attributes: { start: icalStamp(window.from), end: icalStamp(window.to) } },
          },
        },
      },
      depth: '1',
    });
    this.assertAnswered(listing, 'REPORT calendar-query');
    const current = new Map<string, string>();
    for (const r of listing) {
      if (!r.href || !r.ok) continue;
      const href = new URL(r.href, url).href;
      if (href === url) continue;
      current.set(href, text(r.props?.getetag) ?? '');
    }
    const before = full ? {} : (known ?? {});
    const changed = [...current].filter(([href, etag]) => !etag || before[href] !== etag).map(([href]) => href);
    const removed = Object.keys(before).filter((href) => !current.has(href));

    const zone = isKnownZone(calendar.timeZone) ? calendar.timeZone : window.hostZone;
    const occurrences: Occurrence[] = [];
    for (let i = 0; i < changed.length; i += MULTIGET_BATCH) {
      const batch = changed.slice(i, i + MULTIGET_BATCH);
      const objects = await client.calendarMultiGet({
        url,
        props: { 'd:getetag': {}, 'c:calendar-data': {} },
        objectUrls: batch.map((href) => new URL(href).pathname),
        depth: '1',
      });
      this.assertAnswered(objects, 'REPORT calendar-multiget');
      for (const o of objects) {
        if (!o.href || !o.ok) continue;
        const href = new URL(o.href, url).href;
        const etag = text(o.props?.getetag);
        if (etag) current.set(href, etag);
        occurrences.push(...this.occurrences(text(o.props?.calendarData) ?? '', href, zone, window));
      }
    }
    return {
      changes: { reset: full, touchedKeys: [...changed, ...removed], occurrences, nextSyncToken: null, listedKeys: [...current.keys()] },
      state: { ctag, objectEtags: Object.fromEntries(current) },
    };
  }

  /**
   * One object by URL (a GET), wherever its event now is: its first occurrence within five years of the window, or
   * null when the object is gone (404/410) or its event cancelled. Sync asks when an object of ours left the listing.
   */
  async fetchEvent(account: CaldavAccount, href: string, timeZone: string | null, window: SyncWindow): Promise<Occurrence | null> {
    const res = await this.get(account, href);
    if (!res) return null;
    const zone = isKnownZone(timeZone) ? timeZone : window.hostZone;
    const years = 5 * 366 * 24 * 3600_000;
    const wide = { ...window, from: new Date(window.from.getTime() - years), to: new Date(window.to.getTime() + years) };
    return this.occurrences(res.data, href, zone, wide).sort((a, b) => a.start.getTime() - b.start.getTime())[0] ?? null;
  }

  /** One object's busy ranges, keyed by its URL (what the writer stores as the event id). */
  private occurrences(data: string, href: string, zone: string, window: SyncWindow): Occurrence[] {
    const events = parseVEvents(data);
    const bookingId = OUR_MARK.exec(data)?.[1] ?? events.map((e) => LEGACY_UID.exec(e.uid)?.[1]).find(Boolean);
    return occurrencesOf(events, zone, window.from, window.to, () => href).map((o) => (bookingId ? { ...o, bookingId } : o));
  }

  private async ctag(client: DavClient, url: string): Promise<string | null> {
    const res = (await client.propfind({ url, props: { 'cs:getctag': {}, 'd:sync-token': {} }, depth: '0' })).at(0);
    if (!res?.ok) this.fail(res?.status ?? 0, 'PROPFIND getctag');
    // Without getctag, the sync-token (RFC 6578) changes on every change just the same.
    return text(res.props?.getctag) ?? text(res.props?.syncToken);
  }

  /**
   * Writes the booking's object and returns its URL. The UID is the booking's (the invitation's), SEQUENCE never goes
   * below what the server holds and rises when the time moves, and every write is conditional on what was just read:
   * If-Match on its ETag to replace it, If-None-Match: * to create it. A write that loses a race (412) reads again.
   * An object still carrying an older UID is deleted and created anew (servers refuse a UID change in place).
   */
  async upsertEvent(account: CaldavAccount, calendarUrl: string, existingUrl: string | null, event: OutgoingEvent): Promise<string> {
    const href = existingUrl ?? new URL(`${caldavObjectName(event.bookingId)}.ics`, withSlash(calendarUrl)).href;
    const client = await this.client(account);
    const headers = { 'content-type': 'text/calendar; charset=utf-8' };
    for (let attempt = 1; ; attempt++) {
      let stored = await this.readObject(account, href);
      if (stored && stored.uid !== event.uid) {
        const gone = await client.deleteObject({ url: href, etag: stored.etag });
        if (!gone.ok && gone.status !== 404 && gone.status !== 410 && gone.status !== 412) this.fail(gone.status, 'DELETE');
        if (gone.status === 412 && attempt < WRITE_ATTEMPTS) continue;
        stored = null;
      }
      const moved = stored !== null && (stored.start.getTime() !== event.start.getTime() || stored.end?.getTime() !== event.end.getTime());
      const sequence = Math.max(event.sequence, stored ? stored.sequence + (moved ? 1 : 0) : 0);
      const data = renderIcsCalendar([
        {
          uid: event.uid,
          sequence,
          start: event.start,
          end: event.end,
          zone: 'UTC',
          stamp: new Date(),
          summary: event.summary,
          description: event.description,
          location: event.location,
          status: 'CONFIRMED',
          bookingId: event.bookingId,
        },
      ]);
      const res = stored
        ? await client.updateObject({ url: href, data, etag: stored.etag, headers })
        : await client.createObject({ url: href, data, headers: { ...headers, 'If-None-Match': '*' } });
      if (res.ok) return href;
      if (res.status !== 412 || attempt >= WRITE_ATTEMPTS) this.fail(res.status, 'PUT');
    }
  }

  /** The object as the server holds it now (its ETag, UID, SEQUENCE and times), or null when there is none. */
  private async readObject(account: CaldavAccount, href: string) {
    const res = await this.get(account, href);
    if (!res) return null;
    const { data, etag } = res;
    const vevent = parseVEvents(data).at(0);
    if (!vevent || !etag) return null;
    return {
      etag,
      uid: vevent.uid,
      sequence: Number(/^SEQUENCE:(\d+)\r?$/m.exec(data.replace(/\r?\n[ \t]/g, ''))?.[1] ?? 0),
      start: icalInstant(vevent.start, 'UTC'),
      end: vevent.end ? icalInstant(vevent.end, 'UTC') : null,
    };
  }

  /** GET of one object: its text and ETag, or null when there is none (404/410). */
  private async get(account: CaldavAccount, href: string): Promise<{ data: string; etag: string | null } | null> {
    const fetch = this.outbound.fetch({ allow: this.config.calendarPrivateUrlAllowlist, maxBytes: MAX_RESPONSE_BYTES });
    let res: Response;
    try {
      res = await fetch(href, { method: 'GET', headers: { authorization: basicAuth(account), accept: 'text/calendar' } });
    } catch (error) {
      throw asUnsafeUrlError(error);
    }
    if (res.status === 404 || res.status === 410) return null;
    if (!res.ok) this.fail(res.status, 'GET');
    return { data: await res.text(), etag: res.headers.get('etag') };
  }

  async deleteEvent(account: CaldavAccount, objectUrl: string): Promise<void> {
    const client = await this.client(account);
    const res = await client.deleteObject({ url: objectUrl });
    if (!res.ok && res.status !== 404 && res.status !== 410) this.fail(res.status, 'DELETE');
  }

  private assertAnswered(responses: DAVResponse[], what: string) {
    // A failed request comes back as one response without an href.
    const failed = responses.length === 1 && !responses[0].href && !responses[0].ok ? responses[0] : null;
    if (failed) this.fail(failed.status, what);
  }

  private fail(status: number, what: string): never {
    if (status === 401 || status === 403) throw new CaldavAuthError(status);
    // The host reads this (last_error): the status class only, the code in our logs.
    this.logger.warn(`the CalDAV server answered ${status} to ${what}`);
    throw new ProviderError(status, 'caldav', `the CalDAV server answered ${status ? statusClass(status) : 'nothing'} to ${what}`);
  }

  /** A tsdav client with Basic auth (UTF-8, unlike tsdav's own Latin-1 encoder) over the outbound client. */
  private async client(account: CaldavAccount, observe?: (status: number | null, error?: unknown) => void): Promise<DavClient> {
    const base = this.outbound.fetch({ allow: this.config.calendarPrivateUrlAllowlist, maxBytes: MAX_RESPONSE_BYTES });
    const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      try {
        const res = await base(input, init);
        observe?.(res.status);
        return res;
      } catch (error) {
        observe?.(null, error);
        throw asUnsafeUrlError(error);
      }
    }) as typeof globalThis.fetch;
    const authorization = basicAuth(account);
    const client = await createDAVClient({
      serverUrl: account.serverUrl,
      credentials: { username: account.username },
      authMethod: 'Custom',
      authFunction: async () => ({ authorization }),
      fetch,
    });
    // tsdav's own errors quote the server's status and body ("Collection query failed: 500 … Raw response: …"), and
    // hosts read our errors (last_error): they get the class, our logs the rest.
    return new Proxy(client, {
      get: (target, name) => {
        const member = (target as Record<string | symbol, unknown>)[name];
        if (typeof member !== 'function') return member;
        return (...args: unknown[]) =>
          Promise.resolve(member.apply(target, args)).catch((error: unknown) => {
            throw this.hostSafe(error, String(name));
          });
      },
    });
  }

  private hostSafe(error: unknown, what: string): unknown {
    if (
      error instanceof ProviderError ||
      error instanceof CaldavAuthError ||
      error instanceof UnsafeUrlError ||
      error instanceof OutboundError
    )
      return error;
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn(`CalDAV ${what} failed: ${message}`);
    const status = Number(/\b([1-5]\d\d)\b/.exec(message)?.[1] ?? 0);
    return new ProviderError(
      status,
      'caldav',
      `the CalDAV server's answer to ${what} could not be used${status ? ` (${statusClass(status)})` : ''}`,
    );
  }
}

type DavClient = Awaited<ReturnType<typeof createDAVClient>>;

/** Basic auth in UTF-8 (tsdav's own encoder is Latin-1). */
const basicAuth = (account: CaldavAccount) => `Basic ${Buffer.from(`${account.username}:${account.password}`, 'utf8').toString('base64')}`;
