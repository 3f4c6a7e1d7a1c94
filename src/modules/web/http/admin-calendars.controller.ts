import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Clock } from '../../../shared/clock/clock.js';
import { CalendarExportFeeds } from '../../calendar/application/calendar-export.service.js';
import { CaldavConnect } from '../../calendar/application/caldav-connect.service.js';
import { CalendarChoices } from '../../calendar/application/calendar-choices.service.js';
import { CalendarConnections } from '../../calendar/application/calendar-connections.service.js';
import type { CalendarChoice, CalendarConnectionView, CalendarView } from '../../calendar/application/calendar-views.js';
import { IcsConnect } from '../../calendar/application/ics-connect.service.js';
import { OAuthConnect } from '../../calendar/application/oauth-connect.service.js';
import { ZoomConnect } from '../../conferencing/application/zoom-connect.service.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { uuidParam } from '../../../shared/http/params.js';
import { type AdminLocale, type AdminPageContext, AdminPages } from '../application/admin-pages.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { accountOf, connectionLabel, providerLabel } from '../domain/calendar-labels.js';
import { formatDateTimeIn } from '../../../shared/i18n/format.js';
import type { MessageKey } from '../../../shared/i18n/i18n.js';

import {
  type Errors,
  type Form,
  type FormFields,
  expectDomainError,
  hasErrors,
  many,
  one,
  placeProblems,
  placedBy,
  sentence,
} from './admin-forms.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/** The feed form's field → the ICS connection's field. */
const ICS_FORM_FIELDS = { ics_url: 'url' } as const satisfies FormFields;
/** The CalDAV form's fields → the CalDAV connection's fields. */
const CALDAV_FORM_FIELDS = {
  caldav_server: 'server_url',
  caldav_username: 'username',
  caldav_password: 'password',
} as const satisfies FormFields;
/** The calendar choice form's fields → the fields of each calendar choice. */
const CHOICE_FORM_FIELDS = { busy: 'calendar_id', destination: 'is_destination' } as const satisfies FormFields;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A sync's outcome → whether it is good news, and its message's key. */
const SYNC_NOTICES: Partial<Record<string, { ok: boolean; key: MessageKey }>> = {
  synced: { ok: true, key: 'admin.calendars.sync.synced' },
  busy: { ok: true, key: 'admin.calendars.sync.busy' },
  rate_limited: { ok: false, key: 'admin.calendars.sync.rateLimited' },
  failed: { ok: false, key: 'admin.calendars.sync.failed' },
  broken: { ok: false, key: 'admin.calendars.sync.broken' },
};

/**
 * Calendar connections in the admin: health, connecting (OAuth, CalDAV, ICS feed), choosing calendars, sync and
 * disconnect; and the host's private feed of their bookings. Everything goes through the calendar module's services,
 * the same ones the REST API uses.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin')
export class AdminCalendarsController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly connections: CalendarConnections,
    private readonly choices: CalendarChoices,
    private readonly oauth: OAuthConnect,
    private readonly ics: IcsConnect,
    private readonly caldav: CaldavConnect,
    private readonly exportFeeds: CalendarExportFeeds,
    private readonly clock: Clock,
    private readonly zoom: ZoomConnect,
  ) {}

  /** The REST callback's default landing page for browsers (flows not started here): same page. */
  @Get('integrations')
  legacyLanding(@Req() req: WebRequest, @Res() res: FastifyReply) {
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    res.redirect(`/admin/calendars${query}`, 303);
  }

  @Get('calendars')
  async list(
    @CurrentUser() caller: AuthenticatedUser,
    @Req() req: WebRequest,
    @Res() res: FastifyReply,
    @Query('connected') connected?: string,
    @Query('error') error?: string,
    @Query('removed') removed?: string,
    @Query('feed') feed?: string,
    @Query('zoom_removed') zoomRemoved?: string,
  ) {
    const ctx = await this.listContext(caller, req, res);
    const { t } = ctx.loc;
    let notice: string | null = null;
    if (one(connected) && UUID.test(one(connected))) {
      const found = (await this.connections.list(caller.id)).find((i) => i.id === one(connected));
      if (found) notice = t('admin.calendars.notice.connected', { label: connectionLabel(found) });
      // Zoom's callback lands here too, with the Zoom connection's id.
      const zoom = found ? null : await this.zoom.get(caller.id);
      if (zoom?.id === one(connected))
        notice = zoom.accountEmail ? t('admin.calendars.notice.zoomAs', { account: zoom.accountEmail }) : t('admin.calendars.notice.zoom');
    }
    if (one(removed)) notice = t('admin.calendars.notice.removed');
    if (one(zoomRemoved)) notice = t('admin.calendars.notice.zoomRemoved');
    // The provider's own reason (from the OAuth callback) stays as it came.
    const summary = one(error) ? t('admin.calendars.err.connectFailed', { reason: sentence(one(error).slice(0, 300)) }) : null;
    res.type('text/html; charset=utf-8').send(await this.listPage(ctx, caller, {}, {}, summary, notice, one(feed) === 'reset'));
  }

  @Post('calendars/connect/:provider')
  async connectOAuth(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('provider') provider: string,
    @Req() req: WebRequest,
    @Res() res: FastifyReply,
    @Body() body?: Form,
  ) {
    if (provider !== 'google' && provider !== 'microsoft' && provider !== 'zoom') {
      const ctx = await this.listContext(caller, req, res);
      res
        .status(404)
        .type('text/html; charset=utf-8')
        .send(await this.listPage(ctx, caller, {}, {}, ctx.loc.t('admin.calendars.err.unknownProvider'), null));
      return;
    }
    try {
      // Zoom's flow is the conferencing context's (GET /api/conferencing/zoom/connect); its callback returns here.
      const url =
        provider === 'zoom' ? this.zoom.authorizationUrl(caller.id) : this.oauth.authorizationUrl(caller.id, provider, returnPage(body));
      res.redirect(url, 303);
    } catch (error) {
      const e = expectDomainError(error, 'unprocessable', 'invalid');
      const ctx = await this.listContext(caller, req, res);
      res
        .status(422)
        .type('text/html; charset=utf-8')
        .send(await this.listPage(ctx, caller, {}, {}, sentence(e.message), null));
    }
  }

  @Post('calendars/ics')
  async connectIcs(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const url = one(body.url);
    const ctx = await this.listContext(caller, req, res);
    const { t } = ctx.loc;
    const errors: Errors = {};
    if (!url) errors.ics_url = t('admin.calendars.err.icsEmpty');
    else if (url.length > 2048) errors.ics_url = t('admin.calendars.err.icsLong');
    if (!hasErrors(errors)) {
      try {
        const integration = await this.ics.connectIcs(caller.id, url);
        res.redirect(`/admin/calendars?connected=${integration.id}`, 303);
        return;
      } catch (error) {
        // The feed's address is the form's one field: every refusal is shown beside it.
        placeProblems(expectDomainError(error, 'invalid'), placedBy(ICS_FORM_FIELDS), errors, {
          words: { url: 'the address' },
          otherwise: 'ics_url',
        });
      }
    }
    res
      .status(400)
      .type('text/html; charset=utf-8')
      .send(await this.listPage(ctx, caller, { ics_url: url }, errors, t('admin.calendars.summary.field'), null));
  }

  @Post('calendars/caldav')
  async connectCaldav(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const v = { caldav_server: one(body.server_url), caldav_username: one(body.username) };
    const password = typeof body.password === 'string' ? body.password : '';
    const ctx = await this.listContext(caller, req, res);
    const { t } = ctx.loc;
    const errors: Errors = {};
    if (!/^(https?|webcals?):\/\/\S+$/i.test(v.caldav_server) || v.caldav_server.length > 2048)
      errors.caldav_server = t('admin.calendars.err.caldavServer');
    if (!v.caldav_username || v.caldav_username.length > 255) errors.caldav_username = t('admin.calendars.err.caldavUsername');
    if (!password || password.length > 1024) errors.caldav_password = t('admin.calendars.err.caldavPassword');
    if (!hasErrors(errors)) {
      try {
        const integration = await this.caldav.connectCaldav(caller.id, {
          serverUrl: v.caldav_server,
          username: v.caldav_username,
          password,
        });
        res.redirect(`/admin/calendars?connected=${integration.id}`, 303);
        return;
      } catch (error) {
        // Other refusals (wrong password, no calendars, server not speaking CalDAV) are about the account as a whole.
        placeProblems(expectDomainError(error, 'invalid'), placedBy(CALDAV_FORM_FIELDS), errors, {
          words: { server_url: 'the server address' },
          otherwise: 'caldav',
        });
      }
    }
    // The password is never sent back into the page.
    res
      .status(400)
      .type('text/html; charset=utf-8')
      .send(await this.listPage(ctx, caller, v, errors, t('admin.calendars.summary.caldav'), null));
  }

  /** Removes the Zoom connection (already gone, e.g. in another tab: the page says so all the same). */
  @Post('calendars/zoom/disconnect')
  async disconnectZoom(@CurrentUser() caller: AuthenticatedUser, @Res() res: FastifyReply) {
    try {
      await this.zoom.disconnect(caller.id);
    } catch (error) {
      expectDomainError(error, 'not_found');
    }
    res.redirect('/admin/calendars?zoom_removed=1#video', 303);
  }

  /** A new private feed URL; the old one answers 404 from now on (for a link that was shared by mistake). */
  @Post('calendars/feed/reset')
  async resetFeed(@CurrentUser() caller: AuthenticatedUser, @Res() res: FastifyReply) {
    await this.exportFeeds.rotate(caller.id);
    res.redirect('/admin/calendars?feed=reset#feed', 303);
  }

  @Get('calendars/:id')
  async detail(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Req() req: WebRequest,
    @Res() res: FastifyReply,
    @Query('sync') sync?: string,
    @Query('saved') saved?: string,
  ) {
    const ctx = await this.pages.context(caller, req, res, (t) => t('admin.calendars.title'), 'calendars');
    const { t } = ctx.loc;
    const outcome = SYNC_NOTICES[one(sync)] ?? null;
    const notice = one(saved) ? t('admin.calendars.saved') : outcome?.ok ? t(outcome.key) : null;
    const summary = outcome && !outcome.ok ? t(outcome.key) : null;
    res.type('text/html; charset=utf-8').send(await this.detailPage(ctx, caller, id, null, {}, summary, notice));
  }

  @Post('calendars/:id')
  async saveChoices(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Req() req: WebRequest,
    @Body() body: Form,
    @Res() res: FastifyReply,
  ) {
    const integration = await this.connections.get(caller.id, id);
    const calendars = await this.choices.calendars(caller.id, id);
    const busy = new Set(many(body.busy));
    const destination = one(body.destination);
    const ctx = await this.pages.context(caller, req, res, (t) => t('admin.calendars.title'), 'calendars');
    const { t } = ctx.loc;
    const errors: Errors = {};
    const known = new Set(calendars.map((c) => c.calendarId));
    if ([...busy].some((b) => !known.has(b))) errors.busy = t('admin.calendars.err.busy');
    const writable = this.choices.canReceiveBookings(integration.provider);
    const chosen = destination ? calendars.find((c) => c.calendarId === destination) : undefined;
    if (destination && !writable) errors.destination = t('admin.calendars.err.notWritable');
    else if (destination && !chosen) errors.destination = t('admin.calendars.err.destination');
    else if (chosen?.readOnly) errors.destination = t('admin.calendars.err.readOnly');
    if (!hasErrors(errors)) {
      const choices: CalendarChoice[] = calendars.map((c) => ({
        calendar_id: c.calendarId,
        is_busy_source: busy.has(c.calendarId),
        ...(writable && !c.readOnly ? { is_destination: c.calendarId === destination } : {}),
      }));
      try {
        await this.choices.chooseCalendars(caller.id, id, choices);
        if (writable)
          await this.connections.updateSettings(caller.id, id, { cancel_booking_on_delete: one(body.cancel_on_delete) === '1' });
        res.redirect(`/admin/calendars/${id}?saved=1`, 303);
        return;
      } catch (error) {
        // Refusals naming no calendar are about which calendar receives bookings (one, and not a read-only one).
        placeProblems(expectDomainError(error, 'invalid'), placedBy(CHOICE_FORM_FIELDS), errors, { otherwise: 'destination' });
      }
    }
    res
      .status(400)
      .type('text/html; charset=utf-8')
      .send(await this.detailPage(ctx, caller, id, body, errors, t('admin.calendars.summary.choices'), null));
  }

  @Post('calendars/:id/sync')
  async syncNow(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Res() res: FastifyReply) {
    let status: string;
    try {
      status = (await this.connections.syncNow(caller.id, id)).outcome.status;
    } catch (error) {
      expectDomainError(error, 'conflict'); // a broken connection: reconnect first
      status = 'broken';
    }
    res.redirect(`/admin/calendars/${id}?sync=${status}`, 303);
  }

  @Post('calendars/:id/disconnect')
  async disconnect(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Res() res: FastifyReply) {
    await this.connections.remove(caller.id, id);
    res.redirect('/admin/calendars?removed=1', 303);
  }

  // --- view models -----------------------------------------------------------------------------------------------

  private listContext(caller: AuthenticatedUser, req: WebRequest, res: FastifyReply) {
    return this.pages.context(caller, req, res, (t) => t('admin.calendars.title'), 'calendars');
  }

  private async listPage(
    ctx: AdminPageContext,
    caller: AuthenticatedUser,
    values: Record<string, string>,
    errors: Errors,
    summary: string | null,
    notice: string | null,
    feedReset = false,
  ) {
    const connections = await this.connections.list(caller.id);
    const feed = await this.exportFeeds.feedUrl(caller.id); // created on the first visit, as GET /api/integrations/export does
    const zoom = await this.zoom.get(caller.id);
    return this.views.render('admin/calendars', {
      ...ctx,
      zoomAvailable: this.zoom.isConfigured(),
      zoom: zoom && {
        account: zoom.accountEmail ?? zoom.accountId,
        broken: zoom.status === 'broken',
        lastError: zoom.lastError,
      },
      connections: connections.map((i) => ({ ...this.health(i, ctx.me.zone, ctx.loc), href: `/admin/calendars/${i.id}` })),
      feed: { url: feed.url, since: dateTime(feed.rotatedAt, ctx.me.zone, ctx.loc), reset: feedReset },
      values,
      errors,
      errorSummary: summary,
      notice,
    });
  }

  private async detailPage(
    ctx: AdminPageContext,
    caller: AuthenticatedUser,
    id: string,
    body: Form | null,
    errors: Errors,
    summary: string | null,
    notice: string | null,
  ) {
    const integration = await this.connections.get(caller.id, id);
    const calendars = await this.choices.calendars(caller.id, id);
    const title = ctx.loc.t('admin.calendars.detail.title', { provider: providerLabel(integration.provider) });
    const busy = body ? new Set(many(body.busy)) : new Set(calendars.filter((c) => c.isBusySource).map((c) => c.calendarId));
    const destination = body ? one(body.destination) : (calendars.find((c) => c.isDestination)?.calendarId ?? '');
    const writable = this.choices.canReceiveBookings(integration.provider);
    const row = (c: CalendarView, i: number) => ({
      i,
      value: c.calendarId,
      name: c.name || c.calendarId,
      primary: c.isPrimary,
      readOnly: c.readOnly,
      busy: busy.has(c.calendarId),
      destination: destination === c.calendarId,
      lastSynced: c.isBusySource && c.lastSyncedAt ? dateTime(c.lastSyncedAt, ctx.me.zone, ctx.loc) : null,
    });
    return this.views.render('admin/calendar', {
      ...ctx,
      title,
      connection: { ...this.health(integration, ctx.me.zone, ctx.loc), id: integration.id },
      calendars: calendars.map(row),
      destinations: writable ? calendars.map(row).filter((c) => !c.readOnly) : [],
      noDestination: destination === '',
      writable,
      cancelOnDelete: body ? one(body.cancel_on_delete) === '1' : integration.cancelBookingOnDelete,
      errors,
      errorSummary: hasErrors(errors) || summary ? summary : null,
      notice,
    });
  }

  /** What a host needs to judge a connection at a glance. */
  private health(i: CalendarConnectionView, zone: string, loc: AdminLocale) {
    const now = this.clock.now();
    const pausedUntil = i.nextSyncAt !== null && i.nextSyncAt > now ? i.nextSyncAt : null;
    const rateLimited = pausedUntil !== null;
    const state = i.status === 'broken' ? 'broken' : rateLimited ? 'paused' : i.lastError ? 'failed' : 'healthy';
    const stateKey = `admin.calendars.state.${state}` as const satisfies MessageKey;
    const oauth = i.provider === 'google' || i.provider === 'microsoft';
    return {
      provider: i.provider,
      label: connectionLabel(i),
      providerLabel: providerLabel(i.provider),
      account: accountOf(i),
      state: loc.t(stateKey),
      healthy: state === 'healthy',
      broken: i.status === 'broken',
      reconnect: i.status === 'broken' && oauth ? i.provider : null,
      lastSynced: i.lastSyncedAt ? dateTime(i.lastSyncedAt, zone, loc) : loc.t('admin.calendars.never'),
      lastError: i.lastError,
      lastErrorAt: i.lastErrorAt ? dateTime(i.lastErrorAt, zone, loc) : null,
      tokenExpires: oauth && i.tokenExpiresAt ? dateTime(i.tokenExpiresAt, zone, loc) : null,
      tokenExpired: oauth && i.tokenExpiresAt !== null && i.tokenExpiresAt <= now,
      nextSync: pausedUntil ? dateTime(pausedUntil, zone, loc) : null,
    };
  }
}

/** "1 Mar 2027, 14:05" in the host's language. */
function dateTime(instant: Date, zone: string, loc: AdminLocale): string {
  return formatDateTimeIn(instant, zone, loc.h12Default, loc.formatLocale);
}

/** Where a connection started from comes back to: the welcome's calendar step, or (by default) the calendars page. */
function returnPage(body: Form | undefined): string {
  return one(body?.return_to) === '/admin/welcome/calendar' ? '/admin/welcome/calendar' : '/admin/calendars';
}
