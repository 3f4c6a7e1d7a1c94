import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Clock } from '../../../shared/clock/clock.js';
import { DomainError, invalid, notFound } from '../../../shared/http/domain-error.js';
import { uuidParam } from '../../../shared/http/params.js';
import { singleLineProblem } from '../../../shared/validation/text.js';
import { BookingCalendarEvents } from '../../calendar/application/booking-calendar-events.service.js';
import { BookingApprovals } from '../../booking/application/booking-approval.service.js';
import { BookingCommands } from '../../booking/application/booking-commands.service.js';
import { BookingQueries } from '../../booking/application/booking-queries.service.js';
import type { BookingView } from '../../booking/domain/booking-views.js';
import { UsersService } from '../../identity/application/users.service.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { isIanaTimeZone } from '../../../shared/validation/time-zone-name.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { AdminBookingDetails } from '../application/admin-booking-details.js';
import { AdminPages, adminLocale, type AdminLocale } from '../application/admin-pages.js';
import { BookingPicker, type PickerQuery } from '../application/booking-picker.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { localDate, parseStart } from '../domain/web-time.js';
import { frequencyWord, statusBadge } from '../application/booking-words.js';
import { formatDateTimeIn, formatRangeIn } from '../../../shared/i18n/format.js';
import type { MessageKey, Translate } from '../../../shared/i18n/i18n.js';
import { type Form, one, sentence } from './admin-forms.js';
import { WebExceptionFilter, isTakenError } from './web-exception.filter.js';
import { queryOf } from '../../../shared/http/request.js';

/** What the dashboard says after an action (its redirect's query flag). */
const NOTICES: Array<[string, MessageKey]> = [
  ['cancelled', 'admin.bookings.notice.cancelled'],
  ['confirmed', 'admin.bookings.notice.confirmed'],
  ['declined', 'admin.bookings.notice.declined'],
  ['welcome', 'admin.bookings.notice.welcome'],
  ['verify', 'admin.bookings.notice.verify'],
  ['no_show', 'admin.bookings.notice.noShow'],
  ['no_show_undone', 'admin.bookings.notice.noShowUndone'],
];

/** What the details page says after an action. */
const DETAIL_NOTICES: Array<[string, MessageKey]> = [['moved', 'admin.bookings.notice.moved'], ...NOTICES];

/** The notice for the first flag present in the query, in the host's language. */
const noticeOf = (notices: Array<[string, MessageKey]>, query: Form, t: Translate): string | null => {
  const key = notices.find(([flag]) => one(query[flag]))?.[1];
  return key ? t(key) : null;
};

/** views/partials/no-show-button.hbs: a confirmed meeting that has started can have a no-show. */
function noShowState(view: BookingView, now: Date): { markable: boolean; marked: boolean } {
  return { markable: view.status === 'confirmed' && view.startTime <= now, marked: view.invitees.some((i) => i.noShowAt) };
}

/** The list filter the details page was opened from (only the list's own parameters), as a query string. */
function listQuery(back: string): string {
  const given = new URLSearchParams(back.slice(0, 600));
  const kept = new URLSearchParams();
  for (const key of ['status', 'from', 'to', 'q', 'page']) {
    const value = given.get(key);
    if (value && value.length <= 200) kept.set(key, value);
  }
  return kept.toString();
}

/** `&back=…` for a redirect to the details page that keeps the way back to the list. */
const backParam = (body: Form): string => {
  const back = listQuery(one(body.back));
  return back ? `&back=${encodeURIComponent(back)}` : '';
};

const PROVIDER_NAMES = { google_meet: 'Google Meet', microsoft_teams: 'Microsoft Teams', zoom: 'Zoom', jitsi: 'Jitsi Meet' } as const;

/** What a booking row adds where present: the meeting's length, guests, its video link and its place in a series. */
function bookingDetails(view: BookingView, t: Translate) {
  const guests = [...new Set(view.invitees.flatMap((i) => i.guests))];
  const position = view.series?.occurrences.find((o) => o.bookingId === view.id)?.position;
  return {
    duration: t('admin.bookings.minutes', { count: view.meetingType.durationMinutes }),
    guests: guests.length ? guests.join(', ') : null,
    conference: view.conference && { url: view.conference.joinUrl, provider: PROVIDER_NAMES[view.conference.provider] },
    series:
      view.series && position !== undefined
        ? // positions count from 0
          t('admin.bookings.seriesPosition', {
            position: position + 1,
            count: view.series.count,
            frequency: frequencyWord(view.series.frequency, t),
          })
        : null,
  };
}

/** The admin's home: requests awaiting an answer, the host's upcoming and past bookings; confirming, declining, cancelling. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin')
export class AdminBookingsController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly users: UsersService,
    private readonly queries: BookingQueries,
    private readonly commands: BookingCommands,
    private readonly clock: Clock,
    private readonly calendarEvents: BookingCalendarEvents,
    private readonly approvals: BookingApprovals,
    private readonly details: AdminBookingDetails,
    private readonly picker: BookingPicker,
    private readonly meetingTypes: MeetingTypesService,
  ) {}

  @Get()
  async dashboard(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply, @Query('h12') h12q?: string) {
    const me = await this.users.getById(caller.id);
    const now = this.clock.now();
    const h12 = h12q === '1';
    const context = await this.pages.context(caller, req, res, (t) => t('admin.bookings.title'), 'bookings');
    const { t, formatLocale } = context.loc;
    const upcoming = await this.queries.listForHost(me.id, { status: 'confirmed', from: now, limit: 100, offset: 0 });
    const requests = await this.queries.listForHost(me.id, { status: 'pending', from: now, limit: 100, offset: 0 });
    const past = await this.queries.listForHost(me.id, { to: now, limit: 30, offset: 0 });
    const cancelled = await this.queries.listForHost(me.id, { status: 'cancelled', from: now, limit: 30, offset: 0 });
    // Requests that will not take place (declined, or expired unanswered) are listed with the cancelled ones.
    const declined = await this.queries.listForHost(me.id, { status: 'declined', from: now, limit: 30, offset: 0 });
    const expired = await this.queries.listForHost(me.id, { status: 'expired', from: now, limit: 30, offset: 0 });
    const describe = async (rows: { id: string }[]) => {
      const flags = await this.calendarEvents.flaggedFor(
        me.id,
        rows.map((r) => r.id),
      );
      return (await this.queries.getViews(rows.map((r) => r.id))).map((view) => ({
        id: view.id,
        status: view.status,
        statusBadge: statusBadge(view.status, t),
        type: view.meetingType.name,
        when: formatRangeIn(view.startTime, view.endTime, me.timeZone, h12, formatLocale),
        invitees: view.invitees
          .filter((i) => i.status === 'active' || view.status !== 'confirmed')
          .map((i) => `${i.name} <${i.email}>`)
          .join(', '),
        cancellable: view.status === 'confirmed' && view.endTime > now,
        // requires_confirmation: the host's answer is due by then (the request expires).
        expires:
          view.status === 'pending' && view.confirmationExpiresAt
            ? formatDateTimeIn(view.confirmationExpiresAt, me.timeZone, false, formatLocale)
            : null,
        calendarFlag: flags.get(view.id) ?? null,
        noShow: noShowState(view, now),
        ...bookingDetails(view, t),
      }));
    };
    res.type('text/html; charset=utf-8').send(
      this.views.render('admin/dashboard', {
        ...context,
        zone: me.timeZone,
        upcoming: (await describe(upcoming.rows)).reverse(),
        requests: (await describe(requests.rows)).reverse(),
        past: await describe([...cancelled.rows, ...declined.rows, ...expired.rows, ...past.rows]),
        notice: noticeOf(NOTICES, queryOf(req), t),
      }),
    );
  }

  /**
   * A booking's details (the host's "Manage this booking" link and the invitation's URL): a rescheduled booking id
   * leads to the booking it became. Another host's booking (or none) is a 404.
   */
  @Get('bookings/:id')
  async booking(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Req() req: WebRequest,
    @Res() res: FastifyReply,
    @Query() query: Form,
  ) {
    await this.queries.authorize(id, { userId: caller.id });
    const view = await this.queries.getView(id);
    if (!view) throw notFound('booking');
    const current = await this.queries.currentOf(view);
    if (current.id !== id) {
      const keep = new URLSearchParams();
      for (const key of ['back', 'h12']) if (one(query[key])) keep.set(key, one(query[key]));
      res.redirect(`/admin/bookings/${current.id}${keep.size ? `?${keep.toString()}` : ''}`, 303);
      return;
    }
    await this.renderDetails(caller, req, res, current, query, null, 200);
  }

  @Post('bookings/:id/cancel')
  async cancel(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: Form,
    @Req() req: WebRequest,
    @Res() res: FastifyReply,
  ) {
    const { actor } = await this.queries.authorize(id, { userId: caller.id });
    const fromDetails = one(body.return) === 'details';
    const reason = one(body.reason).replace(/\s*[\r\n]+\s*/g, ' ');
    const problem = reason.length > 1000 || singleLineProblem(reason) ? 'admin.bookings.reasonTooLong' : null;
    if (problem && fromDetails) {
      const view = await this.queries.getView(id);
      if (!view) throw notFound('booking');
      await this.renderDetails(caller, req, res, view, { ...body, field: 'cancel' }, problem, 400);
      return;
    }
    if (problem) throw invalid('The reason must be one line of at most 1000 characters.');
    await this.commands.cancel(id, actor, reason || null);
    res.redirect(fromDetails ? `/admin/bookings/${id}?cancelled=1${backParam(body)}` : '/admin?cancelled=1', 303);
  }

  /** A request (requires_confirmation) answered from the list; a 409 (expired, answered meanwhile) renders its reason. */
  @Post('bookings/:id/confirm')
  async confirm(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: Form,
    @Res() res: FastifyReply,
  ) {
    await this.approvals.confirm(id, caller.id);
    res.redirect(one(body.return) === 'details' ? `/admin/bookings/${id}?confirmed=1${backParam(body)}` : '/admin?confirmed=1', 303);
  }

  @Post('bookings/:id/decline')
  async decline(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: Form,
    @Req() req: WebRequest,
    @Res() res: FastifyReply,
  ) {
    const reason = one(body.reason).replace(/\s*[\r\n]+\s*/g, ' ');
    if (reason.length > 1000 || singleLineProblem(reason)) {
      if (one(body.return) !== 'details') throw invalid('The reason must be one line of at most 1000 characters.');
      await this.queries.authorize(id, { userId: caller.id });
      const view = await this.queries.getView(id);
      if (!view) throw notFound('booking');
      await this.renderDetails(caller, req, res, view, { ...body, field: 'decline' }, 'admin.bookings.reasonTooLong', 400);
      return;
    }
    await this.approvals.decline(id, caller.id, reason || null);
    res.redirect(one(body.return) === 'details' ? `/admin/bookings/${id}?declined=1${backParam(body)}` : '/admin?declined=1', 303);
  }

  /** The host picks a new time from the type's real slot list (the booking picker), with an optional reason. */
  @Get('bookings/:id/reschedule')
  async rescheduleForm(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Req() req: WebRequest,
    @Res() res: FastifyReply,
    @Query() query: Form & PickerQuery,
  ) {
    await this.queries.authorize(id, { userId: caller.id });
    const view = await this.queries.getView(id);
    if (!view) throw notFound('booking');
    const current = await this.queries.currentOf(view);
    if (current.id !== id) {
      res.redirect(`/admin/bookings/${current.id}/reschedule`, 303);
      return;
    }
    await this.renderReschedule(caller, req, res, view, query, { status: 200 });
  }

  /** Through the same reschedule command as the API (same checks); a time taken meanwhile is a form message (409). */
  @Post('bookings/:id/reschedule')
  async reschedule(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: Form,
    @Req() req: WebRequest,
    @Res() res: FastifyReply,
  ) {
    const { booking, actor } = await this.queries.authorize(id, { userId: caller.id });
    const start = parseStart(one(body.start));
    const tz = one(body.tz);
    const h12 = one(body.h12) === '1';
    const reason = one(body.reason).replace(/\s*[\r\n]+\s*/g, ' ');
    const query: PickerQuery = { tz, h12: h12 ? '1' : undefined, date: start && isIanaTimeZone(tz) ? localDate(start, tz) : undefined };
    const { t } = adminLocale((await this.users.getById(caller.id)).locale);
    const again = async (options: { status: number; taken?: boolean; error?: string; reasonError?: string }) => {
      const view = await this.queries.getView(id);
      if (!view) throw notFound('booking');
      await this.renderReschedule(caller, req, res, view, query, { ...options, reason });
    };
    if (reason.length > 1000 || singleLineProblem(reason)) {
      await again({ status: 400, reasonError: t('admin.bookings.reasonTooLong') });
      return;
    }
    if (!start) {
      await again({ status: 400, error: t('admin.bookings.reschedule.pickTime') });
      return;
    }
    try {
      const result = await this.commands.reschedule(booking.id, actor, start, reason || null);
      res.redirect(`/admin/bookings/${result.booking.id}?moved=1${h12 ? '&h12=1' : ''}`, 303);
    } catch (error) {
      if (isTakenError(error)) {
        // Taken meanwhile, unless the booking itself can no longer move (cancelled, moved or answered meanwhile).
        const fresh = await this.queries.getView(id);
        const live = fresh !== null && (fresh.status === 'confirmed' || fresh.status === 'pending');
        const message = error instanceof DomainError ? sentence(error.message) : t('admin.bookings.reschedule.cannotMove');
        await again(live ? { status: 409, taken: true } : { status: 409, error: message });
        return;
      }
      if (error instanceof DomainError && (error.code === 'invalid' || error.code === 'unprocessable')) {
        await again({ status: 400, error: sentence(error.message) });
        return;
      }
      throw error;
    }
  }

  private async renderDetails(
    caller: AuthenticatedUser,
    req: WebRequest,
    res: FastifyReply,
    view: BookingView,
    query: Form,
    error: MessageKey | null,
    status: number,
  ) {
    const me = await this.users.getById(caller.id);
    const h12 = one(query.h12) === '1';
    const loc: AdminLocale = adminLocale(me.locale);
    const details = await this.details.build(me.id, view, me.timeZone, h12, loc);
    const back = listQuery(one(query.back));
    res
      .status(status)
      .type('text/html; charset=utf-8')
      .send(
        this.views.render('admin/booking', {
          ...(await this.pages.context(
            caller,
            req,
            res,
            (t) => t('admin.bookings.details.pageTitle', { type: details.type }),
            'booking-list',
          )),
          booking: details,
          zone: me.timeZone,
          backHref: `/admin/bookings${back ? `?${back}` : ''}`,
          back,
          noShow: noShowState(view, this.clock.now()),
          notice: noticeOf(DETAIL_NOTICES, query, loc.t),
          errorSummary: error ? loc.t(error) : null,
          // The form the error is about keeps what was typed and is marked invalid.
          cancelError: error !== null && one(query.field) === 'cancel',
          declineError: error !== null && one(query.field) === 'decline',
          reason: error ? one(query.reason) : '',
        }),
      );
  }

  private async renderReschedule(
    caller: AuthenticatedUser,
    req: WebRequest,
    res: FastifyReply,
    view: BookingView,
    query: PickerQuery,
    state: { status: number; taken?: boolean; error?: string; reasonError?: string; reason?: string },
  ) {
    const me = await this.users.getById(caller.id);
    const type = await this.meetingTypes.findSnapshot(view.meetingType.id);
    const live = (view.status === 'confirmed' || view.status === 'pending') && view.endTime > this.clock.now();
    const movable = live && type !== null && type.isActive;
    const path = `/admin/bookings/${view.id}/reschedule`;
    const minutes = view.meetingType.durationMinutes;
    const context = await this.pages.context(
      caller,
      req,
      res,
      (t) => t('admin.bookings.reschedule.title', { type: view.meetingType.name }),
      'booking-list',
    );
    const picker =
      live && type?.isActive
        ? await this.picker.build({
            type,
            // A reschedule keeps the booking's length (one of the type's duration_options): offer times of that length.
            ...(minutes !== type.durationMinutes && type.durationOptions?.includes(minutes) ? { durationMinutes: minutes } : {}),
            fallbackZone: me.timeZone,
            query: { ...query, tz: query.tz || me.timeZone },
            path,
            // The host's language: the picker's labels, dates and clock.
            locale: { ...context.loc, keepLang: null },
          })
        : null;
    res
      .status(state.status)
      .type('text/html; charset=utf-8')
      .send(
        this.views.render('admin/booking-reschedule', {
          ...context,
          view,
          picker,
          movable,
          inactiveType: type?.isActive !== true,
          current: formatRangeIn(view.startTime, view.endTime, picker?.tz ?? me.timeZone, picker?.h12 ?? false, context.loc.formatLocale),
          invitees: view.invitees
            .filter((i) => i.status === 'active')
            .map((i) => i.name)
            .join(', '),
          backHref: `/admin/bookings/${view.id}`,
          typesLink: context.loc.t('admin.bookings.reschedule.typesLink'),
          slotForm: { action: path, csrf: context.csrf, reason: { value: state.reason ?? '', error: state.reasonError ?? null } },
          taken: state.taken === true,
          errorSummary: state.error ?? state.reasonError ?? null,
        }),
      );
  }
}
