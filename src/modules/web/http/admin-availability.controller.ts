import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SchedulesService } from '../../schedules/application/schedules.service.js';
import { UsersService } from '../../identity/application/users.service.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { AdminPages } from '../application/admin-pages.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { allTimeZones } from '../domain/web-time.js';
import { type Errors, type Form, expectDomainError, hasErrors, one, placeProblems, rowCount } from './admin-forms.js';
import { DAYS, DAY_ORDER, hoursRequestOf, placeHoursProblem } from './availability-form.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { queryOf } from '../../../shared/http/request.js';

const OVERRIDE_ROWS_EXTRA = 2;

/** The host's default schedule: weekly hours per weekday and date overrides. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/availability')
export class AdminAvailabilityController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly users: UsersService,
    private readonly schedules: SchedulesService,
  ) {}

  @Get()
  async show(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply) {
    const me = await this.users.getById(caller.id);
    const current = await this.schedules.getDefault(caller.id);
    const rules = current?.rules ?? [];
    const values: Form = { time_zone: current?.schedule.timeZone ?? me.timeZone };
    for (const d of DAY_ORDER)
      values[`day_${d}`] = rules
        .filter((r) => r.dayOfWeek === d)
        .map((r) => `${r.startTime}-${r.endTime}`)
        .join(', ');
    (current?.overrides ?? []).forEach((o, i) => {
      values[`ov_date_${i}`] = o.date;
      values[`ov_hours_${i}`] = o.intervals.map((x) => `${x.startTime}-${x.endTime}`).join(', ');
    });
    const rows = (current?.overrides.length ?? 0) + OVERRIDE_ROWS_EXTRA;
    const notice = one(queryOf(req).welcome)
      ? 'Welcome! Set the hours when people can book you.'
      : one(queryOf(req).saved)
        ? 'Availability saved.'
        : null;
    res.type('text/html; charset=utf-8').send(await this.page(caller, req, res, values, rows, {}, notice));
  }

  @Post()
  async save(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const errors: Errors = {};
    const { input, rows } = hoursRequestOf(body, errors);
    if (!hasErrors(errors)) {
      try {
        await this.schedules.setDefaultHours(caller.id, input);
        res.redirect('/admin/availability?saved=1', 303);
        return;
      } catch (error) {
        placeProblems(expectDomainError(error, 'invalid'), placeHoursProblem(rows), errors);
      }
    }
    res
      .status(400)
      .type('text/html; charset=utf-8')
      .send(await this.page(caller, req, res, body, Math.max(rowCount(body, 'ov_date_'), 1), errors, null));
  }

  private async page(
    caller: AuthenticatedUser,
    req: WebRequest,
    res: FastifyReply,
    values: Form,
    overrideRows: number,
    errors: Errors,
    notice: string | null,
  ) {
    const tz = one(values.time_zone);
    return this.views.render('admin/availability', {
      ...(await this.pages.context(caller, req, res, 'Availability', 'availability')),
      zones: allTimeZones().map((z) => ({ value: z, selected: z === tz })),
      zoneError: errors.time_zone,
      days: DAY_ORDER.map((d) => ({ d, name: DAYS[d], value: one(values[`day_${d}`]), error: errors[`day_${d}`] })),
      overrides: Array.from({ length: overrideRows }, (_, i) => ({
        i,
        n: i + 1,
        date: one(values[`ov_date_${i}`]),
        hours: one(values[`ov_hours_${i}`]),
        dateError: errors[`ov_date_${i}`],
        hoursError: errors[`ov_hours_${i}`],
      })),
      errorSummary: hasErrors(errors) ? (errors.form ?? 'Please correct the highlighted fields.') : null,
      notice,
    });
  }
}
