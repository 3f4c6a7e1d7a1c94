import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { SchedulesModule } from '../schedules/schedules.module.js';
import { TeamsModule } from '../teams/teams.module.js';
import { InsightsService } from './application/insights.service.js';
import { InsightsController } from './http/insights.controller.js';
import { InsightsRepository } from './infrastructure/insights.repository.js';

/**
 * Insights (issue #18): a host's figures (weeks, heatmap, conversion, rates, round-robin shares) and the booking page
 * view counter. Downstream of booking, identity, schedules and teams: it reads booking tables for reports and writes
 * only its own (booking_page_views); the web context calls it to count views and to draw the page.
 */
@Module({
  imports: [IdentityModule, SchedulesModule, TeamsModule],
  controllers: [InsightsController],
  providers: [InsightsRepository, InsightsService],
  exports: [InsightsService],
})
export class InsightsModule {}
