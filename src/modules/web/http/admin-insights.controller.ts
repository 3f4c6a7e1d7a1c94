import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { queryOf } from '../../../shared/http/request.js';
import { InsightsService } from '../../insights/application/insights.service.js';
import type { Insights } from '../../insights/domain/aggregate-insights.js';
import { TeamsService } from '../../teams/application/teams.service.js';
import { AdminPages } from '../application/admin-pages.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { heatmap, percent, roundRobinCharts, weekBarChart } from '../domain/insights-charts.js';
import { formatDateStringIn } from '../../../shared/i18n/format.js';
import type { AdminLocale } from '../application/admin-pages.js';
import { chartWords } from '../application/booking-words.js';
import { type Errors, expectDomainError, hasErrors, one, placeProblems, placedBy } from './admin-forms.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const FIELDS = { from: 'from', to: 'to', team_id: 'team' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Insights (issue #18): GET /api/insights drawn as inline SVG (weeks, heatmap, round robin) with the figures as
 * text and every chart's data as a table. The range form is a GET: it works without JavaScript and can be bookmarked.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/insights')
export class AdminInsightsController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly insights: InsightsService,
    private readonly teams: TeamsService,
  ) {}

  @Get()
  async show(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply) {
    const query = queryOf(req);
    const values = { from: one(query.from), to: one(query.to), team: one(query.team) };
    const errors: Errors = {};
    const context = await this.pages.context(caller, req, res, (t) => t('admin.insights.title'), 'insights');
    const { t } = context.loc;
    let insights: Insights | null = null;
    if (values.team && !UUID.test(values.team)) errors.team = t('admin.insights.chooseTeam');
    else {
      try {
        insights = await this.insights.forHost(caller.id, { from: values.from, to: values.to, teamId: values.team || null });
      } catch (error) {
        const refused = expectDomainError(error, 'invalid', 'not_found');
        if (refused.code === 'not_found') errors.team = t('admin.insights.chooseTeam');
        else placeProblems(refused, placedBy(FIELDS), errors);
      }
    }
    const teams = (await this.teams.listForUser(caller.id)).map(({ team }) => ({
      id: team.id,
      name: team.name,
      selected: team.id === values.team,
    }));
    res
      .status(hasErrors(errors) ? 400 : 200)
      .type('text/html; charset=utf-8')
      .send(
        this.views.render('admin/insights', {
          ...context,
          values: insights ? { ...values, from: insights.range.from, to: insights.range.to } : values,
          errors,
          errorSummary: hasErrors(errors) ? t('admin.insights.correct') : null,
          teams,
          ...(insights ? this.figures(insights, context.loc) : {}),
        }),
      );
  }

  private figures(i: Insights, loc: AdminLocale) {
    const t = i.totals;
    const { t: m, formatLocale } = loc;
    const words = chartWords(m, formatLocale);
    const empty = t.created === 0 && t.meetings === 0 && t.pageViews === 0 && i.roundRobin.every((r) => r.total === 0);
    return {
      report: {
        empty,
        range: `${formatDateStringIn(i.range.from, formatLocale)} – ${formatDateStringIn(i.range.to, formatLocale)}`,
        zone: i.range.timeZone,
        figures: [
          { label: m('admin.insights.pageViews'), value: String(t.pageViews) },
          { label: m('admin.insights.bookingsMade'), value: String(t.created) },
          { label: m('admin.insights.conversion'), value: percent(t.conversionRate), hint: m('admin.insights.conversionHint') },
          {
            label: m('admin.insights.cancellationRate'),
            value: percent(t.cancellationRate),
            hint: m('admin.insights.cancellationHint', { cancelled: t.cancelled, meetings: t.meetings }),
          },
          {
            label: m('admin.insights.rescheduleRate'),
            value: percent(t.rescheduleRate),
            hint: m('admin.insights.rescheduleHint', { rescheduled: t.rescheduled, meetings: t.meetings }),
          },
          { label: m('admin.insights.noShows'), value: String(t.noShows), hint: m('admin.insights.noShowsHint') },
        ],
        weeks: weekBarChart(i.weeks, words),
        weekRows: i.weeks.map((w) => ({
          label: words.shortDate(w.weekStart),
          created: w.created,
          cancelled: w.cancelled,
          noShows: w.noShows,
        })),
        heatmap: heatmap(i.heatmap, i.heatmapMax, words),
        roundRobin: roundRobinCharts(i.roundRobin),
      },
    };
  }
}
