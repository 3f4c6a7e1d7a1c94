import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import { invalidFields, notFound } from '../../../shared/http/domain-error.js';
import { localDateOf } from '../../availability/domain/wall-clock.js';
import { UsersService } from '../../identity/application/users.service.js';
import { HostLimitsService } from '../../schedules/application/host-limits.service.js';
import { WEEK_START_DAYS } from '../../schedules/domain/host-limits.js';
import { TeamsService } from '../../teams/application/teams.service.js';
import { aggregateInsights, type Insights } from '../domain/aggregate-insights.js';
import { resolveRange } from '../domain/insights-range.js';
import { InsightsRepository } from '../infrastructure/insights.repository.js';

/**
 * Insights (issue #18): a host's figures for a range of local days, in their zone and with their week start (the
 * Limits setting). The reads are bounded by the range; the arithmetic is domain/aggregate-insights.ts.
 */
@Injectable()
export class InsightsService {
  private readonly logger = new Logger('Insights');

  constructor(
    private readonly repository: InsightsRepository,
    private readonly users: UsersService,
    private readonly limits: HostLimitsService,
    private readonly teams: TeamsService,
    private readonly clock: Clock,
  ) {}

  async forHost(userId: string, query: { from?: string; to?: string; teamId?: string | null }): Promise<Insights> {
    const user = await this.users.getById(userId);
    const weekStart = WEEK_START_DAYS.indexOf((await this.limits.get(userId)).weekStart);
    const resolved = resolveRange(query, { now: this.clock.now(), timeZone: user.timeZone, weekStart });
    if ('problems' in resolved) throw invalidFields(resolved.problems);
    const { range } = resolved;
    const teamId = query.teamId ?? null;
    if (teamId && !(await this.teams.isMember(teamId, userId))) throw notFound('team');
    const start = new Date(range.startMs);
    const end = new Date(range.endMs);
    const [bookings, pageViews, roundRobin] = await Promise.all([
      this.repository.bookingsFor(userId, start, end),
      this.repository.pageViews(userId, range.from, range.to),
      this.repository.roundRobin(userId, teamId, start, end),
    ]);
    return aggregateInsights({ range, bookings, pageViews, roundRobin });
  }

  /**
   * Counts one view of a booking page, on the host's calendar day. Never throws: a page is worth more than its count
   * (a failure is logged).
   */
  async countPageView(page: { meetingTypeId: string; hostId: string; hostTimeZone: string }): Promise<void> {
    try {
      await this.repository.countView(page.meetingTypeId, page.hostId, localDateOf(this.clock.now().getTime(), page.hostTimeZone));
    } catch (error) {
      this.logger.warn(`counting a page view failed: ${(error as Error).message}`);
    }
  }
}
