import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../../config/app-config.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { queryOf } from '../../../shared/http/request.js';
import { CalendarConnections } from '../../calendar/application/calendar-connections.service.js';
import { UsersService } from '../../identity/application/users.service.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { SchedulesService } from '../../schedules/application/schedules.service.js';
import type { MessageKey } from '../../../shared/i18n/i18n.js';
import { AdminPages, adminLocale } from '../application/admin-pages.js';
import { dayNamesIn } from './availability-form.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { connectionLabel } from '../domain/calendar-labels.js';
import { allTimeZones } from '../domain/web-time.js';
import { type Errors, type Form, expectDomainError, hasErrors, one, placeProblems } from './admin-forms.js';
import { END_TIMES, START_TIMES, type WelcomeHours, dayChoices, welcomeHoursFrom, welcomeHoursOf } from './welcome-hours-form.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const STEPS = [
  { key: 'hours', labelKey: 'admin.welcome.steps.hours' },
  { key: 'calendar', labelKey: 'admin.welcome.steps.calendar' },
  { key: 'share', labelKey: 'admin.welcome.steps.share' },
] as const satisfies ReadonlyArray<{ key: string; labelKey: MessageKey }>;
type Step = (typeof STEPS)[number]['key'];

/**
 * The welcome after sign-up, three steps: 1 working days and hours (checkboxes and 15-minute selects, in the host's
 * zone), 2 connect a calendar (the calendars page's own flows, coming back here), 3 the link to share. Any step can
 * be skipped, and "Skip" ends the welcome for good (users.onboarded_at), as finishing does: it is shown once, and a
 * host past it who opens it lands on the dashboard. Plain forms and links: nothing needs JavaScript.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/welcome')
export class AdminWelcomeController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly users: UsersService,
    private readonly schedules: SchedulesService,
    private readonly types: MeetingTypesService,
    private readonly connections: CalendarConnections,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async start(@CurrentUser() caller: AuthenticatedUser, @Res() res: FastifyReply) {
    const me = await this.users.getById(caller.id);
    res.redirect(me.onboarded ? '/admin' : '/admin/welcome/hours', 303);
  }

  @Get('hours')
  async hours(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply) {
    const me = await this.users.getById(caller.id);
    if (me.onboarded) {
      res.redirect('/admin', 303);
      return;
    }
    const current = await this.schedules.getDefault(caller.id);
    const hours = welcomeHoursOf(current?.schedule.timeZone ?? me.timeZone, current?.rules ?? []);
    res.type('text/html; charset=utf-8').send(await this.hoursPage(caller, req, res, hours, {}));
  }

  @Post('hours')
  async saveHours(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const errors: Errors = {};
    const { t } = adminLocale((await this.users.getById(caller.id)).locale);
    const { hours, rules } = welcomeHoursFrom(body, errors, t);
    if (!hasErrors(errors)) {
      try {
        // The host's own zone follows: it is what the admin shows times in.
        await this.users.update(caller.id, { timeZone: hours.timeZone });
        await this.schedules.setDefaultHours(caller.id, { timeZone: hours.timeZone, rules });
        res.redirect('/admin/welcome/calendar', 303);
        return;
      } catch (error) {
        placeProblems(expectDomainError(error, 'invalid'), () => 'form', errors);
      }
    }
    res
      .status(400)
      .type('text/html; charset=utf-8')
      .send(await this.hoursPage(caller, req, res, hours, errors));
  }

  @Get('calendar')
  async calendar(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply) {
    const me = await this.users.getById(caller.id);
    if (me.onboarded) {
      res.redirect('/admin', 303);
      return;
    }
    const ctx = await this.pages.context(caller, req, res, (t) => t('admin.welcome.calendar.title'), 'welcome');
    const { t } = ctx.loc;
    const connected = (await this.connections.list(caller.id)).map((c) => connectionLabel(c));
    const notice =
      one(queryOf(req).connected) && connected.length > 0
        ? t('admin.welcome.calendar.notice', { label: connected[connected.length - 1] })
        : null;
    const summary = one(queryOf(req).error) ? t('admin.welcome.calendar.failed') : null;
    res.type('text/html; charset=utf-8').send(
      this.views.render('admin/welcome-calendar', {
        ...ctx,
        steps: this.steps('calendar'),
        connected,
        notice,
        errorSummary: summary,
      }),
    );
  }

  @Get('share')
  async share(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply) {
    const me = await this.users.getById(caller.id);
    if (me.onboarded) {
      res.redirect('/admin', 303);
      return;
    }
    const { items } = await this.types.list(caller.id, 100, 0);
    const first = items.map((t) => t.snapshot).find((t) => t.isActive && !t.isSecret);
    res.type('text/html; charset=utf-8').send(
      this.views.render('admin/welcome-share', {
        ...(await this.pages.context(caller, req, res, (t) => t('admin.welcome.share.title'), 'welcome')),
        steps: this.steps('share'),
        pageLink: `${this.config.publicUrl}/${me.username}`,
        type: first
          ? { name: first.name, minutes: first.durationMinutes, link: `${this.config.publicUrl}/${me.username}/${first.slug}` }
          : null,
      }),
    );
  }

  /** Finishing and skipping both end the welcome and go to the dashboard. */
  @Post('done')
  async done(@CurrentUser() caller: AuthenticatedUser, @Body() body: Form, @Res() res: FastifyReply) {
    await this.users.markOnboarded(caller.id);
    res.redirect(one(body.skipped) ? '/admin?welcome=skipped' : '/admin?welcome=done', 303);
  }

  private steps(current: Step) {
    const at = STEPS.findIndex((s) => s.key === current);
    return STEPS.map((s, i) => ({ ...s, n: i + 1, current: i === at, done: i < at }));
  }

  private async hoursPage(caller: AuthenticatedUser, req: WebRequest, res: FastifyReply, hours: WelcomeHours, errors: Errors) {
    const ctx = await this.pages.context(caller, req, res, (t) => t('admin.welcome.hours.title'), 'welcome');
    return this.views.render('admin/welcome-hours', {
      ...ctx,
      steps: this.steps('hours'),
      errors,
      // errors.form: the schedules' own refusal (an API domain message, in English).
      errorSummary: hasErrors(errors) ? (errors.form ?? ctx.loc.t('admin.welcome.hours.summary')) : null,
      days: dayChoices(hours.days, dayNamesIn(ctx.loc.formatLocale)),
      starts: START_TIMES.map((t) => ({ value: t, selected: t === hours.start })),
      ends: END_TIMES.map((t) => ({ value: t, selected: t === hours.end })),
      zones: allTimeZones().map((z) => ({ value: z, selected: z === hours.timeZone })),
    });
  }
}
