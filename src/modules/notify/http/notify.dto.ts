import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { DELIVERY_KINDS, WEBHOOK_EVENTS } from '../domain/plan-deliveries.js';
import type { DeliveryRecord } from '../application/notifications.service.js';
import type { WebhookSubscription } from '../application/webhooks.service.js';

/** `GET /api/bookings/:id/ics`: a host signs in; an invitee passes the management token. */
export class BookingIcsQueryDto {
  @ApiPropertyOptional({ description: "the invitee's management token" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  token?: string;
}

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/kairos' })
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an absolute http(s) URL' })
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, example: ['invitee.created', 'invitee.canceled'] })
  @IsArray()
  @ArrayNotEmpty({ message: 'events must name at least one event' })
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @IsIn(WEBHOOK_EVENTS, { each: true, message: `events must be a subset of ${WEBHOOK_EVENTS.join(', ')}` })
  events: string[];
}

export class WebhookDto {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true }) events: string[];
  @ApiProperty({ description: 'false while the host has paused it (from the admin): nothing is sent' }) enabled: boolean;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    description: 'Signing secret (Standard Webhooks "whsec_..." format). Shown only in this response.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret: string;
}

const webhookFields = (w: WebhookSubscription) => ({
  id: w.id,
  url: w.url,
  events: w.events,
  enabled: w.disabledAt === null,
  created_at: w.createdAt.toISOString(),
});

export const toWebhook = (w: WebhookSubscription): WebhookDto => webhookFields(w);

/** The one response that shows the signing secret: the webhook just created. */
export const toCreatedWebhook = (w: WebhookSubscription, secret: string): CreatedWebhookDto => ({ ...webhookFields(w), secret });

export class ListNotificationsQuery {
  @ApiPropertyOptional({ description: "Only this booking's deliveries (404 unless the caller hosts or owns it)" })
  @IsOptional()
  @IsUUID('all', { message: 'booking_id must be a UUID' })
  booking_id?: string;

  @ApiPropertyOptional({ enum: ['pending', 'sent', 'failed', 'cancelled'] })
  @IsOptional()
  @IsIn(['pending', 'sent', 'failed', 'cancelled'], { message: 'status must be pending, sent, failed or cancelled' })
  status?: 'pending' | 'sent' | 'failed' | 'cancelled';

  @ApiPropertyOptional({ enum: DELIVERY_KINDS })
  @IsOptional()
  @IsIn(DELIVERY_KINDS, { message: `kind must be one of: ${DELIVERY_KINDS.join(', ')}` })
  kind?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(500)
  limit?: number;
}

export class NotificationDto {
  @ApiProperty() id: string;
  @ApiProperty({ type: String, nullable: true }) booking_id: string | null;
  @ApiProperty({ enum: DELIVERY_KINDS, description: 'host_move_conflict: to a host whose calendar move the booking could not follow' })
  kind: string;
  @ApiProperty({ enum: ['email', 'sms', 'webhook'] }) channel: string;
  @ApiProperty({ description: 'Email address, phone number, or webhook id' }) recipient: string;
  @ApiProperty({ enum: ['invitee', 'host', 'webhook', 'guest'] }) recipient_role: string;
  @ApiProperty({ description: 'Booking event type, or the webhook event name' }) event_type: string;
  @ApiProperty({ type: 'integer', description: 'iCalendar SEQUENCE the message describes' }) revision: number;
  @ApiProperty({ enum: ['pending', 'sent', 'failed', 'cancelled'] }) status: string;
  @ApiProperty({ format: 'date-time' }) due_at: string;
  @ApiProperty({ type: 'integer' }) attempts: number;
  @ApiProperty({ type: 'integer' }) max_attempts: number;
  @ApiProperty({ type: String, nullable: true }) last_error: string | null;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) sent_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export const toNotification = (d: DeliveryRecord): NotificationDto => ({
  id: d.id,
  booking_id: d.bookingId,
  kind: d.kind,
  channel: d.channel,
  recipient: d.recipient,
  recipient_role: d.recipientRole,
  event_type: d.eventType,
  revision: d.revision,
  status: d.status,
  due_at: d.dueAt.toISOString(),
  attempts: d.attempts,
  max_attempts: d.maxAttempts,
  last_error: d.lastError,
  sent_at: d.sentAt?.toISOString() ?? null,
  created_at: d.createdAt.toISOString(),
  updated_at: d.updatedAt.toISOString(),
});
