import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { RoundRobinReport } from '../application/round-robin-report.service.js';
import { NEXT_MAX } from '../application/round-robin-report.service.js';

export class RoundRobinReportQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'meeting_type_id must be a UUID' })
  meeting_type_id: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: NEXT_MAX,
    default: 10,
    description: 'how many next assignments to simulate',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `next must be a whole number from 0 to ${NEXT_MAX}` })
  @Min(0, { message: `next must be a whole number from 0 to ${NEXT_MAX}` })
  @Max(NEXT_MAX, { message: `next must be a whole number from 0 to ${NEXT_MAX}` })
  next?: number;
}

export class RoundRobinHostShareDto {
  @ApiProperty({ format: 'uuid' }) user_id: string;
  @ApiProperty() name: string;
  @ApiProperty({
    type: Number,
    format: 'float',
    description: 'weight over the weights of the non-fallback hosts (0 for a fallback host)',
    example: 0.5,
  })
  target_share: number;
  @ApiProperty({ type: Number, format: 'float', description: 'bookings over all bookings counted (0 when none)', example: 0.5 })
  actual_share: number;
  @ApiProperty({ type: 'integer', description: 'live bookings of the type counted in the period' }) bookings: number;
  @ApiProperty({ type: 'integer' }) weight: number;
  @ApiProperty({ type: 'integer' }) priority: number;
  @ApiProperty() fallback: boolean;
  @ApiProperty({ type: 'integer', nullable: true }) max_bookings_per_period: number | null;
}

export class RoundRobinReportDto {
  @ApiProperty({ format: 'uuid' }) meeting_type_id: string;
  @ApiProperty({ enum: ['calendar_month', 'rolling_30_days'] }) period: string;
  @ApiProperty({ format: 'date-time', description: 'counted: live bookings starting at or after this instant' }) period_start: string;
  @ApiProperty({ type: 'integer' }) total_bookings: number;
  @ApiProperty({
    description: 'the rule in words: lowest (bookings + 1) / weight among free hosts under their cap; fallback hosts last',
  })
  rule: string;
  @ApiProperty({ type: [RoundRobinHostShareDto] }) hosts: RoundRobinHostShareDto[];
  @ApiProperty({ type: [String], description: 'user ids of the next assignments, with every host free' }) next: string[];
}

export const RULE =
  'weighted least served: the free host under its cap with the lowest (bookings_in_period + 1) / weight; ties by higher ' +
  'priority, then least recently booked, then host id; fallback hosts only when no other host is free';

export function toRoundRobinReport(r: RoundRobinReport): RoundRobinReportDto {
  return {
    meeting_type_id: r.type.id,
    period: r.type.roundRobinPeriod,
    period_start: r.periodStart.toISOString(),
    total_bookings: r.totalBookings,
    rule: RULE,
    hosts: r.hosts.map((h) => ({
      user_id: h.userId,
      name: h.name,
      target_share: round(h.targetShare),
      actual_share: round(h.actualShare),
      bookings: h.bookings,
      weight: h.weight,
      priority: h.priority,
      fallback: h.fallback,
      max_bookings_per_period: h.maxBookingsPerPeriod,
    })),
    next: r.next,
  };
}

const round = (x: number) => Math.round(x * 10000) / 10000;
