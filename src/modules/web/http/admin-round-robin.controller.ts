import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { uuidParam } from '../../../shared/http/params.js';
import { formatDateStringIn } from '../../../shared/i18n/format.js';
import { UsersService } from '../../identity/application/users.service.js';
import { RoundRobinSettingsService } from '../../meeting-types/application/round-robin-settings.service.js';
import { RoundRobinReportService } from '../../round-robin/application/round-robin-report.service.js';
import type { RoundRobinReport } from '../../round-robin/application/round-robin-report.service.js';
import { type AdminLocale, AdminPages, adminLocale } from '../application/admin-pages.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { roundRobinShareChart, sharePercent } from '../domain/round-robin-chart.js';
import { type Errors, type Form, expectDomainError, hasErrors, one } from './admin-forms.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PERIODS = [
  { value: 'calendar_month', key: 'admin.roundRobin.periodMonth' },
  { value: 'rolling_30_days', key: 'admin.roundRobin.periodRolling' },
] as const;
const NEXT = 12;

interface HostInput {
  weight: string;
  priority: string;
  cap: string;
  fallback: boolean;
}

/**
 * Fair round robin you can audit (issue #19 part 3): a team round-robin type's per-host weight, priority, fallback
 * flag and cap (the type's owner edits; other members read), its counting period, target-versus-actual shares as SVG
 * bars with the same figures in a table, and the next assignments the rule would make. Plain forms: no JavaScript.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/teams/:id/round-robin')
export class AdminRoundRobinController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly reports: RoundRobinReportService,
    private readonly settings: RoundRobinSettingsService,
    private readonly users: UsersService,
  ) {}

  @Get()
  async show(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) teamId: string,
    @Req() req: WebRequest,
    @Res() res: FastifyReply,
    @Query('meeting_type_id') typeParam?: string,
    @Query('done') done?: string,
  ) {
    const typeId = one(typeParam);
    await this.render(caller, req, res, teamId, typeId, { saved: one(done) === 'saved' });
  }

  @Post()
  async save(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) teamId: string,
    @Req() req: WebRequest,
    @Body() body: Form,
    @Res() res: FastifyReply,
    @Query('meeting_type_id') typeParam?: string,
  ) {
    const typeId = one(typeParam);
    if (!UUID.test(typeId)) {
      await this.render(caller, req, res, teamId, '', {});
      return;
    }
    const report = await this.reports.report(caller.id, teamId, typeId, 0);
    const errors: Errors = {};
    const { t } = adminLocale((await this.users.getById(caller.id)).locale);
    const period = one(body.period);
    if (!PERIODS.some((p) => p.value === period)) errors.period = t('admin.roundRobin.choosePeriod');
    const inputs = new Map<string, HostInput>();
    const changes = report.hosts.map((h) => {
      const input: HostInput = {
        weight: one(body[`weight_${h.userId}`]),
        priority: one(body[`priority_${h.userId}`]),
        cap: one(body[`cap_${h.userId}`]),
        fallback: one(body[`fallback_${h.userId}`]) === 'on',
      };
      inputs.set(h.userId, input);
      const weight = whole(input.weight, 1, 1000);
      const priority = whole(input.priority, 0, 100);
      const cap = input.cap === '' ? null : whole(input.cap, 0, 10000);
      if (weight === undefined) errors[`weight_${h.userId}`] = t('admin.roundRobin.weightError', { name: h.name });
      if (priority === undefined) errors[`priority_${h.userId}`] = t('admin.roundRobin.priorityError', { name: h.name });
      if (cap === undefined) errors[`cap_${h.userId}`] = t('admin.roundRobin.capError', { name: h.name });
      return { userId: h.userId, weight, priority, cap, fallback: input.fallback };
    });
    if (!hasErrors(errors)) {
      try {
        await this.settings.setPeriod(caller.id, typeId, period as 'calendar_month' | 'rolling_30_days');
        for (const c of changes) {
          await this.settings.setHost(caller.id, typeId, c.userId, {
            weight: c.weight,
            priority: c.priority,
            fallback: c.fallback,
            maxBookingsPerPeriod: c.cap,
          });
        }
        res.redirect(`/admin/teams/${teamId}/round-robin?meeting_type_id=${typeId}&done=saved`, 303);
        return;
      } catch (error) {
        const refused = expectDomainError(error, 'not_found', 'conflict');
        errors.form = refused.code === 'not_found' ? t('admin.roundRobin.ownerOnly') : refused.message;
      }
    }
    await this.render(caller, req, res, teamId, typeId, { errors, inputs, period }, 400);
  }

  private async render(
    caller: AuthenticatedUser,
    req: WebRequest,
    res: FastifyReply,
    teamId: string,
    typeId: string,
    state: { saved?: boolean; errors?: Errors; inputs?: Map<string, HostInput>; period?: string },
    status = 200,
  ) {
    const { teamName, types } = await this.reports.teamTypes(caller.id, teamId); // 404 unless a member
    let report: RoundRobinReport | null = null;
    if (typeId && UUID.test(typeId) && types.some((t) => t.id === typeId))
      report = await this.reports.report(caller.id, teamId, typeId, NEXT);
    const context = await this.pages.context(caller, req, res, (t) => t('admin.roundRobin.pageTitle', { team: teamName }), 'teams');
    const { loc } = context;
    const errors = state.errors ?? {};
    res
      .status(typeId && !report ? 404 : status)
      .type('text/html; charset=utf-8')
      .send(
        this.views.render('admin/round-robin', {
          ...context,
          teamId,
          teamName,
          notice: state.saved ? loc.t('admin.roundRobin.saved') : null,
          errors,
          errorSummary: hasErrors(errors) ? (errors.form ?? loc.t('admin.roundRobin.errorSummary')) : null,
          types: types.map((t) => ({
            ...t,
            selected: t.id === typeId,
            href: `/admin/teams/${teamId}/round-robin?meeting_type_id=${t.id}`,
          })),
          missingType: Boolean(typeId) && !report,
          ...(report ? this.reportView(report, caller.id, state, loc) : {}),
        }),
      );
  }

  private reportView(
    report: RoundRobinReport,
    callerId: string,
    state: { inputs?: Map<string, HostInput>; period?: string; errors?: Errors },
    loc: AdminLocale,
  ) {
    const errors = state.errors ?? {};
    const names = new Map(report.hosts.map((h) => [h.userId, h.name]));
    const period = state.period ?? report.type.roundRobinPeriod;
    return {
      report: {
        typeId: report.type.id,
        typeName: report.type.name,
        editable: report.type.ownerId === callerId,
        periods: PERIODS.map((p) => ({ value: p.value, label: loc.t(p.key), selected: p.value === period })),
        since: formatDateStringIn(
          new Intl.DateTimeFormat('en-CA', { timeZone: report.timeZone }).format(report.periodStart),
          loc.formatLocale,
        ),
        zone: report.timeZone,
        total: report.totalBookings,
        hosts: report.hosts.map((h) => {
          const input = state.inputs?.get(h.userId);
          return {
            userId: h.userId,
            name: h.name,
            weight: input?.weight ?? String(h.weight),
            priority: input?.priority ?? String(h.priority),
            cap: input?.cap ?? (h.maxBookingsPerPeriod === null ? '' : String(h.maxBookingsPerPeriod)),
            fallback: input?.fallback ?? h.fallback,
            weightError: errors[`weight_${h.userId}`],
            priorityError: errors[`priority_${h.userId}`],
            capError: errors[`cap_${h.userId}`],
            bookings: h.bookings,
            target: sharePercent(h.targetShare),
            actual: sharePercent(h.actualShare),
          };
        }),
        chart: roundRobinShareChart(report.hosts),
        next: report.next.map((id, i) => ({ n: i + 1, name: names.get(id) ?? id })),
      },
    };
  }
}

/** A whole number in [min, max] from a form field; undefined when it is not one. */
function whole(value: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}
