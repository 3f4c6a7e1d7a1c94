import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { SUPPORTED_LOCALES } from '../../../shared/i18n/locales.js';
import { IsTimeZone } from '../../../shared/validation/time-zone.js';
import { IsSingleLine } from '../../../shared/validation/text-decorators.js';
import { WAITLIST_CLAIM_RANGE, WAITLIST_STATUSES } from '../domain/waitlist.js';

const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const START_MESSAGE = 'start_time must be an ISO 8601 instant such as 2027-03-14T14:00:00Z';

export class JoinWaitlistDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'meeting_type_id must be a UUID' })
  meeting_type_id: string;

  @ApiProperty({ example: '2027-03-14T14:00:00Z', description: 'the full time to wait for' })
  @Matches(UTC_INSTANT, { message: START_MESSAGE })
  @IsISO8601({ strict: true }, { message: START_MESSAGE })
  start_time: string;

  @ApiProperty({ example: 'Grace Hopper' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsSingleLine()
  name: string;

  @ApiProperty({ example: 'grace@example.com' })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(255)
  email: string;

  @ApiPropertyOptional({ enum: SUPPORTED_LOCALES, description: "the invitee's language: the claim mail is written in it (default en)" })
  @IsOptional()
  @IsIn(SUPPORTED_LOCALES, { message: `locale must be one of ${SUPPORTED_LOCALES.join(', ')}` })
  locale?: string;

  @ApiPropertyOptional({ example: 'Asia/Tokyo', description: "the invitee's IANA zone: the claim mail gives the time in it (default UTC)" })
  @IsOptional()
  @IsTimeZone()
  time_zone?: string;
}

export class WaitlistQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'meeting_type_id must be a UUID' })
  meeting_type_id: string;

  @ApiPropertyOptional({ enum: WAITLIST_STATUSES })
  @IsOptional()
  @IsIn(WAITLIST_STATUSES, { message: `status must be one of ${WAITLIST_STATUSES.join(', ')}` })
  status?: (typeof WAITLIST_STATUSES)[number];
}

export class WaitlistSettingsDto {
  @ApiProperty({ description: 'invitees may join the waitlist of a full time (for a group type: a session whose seats are all taken)' })
  @IsBoolean({ message: 'waitlist_enabled must be true or false' })
  waitlist_enabled: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: WAITLIST_CLAIM_RANGE.min,
    maximum: WAITLIST_CLAIM_RANGE.max,
    default: 60,
    description: 'how long a promoted invitee holds the freed time to book it',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'waitlist_claim_minutes must be a whole number of minutes' })
  @Min(WAITLIST_CLAIM_RANGE.min, {
    message: `waitlist_claim_minutes must be from ${WAITLIST_CLAIM_RANGE.min} to ${WAITLIST_CLAIM_RANGE.max}`,
  })
  @Max(WAITLIST_CLAIM_RANGE.max, {
    message: `waitlist_claim_minutes must be from ${WAITLIST_CLAIM_RANGE.min} to ${WAITLIST_CLAIM_RANGE.max}`,
  })
  waitlist_claim_minutes?: number;
}

export class WaitlistSettingsResponseDto {
  @ApiProperty() waitlist_enabled: boolean;
  @ApiProperty({ type: 'integer' }) waitlist_claim_minutes: number;
}

export class WaitlistJoinedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: 'integer', description: '1-based place in the line for this time' }) position: number;
  @ApiProperty({ enum: ['waiting'] }) status: string;
  @ApiProperty({ format: 'date-time' }) start_time: string;
  @ApiProperty({ description: 'the secret to leave the line (DELETE /api/waitlist/{token}); shown once, stored hashed' })
  token: string;
}

export class WaitlistEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) meeting_type_id: string;
  @ApiProperty({ format: 'date-time' }) start_time: string;
  @ApiProperty({ type: 'integer', description: 'FIFO order among all entries (smaller first)' }) position: number;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: SUPPORTED_LOCALES, description: 'the language the entry joined in (its claim mail)' }) locale: string;
  @ApiProperty({ type: String, nullable: true, description: "the invitee's zone (its claim mail); null: UTC" }) time_zone: string | null;
  @ApiProperty({ enum: WAITLIST_STATUSES }) status: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) promoted_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) claim_expires_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) ended_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class WaitlistListDto {
  @ApiProperty({ type: [WaitlistEntryDto] }) entries: WaitlistEntryDto[];
}
