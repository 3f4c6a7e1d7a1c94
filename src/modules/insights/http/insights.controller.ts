import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { InsightsService } from '../application/insights.service.js';
import { InsightsDto, InsightsQueryDto, presentInsights } from './insights.dto.js';

@ApiTags('insights')
@ApiBearerAuth()
@Controller('api/insights')
export class InsightsController {
  constructor(private readonly insights: InsightsService) {}

  @Get()
  @ApiOperation({
    summary: "The signed-in host's insights for a range of days in their zone (the admin's Insights page as JSON)",
    description:
      'Weeks start on the week_start of PUT /api/users/me/limits (default monday). created counts bookings by the ' +
      'week they were made; cancelled and no_shows count meetings by the week they were scheduled for; the heatmap ' +
      'counts meetings that take place by their local weekday and hour. 400 for a malformed date, from after to, or ' +
      'more than 366 days; 404 for a team the host is not a member of.',
  })
  @ApiOkResponse({ type: InsightsDto })
  @ApiErrors(400, 401, 404)
  async get(@CurrentUser() user: AuthenticatedUser, @Query() query: InsightsQueryDto): Promise<InsightsDto> {
    return presentInsights(await this.insights.forHost(user.id, { from: query.from, to: query.to, teamId: query.team_id ?? null }));
  }
}
