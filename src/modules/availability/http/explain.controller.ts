import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { Public } from '../../../shared/http/authentication.js';
import { SlotExplainService } from '../application/slot-explain.service.js';
import { utcIso, zonedIso } from '../domain/wall-clock.js';
import { ExplainQueryDto, ExplainResponseDto } from './explain.dto.js';

@ApiTags('availability')
@Controller('api/availability')
export class ExplainController {
  constructor(private readonly explainer: SlotExplainService) {}

  @Public()
  @Get('explain')
  @ApiOperation({
    summary: 'Why a start is (not) bookable',
    description:
      'The slot engine on the booking re-check inputs: `bookable` is true exactly when booking that start would ' +
      'succeed now (a per-invitee cap aside, which needs the invitee). `reasons` name what stands in the way: ' +
      'outside_hours, busy, min_notice, booking_window, no_seats_left, or the cap reached (max_bookings_per_week, ...).',
  })
  @ApiOkResponse({ type: ExplainResponseDto })
  @ApiErrors(400, 404)
  async explain(@Query() q: ExplainQueryDto): Promise<ExplainResponseDto> {
    const start = new Date(q.start_time);
    const { bookable, reasons, durationMinutes } = await this.explainer.explain(q.meeting_type_id, start);
    const at = start.getTime();
    return {
      bookable,
      start_time: utcIso(at),
      end_time: utcIso(at + durationMinutes * 60_000),
      local_start_time: zonedIso(at, q.timezone ?? 'UTC'),
      reasons: reasons.map((r) => ({ code: r.code, message: r.message, ...(r.hostId ? { host_id: r.hostId } : {}) })),
    };
  }
}
