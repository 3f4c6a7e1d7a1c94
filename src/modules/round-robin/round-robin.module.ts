import { Module } from '@nestjs/common';
import { BookingModule } from '../booking/booking.module.js';
import { MeetingTypesModule } from '../meeting-types/meeting-types.module.js';
import { TeamsModule } from '../teams/teams.module.js';
import { RoundRobinReportService } from './application/round-robin-report.service.js';
import { RoundRobinReportController } from './http/round-robin-report.controller.js';
import { RoundRobinReportRepository } from './infrastructure/round-robin-report.repository.js';

/**
 * Fair round robin you can audit (issue #19 part 3): the report of a team's round-robin type. Downstream of booking
 * (its pure ranking and the counts its command ranks by), meeting types and teams; it writes nothing. Settings
 * are written by the meeting-types context (PUT /api/meeting-types/:id/hosts/:user_id).
 */
@Module({
  imports: [BookingModule, MeetingTypesModule, TeamsModule],
  controllers: [RoundRobinReportController],
  providers: [RoundRobinReportRepository, RoundRobinReportService],
  exports: [RoundRobinReportService],
})
export class RoundRobinModule {}
