import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Clock } from '../../../shared/clock/clock.js';
import { invalid } from '../../../shared/http/domain-error.js';
import { uuidParam } from '../../../shared/http/params.js';
import { singleLineProblem } from '../../../shared/validation/text.js';
import { BookingCalendarEvents } from '../../calendar/application/booking-calendar-events.service.js';
import { BookingApprovals } from '../../booking/application/booking-approval.service.js';
import { BookingCommands } from '../../booking/application/booking-commands.service.js';
import { BookingQueries } from '../../booking/application/booking-queries.service.js';
import type { BookingView } from '../../booking/domain/booking-views.js';
import { UsersService } from '../../identity/application/users.service.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { AdminPages } from '../application/admin-pages.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { formatDateTime, formatRange } from '../domain/web-time.js';
import { type Form, one } from './admin-forms.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { queryOf } from '../../../shared/http/request.js';

/** What the dashboard says after an action (its redirect's query flag). */
const NOTICES: Array<[string, string]> = [
  ['cancelled', 'The booking was cancelled and the invitee will be told.'],
  ['confirmed', 'The booking was confirmed; the invitee gets the invitation.'],
  ['declined', 'The request was declined and the invitee will be told; the time is free again.'],
  ['no_show', 'Marked as a no-show; it counts in Insights.'],
  ['no_show_undone', 'The no-show mark was taken back.'],
];

const FREQUENCY_WORDS = { weekly: 'weekly', every_two_weeks: 'every two weeks', monthly: 'monthly' } as const;
const PROVIDER_NAMES = { google_meet: 'Google Meet', microsoft_teams: 'Microsoft Teams', zoom: 'Zoom', jitsi: 'Jitsi Meet' } as const;

/** What a booking row adds where present: the meeting's length, guests, its video link and its place in a series. */
function bookingDetails(view: BookingView) {
  const guests = [...new Set(view.invitees.flatMap((i) => i.guests))];
  const position = view.series?.occurrences.find((o) => o.bookingId === view.id)?.position;
  return {
    duration: `${view.meetingType.durationMinutes} min`,
    guests: guests.length ? guests.join(', ') : null,
    conference: view.conference && { url: view.conference.joinUrl, provider: PROVIDER_NAMES[view.conference.provider] },
    series:
      view.series && position !== undefined
        ? `${position + 1} of ${view.series.count}, ${FREQUENCY_WORDS[view.series.frequency]}` // positions count from 0
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
  ) {}

  @Get()
  async dashboard(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply, @Query('h12') h12q?: string) {
    const me = await this.users.getById(caller.id);
    const now = this.clock.now();
    const h12 = h12q === '1';
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
        type: view.meetingType.name,
        when: formatRange(view.startTime, view.endTime, me.timeZone, h12),
        invitees: view.invitees
          .filter((i) => i.status === 'active' || view.status !== 'confirmed')
          .map((i) => `${i.name} <${i.email}>`)
          .join(', '),
        cancellable: view.status === 'confirmed' && view.endTime > now,
        // requires_confirmation: the host's answer is due by then (the request expires).
        expires: view.status === 'pending' && view.confirmationExpiresAt ? formatDateTime(view.confirmationExpiresAt, me.timeZone) : null,
        calendarFlag: flags.get(view.id) ?? null,
        // views/partials/no-show-button.hbs: a confirmed meeting that has started can have a no-show.
        noShow: { markable: view.status === 'confirmed' && view.startTime <= now, marked: view.invitees.some((i) => i.noShowAt) },
        ...bookingDetails(view),
      }));
    };
    res.type('text/html; charset=utf-8').send(
      this.views.render('admin/dashboard', {
        ...(await this.pages.context(caller, req, res, 'Bookings', 'bookings')),
        zone: me.timeZone,
        upcoming: (await describe(upcoming.rows)).reverse(),
        requests: (await describe(requests.rows)).reverse(),
        past: await describe([...cancelled.rows, ...declined.rows, ...expired.rows, ...past.rows]),
        notice: NOTICES.find(([key]) => one(queryOf(req)[key]))?.[1] ?? null,
      }),
    );
  }

  /**
   * The host's "Manage this booking" link and the invitation's URL: the booking as it is now (a rescheduled booking
   * id leads to the booking it became) in the host's list of bookings.
   */
  @Get('bookings/:id')
  async booking(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Res() res: FastifyReply) {
    await this.queries.authorize(id, { userId: caller.id });
    const view = await this.queries.getView(id);
    const current = view ? await this.queries.currentOf(view) : null;
    const target = current?.id ?? id;
    res.redirect(`/admin?booking=${target}#booking-${target}`, 303);
  }

  @Post('bookings/:id/cancel')
  async cancel(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: Form,
    @Res() res: FastifyReply,
  ) {
    const { actor } = await this.queries.authorize(id, { userId: caller.id });
    await this.commands.cancel(id, actor, one(body.reason) || null);
    res.redirect('/admin?cancelled=1', 303);
  }

  /** A request (requires_confirmation) answered from the list; a 409 (expired, answered meanwhile) renders its reason. */
  @Post('bookings/:id/confirm')
  async confirm(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Res() res: FastifyReply) {
    await this.approvals.confirm(id, caller.id);
    res.redirect('/admin?confirmed=1', 303);
  }

  @Post('bookings/:id/decline')
  async decline(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: Form,
    @Res() res: FastifyReply,
  ) {
    const reason = one(body.reason).replace(/\s*[\r\n]+\s*/g, ' ');
    if (reason.length > 1000 || singleLineProblem(reason)) throw invalid('The reason must be one line of at most 1000 characters.');
    await this.approvals.decline(id, caller.id, reason || null);
    res.redirect('/admin?declined=1', 303);
  }
}
