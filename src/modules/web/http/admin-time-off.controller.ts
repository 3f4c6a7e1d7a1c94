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
import { AdminPages } from '../application/admin-pages.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { formatDateString, localDate } from '../domain/web-time.js';
import { type Errors, type Form, expectDomainError, hasErrors, one, placeProblems, placedBy } from './admin-forms.js';
import { TIME_OFF_FORM_FIELDS, timeOffLabel, timeOffRequestOf } from './time-off-form.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const NOTICES: Record<string, string> = {
  added: 'Time off added.',
  deleted: 'Time off deleted.',
  holidays: 'Holiday setting saved.',
};

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
    private readonly clock: Clock,
  ) {}

  @Get()
  async show(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply) {
    const notice = NOTICES[one(queryOf(req).done)] ?? null;
    res.type('text/html; charset=utf-8').send(await this.page(caller, req, res, {}, {}, notice));
  }

  @Post()
  async add(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const errors: Errors = {};
    const { timeZone } = await this.holidays.year(caller.id, undefined);
    const request = timeOffRequestOf(body, timeZone, errors);
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
    const year = await this.holidays.year(caller.id, undefined);
    const zone = year.timeZone;
    const today = localDate(this.clock.now(), zone);
    const teammates = await this.teammates(caller.id);
    const names = new Map(teammates.map((p) => [p.id, p.name]));
    const ranges = await this.timeOff.list(caller.id, {}, 200);
    const countries = this.holidays.countries().sort((a, b) => a.name.localeCompare(b.name));
    const country = holidayPost ? one(holidayPost.country) : (year.setting?.country ?? '');
    const region = holidayPost ? one(holidayPost.region) : (year.setting?.region ?? '');
    const redirect = one(values.redirect_to);
    return this.views.render('admin/time-off', {
      ...(await this.pages.context(caller, req, res, 'Time off', 'time-off')),
      zone,
      ranges: ranges.map((r) => ({
        id: r.id,
        label: timeOffLabel(r.start, r.end, zone),
        now: r.start <= this.clock.now().getTime(),
        reason: r.reason,
        redirect: r.redirectToUserId ? (names.get(r.redirectToUserId) ?? 'a former teammate') : null,
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
      noCountry: country === '',
      regions: (countries.find((c) => c.code === country)?.regions ?? [])
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((r) => ({ value: r.code, label: r.name, selected: r.code === region })),
      noRegion: region === '',
      following: year.setting ? [year.countryName, year.regionName].filter(Boolean).join(', ') : null,
      year: year.year,
      holidays: year.holidays.map((h) => ({
        date: formatDateString(h.date),
        days: h.days > 1 ? `${h.days} days` : null,
        name: h.name,
        past: h.date < today && h.days <= 1,
      })),
      errors,
      errorSummary: hasErrors(errors) ? (errors.form ?? 'Please correct the highlighted fields.') : null,
      notice,
    });
  }
}
