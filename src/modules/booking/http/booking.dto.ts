import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
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
  ValidateNested,
} from 'class-validator';
import { IsTimeZone } from '../../../shared/validation/time-zone.js';
import { IsSingleLine } from '../../../shared/validation/text-decorators.js';
import { MAX_GUESTS } from '../domain/guests.js';
import { SUPPORTED_LOCALES } from '../../../shared/i18n/locales.js';
import { MAX_UTM_LENGTH } from '../domain/utm.js';

/** Every booking status (booking-policy.ts BookingStatus), for validation and the OpenAPI enums. */
const BOOKING_STATUSES = ['pending', 'confirmed', 'cancelled', 'rescheduled', 'declined', 'expired'];

const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const instantMessage = (field: string) => `${field} must be an ISO 8601 instant such as 2027-03-14T14:00:00Z`;

/** utm_* campaign parameters: each optional, one line, at most 255 characters. */
export class UtmDto {
  @ApiPropertyOptional({ maxLength: MAX_UTM_LENGTH, example: 'newsletter' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_UTM_LENGTH)
  @IsSingleLine()
  utm_source?: string;

  @ApiPropertyOptional({ maxLength: MAX_UTM_LENGTH, example: 'email' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_UTM_LENGTH)
  @IsSingleLine()
  utm_medium?: string;

  @ApiPropertyOptional({ maxLength: MAX_UTM_LENGTH, example: 'spring-launch' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_UTM_LENGTH)
  @IsSingleLine()
  utm_campaign?: string;

  @ApiPropertyOptional({ maxLength: MAX_UTM_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_UTM_LENGTH)
  @IsSingleLine()
  utm_term?: string;

  @ApiPropertyOptional({ maxLength: MAX_UTM_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_UTM_LENGTH)
  @IsSingleLine()
  utm_content?: string;
}

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

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_GUESTS,
    example: ['ada@example.com'],
    description: 'guests who receive the invitation and its updates too (not for group meetings)',
  })
  @IsOptional()
  @IsArray({ message: 'guests must be a list of email addresses' })
  @ArrayMaxSize(MAX_GUESTS, { message: `at most ${MAX_GUESTS} guests can be added` })
  @IsEmail({}, { each: true, message: 'each of guests must be a valid email address' })
  @MaxLength(255, { each: true, message: 'each of guests must be at most 255 characters' })
  guests?: string[];

  @ApiPropertyOptional({
    type: () => UtmDto,
    description: "the campaign the invitee came from (the booking page passes its URL's utm_* parameters); stored and sent in webhooks",
  })
  @IsOptional()
  @IsObject({ message: 'utm must be an object {utm_source?, utm_medium?, utm_campaign?, utm_term?, utm_content?}' })
  @ValidateNested()
  @Type(() => UtmDto)
  utm?: UtmDto;

  @ApiPropertyOptional({ description: 'token from POST /api/slots/holds, converting the hold into the booking' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  hold_token?: string;

  @ApiPropertyOptional({
    type: 'integer',
    example: 60,
    description: "the meeting's length: one of the type's duration_options (default: its duration_minutes)",
  })
  @IsOptional()
  @IsInt({ message: 'duration_minutes must be a whole number of minutes' })
  @Min(1, { message: 'duration_minutes must be a whole number of minutes' })
  @Max(720, { message: 'duration_minutes must be a whole number of minutes' })
  duration_minutes?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 52,
    default: 1,
    description:
      "recurring meeting types: how many occurrences to book at once (at most the type's recurrence.max_occurrences), " +
      'all or none; the same local time in time_zone every week, two weeks or month. 409 names the first taken start.',
  })
  @IsOptional()
  @IsInt({ message: 'occurrences must be a whole number from 1 to 52' })
  @Min(1, { message: 'occurrences must be a whole number from 1 to 52' })
  @Max(52, { message: 'occurrences must be a whole number from 1 to 52' })
  occurrences?: number;

  @ApiPropertyOptional({
    enum: SUPPORTED_LOCALES,
    default: 'en',
    description: "the invitee's language: their confirmation, reminders and other emails are written in it",
  })
  @IsOptional()
  @IsIn(SUPPORTED_LOCALES, { message: `locale must be one of ${SUPPORTED_LOCALES.join(', ')}` })
  locale?: string;
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

  @ApiPropertyOptional({
    type: 'integer',
    example: 60,
    description: "another of the type's duration_options; default: the booking's own length while the type offers it",
  })
  @IsOptional()
  @IsInt({ message: 'duration_minutes must be a whole number of minutes' })
  @Min(1, { message: 'duration_minutes must be a whole number of minutes' })
  @Max(720, { message: 'duration_minutes must be a whole number of minutes' })
  duration_minutes?: number;
}

export class CancelBookingDto {
  @ApiPropertyOptional({ example: 'Something came up' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @IsSingleLine()
  reason?: string;
}

export class DeclineBookingDto {
  @ApiPropertyOptional({ example: 'I am travelling that week', description: 'one line, shown to the invitee' })
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
  @ApiPropertyOptional({ enum: BOOKING_STATUSES })
  @IsOptional()
  @IsIn(BOOKING_STATUSES, {
    message: `status must be one of ${BOOKING_STATUSES.join(', ')}`,
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

  @ApiPropertyOptional({
    type: 'integer',
    example: 60,
    description: "the length to hold (one of the type's duration_options; default: its duration_minutes)",
  })
  @IsOptional()
  @IsInt({ message: 'duration_minutes must be a whole number of minutes' })
  @Min(1, { message: 'duration_minutes must be a whole number of minutes' })
  @Max(720, { message: 'duration_minutes must be a whole number of minutes' })
  duration_minutes?: number;
}

export class OccurrenceDto {
  @ApiProperty({ format: 'uuid', description: 'the booking of this occurrence (cancel or reschedule it like any booking)' }) id: string;
  @ApiProperty({ format: 'date-time' }) start_time: string;
  @ApiProperty({ format: 'date-time' }) end_time: string;
  @ApiProperty({ enum: ['pending', 'confirmed', 'cancelled', 'rescheduled'] }) status: string;
  @ApiPropertyOptional({ description: "at booking time: the invitee's management token for this occurrence" }) management_token?: string;
  @ApiPropertyOptional() cancel_url?: string;
  @ApiPropertyOptional() reschedule_url?: string;
}

export class SeriesDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null: the booking is not part of a series' })
  recurring_booking_id: string | null;
  @ApiProperty({ type: String, enum: ['weekly', 'every_two_weeks', 'monthly'], nullable: true }) frequency: string | null;
  @ApiProperty({ description: 'the zone the series repeats in (the booking time zone)' }) time_zone: string;
  @ApiProperty({ type: [OccurrenceDto], description: 'in order; a moved occurrence shows its new time' }) occurrences: OccurrenceDto[];
}

export class InviteeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty() time_zone: string;
  @ApiProperty({ enum: ['active', 'cancelled'] }) status: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) answers: Record<string, unknown>;
  @ApiProperty({ type: [String], description: 'emails the invitee added as guests' }) guests: string[];
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when a host marked this invitee as a no-show (POST /api/bookings/{id}/no-show); null: not marked',
  })
  no_show_at: string | null;
  @ApiProperty({ type: UtmDto, nullable: true, description: 'the utm_* parameters the booking came with, or null' }) utm: UtmDto | null;
  @ApiProperty({ enum: SUPPORTED_LOCALES, description: 'the language the invitee booked in (their emails use it)' }) locale: string;
}

export class ConferenceDto {
  @ApiProperty({ enum: ['google_meet', 'microsoft_teams', 'zoom', 'jitsi'] }) provider: string;
  @ApiProperty({ description: 'the link attendees open to join', example: 'https://meet.google.com/abc-defg-hij' })
  join_url: string;
  @ApiProperty({ description: "the provider's id of the meeting (event id, Zoom meeting id, Jitsi room)" }) meeting_id: string;
}

export class BookingDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    enum: BOOKING_STATUSES,
    description: 'pending: waits for a host to confirm (requires_confirmation); declined / expired: a request refused or unanswered',
  })
  status: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'while pending: when the request expires unless a host confirms or declines it; null otherwise',
  })
  confirmation_expires_at: string | null;
  @ApiProperty({ format: 'uuid' }) meeting_type_id: string;
  @ApiProperty({ format: 'date-time' }) start_time: string;
  @ApiProperty({ format: 'date-time' }) end_time: string;
  @ApiProperty({ type: 'integer', example: 30, description: "the meeting's length in minutes (the one the invitee picked)" })
  duration_minutes: number;
  @ApiProperty({ description: "the invitee's zone at booking time" }) time_zone: string;
  @ApiProperty({ format: 'uuid' }) host_user_id: string;
  @ApiProperty({ type: [String] }) host_user_ids: string[];
  @ApiPropertyOptional() invitee_name?: string;
  @ApiPropertyOptional() invitee_email?: string;
  @ApiPropertyOptional({ enum: SUPPORTED_LOCALES, description: "the (first) invitee's language" }) locale?: string;
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
  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'the recurring series this booking is an occurrence of (GET/DELETE /api/bookings/{id}/series)',
  })
  recurring_booking_id?: string | null;
  @ApiPropertyOptional({ type: [OccurrenceDto], description: 'a series just booked: every occurrence, the first being this booking' })
  occurrences?: OccurrenceDto[];
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
