import { randomBytes } from 'node:crypto';
import { FakeOAuth, FakeServer, json } from './fake-google-calendar.js';

/**
 * A local Microsoft identity platform + Graph v1.0 server speaking the subset Kairos uses, written from the public
 * references: /authorize (302 back with code and state), /token (authorization_code and refresh_token grants;
 * invalid_grant with an AADSTS description), /me, /me/calendars, /me/calendars/{id}/calendarView/delta
 * (@odata.nextLink paging, @odata.deltaLink, "@removed" entries, 410 SyncStateNotFound on a stale link), event
 * get / create (transactionId de-duplication) / update / delete, and subscriptions with the validationToken handshake.
 * Teams: an event created or updated with isOnlineMeeting true and onlineMeetingProvider teamsForBusiness gets an
 * onlineMeeting {joinUrl, conferenceId}; later updates keep it (moving the event keeps the meeting).
 */
export interface GraphEvent {
  id: string;
  subject?: string;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  isAllDay?: boolean;
  showAs?: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';
  isCancelled?: boolean;
  responseStatus?: { response: string };
  transactionId?: string;
  singleValueExtendedProperties?: Array<{ id: string; value: string }>;
  [key: string]: unknown;
}

export class FakeMicrosoftGraph extends FakeServer {
  readonly oauth = new FakeOAuth('ms-client-id', 'ms-client-secret');
  readonly calendars = new Map<
    string,
    {
      name: string;
      isDefaultCalendar: boolean;
      canEdit: boolean;
      events: Map<string, { event: GraphEvent; seq: number; deleted: boolean }>;
    }
  >();
  readonly subscriptions: Array<{
    id: string;
    notificationUrl: string;
    clientState: string;
    resource: string;
    expirationDateTime: string;
  }> = [];
  account = { id: 'ms-user-1', mail: 'ada@contoso.test' };
  /** Every Teams meeting made: joinUrl → event id. */
  readonly teamsMeetings = new Map<string, string>();

  /** isOnlineMeeting + teamsForBusiness on an event without a meeting makes one; an event that has one keeps it. */
  private withOnlineMeeting(body: any, id: string, existing?: GraphEvent): any {
    if (existing?.onlineMeeting) return { ...body, isOnlineMeeting: true, onlineMeeting: existing.onlineMeeting };
    if (body.isOnlineMeeting !== true) return body;
    if (body.onlineMeetingProvider !== 'teamsForBusiness') throw new Error('unsupported online meeting provider');
    const thread = randomBytes(12).toString('hex');
    const joinUrl = `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${thread}%40thread.v2/0`;
    this.teamsMeetings.set(joinUrl, id);
    return { ...body, onlineMeetingUrl: null, onlineMeeting: { joinUrl, conferenceId: String(parseInt(thread.slice(0, 8), 16)) } };
  }
  pageSize = 2;
  private seq = 1;
  private oldestValidSeq = 0;

  constructor() {
    super();
    this.calendars.set('AAMkCal1', { name: 'Calendar', isDefaultCalendar: true, canEdit: true, events: new Map() });
    this.calendars.set('AAMkBirthdays', { name: 'Birthdays', isDefaultCalendar: false, canEdit: false, events: new Map() });
    this.setup();
  }

  get env() {
    return {
      MICROSOFT_CLIENT_ID: this.oauth.clientId,
      MICROSOFT_CLIENT_SECRET: this.oauth.clientSecret,
      MICROSOFT_AUTH_URL: `${this.url}/common/oauth2/v2.0/authorize`,
      MICROSOFT_TOKEN_URL: `${this.url}/common/oauth2/v2.0/token`,
      MICROSOFT_API_URL: `${this.url}/v1.0`,
    };
  }

  putEvent(calendarId: string, event: GraphEvent) {
    this.calendars
      .get(calendarId)!
      .events.set(event.id, { event: { showAs: 'busy', isAllDay: false, isCancelled: false, ...event }, seq: this.seq++, deleted: false });
  }

  deleteEvent(calendarId: string, id: string) {
    const stored = this.calendars.get(calendarId)!.events.get(id);
    if (stored) {
      stored.deleted = true;
      stored.seq = this.seq++;
    }
  }

  liveEvents(calendarId: string) {
    return [...this.calendars.get(calendarId)!.events.values()].filter((s) => !s.deleted).map((s) => s.event);
  }

  invalidateDeltaLinks() {
    this.oldestValidSeq = this.seq;
  }

  private auth(header: string | undefined, res: import('node:http').ServerResponse) {
    const account = this.oauth.authenticate(header);
    if (!account)
      json(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.' } });
    return account;
  }

  private findEvent(id: string) {
    for (const [calendarId, cal] of this.calendars) {
      const stored = cal.events.get(id);
      if (stored && !stored.deleted) return { calendarId, stored };
    }
    return null;
  }

  private setup() {
    this.route('GET', /^\/common\/oauth2\/v2\.0\/authorize$/, (req, res) => {
      if (req.query.get('client_id') !== this.oauth.clientId) return json(res, 400, { error: 'invalid_client' });
      if (!req.query.get('scope')?.split(' ').includes('offline_access'))
        return json(res, 400, { error: 'offline_access required by this fake' });
      const redirect = new URL(req.query.get('redirect_uri')!);
      redirect.searchParams.set('code', this.oauth.issueCode(req.query.get('redirect_uri')!, this.account.id));
      redirect.searchParams.set('state', req.query.get('state') ?? '');
      res.statusCode = 302;
      res.setHeader('Location', redirect.toString());
      res.end();
    });
    this.route('POST', /^\/common\/oauth2\/v2\.0\/token$/, (req, res) => {
      const [status, body] = this.oauth.token(req.body);
      if (status === 400 && (body as { error: string }).error === 'invalid_grant') {
        return json(res, 400, {
          error: 'invalid_grant',
          error_description: 'AADSTS700082: The refresh token has expired due to inactivity.',
          error_codes: [700082],
        });
      }
      // Microsoft rotates refresh tokens: every refresh answer carries a new one.
      if (status === 200 && req.body.grant_type === 'refresh_token') {
        const rt = `M.R3_rt-${randomBytes(10).toString('hex')}`;
        this.oauth.refreshTokens.set(rt, { account: this.account.id, revoked: false });
        return json(res, 200, { ...(body as object), refresh_token: rt });
      }
      json(res, status, body);
    });
    this.route('GET', /^\/v1\.0\/me$/, (req, res) => {
      if (this.auth(req.headers.authorization, res))
        json(res, 200, { id: this.account.id, mail: this.account.mail, userPrincipalName: this.account.mail, displayName: 'Ada' });
    });
    this.route('GET', /^\/v1\.0\/me\/calendars$/, (req, res) => {
      if (!this.auth(req.headers.authorization, res)) return;
      json(res, 200, {
        value: [...this.calendars.entries()].map(([id, c]) => ({
          id,
          name: c.name,
          isDefaultCalendar: c.isDefaultCalendar,
          canEdit: c.canEdit,
        })),
      });
    });
    this.route('GET', /^\/v1\.0\/me\/calendars\/([^/]+)\/calendarView\/delta$/, (req, res, m) => {
      if (!this.auth(req.headers.authorization, res)) return;
      const calendarId = decodeURIComponent(m[1]);
      const cal = this.calendars.get(calendarId);
      if (!cal) return json(res, 404, { error: { code: 'ErrorItemNotFound', message: 'not found' } });
      const deltaToken = req.query.get('$deltatoken');
      const skip = Number(req.query.get('$skiptoken') ?? 0);
      const since = deltaToken ? Number(deltaToken.split('~')[0]) : -1;
      if (deltaToken && since < this.oldestValidSeq)
        return json(res, 410, { error: { code: 'SyncStateNotFound', message: 'The sync state generation is not found.' } });
      const startDateTime = req.query.get('startDateTime') ?? deltaToken?.split('~')[1];
      const endDateTime = req.query.get('endDateTime') ?? deltaToken?.split('~')[2];
      if (!startDateTime || !endDateTime)
        return json(res, 400, { error: { code: 'ErrorInvalidParameter', message: 'startDateTime and endDateTime are required' } });
      const [from, to] = [Date.parse(startDateTime), Date.parse(endDateTime)];
      if (!String(req.headers.prefer ?? '').includes('outlook.timezone="UTC"'))
        return json(res, 400, { error: { code: 'FakeNeedsUtc', message: 'this fake answers in UTC only' } });
      const inView = (e: GraphEvent) => Date.parse(`${e.end.dateTime}Z`) > from && Date.parse(`${e.start.dateTime}Z`) < to;
      // A round after the first reports an event changed out of the view as removed ("changed": it still exists).
      const items = [...cal.events.values()]
        .filter((s) => (deltaToken ? s.seq > since : !s.deleted))
        .filter((s) => s.deleted || inView(s.event) || deltaToken)
        .sort((a, b) => a.seq - b.seq)
        .map((s) =>
          s.deleted || !inView(s.event)
            ? { '@odata.type': '#microsoft.graph.event', id: s.event.id, '@removed': { reason: s.deleted ? 'deleted' : 'changed' } }
            : { '@odata.type': '#microsoft.graph.event', ...s.event },
        );
      const page = items.slice(skip, skip + this.pageSize);
      const base = `${this.url}/v1.0/me/calendars/${m[1]}/calendarView/delta`;
      const state = `${this.seq - 1}~${startDateTime}~${endDateTime}`;
      json(res, 200, {
        '@odata.context': `${this.url}/v1.0/$metadata#Collection(event)`,
        value: page,
        ...(skip + this.pageSize < items.length
          ? {
              '@odata.nextLink': `${base}?${new URLSearchParams({ ...(deltaToken ? { $deltatoken: deltaToken } : { startDateTime, endDateTime }), $skiptoken: String(skip + this.pageSize) })}`,
            }
          : { '@odata.deltaLink': `${base}?${new URLSearchParams({ $deltatoken: state })}` }),
      });
    });
    this.route('POST', /^\/v1\.0\/me\/calendars\/([^/]+)\/events$/, (req, res, m) => {
      if (!this.auth(req.headers.authorization, res)) return;
      const calendarId = decodeURIComponent(m[1]);
      const cal = this.calendars.get(calendarId);
      if (!cal) return json(res, 404, { error: { code: 'ErrorItemNotFound', message: 'not found' } });
      if (!cal.canEdit) return json(res, 403, { error: { code: 'ErrorAccessDenied', message: 'Access is denied.' } });
      if (req.body.transactionId) {
        const existing = [...cal.events.values()].find((s) => !s.deleted && s.event.transactionId === req.body.transactionId);
        if (existing) return json(res, 201, existing.event);
      }
      const id = `AAMkEv-${randomBytes(8).toString('hex')}`;
      this.putEvent(calendarId, { ...this.withOnlineMeeting(req.body, id), id });
      json(res, 201, cal.events.get(id)!.event);
    });
    this.route('GET', /^\/v1\.0\/me\/events\/([^/]+)$/, (req, res, m) => {
      if (!this.auth(req.headers.authorization, res)) return;
      const found = this.findEvent(decodeURIComponent(m[1]));
      if (!found)
        return json(res, 404, { error: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' } });
      if (!String(req.headers.prefer ?? '').includes('outlook.timezone="UTC"'))
        return json(res, 400, { error: { code: 'FakeNeedsUtc', message: 'this fake answers in UTC only' } });
      json(res, 200, { '@odata.context': `${this.url}/v1.0/$metadata#users('me')/events/$entity`, ...found.stored.event });
    });
    this.route('PATCH', /^\/v1\.0\/me\/events\/([^/]+)$/, (req, res, m) => {
      if (!this.auth(req.headers.authorization, res)) return;
      const found = this.findEvent(decodeURIComponent(m[1]));
      if (!found)
        return json(res, 404, { error: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' } });
      this.putEvent(found.calendarId, {
        ...found.stored.event,
        ...this.withOnlineMeeting(req.body, found.stored.event.id, found.stored.event),
      });
      json(res, 200, this.calendars.get(found.calendarId)!.events.get(found.stored.event.id)!.event);
    });
    this.route('DELETE', /^\/v1\.0\/me\/events\/([^/]+)$/, (req, res, m) => {
      if (!this.auth(req.headers.authorization, res)) return;
      const found = this.findEvent(decodeURIComponent(m[1]));
      if (!found)
        return json(res, 404, { error: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' } });
      this.deleteEvent(found.calendarId, found.stored.event.id);
      res.statusCode = 204;
      res.end();
    });
    this.route('POST', /^\/v1\.0\/subscriptions$/, async (req, res) => {
      if (!this.auth(req.headers.authorization, res)) return;
      // The handshake: Graph POSTs a validationToken to the notification URL and expects it echoed as text/plain.
      const token = `validation-${randomBytes(8).toString('hex')}`;
      try {
        const check = await fetch(`${req.body.notificationUrl}?validationToken=${encodeURIComponent(token)}`, {
          method: 'POST',
          signal: AbortSignal.timeout(10_000),
        });
        const echoed = await check.text();
        if (check.status !== 200 || echoed !== token || !(check.headers.get('content-type') ?? '').startsWith('text/plain')) {
          return json(res, 400, {
            error: {
              code: 'ValidationError',
              message: 'Subscription validation request failed. Response must exactly match validationToken query parameter.',
            },
          });
        }
      } catch {
        return json(res, 400, {
          error: {
            code: 'ValidationError',
            message: 'Subscription validation request failed. Notification endpoint must respond with 200 OK.',
          },
        });
      }
      const sub = {
        id: `sub-${randomBytes(6).toString('hex')}`,
        notificationUrl: req.body.notificationUrl,
        clientState: req.body.clientState,
        resource: req.body.resource,
        expirationDateTime: req.body.expirationDateTime,
      };
      this.subscriptions.push(sub);
      json(res, 201, { ...sub, changeType: req.body.changeType });
    });
    this.route('DELETE', /^\/v1\.0\/subscriptions\/([^/]+)$/, (req, res, m) => {
      if (!this.auth(req.headers.authorization, res)) return;
      const i = this.subscriptions.findIndex((s) => s.id === m[1]);
      if (i < 0) return json(res, 404, { error: { code: 'ResourceNotFound', message: 'not found' } });
      this.subscriptions.splice(i, 1);
      res.statusCode = 204;
      res.end();
    });
  }
}
