import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import type { MeetingTypeHost } from '../domain/meeting-type.js';

export const WEIGHT_MIN = 1;
export const WEIGHT_MAX = 1000;
export const PRIORITY_MIN = 0;
export const PRIORITY_MAX = 100;
export const CAP_MAX = 10000;
const PERIODS = ['calendar_month', 'rolling_30_days'] as const;

const WEIGHT_MESSAGE = `weight must be a whole number from ${WEIGHT_MIN} to ${WEIGHT_MAX}`;
const PRIORITY_MESSAGE = `priority must be a whole number from ${PRIORITY_MIN} to ${PRIORITY_MAX}`;
const CAP_MESSAGE = `max_bookings_per_period must be null or a whole number from 0 to ${CAP_MAX}`;

export class UpdateRoundRobinHostDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: WEIGHT_MIN,
    maximum: WEIGHT_MAX,
    example: 2,
    description: 'share of bookings: twice the weight, twice the bookings',
  })
  @IsOptional()
  @IsInt({ message: WEIGHT_MESSAGE })
  @Min(WEIGHT_MIN, { message: WEIGHT_MESSAGE })
  @Max(WEIGHT_MAX, { message: WEIGHT_MESSAGE })
  weight?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: PRIORITY_MIN,
    maximum: PRIORITY_MAX,
    example: 0,
    description: 'higher first between hosts of equal load',
  })
  @IsOptional()
  @IsInt({ message: PRIORITY_MESSAGE })
  @Min(PRIORITY_MIN, { message: PRIORITY_MESSAGE })
  @Max(PRIORITY_MAX, { message: PRIORITY_MESSAGE })
  priority?: number;

  @ApiPropertyOptional({ description: 'only booked when no other host is free' })
  @IsOptional()
  @IsBoolean({ message: 'fallback must be true or false' })
  fallback?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 0,
    maximum: CAP_MAX,
    description: 'most bookings of this type per counting period; null = no cap',
  })
  @ValidateIf((o: UpdateRoundRobinHostDto) => o.max_bookings_per_period !== null && o.max_bookings_per_period !== undefined)
  @IsInt({ message: CAP_MESSAGE })
  @Min(0, { message: CAP_MESSAGE })
  @Max(CAP_MAX, { message: CAP_MESSAGE })
  max_bookings_per_period?: number | null;
}

export class RoundRobinHostSettingsDto {
  @ApiProperty({ format: 'uuid' }) user_id: string;
  @ApiProperty({ type: 'integer' }) weight: number;
  @ApiProperty({ type: 'integer' }) priority: number;
  @ApiProperty() fallback: boolean;
  @ApiProperty({ type: 'integer', nullable: true }) max_bookings_per_period: number | null;
}

export class UpdateRoundRobinPeriodDto {
  @ApiProperty({ enum: PERIODS, description: 'calendar_month counts from the 1st in the owner\u2019s zone' })
  @IsIn(PERIODS, { message: `period must be one of: ${PERIODS.join(', ')}` })
  period: (typeof PERIODS)[number];
}

export class RoundRobinPeriodDto {
  @ApiProperty({ enum: PERIODS }) period: string;
}

export function toRoundRobinHost(h: MeetingTypeHost): RoundRobinHostSettingsDto {
  return {
    user_id: h.userId,
    weight: h.weight,
    priority: h.priority,
    fallback: h.fallback,
    max_bookings_per_period: h.maxBookingsPerPeriod,
  };
}
