import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsSingleLine } from '../../../shared/validation/text-decorators.js';
import type { CalendarConnectionView, CalendarEventView, CalendarView } from '../application/calendar-views.js';

export class IntegrationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['google', 'microsoft', 'caldav', 'ics'] }) provider: string;
  @ApiProperty({ type: String, nullable: true, example: 'ada@example.com' }) account_email: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'ICS/CalDAV: the server (path hidden: feed URLs often carry secrets)' })
  server: string | null;
  @ApiProperty({ enum: ['active', 'broken'], description: 'broken: the host must reconnect (see last_error)' }) status: string;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) last_synced_at: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Google access was revoked or has expired (invalid_grant): reconnect this calendar',
  })
  last_error: string | null;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) last_error_at: string | null;
  @ApiProperty({
    format: 'date-time',
    type: String,
    nullable: true,
    description: 'When the access token expires (refreshed automatically before)',
  })
  token_expires_at: string | null;
  @ApiProperty({ format: 'date-time', type: String, nullable: true, description: 'Set while backing off after a provider rate limit' })
  next_sync_at: string | null;
  @ApiProperty({ description: 'Cancel the booking when the host deletes its event from this calendar (else it is flagged)' })
  cancel_booking_on_delete: boolean;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toIntegration(i: CalendarConnectionView): IntegrationDto {
  let server: string | null = null;
  if (i.serverUrl) {
    try {
      server = new URL(i.serverUrl).origin;
    } catch {
      server = null;
    }
  }
  return {
    id: i.id,
    provider: i.provider,
    account_email: i.accountEmail,
    server,
    status: i.status,
    last_synced_at: iso(i.lastSyncedAt),
    last_error: i.lastError,
    last_error_at: iso(i.lastErrorAt),
    token_expires_at: iso(i.tokenExpiresAt),
    next_sync_at: iso(i.nextSyncAt),
    cancel_booking_on_delete: i.cancelBookingOnDelete,
    created_at: i.createdAt.toISOString(),
  };
}

export class CalendarDto {
  @ApiProperty() calendar_id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) time_zone: string | null;
  @ApiProperty() is_primary: boolean;
  @ApiProperty() read_only: boolean;
  @ApiProperty({ description: 'Its busy events block availability' }) is_busy_source: boolean;
  @ApiProperty({ description: 'New bookings are written here (one per host)' }) is_destination: boolean;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) last_synced_at: string | null;
}

export const toCalendar = (s: CalendarView): CalendarDto => ({
  calendar_id: s.calendarId,
  name: s.name,
  time_zone: s.timeZone,
  is_primary: s.isPrimary,
  read_only: s.readOnly,
  is_busy_source: s.isBusySource,
  is_destination: s.isDestination,
  last_synced_at: iso(s.lastSyncedAt),
});

export class CalendarChoiceDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(1024) calendar_id: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_busy_source?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_destination?: boolean;
}

export class ChooseCalendarsDto {
  @ApiProperty({ type: [CalendarChoiceDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => CalendarChoiceDto)
  calendars: CalendarChoiceDto[];
}

export class UpdateIntegrationDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() cancel_booking_on_delete?: boolean;
}

export class ConnectIcsDto {
  @ApiProperty({ example: 'https://calendar.example.com/feeds/abc.ics', description: 'http(s) or webcal URL of a public iCalendar feed' })
  @IsString()
  @MinLength(8)
  @MaxLength(2048)
  url: string;
}

export class ConnectCaldavDto {
  @ApiProperty({
    example: 'https://caldav.icloud.com',
    description: "The CalDAV server (its root or the account's principal URL); the calendars are discovered",
  })
  @IsString()
  @MinLength(8)
  @MaxLength(2048)
  server_url: string;

  @ApiProperty({ example: 'ada@icloud.com' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  @IsSingleLine()
  username: string;

  @ApiProperty({ description: 'An app-specific password (iCloud, Fastmail); stored encrypted, never returned', writeOnly: true })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password: string;
}

export class ExportFeedDto {
  @ApiProperty({
    example: 'https://kairos.example.com/feeds/kcf_….ics',
    description:
      "Private iCalendar feed of the caller's bookings: subscribe to it from Google, Apple or Outlook; anyone with the URL can read it",
  })
  url: string;
  @ApiProperty({ format: 'date-time', description: 'When this URL was issued (rotating issues a new one and retires the old)' })
  rotated_at: string;
}

export class MeetingTypeDestinationDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'integration_id must be a UUID' }) integration_id: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(1024) calendar_id: string;
}

export class AuthorizationUrlDto {
  @ApiProperty() authorization_url: string;
}

export class SyncResultDto {
  @ApiProperty({ enum: ['synced', 'busy', 'broken', 'rate_limited', 'failed'] }) sync_status: string;
  @ApiProperty({ type: String, nullable: true }) sync_error: string | null;
  @ApiProperty({ type: IntegrationDto }) integration: IntegrationDto;
}

export class EventLinkDto {
  @ApiProperty() booking_id: string;
  @ApiProperty({ type: String, nullable: true }) integration_id: string | null;
  @ApiProperty({ type: String, nullable: true }) calendar_id: string | null;
  @ApiProperty({ type: String, nullable: true }) external_event_id: string | null;
  @ApiProperty({ enum: ['pending', 'synced', 'failed', 'deleted', 'superseded', 'host_deleted', 'host_moved'] }) status: string;
  @ApiProperty({ type: String, nullable: true, enum: ['cancel_requested', 'cancelled', 'flagged'] }) host_action: string | null;
  @ApiProperty({ type: 'integer' }) attempts: number;
  @ApiProperty({ type: String, nullable: true }) last_error: string | null;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) next_retry_at: string | null;
}

export const toEventLink = (l: CalendarEventView): EventLinkDto => ({
  booking_id: l.bookingId,
  integration_id: l.integrationId,
  calendar_id: l.calendarId,
  external_event_id: l.externalEventId,
  status: l.status,
  host_action: l.hostAction,
  attempts: l.attempts,
  last_error: l.lastError,
  next_retry_at: iso(l.nextRetryAt),
});
