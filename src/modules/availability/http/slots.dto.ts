import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { ValidatedByRoute } from '../../../shared/http/validation.js';
import { IsTimeZone } from '../../../shared/validation/time-zone.js';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * The slots query as the OpenAPI document describes it. On the route it is validated by SlotsQueryPipe's compiled
 * schema, not by the global ValidationPipe (the hot path of issue #16); the class-validator rules below are the
 * reference that pipe is tested against (slots-query.pipe.spec.ts), so change both together.
 */
@ValidatedByRoute()
export class SlotsQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'meeting_type_id must be a UUID' })
  meeting_type_id?: string;

  @ApiPropertyOptional({ description: 'with slug: the public form used by booking pages' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  username?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  slug?: string;

  @ApiProperty({ example: '2027-03-14', description: 'first calendar day, in `timezone`' })
  @Matches(DATE, { message: 'date must be a date in YYYY-MM-DD form' })
  @IsDateString({ strict: true }, { message: 'date must be a real calendar date' })
  date: string;

  @ApiPropertyOptional({ example: '2027-03-20', description: 'last calendar day, inclusive (at most 62 days in all)' })
  @IsOptional()
  @Matches(DATE, { message: 'end_date must be a date in YYYY-MM-DD form' })
  @IsDateString({ strict: true }, { message: 'end_date must be a real calendar date' })
  end_date?: string;

  @ApiPropertyOptional({ example: 'Europe/London', description: "the invitee's IANA zone (default UTC)" })
  @IsOptional()
  @IsTimeZone({ message: 'timezone must be an IANA time zone such as "Europe/London"' })
  timezone?: string;

  @ApiPropertyOptional({
    type: 'integer',
    example: 60,
    description: "the meeting's length: one of the type's duration_options (default: its duration_minutes)",
  })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,3}$/, { message: 'duration_minutes must be a whole number of minutes' })
  duration_minutes?: string;
}

export class SlotDto {
  @ApiProperty({ format: 'date-time', example: '2027-03-14T14:00:00Z' }) start_time: string;
  @ApiProperty({ format: 'date-time', example: '2027-03-14T14:30:00Z' }) end_time: string;
  @ApiProperty({ example: '2027-03-14T10:00:00-04:00', description: 'the start in the invitee zone, with offset' })
  local_start_time: string;
  @ApiPropertyOptional({ type: 'integer', description: 'group meeting types: seats still free' }) seats_remaining?: number;
}

export class SlotsResponseDto {
  @ApiProperty() time_zone: string;
  @ApiProperty({ format: 'uuid' }) meeting_type_id: string;
  @ApiProperty({ type: 'integer' }) duration_minutes: number;
  @ApiProperty() start_date: string;
  @ApiProperty() end_date: string;
  @ApiProperty({ type: [SlotDto] }) slots: SlotDto[];
}
