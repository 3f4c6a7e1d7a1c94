import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { IsTimeZone } from '../../../shared/validation/time-zone.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const instantMessage = 'start_time must be an ISO 8601 instant such as 2027-03-14T14:00:00Z';
const EXPLAIN_CODES = [
  'outside_hours',
  'busy',
  'min_notice',
  'booking_window',
  'no_seats_left',
  'max_bookings_per_day',
  'max_bookings_per_week',
  'max_bookings_per_month',
  'max_bookings_per_year',
  'max_booked_minutes_per_day',
  'max_booked_minutes_per_week',
];

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
}

export class ExplainReasonDto {
  @ApiProperty({ enum: EXPLAIN_CODES }) code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'round robin and collective: the host the reason is about' }) host_id?: string;
}

export class ExplainResponseDto {
  @ApiProperty({ description: 'true exactly when booking this start would succeed now (per-invitee caps aside)' }) bookable: boolean;
  @ApiProperty({ format: 'date-time' }) start_time: string;
  @ApiProperty({ example: '2027-03-15T14:00:00Z' }) end_time: string;
  @ApiProperty({ example: '2027-03-15T14:00:00+00:00', description: 'the start in `timezone`, with offset' }) local_start_time: string;
  @ApiProperty({ type: [ExplainReasonDto], description: 'what stands in the way (round robin: also hosts that are not free)' })
  reasons: ExplainReasonDto[];
}
