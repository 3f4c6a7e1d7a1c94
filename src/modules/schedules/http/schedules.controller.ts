import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { uuidParam } from '../../../shared/http/params.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { SchedulesService } from '../application/schedules.service.js';
import {
  CreateScheduleDto,
  ScheduleDto,
  UpdateScheduleDto,
  toHoursInput,
  toOverrideInputs,
  toRuleInputs,
  toSchedule,
} from './schedule.dto.js';

/** Named schedules: several per host, one default; a meeting type may pick one. */
@ApiTags('availability')
@ApiBearerAuth()
@Controller('api/schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Get()
  @ApiOperation({ summary: "The caller's schedules" })
  @ApiOkResponse({ type: [ScheduleDto] })
  @ApiErrors(401)
  async list(@CurrentUser() caller: AuthenticatedUser): Promise<ScheduleDto[]> {
    return (await this.schedules.list(caller.id)).map(toSchedule);
  }

  @Post()
  @ApiOperation({ summary: 'Create a named schedule (the first one becomes the default)' })
  @ApiCreatedResponse({ type: ScheduleDto })
  @ApiErrors(400, 401)
  async create(@CurrentUser() caller: AuthenticatedUser, @Body() dto: CreateScheduleDto): Promise<ScheduleDto> {
    return toSchedule(await this.schedules.create(caller.id, { ...toHoursInput(dto), name: dto.name, isDefault: dto.is_default }));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A schedule of the caller' })
  @ApiOkResponse({ type: ScheduleDto })
  @ApiErrors(400, 401, 404)
  async get(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<ScheduleDto> {
    return toSchedule(await this.schedules.get(caller.id, id));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Update a schedule; `rules` and `overrides`, when sent, replace the stored ones' })
  @ApiOkResponse({ type: ScheduleDto })
  @ApiErrors(400, 401, 404)
  async update(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: UpdateScheduleDto,
  ): Promise<ScheduleDto> {
    return toSchedule(
      await this.schedules.update(caller.id, id, {
        name: dto.name,
        timeZone: dto.time_zone,
        rules: dto.rules && toRuleInputs(dto.rules),
        overrides: dto.overrides && toOverrideInputs(dto.overrides),
        isDefault: dto.is_default,
      }),
    );
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a schedule (the default only when it is the last one)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 404)
  async remove(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<void> {
    await this.schedules.remove(caller.id, id);
  }
}
