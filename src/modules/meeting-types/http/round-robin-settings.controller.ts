import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { invalid } from '../../../shared/http/domain-error.js';
import { uuidParam } from '../../../shared/http/params.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { RoundRobinSettingsService } from '../application/round-robin-settings.service.js';
import {
  RoundRobinHostSettingsDto,
  RoundRobinPeriodDto,
  UpdateRoundRobinHostDto,
  UpdateRoundRobinPeriodDto,
  toRoundRobinHost,
} from './round-robin-settings.dto.js';

@ApiTags('meeting-types')
@ApiBearerAuth()
@Controller('api/meeting-types')
export class RoundRobinSettingsController {
  constructor(private readonly settings: RoundRobinSettingsService) {}

  @Put(':id/hosts/:user_id')
  @ApiOperation({
    summary: "Set a round-robin host's weight, priority, fallback flag and cap (the type's owner only)",
    description:
      'Fields left out keep their value. The next booking goes to the free host with the lowest ' +
      '(bookings in period + 1) / weight; see GET /api/teams/{id}/round-robin for the figures.',
  })
  @ApiOkResponse({ type: RoundRobinHostSettingsDto })
  @ApiErrors(400, 401, 404, 409)
  async setHost(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Param('user_id', uuidParam('user_id')) userId: string,
    @Body() dto: UpdateRoundRobinHostDto,
  ): Promise<RoundRobinHostSettingsDto> {
    if (dto.weight === undefined && dto.priority === undefined && dto.fallback === undefined && dto.max_bookings_per_period === undefined) {
      throw invalid('send at least one of weight, priority, fallback, max_bookings_per_period');
    }
    const host = await this.settings.setHost(caller.id, id, userId, {
      weight: dto.weight,
      priority: dto.priority,
      fallback: dto.fallback,
      maxBookingsPerPeriod: dto.max_bookings_per_period,
    });
    return toRoundRobinHost(host);
  }

  @Put(':id/round-robin')
  @ApiOperation({ summary: "Set a round-robin type's counting period (the type's owner only)" })
  @ApiOkResponse({ type: RoundRobinPeriodDto })
  @ApiErrors(400, 401, 404, 409)
  async setPeriod(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: UpdateRoundRobinPeriodDto,
  ): Promise<RoundRobinPeriodDto> {
    await this.settings.setPeriod(caller.id, id, dto.period);
    return { period: dto.period };
  }
}
