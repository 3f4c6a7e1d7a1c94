import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { HostLimitsService } from '../application/host-limits.service.js';
import { HostLimitsDto, UpdateHostLimitsDto, toHostLimits, toHostLimitsChanges } from './host-limits.dto.js';

/** The caller's booking caps across all their meeting types, and their week start. */
@ApiTags('availability')
@ApiBearerAuth()
@Controller('api/availability/limits')
export class HostLimitsController {
  constructor(private readonly limits: HostLimitsService) {}

  @Get()
  @ApiOperation({ summary: "The caller's caps across all their meeting types (null = none) and week start" })
  @ApiOkResponse({ type: HostLimitsDto })
  @ApiErrors(401)
  async get(@CurrentUser() caller: AuthenticatedUser): Promise<HostLimitsDto> {
    return toHostLimits(await this.limits.get(caller.id));
  }

  @Put()
  @ApiOperation({
    summary: "Set the caller's caps across all their meeting types and their week start",
    description:
      'Periods are calendar periods in the zone of the schedule a slot is computed from; a booking counts on its local ' +
      'start date. A reached cap removes its period from every type; a booking there answers 409 naming the cap. ' +
      'Fields not sent keep their value; null clears a cap (week_start: back to monday).',
  })
  @ApiOkResponse({ type: HostLimitsDto })
  @ApiErrors(400, 401)
  async update(@CurrentUser() caller: AuthenticatedUser, @Body() dto: UpdateHostLimitsDto): Promise<HostLimitsDto> {
    return toHostLimits(await this.limits.update(caller.id, toHostLimitsChanges(dto)));
  }
}
