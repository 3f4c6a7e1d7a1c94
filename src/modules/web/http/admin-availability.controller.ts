import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Clock } from '../../../shared/clock/clock.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { queryOf } from '../../../shared/http/request.js';
import { firstDayOfWeek, formatDateStringIn, formatMonthIn, weekdayNames } from '../../../shared/i18n/format.js';
import type { Translate } from '../../../shared/i18n/i18n.js';
import { canonicalTimeZone } from '../../../shared/validation/time-zone.js';
import { UsersService } from '../../identity/application/users.service.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { type OverrideInput, type RuleInput, type ScheduleView, SchedulesService } from '../../schedules/application/schedules.service.js';
import { type AdminLocale, AdminPages, adminLocale } from '../application/admin-pages.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { MONTH_PATTERN, addMonths, allTimeZones, isRealDate, localDate, monthGrid } from '../domain/web-time.js';
import { type Errors, type Form, expectDomainError, hasErrors, one } from './admin-forms.js';
import {
  DAY_ORDER,
  DEFAULT_ROW,
  type OverrideForm,
  QUARTER_HOURS,
  type WeekForm,
  applyOverrideRowEdit,
  applyRowEdit,
  dayNamesIn,
  intervalsLabel,
  overrideOf,
  placeHoursProblems,
  postedOverride,
  postedWeek,
  rulesOf,
  weekSummary,
  weekFormOf,
} from './availability-form.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const BASE = '/admin/availability';
/** A new schedule's hours: Monday to Friday, 09:00-17:00 (edited right after). */
const NEW_SCHEDULE_RULES: RuleInput[] = [1, 2, 3, 4, 5].map((d) => ({ dayOfWeek: d, startTime: '09:00', endTime: '17:00' }));

interface PageState {
  week?: WeekForm;
  timeZone?: string;
  override?: OverrideForm;
  create?: { name: string; time_zone: string };
  rename?: string;
  errors?: Errors;
  notice?: string | null;
  month?: string;
}

/**
 * The host's named schedules (GET|POST /api/schedules underneath): the list with create, rename, default and delete,
 * and per schedule the weekly hours editor and date overrides on a month calendar. `/admin/availability` is the
 * default schedule; `/admin/availability/schedules/:id` any of the host's schedules.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/availability')
export class AdminAvailabilityController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly users: UsersService,
    private readonly schedules: SchedulesService,
    private readonly meetingTypes: MeetingTypesService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async showDefault(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply) {
    await this.show(caller, req, res, await this.schedules.getDefault(caller.id));
  }

  @Get('schedules/:id')
  async showSchedule(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: WebRequest,
    @Res() res: FastifyReply,
  ) {
    await this.show(caller, req, res, await this.schedules.get(caller.id, id));
  }

  @Post()
  async saveDefaultHours(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    await this.saveHours(caller, req, res, body, await this.schedules.getDefault(caller.id));
  }

  @Post('overrides')
  async saveDefaultOverride(
    @CurrentUser() caller: AuthenticatedUser,
    @Req() req: WebRequest,
    @Body() body: Form,
    @Res() res: FastifyReply,
  ) {
    await this.saveOverride(caller, req, res, body, await this.schedules.getDefault(caller.id));
  }

  @Post('overrides/delete')
  async deleteDefaultOverride(@CurrentUser() caller: AuthenticatedUser, @Body() body: Form, @Res() res: FastifyReply) {
    await this.deleteOverride(caller, res, body, await this.schedules.getDefault(caller.id));
  }

  @Post('schedules')
  async create(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const { t } = await this.locOf(caller.id);
    const errors: Errors = {};
    const name = nameOf(body.name, 'new_name', errors, t);
    const timeZone = canonicalTimeZone(one(body.time_zone));
    if (!timeZone) errors.new_time_zone = t('admin.availability.chooseZone');
    if (!hasErrors(errors) && timeZone) {
      const created = await this.schedules.create(caller.id, { name, timeZone, rules: NEW_SCHEDULE_RULES });
      res.redirect(`${await this.baseOf(caller.id, created)}?created=1`, 303);
      return;
    }
    const current = await this.schedules.getDefault(caller.id);
    await this.send(caller, req, res, current, 400, { create: { name: one(body.name), time_zone: one(body.time_zone) }, errors });
  }

  @Post('schedules/:id')
  async saveScheduleHours(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: WebRequest,
    @Body() body: Form,
    @Res() res: FastifyReply,
  ) {
    await this.saveHours(caller, req, res, body, await this.schedules.get(caller.id, id));
  }

  @Post('schedules/:id/overrides')
  async saveScheduleOverride(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: WebRequest,
    @Body() body: Form,
    @Res() res: FastifyReply,
  ) {
    await this.saveOverride(caller, req, res, body, await this.schedules.get(caller.id, id));
  }

  @Post('schedules/:id/overrides/delete')
  async deleteScheduleOverride(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
    @Res() res: FastifyReply,
  ) {
    await this.deleteOverride(caller, res, body, await this.schedules.get(caller.id, id));
  }

  @Post('schedules/:id/rename')
  async rename(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: WebRequest,
    @Body() body: Form,
    @Res() res: FastifyReply,
  ) {
    const current = await this.schedules.get(caller.id, id);
    const { t } = await this.locOf(caller.id);
    const errors: Errors = {};
    const name = nameOf(body.name, 'name', errors, t);
    if (hasErrors(errors)) {
      await this.send(caller, req, res, current, 400, { rename: one(body.name), errors });
      return;
    }
    const renamed = await this.schedules.update(caller.id, id, { name });
    res.redirect(`${await this.baseOf(caller.id, renamed)}?renamed=1`, 303);
  }

  @Post('schedules/:id/default')
  async makeDefault(@CurrentUser() caller: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string, @Res() res: FastifyReply) {
    await this.schedules.update(caller.id, id, { isDefault: true });
    res.redirect(`${BASE}?made_default=1`, 303);
  }

  @Post('schedules/:id/delete')
  async remove(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: WebRequest,
    @Res() res: FastifyReply,
  ) {
    const current = await this.schedules.get(caller.id, id);
    const users = (await this.typesByScheduleId(caller.id)).get(id) ?? [];
    const { t } = await this.locOf(caller.id);
    const refusal = current.schedule.isDefault
      ? t('admin.availability.refuseDefault', { name: current.schedule.name })
      : users.length
        ? t('admin.availability.refuseUsed', {
            name: current.schedule.name,
            types: users.map((n) => `“${n}”`).join(', '),
            count: users.length,
          })
        : null;
    if (refusal) {
      await this.send(caller, req, res, current, 409, { errors: { form: refusal } });
      return;
    }
    await this.schedules.remove(caller.id, id);
    res.redirect(`${BASE}?deleted=1`, 303);
  }

  // ---- the three edits of a schedule's page ----

  private async saveHours(caller: AuthenticatedUser, req: WebRequest, res: FastifyReply, body: Form, current: ScheduleView | null) {
    const loc = await this.locOf(caller.id);
    const { t } = loc;
    const names = dayNamesIn(loc.formatLocale);
    const week = postedWeek(body);
    const timeZone = canonicalTimeZone(one(body.time_zone));
    const edit = applyRowEdit(body, week, t, names);
    const state: PageState = { week, timeZone: timeZone ?? one(body.time_zone) };
    if (edit) {
      await this.send(caller, req, res, current, 200, { ...state, notice: edit });
      return;
    }
    const errors: Errors = {};
    if (!timeZone) errors.time_zone = t('admin.availability.chooseZone');
    for (const d of DAY_ORDER) {
      if (one(body[`avail_${d}`]) && !week[d].available) errors[`avail_${d}`] = t('admin.availability.dayEmpty', { day: names.long[d] });
    }
    const { rules, rows } = rulesOf(week, errors, t);
    if (!hasErrors(errors) && timeZone) {
      try {
        const saved = await this.writeHours(caller.id, current, { timeZone, rules });
        res.redirect(`${await this.baseOf(caller.id, saved)}?saved=1`, 303);
        return;
      } catch (error) {
        placeHoursProblems(expectDomainError(error, 'invalid'), errors, rows, -1, t);
      }
    }
    await this.send(caller, req, res, current, 400, { ...state, errors });
  }

  private async saveOverride(caller: AuthenticatedUser, req: WebRequest, res: FastifyReply, body: Form, current: ScheduleView | null) {
    const { t } = await this.locOf(caller.id);
    const form = postedOverride(body);
    const month = monthOf(form.date);
    if (applyOverrideRowEdit(body, form)) {
      await this.send(caller, req, res, current, 200, { override: form, month });
      return;
    }
    const errors: Errors = {};
    const zone = current?.schedule.timeZone ?? (await this.users.getById(caller.id)).timeZone;
    if (form.date && !isRealDate(form.date) && /^\d{4}-\d{2}-\d{2}$/.test(form.date))
      errors.ov_date = t('admin.availability.notARealDate', { date: form.date });
    const override = hasErrors(errors) ? null : overrideOf(form, errors, localDate(this.clock.now(), zone), t);
    if (override) {
      // One override per date: a date that had one gets the new hours.
      const others = (current?.overrides ?? []).filter((o) => o.date !== override.date);
      const overrides = [...others, override];
      try {
        const saved = await this.writeHours(caller.id, current, { overrides });
        res.redirect(
          `${await this.baseOf(caller.id, saved)}?override_saved=${override.date}&month=${override.date.slice(0, 7)}#overrides`,
          303,
        );
        return;
      } catch (error) {
        placeHoursProblems(expectDomainError(error, 'invalid'), errors, [], overrides.length - 1, t);
      }
    }
    await this.send(caller, req, res, current, 400, { override: form, errors, month });
  }

  private async deleteOverride(caller: AuthenticatedUser, res: FastifyReply, body: Form, current: ScheduleView | null) {
    const date = one(body.date);
    if (current && current.overrides.some((o) => o.date === date)) {
      await this.writeHours(caller.id, current, { overrides: current.overrides.filter((o) => o.date !== date) });
    }
    res.redirect(`${await this.baseOf(caller.id, current)}?override_removed=1&month=${monthOf(date) ?? ''}#overrides`, 303);
  }

  /** A schedule's new hours or overrides; the host's first save makes their default schedule. */
  private async writeHours(
    userId: string,
    current: ScheduleView | null,
    changes: { timeZone?: string; rules?: RuleInput[]; overrides?: OverrideInput[] },
  ): Promise<ScheduleView> {
    if (current) return this.schedules.update(userId, current.schedule.id, changes);
    return this.schedules.setDefaultHours(userId, {
      timeZone: changes.timeZone,
      rules: changes.rules ?? [],
      overrides: changes.overrides ?? [],
    });
  }

  private async locOf(userId: string): Promise<AdminLocale> {
    return adminLocale((await this.users.getById(userId)).locale);
  }

  private async baseOf(userId: string, view: ScheduleView | null): Promise<string> {
    if (!view) return BASE;
    // The default schedule lives at /admin/availability; a new schedule made the default (the host's first) too.
    const fresh = await this.schedules.get(userId, view.schedule.id);
    return fresh.schedule.isDefault ? BASE : `${BASE}/schedules/${view.schedule.id}`;
  }

  /** Meeting type names per schedule id they use ('' = the default schedule). */
  private async typesByScheduleId(userId: string): Promise<Map<string, string[]>> {
    const { items } = await this.meetingTypes.list(userId, 1000, 0);
    const used = new Map<string, string[]>();
    for (const { snapshot: t } of items) {
      if (t.ownerId !== userId) continue;
      const key = t.scheduleId ?? '';
      used.set(key, [...(used.get(key) ?? []), t.name]);
    }
    return used;
  }

  // ---- the page ----

  private async show(caller: AuthenticatedUser, req: WebRequest, res: FastifyReply, current: ScheduleView | null) {
    const q = queryOf(req);
    const { t, formatLocale } = await this.locOf(caller.id);
    const notice = one(q.welcome)
      ? t('admin.availability.noticeWelcome')
      : one(q.saved)
        ? t('admin.availability.noticeSaved')
        : one(q.created)
          ? t('admin.availability.noticeCreated')
          : one(q.renamed)
            ? t('admin.availability.noticeRenamed')
            : one(q.made_default)
              ? t('admin.availability.noticeMadeDefault')
              : one(q.deleted)
                ? t('admin.availability.noticeDeleted')
                : one(q.override_saved)
                  ? t('admin.availability.noticeOverrideSaved', { date: formatDateStringIn(one(q.override_saved), formatLocale) })
                  : one(q.override_removed)
                    ? t('admin.availability.noticeOverrideRemoved')
                    : null;
    const date = one(q.date);
    const stored = current?.overrides.find((o) => o.date === date);
    const override: OverrideForm | undefined = isRealDate(date)
      ? stored
        ? { date, off: stored.intervals.length === 0, rows: stored.intervals.map((x) => ({ start: x.startTime, end: x.endTime })) }
        : { date, off: true, rows: [{ ...DEFAULT_ROW }] }
      : undefined;
    if (override && override.rows.length === 0) override.rows.push({ ...DEFAULT_ROW });
    const month = MONTH_PATTERN.test(one(q.month)) ? one(q.month) : monthOf(date);
    await this.send(caller, req, res, current, 200, { notice, override, month });
  }

  private async send(
    caller: AuthenticatedUser,
    req: WebRequest,
    res: FastifyReply,
    current: ScheduleView | null,
    status: number,
    state: PageState,
  ) {
    const me = await this.users.getById(caller.id);
    const errors = state.errors ?? {};
    const all = await this.schedules.list(caller.id);
    const used = await this.typesByScheduleId(caller.id);
    const currentId = current?.schedule.id;
    const zone = state.timeZone ?? current?.schedule.timeZone ?? me.timeZone;
    const scheduleZone = current?.schedule.timeZone ?? me.timeZone;
    const base = current && !current.schedule.isDefault ? `${BASE}/schedules/${current.schedule.id}` : BASE;
    const week = state.week ?? weekFormOf(current?.rules ?? []);
    const today = localDate(this.clock.now(), scheduleZone);
    const month = state.month ?? today.slice(0, 7);
    const overrides = [...(current?.overrides ?? [])].sort((a, b) => a.date.localeCompare(b.date));
    const byDate = new Map(overrides.map((o) => [o.date, o]));
    const form: OverrideForm = state.override ?? { date: '', off: true, rows: [{ ...DEFAULT_ROW }] };
    const usersOf = (s: ScheduleView) => [...(used.get(s.schedule.id) ?? []), ...(s.schedule.isDefault ? (used.get('') ?? []) : [])];
    const zoneOptions = (selected: string) => allTimeZones().map((z) => ({ value: z, selected: z === selected }));
    const ctx = await this.pages.context(caller, req, res, (t) => t('admin.availability.title'), 'availability');
    const { t, formatLocale } = ctx.loc;
    const names = dayNamesIn(formatLocale);
    // English keeps its Monday-first calendar; other languages start the week where their locale does.
    const firstDay = ctx.loc.locale === 'en' ? 1 : firstDayOfWeek(formatLocale);
    const html = this.views.render('admin/availability', {
      ...ctx,
      notice: state.notice ?? null,
      errorSummary: hasErrors(errors) ? (errors.form ?? t('admin.availability.errorSummary')) : null,
      errors,
      base,
      schedules: all.map((s) => {
        const typeNames = usersOf(s);
        return {
          id: s.schedule.id,
          name: s.schedule.name,
          zone: s.schedule.timeZone,
          isDefault: s.schedule.isDefault,
          href: s.schedule.isDefault ? BASE : `${BASE}/schedules/${s.schedule.id}`,
          current: s.schedule.id === currentId,
          usedBy: t('admin.availability.usedByCount', { count: typeNames.length }),
          summary: weekSummary(s.rules, t, names),
        };
      }),
      several: all.length > 1,
      current: current
        ? {
            id: current.schedule.id,
            name: state.rename ?? current.schedule.name,
            title: current.schedule.name,
            isDefault: current.schedule.isDefault,
            usedBy: usersOf(current).join(', '),
          }
        : null,
      create: state.create ?? { name: '', time_zone: me.timeZone },
      createOpen: state.create !== undefined,
      createZones: zoneOptions(state.create?.time_zone ?? me.timeZone),
      zones: zoneOptions(zone),
      quarterHours: QUARTER_HOURS,
      days: DAY_ORDER.map((d) => ({
        d,
        name: names.long[d],
        available: week[d].available,
        error: errors[`avail_${d}`],
        rows: week[d].rows.map((r, k) => ({
          d,
          k,
          n: k + 1,
          name: names.long[d],
          start: r.start,
          end: r.end,
          startError: errors[`d${d}_start_${k}`],
          endError: errors[`d${d}_end_${k}`],
        })),
      })),
      calendar: {
        month,
        monthLabel: formatMonthIn(month, formatLocale),
        weekdays: weekdayNames(formatLocale, firstDay),
        prevHref: `${base}?month=${addMonths(month, -1)}#overrides`,
        nextHref: `${base}?month=${addMonths(month, 1)}#overrides`,
        weeks: monthGrid(month, firstDay).map((week) =>
          week.map((day) => {
            const o = byDate.get(day.date);
            const past = day.date < today;
            return {
              ...day,
              past,
              selected: day.date === form.date,
              override: o ? (o.intervals.length ? 'hours' : 'off') : null,
              intervals: o ? o.intervals.map((x) => `${x.startTime}-${x.endTime}`).join(',') : '',
              href: `${base}?month=${month}&date=${day.date}#override-form`,
              label: `${formatDateStringIn(day.date, formatLocale)}${o ? `: ${intervalsLabel(o.intervals, t)}` : ''}`,
            };
          }),
        ),
      },
      today,
      scheduleZone,
      ovForm: {
        date: form.date,
        off: form.off,
        rows: form.rows.map((r, k) => ({
          k,
          n: k + 1,
          start: r.start,
          end: r.end,
          startError: errors[`ov_start_${k}`],
          endError: errors[`ov_end_${k}`],
        })),
      },
      overrides: overrides.map((o) => ({
        date: o.date,
        label: formatDateStringIn(o.date, formatLocale),
        hours: intervalsLabel(o.intervals, t),
        off: o.intervals.length === 0,
        past: o.date < today,
        editHref: `${base}?month=${o.date.slice(0, 7)}&date=${o.date}#override-form`,
      })),
    });
    res.status(status).type('text/html; charset=utf-8').send(html);
  }
}

function nameOf(value: unknown, field: string, errors: Errors, t: Translate): string {
  const name = one(value);
  if (!name) errors[field] = t('admin.availability.nameMissing');
  else if (name.length > 100) errors[field] = t('admin.availability.nameTooLong');
  // eslint-disable-next-line no-control-regex
  else if (/[\u0000-\u001f\u007f]/.test(name)) errors[field] = t('admin.availability.nameOneLine');
  return name;
}

function monthOf(date: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && MONTH_PATTERN.test(date.slice(0, 7)) ? date.slice(0, 7) : undefined;
}
