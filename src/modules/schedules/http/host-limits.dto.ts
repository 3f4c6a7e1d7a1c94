import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { HostLimitsSettings } from '../application/host-limits.service.js';
import { WEEK_START_DAYS, type WeekStartDay } from '../domain/host-limits.js';

const int = (field: string, min: number, max: number): PropertyDecorator => {
  const message = `${field} must be an integer from ${min} to ${max}`;
  return (target, key) => [IsInt({ message }), Min(min, { message }), Max(max, { message })].forEach((d) => d(target, key));
};

const cap = (description: string, minimum: number, maximum: number) =>
  ApiPropertyOptional({ type: 'integer', nullable: true, minimum, maximum, description: `${description}; null = no limit` });

/** PUT /api/availability/limits: fields not sent keep their value; null clears one. */
export class UpdateHostLimitsDto {
  @cap('bookings a day across all your meeting types (by local start date)', 1, 1000)
  @IsOptional()
  @int('max_bookings_per_day', 1, 1000)
  max_bookings_per_day?: number | null;

  @cap('bookings a calendar week (from week_start)', 1, 10_000)
  @IsOptional()
  @int('max_bookings_per_week', 1, 10_000)
  max_bookings_per_week?: number | null;

  @cap('bookings a calendar month', 1, 100_000)
  @IsOptional()
  @int('max_bookings_per_month', 1, 100_000)
  max_bookings_per_month?: number | null;

  @cap('bookings a calendar year', 1, 1_000_000)
  @IsOptional()
  @int('max_bookings_per_year', 1, 1_000_000)
  max_bookings_per_year?: number | null;

  @cap('booked minutes a day', 5, 1440)
  @IsOptional()
  @int('max_booked_minutes_per_day', 5, 1440)
  max_booked_minutes_per_day?: number | null;

  @cap('booked minutes a calendar week', 5, 10_080)
  @IsOptional()
  @int('max_booked_minutes_per_week', 5, 10_080)
  max_booked_minutes_per_week?: number | null;

  @ApiPropertyOptional({
    enum: WEEK_START_DAYS,
    nullable: true,
    default: 'monday',
    description: 'first day of your weeks, for weekly caps',
  })
  @IsOptional()
  @IsIn(WEEK_START_DAYS, { message: `week_start must be one of: ${WEEK_START_DAYS.join(', ')}` })
  week_start?: WeekStartDay | null;
}

export class HostLimitsDto {
  @ApiProperty({ nullable: true, type: 'integer' }) max_bookings_per_day: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) max_bookings_per_week: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) max_bookings_per_month: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) max_bookings_per_year: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) max_booked_minutes_per_day: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) max_booked_minutes_per_week: number | null;
  @ApiProperty({ enum: WEEK_START_DAYS }) week_start: WeekStartDay;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null until first set' }) updated_at: string | null;
}

export const toHostLimitsChanges = (dto: UpdateHostLimitsDto): { [K in keyof HostLimitsSettings]?: HostLimitsSettings[K] | null } => ({
  maxBookingsPerDay: dto.max_bookings_per_day,
  maxBookingsPerWeek: dto.max_bookings_per_week,
  maxBookingsPerMonth: dto.max_bookings_per_month,
  maxBookingsPerYear: dto.max_bookings_per_year,
  maxBookedMinutesPerDay: dto.max_booked_minutes_per_day,
  maxBookedMinutesPerWeek: dto.max_booked_minutes_per_week,
  weekStart: dto.week_start,
});

export const toHostLimits = (l: HostLimitsSettings & { updatedAt: Date | null }): HostLimitsDto => ({
  max_bookings_per_day: l.maxBookingsPerDay,
  max_bookings_per_week: l.maxBookingsPerWeek,
  max_bookings_per_month: l.maxBookingsPerMonth,
  max_bookings_per_year: l.maxBookingsPerYear,
  max_booked_minutes_per_day: l.maxBookedMinutesPerDay,
  max_booked_minutes_per_week: l.maxBookedMinutesPerWeek,
  week_start: l.weekStart,
  updated_at: l.updatedAt ? l.updatedAt.toISOString() : null,
});
