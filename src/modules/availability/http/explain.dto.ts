import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { SUPPORTED_LOCALES } from '../../../shared/i18n/locales.js';
import { IsTimeZone } from '../../../shared/validation/time-zone.js';
import { EXPLAIN_CODES } from '../domain/slot-explain.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const instantMessage = 'start_time must be an ISO 8601 instant such as 2027-03-14T14:00:00Z';

export class ExplainQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'meeting_type_id must be a UUID' })
  meeting_type_id: string;

  @ApiProperty({ example: '2027-03-15T14:00:00Z' })
  @Matches(INSTANT, { message: instantMessage })
  @IsISO8601({ strict: true }, { message: instantMessage })
  start_time: string;

  @ApiPropertyOptional({ example: 'Europe/London', description: "the invitee's IANA zone for local_start_time (default UTC)" })
  @IsOptional()
  @IsTimeZone({ message: 'timezone must be an IANA time zone such as "Europe/London"' })
  timezone?: string;

  @ApiPropertyOptional({
    enum: SUPPORTED_LOCALES,
    description: "the language of the reasons' messages (codes never change); without it, Accept-Language, else English",
  })
  @IsOptional()
  @IsIn(SUPPORTED_LOCALES, { message: `lang must be one of ${SUPPORTED_LOCALES.join(', ')}` })
  lang?: string;
}

export class ExplainIntervalDto {
  @ApiProperty({ example: '2027-03-15T14:00:00Z' }) start: string;
  @ApiProperty({ example: '2027-03-15T15:00:00Z' }) end: string;
}

export class ExplainDetailDto {
  @ApiPropertyOptional({ description: 'daily_limit and the other caps: the cap reached', example: 'max_bookings_per_day' }) cap?: string;
  @ApiPropertyOptional({ type: 'integer', description: "the cap's limit" }) limit?: number;
  @ApiPropertyOptional({ enum: ['meeting_type', 'host'], description: "whose cap: the type's or the host's own" }) scope?: string;
  @ApiPropertyOptional({
    enum: ['booking', 'pending_booking', 'hold', 'calendar', 'time_off', 'holiday'],
    description: 'buffer_before / buffer_after: what the buffer keeps the meeting away from (host detail)',
  })
  source?: string;
  @ApiPropertyOptional({ description: "holiday: the holiday's name" }) holiday?: string;
  @ApiPropertyOptional({ description: 'override: the host-local date whose hours a date override replaces' }) date?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'not_on_grid: minutes between offered starts' }) interval_minutes?: number;
  @ApiPropertyOptional({ description: "busy_calendar: the calendar's name (host detail; never the event's title)" }) calendar?: string;
}

export class ExplainReasonDto {
  @ApiProperty({ enum: EXPLAIN_CODES }) code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'round robin and collective: the host the reason is about (host detail)' })
  host_id?: string;
  @ApiPropertyOptional({
    type: ExplainIntervalDto,
    description: 'the booking, hold, event, time off or holiday in the way (host detail; holidays also public)',
  })
  interval?: ExplainIntervalDto;
  @ApiPropertyOptional({ type: ExplainDetailDto }) detail?: ExplainDetailDto;
}

export class ExplainResponseDto {
  @ApiProperty({ description: 'true exactly when booking this start would succeed now (per-invitee caps aside)' }) bookable: boolean;
  @ApiProperty({ format: 'date-time' }) start_time: string;
  @ApiProperty({ example: '2027-03-15T14:00:00Z' }) end_time: string;
  @ApiProperty({ example: '2027-03-15T14:00:00+00:00', description: 'the start in `timezone`, with offset' }) local_start_time: string;
  @ApiProperty({ type: [ExplainReasonDto], description: 'what stands in the way (round robin: also hosts that are not free)' })
  reasons: ExplainReasonDto[];
}
