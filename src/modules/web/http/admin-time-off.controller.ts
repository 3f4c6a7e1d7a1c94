import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Clock } from '../../../shared/clock/clock.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { uuidParam } from '../../../shared/http/params.js';
import { queryOf } from '../../../shared/http/request.js';
import { HolidaysService } from '../../availability/application/holidays.service.js';
import { TimeOffService } from '../../availability/application/time-off.service.js';
import { TeamsService } from '../../teams/application/teams.service.js';
import { AdminPages, adminLocale } from '../application/admin-pages.js';
import { UsersService } from '../../identity/application/users.service.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { formatDateStringIn } from '../../../shared/i18n/format.js';
import { localDate } from '../domain/web-time.js';
import { type Errors, type Form, expectDomainError, hasErrors, one, placeProblems, placedBy } from './admin-forms.js';
import { TIME_OFF_FORM_FIELDS, timeOffLabel, timeOffRequestOf } from './time-off-form.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const NOTICES = {
  added: 'admin.timeOff.noticeAdded',
  deleted: 'admin.timeOff.noticeDeleted',
  holidays: 'admin.timeOff.noticeHolidays',
} as const;

/** Time off (listed, added, deleted) and the public holidays the host takes off, through availability's services. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/time-off')
export class AdminTimeOffController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly timeOff: TimeOffService,
    private readonly holidays: HolidaysService,
    private readonly teams: TeamsService,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async show(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply) {
    const done = one(queryOf(req).done);
    const key = Object.hasOwn(NOTICES, done) ? NOTICES[done as keyof typeof NOTICES] : null;
    const notice = key ? adminLocale((await this.users.getById(caller.id)).locale).t(key) : null;
    res.type('text/html; charset=utf-8').send(await this.page(caller, req, res, {}, {}, notice));
  }

  @Post()
  async add(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const errors: Errors = {};
    const { timeZone } = await this.holidays.year(caller.id, undefined);
    const { t } = adminLocale((await this.users.getById(caller.id)).locale);
    const request = timeOffRequestOf(body, timeZone, errors, t);
    if (request && !hasErrors(errors)) {
      try {
        await this.timeOff.create(caller.id, request);
        res.redirect('/admin/time-off?done=added', 303);
        return;
      } catch (error) {
        placeProblems(expectDomainError(error, 'invalid'), placedBy(TIME_OFF_FORM_FIELDS), errors, {
          words: { start_time: 'the start', end_time: 'the end', redirect_to_user_id: 'the teammate' },
        });
      }
    }
    res
      .status(400)
      .type('text/html; charset=utf-8')
      .send(await this.page(caller, req, res, body, errors, null));
  }

  @Post('holidays')
  async setHolidays(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const country = one(body.country) || null;
    // The region box lists the regions of the country saved before: after a change of country it no longer applies.
    const regions = country ? (this.holidays.countries().find((c) => c.code === country)?.regions ?? []) : [];
    const region = regions.some((r) => r.code === one(body.region)) ? one(body.region) : null;
    const errors: Errors = {};
    try {
      await this.holidays.set(caller.id, country, region);
      res.redirect('/admin/time-off?done=holidays#holidays', 303);
      return;
    } catch (error) {
      placeProblems(expectDomainError(error, 'invalid'), placedBy({ country: 'country', region: 'region' }), errors, {
        otherwise: 'country',
      });
    }
    res
      .status(400)
      .type('text/html; charset=utf-8')
      .send(await this.page(caller, req, res, {}, errors, null, body));
  }

  @Post(':id/delete')
  async remove(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Res() res: FastifyReply) {
    await this.timeOff.remove(caller.id, id);
    res.redirect('/admin/time-off?done=deleted', 303);
  }

  /** The teammates a redirect may name: members of the host's teams, by name, each once. */
  private async teammates(userId: string): Promise<{ id: string; name: string }[]> {
    const teams = await Promise.all((await this.teams.listForUser(userId)).map(({ team }) => this.teams.getForMember(userId, team.id)));
    const people = new Map<string, string>();
    for (const m of teams.flatMap((t) => t.members ?? [])) if (m.userId !== userId) people.set(m.userId, m.name || m.username);
    return [...people].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  }

  private async page(
    caller: AuthenticatedUser,
    req: WebRequest,
    res: FastifyReply,
    values: Form,
    errors: Errors,
    notice: string | null,
    holidayPost: Form | null = null,
  ) {
    const ctx = await this.pages.context(caller, req, res, (t) => t('admin.timeOff.title'), 'time-off');
    const { t, formatLocale, locale } = ctx.loc;
    const year = await this.holidays.year(caller.id, undefined, locale);
    const zone = year.timeZone;
    const today = localDate(this.clock.now(), zone);
    const teammates = await this.teammates(caller.id);
    const names = new Map(teammates.map((p) => [p.id, p.name]));
    const ranges = await this.timeOff.list(caller.id, {}, 200);
    // Country names in the host's language (Intl's region names); English keeps the dataset's.
    const regionNames = locale === 'en' ? null : new Intl.DisplayNames([formatLocale], { type: 'region' });
    const countryName = (code: string, name: string) => regionNames?.of(code) ?? name;
    const countries = this.holidays
      .countries(locale)
      .map((c) => ({ ...c, name: countryName(c.code, c.name) }))
      .sort((a, b) => a.name.localeCompare(b.name, formatLocale));
    const country = holidayPost ? one(holidayPost.country) : (year.setting?.country ?? '');
    const region = holidayPost ? one(holidayPost.region) : (year.setting?.region ?? '');
    const redirect = one(values.redirect_to);
    return this.views.render('admin/time-off', {
      ...ctx,
      zone,
      ranges: ranges.map((r) => ({
        id: r.id,
        label: timeOffLabel(r.start, r.end, zone, t, formatLocale),
        now: r.start <= this.clock.now().getTime(),
        reason: r.reason,
        redirect: r.redirectToUserId ? (names.get(r.redirectToUserId) ?? t('admin.timeOff.formerTeammate')) : null,
      })),
      values: {
        start_date: one(values.start_date),
        start_time: one(values.start_time),
        end_date: one(values.end_date),
        end_time: one(values.end_time),
        reason: one(values.reason),
      },
      teammates: teammates.map((p) => ({ value: p.id, label: p.name, selected: p.id === redirect })),
      countries: countries.map((c) => ({ value: c.code, label: c.name, selected: c.code === country })),
      teamsWord: t('admin.timeOff.teams'),
      noCountry: country === '',
      regions: (countries.find((c) => c.code === country)?.regions ?? [])
        .sort((a, b) => a.name.localeCompare(b.name, formatLocale))
        .map((r) => ({ value: r.code, label: r.name, selected: r.code === region })),
      noRegion: region === '',
      following: year.setting
        ? [year.countryName && countryName(year.setting.country, year.countryName), year.regionName].filter(Boolean).join(', ')
        : null,
      // A string: ICU would group a number's digits ("2,027").
      year: String(year.year),
      holidays: year.holidays.map((h) => ({
        date: formatDateStringIn(h.date, formatLocale),
        days: h.days > 1 ? t('admin.timeOff.days', { count: h.days }) : null,
        name: h.name,
        past: h.date < today && h.days <= 1,
      })),
      errors,
      errorSummary: hasErrors(errors) ? (errors.form ?? t('admin.timeOff.errorSummary')) : null,
      notice,
    });
  }
}
