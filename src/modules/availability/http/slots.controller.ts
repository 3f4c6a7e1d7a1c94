import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { Public } from '../../../shared/http/authentication.js';
import { noneMatchHits } from '../../../shared/http/request.js';
import { SlotsService } from '../application/slots.service.js';
import { SlotsQueryPipe } from './slots-query.pipe.js';
import { SlotsQueryDto, SlotsResponseDto } from './slots.dto.js';

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
  async find(
    @Query(SlotsQueryPipe) q: SlotsQueryDto, // a compiled schema, not the global ValidationPipe: this is the hot path
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const { body, etag } = await this.slots.findRendered({
      meetingTypeId: q.meeting_type_id,
      username: q.username,
      slug: q.slug,
      date: q.date,
      endDate: q.end_date,
      timeZone: q.timezone ?? 'UTC',
      durationMinutes: q.duration_minutes === undefined ? undefined : Number(q.duration_minutes),
    });
    // The body is already JSON (SlotsResponseDto's shape, rendered once and cached as bytes): sent as it is, with
    // the Content-Type set so Fastify does not serialize it again. Fastify adds no ETag and answers no conditional
    // request itself, so the strong tag and the 304 are ours.
    res.header('ETag', etag);
    if (noneMatchHits(ifNoneMatch, etag)) {
      res.status(304).send();
      return;
    }
    res.header('Content-Type', 'application/json; charset=utf-8');
    res.send(body);
  }
}
