import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { toApiInstant } from '../../../shared/time/instant.js';
import { IsSingleLine } from '../../../shared/validation/text-decorators.js';
import type { AwayView } from '../application/time-off.service.js';
import type { HolidaySettingView, HolidayYearView } from '../application/holidays.service.js';
import type { TimeOffRecord } from '../application/time-off.service.js';
import { MAX_REASON_LENGTH } from '../domain/time-off.js';

const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const instantMessage = (field: string) => `${field} must be an ISO 8601 instant such as 2027-03-14T14:00:00Z`;

export class CreateTimeOffDto {
  @ApiProperty({ example: '2027-08-02T00:00:00Z', description: 'first instant away' })
  @Matches(UTC_INSTANT, { message: instantMessage('start_time') })
  @IsISO8601({ strict: true }, { message: instantMessage('start_time') })
  start_time: string;

  @ApiProperty({
    example: '2027-08-16T00:00:00Z',
    description: 'first instant back: after start_time, at most 366 days later, in the future',
  })
  @Matches(UTC_INSTANT, { message: instantMessage('end_time') })
  @IsISO8601({ strict: true }, { message: instantMessage('end_time') })
  end_time: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_REASON_LENGTH,
    example: 'Summer holiday',
    description: 'one line; shown to invitees on your booking page while you are away',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REASON_LENGTH)
  @IsSingleLine()
  reason?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'a teammate (a member of one of your teams) whose booking page yours offers while you are away',
  })
  @IsOptional()
  @IsUUID('all', { message: 'redirect_to_user_id must be a UUID' })
  redirect_to_user_id?: string | null;
}

export class ListTimeOffQueryDto {
  @ApiPropertyOptional({ description: 'ranges ending after this instant (default: now, unless `to` is given)' })
  @IsOptional()
  @Matches(UTC_INSTANT, { message: instantMessage('from') })
  @IsISO8601({ strict: true }, { message: instantMessage('from') })
  from?: string;

  @ApiPropertyOptional({ description: 'ranges starting before this instant' })
  @IsOptional()
  @Matches(UTC_INSTANT, { message: instantMessage('to') })
  @IsISO8601({ strict: true }, { message: instantMessage('to') })
  to?: string;

  @ApiPropertyOptional({ type: 'integer', default: 100, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer 1-500' })
  @Min(1, { message: 'limit must be an integer 1-500' })
  @Max(500, { message: 'limit must be an integer 1-500' })
  limit?: number;
}

export class TimeOffDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time', example: '2027-08-02T00:00:00Z' }) start_time: string;
  @ApiProperty({ format: 'date-time', example: '2027-08-16T00:00:00Z' }) end_time: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) redirect_to_user_id: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export const toTimeOff = (r: TimeOffRecord): TimeOffDto => ({
  id: r.id,
  start_time: toApiInstant(r.start),
  end_time: toApiInstant(r.end),
  reason: r.reason,
  redirect_to_user_id: r.redirectToUserId,
  created_at: toApiInstant(r.createdAt),
});

export class SetHolidaysDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'DE',
    description: 'ISO 3166-1 alpha-2 country whose public and bank holidays you take off; null to follow none',
  })
  @ValidateIf((o: SetHolidaysDto) => o.country !== null)
  @IsString({ message: 'country must be a country code such as "DE", or null' })
  @MaxLength(3, { message: 'country must be a country code such as "DE", or null' })
  country: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'BY', description: 'a region of the country: "BY" or "DE-BY" (Bavaria)' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  region?: string | null;
}

export class HolidaySettingDto {
  @ApiProperty({ type: String, nullable: true, example: 'DE' }) country: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'BY' }) region: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Deutschland' }) country_name: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Bayern' }) region_name: string | null;
}

export const toHolidaySetting = (v: HolidaySettingView): HolidaySettingDto => ({
  country: v.setting?.country ?? null,
  region: v.setting?.region ?? null,
  country_name: v.countryName,
  region_name: v.regionName,
});

export class HolidaysQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1970, maximum: 2200, description: 'default: the current year in your zone' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'year must be an integer 1970-2200' })
  @Min(1970, { message: 'year must be an integer 1970-2200' })
  @Max(2200, { message: 'year must be an integer 1970-2200' })
  year?: number;
}

export class HolidayDto {
  @ApiProperty({ example: '2027-12-25', description: 'its first local date' }) date: string;
  @ApiProperty({ type: 'integer', example: 1, description: 'local dates it lasts' }) days: number;
  @ApiProperty({ example: 'Christmas Day' }) name: string;
  @ApiProperty({ enum: ['public', 'bank'] }) type: string;
  @ApiProperty({ format: 'date-time', description: 'first instant off, in `time_zone`' }) start_time: string;
  @ApiProperty({ format: 'date-time', description: 'first instant back (the next local midnight)' }) end_time: string;
}

export class HolidayYearDto extends HolidaySettingDto {
  @ApiProperty({ type: 'integer', example: 2027 }) year: number;
  @ApiProperty({ example: 'Europe/Berlin', description: "the zone the days are placed in: your default schedule's, else your profile's" })
  time_zone: string;
  @ApiProperty({ type: [HolidayDto] }) holidays: HolidayDto[];
}

export const toHolidayYear = (v: HolidayYearView): HolidayYearDto => ({
  country: v.setting?.country ?? null,
  region: v.setting?.region ?? null,
  country_name: v.countryName,
  region_name: v.regionName,
  year: v.year,
  time_zone: v.timeZone,
  holidays: v.holidays.map((h) => ({
    date: h.date,
    days: h.days,
    name: h.name,
    type: h.type,
    start_time: toApiInstant(h.start),
    end_time: toApiInstant(h.end),
  })),
});

export class HolidayRegionDto {
  @ApiProperty({ example: 'BY' }) code: string;
  @ApiProperty({ example: 'Bayern' }) name: string;
}

export class HolidayCountryDto {
  @ApiProperty({ example: 'DE' }) code: string;
  @ApiProperty({ example: 'Germany' }) name: string;
  @ApiProperty({ type: [HolidayRegionDto], description: 'the values `region` takes for this country ([] when it has none)' })
  regions: HolidayRegionDto[];
}

export class AwayQueryDto {
  @ApiProperty({ format: 'uuid', description: 'the host' })
  @IsUUID('all', { message: 'user_id must be a UUID' })
  user_id: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "the host's meeting type the invitee opened: the teammate's type of the same slug or duration is offered",
  })
  @IsOptional()
  @IsUUID('all', { message: 'meeting_type_id must be a UUID' })
  meeting_type_id?: string;
}

export class AwayUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() username: string;
}

export class AwayRedirectDto {
  @ApiProperty({ type: AwayUserDto }) user: AwayUserDto;
  @ApiProperty({ type: String, nullable: true, description: "the teammate's matching type (same slug, else same duration), if any" })
  meeting_type_slug: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) meeting_type_id: string | null;
  @ApiProperty({
    example: 'https://kairos.example.com/sam/intro-call',
    description: "the teammate's booking page (of that type, else their profile)",
  })
  url: string;
}

export class AwayDetailsDto {
  @ApiProperty({ format: 'date-time', description: 'the end of the time off (back-to-back ranges count as one)' }) until: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: AwayRedirectDto, nullable: true }) redirect: AwayRedirectDto | null;
}

export class AwayDto {
  @ApiProperty({ type: AwayDetailsDto, nullable: true, description: 'null when the host is not away now' })
  away: AwayDetailsDto | null;
}

export const toAway = (v: AwayView | null): AwayDto => ({
  away: v && {
    until: toApiInstant(v.until),
    reason: v.reason,
    redirect: v.redirect && {
      user: v.redirect.user,
      meeting_type_slug: v.redirect.meetingType?.slug ?? null,
      meeting_type_id: v.redirect.meetingType?.id ?? null,
      url: v.redirect.url,
    },
  },
});
