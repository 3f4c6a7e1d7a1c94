import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsTimeZone } from '../../../shared/validation/time-zone.js';
import type { HoursInput, OverrideInput, RuleInput, ScheduleView } from '../application/schedules.service.js';
import { IsSingleLine } from '../../../shared/validation/text-decorators.js';

/** 00:00-23:59 */
export const START_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
/** 00:00-23:59 or 24:00 (the next midnight) */
export const END_TIME_PATTERN = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const startTime = () => Matches(START_TIME_PATTERN, { message: '$property must be a time HH:MM between 00:00 and 23:59' });
const endTime = () => Matches(END_TIME_PATTERN, { message: '$property must be a time HH:MM between 00:01 and 24:00' });

export class RuleDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 6, description: '0 = Sunday .. 6 = Saturday', example: 1 })
  @IsInt({ message: 'day_of_week must be an integer 0-6 (0 = Sunday)' })
  @Min(0, { message: 'day_of_week must be an integer 0-6 (0 = Sunday)' })
  @Max(6, { message: 'day_of_week must be an integer 0-6 (0 = Sunday)' })
  day_of_week: number;

  @ApiProperty({ example: '09:00', description: 'HH:MM wall-clock time in the schedule zone' })
  @IsString()
  @startTime()
  start_time: string;

  @ApiProperty({ example: '17:00', description: 'HH:MM; "24:00" means the end of the day' })
  @IsString()
  @endTime()
  end_time: string;
}

export class IntervalDto {
  @ApiProperty({ example: '10:00' })
  @IsString()
  @startTime()
  start_time: string;

  @ApiProperty({ example: '14:00' })
  @IsString()
  @endTime()
  end_time: string;
}

export class OverrideDto {
  @ApiProperty({ example: '2027-03-15', description: 'YYYY-MM-DD, a local date in the schedule zone' })
  @IsString()
  @Matches(DATE_PATTERN, { message: 'date must be a date YYYY-MM-DD' })
  date: string;

  @ApiProperty({ type: [IntervalDto], description: 'the hours of that date; [] = unavailable all day' })
  @IsArray()
  @ArrayMaxSize(48)
  @ValidateNested({ each: true })
  @Type(() => IntervalDto)
  intervals: IntervalDto[];
}

export class SetRulesDto {
  @ApiPropertyOptional({ example: 'Europe/London', description: "IANA zone; defaults to the user's" })
  @IsOptional()
  @IsTimeZone()
  time_zone?: string;

  @ApiProperty({ type: [RuleDto], description: 'weekly intervals; several per day allowed, none may overlap' })
  @IsArray()
  @ArrayMaxSize(336)
  @ValidateNested({ each: true })
  @Type(() => RuleDto)
  rules: RuleDto[];

  @ApiPropertyOptional({ type: [OverrideDto], description: "date overrides; each replaces that date's hours" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => OverrideDto)
  overrides?: OverrideDto[];
}

export class CreateScheduleDto extends SetRulesDto {
  @ApiProperty({ example: 'Summer hours' })
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(100)
  @IsSingleLine()
  name: string;

  @ApiPropertyOptional({ description: "make this the host's default schedule (a host's first schedule always is)" })
  @IsOptional()
  @IsBoolean()
  is_default?: boolean;
}

/** PUT: every field optional; `rules`/`overrides`, when sent, replace the stored ones. */
export class UpdateScheduleDto {
  @ApiPropertyOptional()
  @ValidateIf((_, v) => v !== undefined)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(100)
  @IsSingleLine()
  name?: string;

  @ApiPropertyOptional({ description: 'IANA zone' })
  @ValidateIf((_, v) => v !== undefined)
  @IsTimeZone()
  time_zone?: string;

  @ApiPropertyOptional({ type: [RuleDto] })
  @ValidateIf((_, v) => v !== undefined)
  @IsArray()
  @ArrayMaxSize(336)
  @ValidateNested({ each: true })
  @Type(() => RuleDto)
  rules?: RuleDto[];

  @ApiPropertyOptional({ type: [OverrideDto] })
  @ValidateIf((_, v) => v !== undefined)
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => OverrideDto)
  overrides?: OverrideDto[];

  @ApiPropertyOptional({ description: 'true makes this the default; the default cannot be unset directly' })
  @ValidateIf((_, v) => v !== undefined)
  @IsBoolean()
  is_default?: boolean;
}

export class WeeklyHoursDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null until hours are first set' }) schedule_id: string | null;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'Europe/London' }) time_zone: string;
  @ApiProperty({ type: [RuleDto] }) rules: RuleDto[];
  @ApiProperty({ type: [OverrideDto] }) overrides: OverrideDto[];
}

export class ScheduleDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() time_zone: string;
  @ApiProperty() is_default: boolean;
  @ApiProperty({ type: [RuleDto] }) rules: RuleDto[];
  @ApiProperty({ type: [OverrideDto] }) overrides: OverrideDto[];
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export const toSchedule = (v: ScheduleView): ScheduleDto => ({
  id: v.schedule.id,
  name: v.schedule.name,
  time_zone: v.schedule.timeZone,
  is_default: v.schedule.isDefault,
  rules: v.rules.map((r) => ({ day_of_week: r.dayOfWeek, start_time: r.startTime, end_time: r.endTime })),
  overrides: v.overrides.map((o) => ({
    date: o.date,
    intervals: o.intervals.map((i) => ({ start_time: i.startTime, end_time: i.endTime })),
  })),
  created_at: v.schedule.createdAt.toISOString(),
  updated_at: v.schedule.updatedAt.toISOString(),
});

export const toRuleInputs = (rules: RuleDto[]): RuleInput[] =>
  rules.map((r) => ({ dayOfWeek: r.day_of_week, startTime: r.start_time, endTime: r.end_time }));

export const toOverrideInputs = (overrides: OverrideDto[]): OverrideInput[] =>
  overrides.map((o) => ({ date: o.date, intervals: o.intervals.map((i) => ({ startTime: i.start_time, endTime: i.end_time })) }));

export const toHoursInput = (dto: SetRulesDto): HoursInput => ({
  timeZone: dto.time_zone,
  rules: toRuleInputs(dto.rules),
  overrides: toOverrideInputs(dto.overrides ?? []),
});
