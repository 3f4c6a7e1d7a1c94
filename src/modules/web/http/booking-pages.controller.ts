import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, notFound } from '../../../shared/http/domain-error.js';
import { uuidParam } from '../../../shared/http/params.js';
import { canonicalTimeZone, isIanaTimeZone } from '../../../shared/validation/time-zone.js';
import { singleLineProblem } from '../../../shared/validation/text.js';
import { BookingCommands } from '../../booking/application/booking-commands.service.js';
import { BookingSeries } from '../../booking/application/booking-series.service.js';
import type { BookingView } from '../../booking/domain/booking-views.js';
import { conferenceProviderOf } from '../../booking/domain/conference.js';
import { BookingInvitations } from '../../notify/application/booking-invitations.js';
import { BookingQueries } from '../../booking/application/booking-queries.service.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { Public } from '../../../shared/http/authentication.js';
import { googleCalendarLink, outlookCalendarLink } from '../../notify/application/ics.service.js';
import { BookingPicker, type PickerQuery } from '../application/booking-picker.js';
import { WebViews } from '../application/web-views.js';
import { seriesDates, statusNotice } from '../application/booking-page-features.js';
import { formatRangeIn } from '../../../shared/i18n/format.js';
import { localDate, offsetLabel, parseStart } from '../domain/web-time.js';
import { clockOf, clockParam, i18nView, langParam, pageLocale, withLang, type PageLocale } from './page-locale.js';
import { WebExceptionFilter, isTakenError } from './web-exception.filter.js';
import { allowFramingBy } from '../../../shared/security/framing.js';
import { UsersService } from '../../identity/application/users.service.js';
import { type EmbedEvent, embedView, isEmbed } from '../application/embed-mode.js';

type Form = Record<string, string | string[] | undefined>;
const one = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').trim();

/** The invitee's booking, reached with the management token from the confirmation page and emails. */
@ApiExcludeController()
@Public()
@UseFilters(WebExceptionFilter)
@Controller('booking')
export class BookingPagesController {
  constructor(
    private readonly queries: BookingQueries,
    private readonly commands: BookingCommands,
    private readonly meetingTypes: MeetingTypesService,
    private readonly picker: BookingPicker,
    private readonly invitations: BookingInvitations,
    private readonly views: WebViews,
    private readonly series: BookingSeries,
    private readonly users: UsersService,
  ) {}

  @Get(':id')
  async manage(@Param('id', uuidParam('id')) id: string, @Query() query: Form, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    if (await this.redirectIfMoved(id, '', query, res)) return;
    const { view, invitee } = await this.load(id, one(query.token));
    const loc = pageLocale(req, res, invitee.locale);
    const { t } = loc;
    const tz = canonicalTimeZone(one(query.tz)) ?? invitee.timeZone;
    const h12 = clockOf(query.h12, loc);
    const host = view.hosts.at(0);
    const token = one(query.token);
    const keep = new URLSearchParams({ ...clockParam(h12, loc), ...langParam(loc) }).toString();
    const q = (path: string) => `/booking/${view.id}${path}?token=${encodeURIComponent(token)}${keep ? `&${keep}` : ''}`;
    const cancelled = view.status === 'cancelled' || invitee.status === 'cancelled';
    // A request a host confirms (issue #17): its status, and no invitation to add until it is confirmed.
    const notice = cancelled ? null : statusNotice(view, host?.name ?? t('manage.theHost'), tz, h12, loc);
    const answered = view.status === 'declined' || view.status === 'expired';
    const requestSent = view.status === 'pending' && Boolean(one(query.booked));
    const dates = seriesDates(
      view,
      tz,
      h12,
      (bookingId) => `/booking/${bookingId}?token=${encodeURIComponent(token)}${keep ? `&${keep}` : ''}${isEmbed(query) ? '&embed=1' : ''}`,
      loc,
    );
    res.type('text/html; charset=utf-8').send(
      this.views.render('manage', {
        title: cancelled
          ? t('manage.titleCancelled')
          : requestSent
            ? t('manage.titleRequestSent')
            : one(query.booked)
              ? t('manage.titleConfirmed')
              : t('manage.titleYours'),
        i18n: i18nView(req, loc),
        hostHref: withLang('/', loc), // as before: the view names no username (the link led to / already)
        heading: cancelled
          ? t('manage.headingCancelled')
          : answered
            ? t(view.status === 'declined' ? 'manage.headingDeclined' : 'manage.headingExpired')
            : requestSent
              ? t('manage.headingRequestSent')
              : one(query.booked)
                ? dates
                  ? t('manage.headingBookedSeries')
                  : t('manage.headingBooked')
                : one(query.moved)
                  ? t('manage.headingMoved')
                  : t('manage.headingYours'),
        notice,
        answered,
        confirmed: view.status === 'confirmed',
        series: dates,
        cancelSeriesHref: `${q('/cancel')}&all=1`,
        announce: Boolean(one(query.booked) || one(query.moved) || one(query.cancelled)),
        cancelled,
        view,
        invitee,
        host,
        inviteeTime: formatRangeIn(view.startTime, view.endTime, tz, h12, loc.formatLocale),
        inviteeZone: `${tz} (${offsetLabel(view.startTime, tz)})`,
        hostTime: host ? formatRangeIn(view.startTime, view.endTime, host.timeZone, h12, loc.formatLocale) : null,
        hostZone: host ? `${host.timeZone} (${offsetLabel(view.startTime, host.timeZone)})` : null,
        google: googleCalendarLink(view),
        outlook: outlookCalendarLink(view),
        icsHref: q('/ics'),
        cancelHref: q('/cancel'),
        rescheduleHref: q('/reschedule'),
        reason: view.cancellationReason,
        // The booking's own video link (issue #17), or the promise of it while it is being made.
        joinUrl: view.conference?.joinUrl ?? null,
        conferencePending: !view.conference && conferenceProviderOf(view.location) !== null,
        embed: await this.embedding(res, view, query, one(query.booked) !== ''),
      }),
    );
  }

  /**
   * The confirmation inside a host's site (`embed=1`, issue #18): framed by the embed origins of the booking's hosts
   * and of the type's hosts (a round robin may give the booking to a teammate of the host whose page was embedded); a
   * new booking tells the embedding page `kairos:booking_created` with its id and times, never the token.
   */
  private async embedding(res: FastifyReply, view: BookingView, query: Form, booked: boolean) {
    if (!isEmbed(query)) return null;
    const type = await this.meetingTypes.findSnapshot(view.meetingType.id);
    const ids = [...new Set([...view.hosts.map((h) => h.id), ...(type?.hosts.map((h) => h.userId) ?? [])])];
    const origins = [...new Set((await this.users.findByIds(ids)).flatMap((u) => u.embedOrigins))];
    allowFramingBy(res, origins);
    const events: EmbedEvent[] = [{ type: 'kairos:page_loaded', payload: { page: booked ? 'booked' : 'booking' } }];
    if (booked) {
      events.push({
        type: 'kairos:booking_created',
        payload: {
          booking: {
            id: view.id,
            status: view.status,
            start_time: view.startTime.toISOString(),
            end_time: view.endTime.toISOString(),
            meeting_type: view.meetingType.slug,
          },
        },
      });
    }
    return embedView(origins, events);
  }

  @Get(':id/ics')
  async icsFile(@Param('id', uuidParam('id')) id: string, @Query() query: Form, @Res() res: FastifyReply) {
    if (await this.redirectIfMoved(id, '/ics', query, res)) return;
    const { actor } = await this.authorize(id, one(query.token));
    const ics = await this.invitations.icsFor(id, actor);
    res.header('Content-Disposition', 'attachment; filename="meeting.ics"');
    res.type('text/calendar; charset=utf-8').send(ics);
  }

  @Get(':id/cancel')
  async cancelForm(@Param('id', uuidParam('id')) id: string, @Query() query: Form, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    if (await this.redirectIfMoved(id, '/cancel', query, res)) return;
    const { view, invitee } = await this.load(id, one(query.token));
    const loc = pageLocale(req, res, invitee.locale);
    res
      .type('text/html; charset=utf-8')
      .send(this.cancelPage(view, invitee, one(query.token), clockOf(query.h12, loc), null, one(query.all) === '1', loc, req));
  }

  @Post(':id/cancel')
  async cancel(@Param('id', uuidParam('id')) id: string, @Body() body: Form, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const token = one(body.token);
    const { booking, actor } = await this.authorize(id, token);
    const loc = pageLocale(req, res, actor.kind === 'invitee' ? actor.invitee.locale : null);
    const h12 = clockOf(body.h12, loc);
    const all = one(body.scope) === 'series';
    // The reason is typed in a textarea but stored as one line (it goes into emails and calendar events).
    const reason = one(body.reason).replace(/\s*[\r\n]+\s*/g, ' ');
    const lineProblem = singleLineProblem(reason);
    const problem =
      reason.length > 1000
        ? loc.t('cancel.reasonTooLong')
        : lineProblem
          ? loc.t(lineProblem.includes('bidirectional') ? 'cancel.reasonBidi' : 'cancel.reasonControl')
          : null;
    if (problem) {
      const { view, invitee } = await this.load(id, token);
      res
        .status(400)
        .type('text/html; charset=utf-8')
        .send(this.cancelPage(view, invitee, token, h12, problem, all, loc, req));
      return;
    }
    try {
      // "Cancel all remaining dates" of a recurring series: one transaction (BookingSeries.cancelSeries).
      if (all) await this.series.cancelSeries(booking.id, actor, reason || null);
      else await this.commands.cancel(booking.id, actor, reason || null);
    } catch (error) {
      if (!(error instanceof DomainError && (error.code === 'conflict' || (all && error.code === 'invalid')))) throw error;
      const { view, invitee } = await this.load(id, token);
      res
        .status(409)
        .type('text/html; charset=utf-8')
        .send(this.cancelPage(view, invitee, token, h12, error.message, all, loc, req));
      return;
    }
    res.redirect(withLang(`/booking/${booking.id}?token=${encodeURIComponent(token)}&cancelled=1`, loc), 303);
  }

  @Get(':id/reschedule')
  async rescheduleForm(
    @Param('id', uuidParam('id')) id: string,
    @Query() query: Form & PickerQuery,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ) {
    if (await this.redirectIfMoved(id, '/reschedule', query, res)) return;
    const { view, invitee } = await this.load(id, one(query.token));
    const loc = pageLocale(req, res, invitee.locale);
    res.type('text/html; charset=utf-8').send(await this.reschedulePage(view, invitee, one(query.token), query, false, null, loc, req));
  }

  @Post(':id/reschedule')
  async reschedule(@Param('id', uuidParam('id')) id: string, @Body() body: Form, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const token = one(body.token);
    const { booking, actor } = await this.authorize(id, token);
    const loc = pageLocale(req, res, actor.kind === 'invitee' ? actor.invitee.locale : null);
    const start = parseStart(one(body.start));
    const tz = one(body.tz);
    const h12 = clockOf(body.h12, loc);
    const keep = new URLSearchParams({ ...clockParam(h12, loc), ...langParam(loc) }).toString();
    if (!start) {
      res.redirect(withLang(`/booking/${id}/reschedule?token=${encodeURIComponent(token)}`, loc), 303);
      return;
    }
    try {
      const result = await this.commands.reschedule(booking.id, actor, start, null);
      res.redirect(`/booking/${result.booking.id}?token=${encodeURIComponent(token)}&moved=1${keep ? `&${keep}` : ''}`, 303);
    } catch (error) {
      const { view, invitee } = await this.load(id, token);
      const query = { tz, h12: clockParam(h12, loc).h12, date: isIanaTimeZone(tz) ? localDate(start, tz) : undefined };
      if (isTakenError(error)) {
        res
          .status(409)
          .type('text/html; charset=utf-8')
          .send(await this.reschedulePage(view, invitee, token, query, true, null, loc, req));
        return;
      }
      if (error instanceof DomainError && (error.code === 'invalid' || error.code === 'conflict' || error.code === 'not_found')) {
        res
          .status(400)
          .type('text/html; charset=utf-8')
          .send(await this.reschedulePage(view, invitee, token, query, false, error.message, loc, req));
        return;
      }
      throw error;
    }
  }

  private cancelPage(
    view: BookingView,
    invitee: BookingView['invitees'][number],
    token: string,
    h12: boolean,
    error: string | null,
    all: boolean,
    loc: PageLocale,
    req: FastifyRequest,
  ) {
    const tz = invitee.timeZone;
    const dates = all ? seriesDates(view, tz, h12, () => '', loc) : null;
    const keep = new URLSearchParams({ ...clockParam(h12, loc), ...langParam(loc) }).toString();
    return this.views.render('cancel', {
      title: loc.t(dates ? 'cancel.titleSeries' : 'cancel.title'),
      i18n: i18nView(req, loc),
      series: dates && { ...dates, occurrences: dates.occurrences.filter((o) => o.standing) },
      view,
      when: formatRangeIn(view.startTime, view.endTime, tz, h12, loc.formatLocale),
      zoneLabel: tz,
      token,
      h12Param: clockParam(h12, loc).h12,
      lang: loc.keepLang,
      action: `/booking/${view.id}/cancel`,
      backHref: `/booking/${view.id}?token=${encodeURIComponent(token)}${keep ? `&${keep}` : ''}`,
      alreadyCancelled: view.status === 'cancelled' || invitee.status === 'cancelled',
      errorSummary: error,
    });
  }

  private async reschedulePage(
    view: BookingView,
    invitee: BookingView['invitees'][number],
    token: string,
    query: PickerQuery,
    taken: boolean,
    error: string | null,
    loc: PageLocale,
    req: FastifyRequest,
  ) {
    const type = await this.meetingTypes.findSnapshot(view.meetingType.id);
    if (!type || !type.isActive) throw notFound('meeting type');
    // A reschedule keeps the booking's length (one of the type's duration_options): offer times of that length.
    const minutes = (view.endTime.getTime() - view.startTime.getTime()) / 60_000;
    const picker = await this.picker.build({
      type,
      ...(minutes !== type.durationMinutes && type.durationOptions?.includes(minutes) ? { durationMinutes: minutes } : {}),
      fallbackZone: invitee.timeZone,
      query: { ...query, tz: query.tz || invitee.timeZone },
      path: `/booking/${view.id}/reschedule`,
      keep: { token },
      locale: loc,
    });
    const h12 = picker.h12;
    const keep = new URLSearchParams({ ...clockParam(h12, loc), ...langParam(loc) }).toString();
    return this.views.render('reschedule', {
      title: loc.t('reschedule.title'),
      i18n: i18nView(req, loc),
      view,
      picker,
      taken,
      current: formatRangeIn(view.startTime, view.endTime, picker.tz, h12, loc.formatLocale),
      backHref: `/booking/${view.id}?token=${encodeURIComponent(token)}${keep ? `&${keep}` : ''}`,
      slotForm: { action: `/booking/${view.id}/reschedule`, token },
      canMove: view.status === 'confirmed' || view.status === 'pending',
      errorSummary: error,
    });
  }

  /**
   * Rescheduling moves the invitee to a new booking id, and links in earlier mails still name the old one: a valid
   * token whose invitee is now in another booking is sent there (same page, same query), never to a 404. The token
   * already grants that booking, so the redirect reveals nothing it would not.
   */
  private async redirectIfMoved(id: string, page: string, query: Form, res: FastifyReply): Promise<boolean> {
    const current = await this.queries.currentBookingIdForToken(one(query.token));
    if (!current || current === id) return false;
    // Another date of the same recurring series: the token manages it too (a moved date's old id still redirects).
    const other = await this.authorize(id, one(query.token)).catch(() => null);
    if (other && other.booking.status !== 'rescheduled') return false;
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (typeof value === 'string') params.set(key, value);
    res.redirect(`/booking/${current}${page}?${params.toString()}`, 302);
    return true;
  }

  private authorize(id: string, token: string) {
    if (!token) throw notFound('booking');
    return this.queries.authorize(id, { token });
  }

  private async load(id: string, token: string) {
    const { actor } = await this.authorize(id, token);
    const view = await this.queries.getView(id);
    const invitee = actor.kind === 'invitee' ? view?.invitees.find((i) => i.id === actor.invitee.id) : undefined;
    if (!view || !invitee) throw notFound('booking');
    return { view, invitee };
  }
}
