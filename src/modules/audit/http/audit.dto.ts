import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumberString, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { AuditRecord } from '../application/audit-records.js';

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'Only this booking (and the booking it replaced)', format: 'uuid' })
  @IsOptional()
  @IsUUID(undefined, { message: 'booking_id must be a UUID' })
  booking_id?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'Page backwards: entries with a smaller id (the last id of the previous page)' })
  @IsOptional()
  @IsNumberString({ no_symbols: true }, { message: 'before_id must be an entry id' })
  before_id?: string;
}

export class AuditEntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time', description: 'When the change happened' }) occurred_at: string;
  @ApiProperty({ format: 'date-time', description: 'When it was recorded' }) recorded_at: string;
  @ApiProperty({ enum: ['host', 'invitee', 'system', 'calendar'] }) actor_type: string;
  @ApiProperty({ type: String, nullable: true, description: 'The host user id or the invitee id that acted' }) actor_id: string | null;
  @ApiProperty({ example: 'booking.created' }) action: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) booking_id: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What changed (times, sequence; never personal data)' })
  details: Record<string, unknown>;
}

export class AuditListDto {
  @ApiProperty({ type: [AuditEntryDto] }) entries: AuditEntryDto[];
}

export const toAuditEntry = (r: AuditRecord): AuditEntryDto => ({
  id: r.id,
  occurred_at: new Date(r.occurred_at).toISOString(),
  recorded_at: new Date(r.recorded_at).toISOString(),
  actor_type: r.actor_type,
  actor_id: r.actor_id,
  action: r.action,
  booking_id: r.booking_id,
  details: r.details,
});
