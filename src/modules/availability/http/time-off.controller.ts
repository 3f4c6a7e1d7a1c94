import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { type AuthenticatedUser, CurrentUser, Public } from '../../../shared/http/authentication.js';
import { uuidParam } from '../../../shared/http/params.js';
import { HolidaysService } from '../application/holidays.service.js';
import { TimeOffService } from '../application/time-off.service.js';
import {
  AwayDto,
  AwayQueryDto,
  CreateTimeOffDto,
  HolidayCountryDto,
  HolidaySettingDto,
  HolidayYearDto,
  HolidaysQueryDto,
  ListTimeOffQueryDto,
  SetHolidaysDto,
  TimeOffDto,
  toAway,
  toHolidaySetting,
  toHolidayYear,
  toTimeOff,
} from './time-off.dto.js';

/** The caller's time off: ranges in which none of their times are offered or bookable. */
@ApiTags('availability')
@ApiBearerAuth()
@Controller('api/availability/time-off')
export class TimeOffController {
  constructor(private readonly timeOff: TimeOffService) {}

  @Post()
  @ApiOperation({
    summary: 'Add time off',
    description:
      'No slot of yours overlapping [start_time, end_time) is offered or bookable (existing bookings stay). While it ' +
      "lasts, your booking page says you are away until its end, with `reason`, and offers `redirect_to_user_id`'s matching type.",
  })
  @ApiCreatedResponse({ type: TimeOffDto })
  @ApiErrors(400, 401)
  async create(@CurrentUser() caller: AuthenticatedUser, @Body() dto: CreateTimeOffDto): Promise<TimeOffDto> {
    return toTimeOff(
      await this.timeOff.create(caller.id, {
        start: new Date(dto.start_time),
        end: new Date(dto.end_time),
        reason: dto.reason,
        redirectToUserId: dto.redirect_to_user_id,
      }),
    );
  }

  @Get()
  @ApiOperation({ summary: "The caller's time off, earliest first: not yet ended, or overlapping from/to" })
  @ApiOkResponse({ type: [TimeOffDto] })
  @ApiErrors(400, 401)
  async list(@CurrentUser() caller: AuthenticatedUser, @Query() q: ListTimeOffQueryDto): Promise<TimeOffDto[]> {
    const window = { from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined };
    return (await this.timeOff.list(caller.id, window, q.limit ?? 100)).map(toTimeOff);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete time off; its times are offered again' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 404)
  async remove(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<void> {
    await this.timeOff.remove(caller.id, id);
  }
}

/** Public holidays the caller takes off (date-holidays dataset). */
@ApiTags('availability')
@ApiBearerAuth()
@Controller('api/availability/holidays')
export class HolidaysController {
  constructor(private readonly holidays: HolidaysService) {}

  @Put()
  @ApiOperation({
    summary: 'Follow a country\'s (and region\'s) public holidays, or none with {"country": null}',
    description:
      "Each public or bank holiday of the dataset is a whole day off in your schedule's zone (from its start time for " +
      'the few that begin at noon or 14:00): no slot overlapping it is offered or bookable.',
  })
  @ApiOkResponse({ type: HolidaySettingDto })
  @ApiErrors(400, 401)
  async set(@CurrentUser() caller: AuthenticatedUser, @Body() dto: SetHolidaysDto): Promise<HolidaySettingDto> {
    return toHolidaySetting(await this.holidays.set(caller.id, dto.country, dto.region));
  }

  @Get('countries')
  @ApiOperation({ summary: 'The countries and regions the holiday dataset knows (what `PUT` accepts)' })
  @ApiOkResponse({ type: [HolidayCountryDto] })
  @ApiErrors(401)
  countries(): HolidayCountryDto[] {
    return this.holidays.countries();
  }

  @Get()
  @ApiOperation({ summary: "The caller's holidays of a year, with their names (none when the caller follows none)" })
  @ApiOkResponse({ type: HolidayYearDto })
  @ApiErrors(400, 401)
  async list(@CurrentUser() caller: AuthenticatedUser, @Query() q: HolidaysQueryDto): Promise<HolidayYearDto> {
    return toHolidayYear(await this.holidays.year(caller.id, q.year));
  }
}

/** What a host's public page shows while they are away. */
@ApiTags('availability')
@Controller('api/availability/away')
export class AwayController {
  constructor(private readonly timeOff: TimeOffService) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'Whether a host is away now (time off), until when, and which teammate to book instead',
    description: "With `meeting_type_id` (one of the host's active types), the teammate's type of the same slug, else the same duration.",
  })
  @ApiOkResponse({ type: AwayDto })
  @ApiErrors(400, 404)
  async get(@Query() q: AwayQueryDto): Promise<AwayDto> {
    return toAway(await this.timeOff.publicAway(q.user_id, q.meeting_type_id ?? null));
  }
}
