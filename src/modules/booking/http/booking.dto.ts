import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsTimeZone } from '../../../shared/validation/time-zone.js';
import { IsSingleLine } from '../../../shared/validation/text-decorators.js';

const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const instantMessage = (field: string) => `${field} must be an ISO 8601 instant such as 2027-03-14T14:00:00Z`;

export class CreateBookingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'meeting_type_id must be a UUID' })
  meeting_type_id: string;

  @ApiProperty({ example: '2027-03-14T14:00:00Z' })
  @Matches(UTC_INSTANT, { message: instantMessage('start_time') })
  @IsISO8601({ strict: true }, { message: instantMessage('start_time') })
  start_time: string;

  @ApiProperty({ example: 'Grace Hopper' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  @IsSingleLine()
  invitee_name: string;

  @ApiProperty({ example: 'grace@example.com' })
  @IsEmail({}, { message: 'invitee_email must be a valid email address' })
  @MaxLength(255)
  invitee_email: string;

  @ApiProperty({ example: 'America/New_York', description: "the invitee's IANA zone" })
  @IsTimeZone()
  time_zone: string;

  @ApiPropertyOptional({ example: '+1 202 555 0143' })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9 ().-]{6,24}$/, { message: 'invitee_phone must be a phone number' })
  invitee_phone?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'answers to the custom questions, keyed by question id',
    example: { topic: 'Pricing' },
  })
  @IsOptional()
  @IsObject({ message: 'answers must be an object keyed by question id' })
  answers?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'token from POST /api/slots/holds, converting the hold into the booking' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  hold_token?: string;
}

export class RescheduleBookingDto {
  @ApiProperty({ example: '2027-03-15T14:00:00Z' })
  @Matches(UTC_INSTANT, { message: instantMessage('start_time') })
  @IsISO8601({ strict: true }, { message: instantMessage('start_time') })
  start_time: string;

  @ApiPropertyOptional({ description: 'one line, shared with the host' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @IsSingleLine()
  reason?: string;
}

export class CancelBookingDto {
  @ApiPropertyOptional({ example: 'Something came up' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @IsSingleLine()
  reason?: string;
}

export class TokenQueryDto {
  @ApiPropertyOptional({ description: "the invitee's management token" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  token?: string;
}

export class ListBookingsQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'confirmed', 'cancelled', 'rescheduled'] })
  @IsOptional()
  @IsIn(['pending', 'confirmed', 'cancelled', 'rescheduled'], {
    message: 'status must be one of pending, confirmed, cancelled, rescheduled',
  })
  status?: string;

  @ApiPropertyOptional({ description: 'bookings ending after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: instantMessage('from') })
  from?: string;

  @ApiPropertyOptional({ description: 'bookings starting before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: instantMessage('to') })
  to?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'true',
    description:
      'bookings that ended more than ARCHIVE_AFTER_DAYS ago live in the archive; they are listed like the others (each with ' +
      '`archived: true`) unless this is false',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'include_archived must be true or false' })
  include_archived?: 'true' | 'false';

  @ApiPropertyOptional({ type: 'integer', default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class CreateHoldDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'meeting_type_id must be a UUID' })
  meeting_type_id: string;

  @ApiProperty({ example: '2027-03-14T14:00:00Z' })
  @Matches(UTC_INSTANT, { message: instantMessage('start_time') })
  @IsISO8601({ strict: true }, { message: instantMessage('start_time') })
  start_time: string;

  @ApiPropertyOptional({
    example: 'grace@example.com',
    description: 'the invitee, when known: holds are capped per email, and booking with the hold must use it',
  })
  @IsOptional()
  @IsEmail({}, { message: 'invitee_email must be a valid email address' })
  @MaxLength(255)
  invitee_email?: string;
}

export class InviteeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty() time_zone: string;
  @ApiProperty({ enum: ['active', 'cancelled'] }) status: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) answers: Record<string, unknown>;
}

export class ConferenceDto {
  @ApiProperty({ enum: ['google_meet', 'microsoft_teams', 'zoom', 'jitsi'] }) provider: string;
  @ApiProperty({ description: 'the link attendees open to join', example: 'https://meet.google.com/abc-defg-hij' })
  join_url: string;
  @ApiProperty({ description: "the provider's id of the meeting (event id, Zoom meeting id, Jitsi room)" }) meeting_id: string;
}

export class BookingDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['pending', 'confirmed', 'cancelled', 'rescheduled'] }) status: string;
  @ApiProperty({ format: 'uuid' }) meeting_type_id: string;
  @ApiProperty({ format: 'date-time' }) start_time: string;
  @ApiProperty({ format: 'date-time' }) end_time: string;
  @ApiProperty({ description: "the invitee's zone at booking time" }) time_zone: string;
  @ApiProperty({ format: 'uuid' }) host_user_id: string;
  @ApiProperty({ type: [String] }) host_user_ids: string[];
  @ApiPropertyOptional() invitee_name?: string;
  @ApiPropertyOptional() invitee_email?: string;
  @ApiProperty({ type: [InviteeDto], description: 'hosts see every invitee; an invitee sees only themself' }) invitees: InviteeDto[];
  @ApiPropertyOptional({ description: 'in lists: the booking ended more than ARCHIVE_AFTER_DAYS ago and is read from the archive' })
  archived?: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) location: Record<string, unknown> | null;
  @ApiProperty({
    type: ConferenceDto,
    nullable: true,
    description: "the booking's own video link (google_meet, microsoft_teams, zoom, jitsi locations); null until it exists",
  })
  conference: ConferenceDto | null;
  @ApiProperty({ type: String, nullable: true }) cancellation_reason: string | null;
  @ApiProperty({ type: String, nullable: true }) rescheduled_from_id: string | null;
  @ApiProperty({ type: String, nullable: true }) rescheduled_to_id: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'round robin: why this host was chosen' })
  assignment_reason: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
  @ApiPropertyOptional({ description: 'secret for the invitee to manage the booking; returned at booking time only' })
  management_token?: string;
  @ApiPropertyOptional() cancel_url?: string;
  @ApiPropertyOptional() reschedule_url?: string;
}

export class BookingListDto {
  @ApiProperty({ type: [BookingDto] }) data: BookingDto[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) limit: number;
  @ApiProperty({ type: 'integer' }) offset: number;
}

export class HoldDto {
  @ApiProperty({ description: 'pass as hold_token when booking' }) hold_token: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty({ format: 'date-time', description: 'no extension (PATCH) goes past this' }) max_expires_at: string;
  @ApiProperty({ format: 'date-time' }) start_time: string;
}
