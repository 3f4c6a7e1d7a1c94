import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { uuidParam } from '../../../shared/http/params.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { RoundRobinReportService } from '../application/round-robin-report.service.js';
import { RoundRobinReportDto, RoundRobinReportQueryDto, toRoundRobinReport } from './round-robin-report.dto.js';

@ApiTags('teams')
@ApiBearerAuth()
@Controller('api/teams')
export class RoundRobinReportController {
  constructor(private readonly reports: RoundRobinReportService) {}

  @Get(':id/round-robin')
  @ApiOperation({
    summary: "A team round-robin type's target and actual shares per host, and its next assignments (members only)",
    description:
      'Counted by booking, not by membership: a host removed and added again keeps their bookings. `next` replays ' +
      "the booking command's own ranking with every host free.",
  })
  @ApiOkResponse({ type: RoundRobinReportDto })
  @ApiErrors(400, 401, 404)
  async report(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) teamId: string,
    @Query() query: RoundRobinReportQueryDto,
  ): Promise<RoundRobinReportDto> {
    return toRoundRobinReport(await this.reports.report(caller.id, teamId, query.meeting_type_id, query.next));
  }
}
