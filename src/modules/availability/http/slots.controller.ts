import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { Public } from '../../../shared/http/authentication.js';
import { SlotsService } from '../application/slots.service.js';
import { zonedIso } from '../domain/wall-clock.js';
import { SlotsQueryDto, SlotsResponseDto } from './slots.dto.js';
import { toApiInstant as iso } from '../../../shared/time/instant.js';

@ApiTags('availability')
@Controller('api/availability')
export class SlotsController {
  constructor(private readonly slots: SlotsService) {}

  @Public()
  @Get('slots')
  @ApiOperation({
    summary: 'Bookable slots',
    description:
      'Every bookable start whose instant falls on `date` (through `end_date`) as a calendar day in `timezone`. ' +
      'Identify the meeting type by `meeting_type_id` or by `username` + `slug`.',
  })
  @ApiOkResponse({ type: SlotsResponseDto })
  @ApiErrors(400, 404)
  async find(@Query() q: SlotsQueryDto): Promise<SlotsResponseDto> {
    const timeZone = q.timezone ?? 'UTC';
    const result = await this.slots.find({
      meetingTypeId: q.meeting_type_id,
      username: q.username,
      slug: q.slug,
      date: q.date,
      endDate: q.end_date,
      timeZone,
    });
    return {
      time_zone: timeZone,
      meeting_type_id: result.meetingType.id,
      duration_minutes: result.meetingType.durationMinutes,
      start_date: result.startDate,
      end_date: result.endDate,
      slots: result.slots.map((s) => ({
        start_time: iso(s.start),
        end_time: iso(s.end),
        local_start_time: s.localStart ?? zonedIso(s.start, timeZone),
        ...(s.seatsRemaining !== undefined ? { seats_remaining: s.seatsRemaining } : {}),
      })),
    };
  }
}
