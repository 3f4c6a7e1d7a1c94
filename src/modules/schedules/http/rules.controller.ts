import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { UsersService } from '../../identity/application/users.service.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { DEFAULT_SCHEDULE_NAME, type ScheduleView, SchedulesService } from '../application/schedules.service.js';
import { SetRulesDto, WeeklyHoursDto, toHoursInput, toSchedule } from './schedule.dto.js';

const toWeeklyHours = (v: ScheduleView): WeeklyHoursDto => {
  const s = toSchedule(v);
  return { schedule_id: s.id, name: s.name, time_zone: s.time_zone, rules: s.rules, overrides: s.overrides };
};

/** The contract's single weekly schedule: the host's default schedule. */
@ApiTags('availability')
@ApiBearerAuth()
@Controller('api/availability/rules')
export class RulesController {
  constructor(
    private readonly schedules: SchedulesService,
    private readonly users: UsersService,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: "Replace the caller's weekly hours and date overrides (the default schedule), atomically",
    description:
      "Rules are wall-clock intervals in `time_zone` (default: the user's zone); end may be 24:00; no two " +
      "intervals of one day (or one override date) may overlap. An override replaces that date's hours; " +
      '`intervals: []` = unavailable that day.',
  })
  @ApiOkResponse({ type: WeeklyHoursDto })
  @ApiErrors(400, 401)
  async replace(@CurrentUser() caller: AuthenticatedUser, @Body() dto: SetRulesDto): Promise<WeeklyHoursDto> {
    return toWeeklyHours(await this.schedules.setDefaultHours(caller.id, toHoursInput(dto)));
  }

  @Get()
  @ApiOperation({ summary: "The caller's weekly hours and date overrides (the default schedule)" })
  @ApiOkResponse({ type: WeeklyHoursDto })
  @ApiErrors(401)
  async get(@CurrentUser() caller: AuthenticatedUser): Promise<WeeklyHoursDto> {
    const view = await this.schedules.getDefault(caller.id);
    if (view) return toWeeklyHours(view);
    const user = await this.users.getById(caller.id);
    return { schedule_id: null, name: DEFAULT_SCHEDULE_NAME, time_zone: user.timeZone, rules: [], overrides: [] };
  }
}
