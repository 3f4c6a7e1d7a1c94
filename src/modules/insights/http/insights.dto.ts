import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { Insights } from '../domain/aggregate-insights.js';
import { WEEK_START_DAYS } from '../../schedules/domain/host-limits.js';

export class InsightsQueryDto {
  @ApiPropertyOptional({ example: '2027-01-04', description: "first day (host's zone), included; default: 12 weeks before to's week" })
  @IsOptional()
  @IsString()
  @MaxLength(10, { message: 'from must be a date such as 2027-03-01' })
  from?: string;

  @ApiPropertyOptional({ example: '2027-03-28', description: "last day (host's zone), included; default: today. At most 366 days." })
  @IsOptional()
  @IsString()
  @MaxLength(10, { message: 'to must be a date such as 2027-03-01' })
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'round robin of this team only (one the host belongs to)' })
  @IsOptional()
  @IsUUID('all', { message: 'team_id must be a UUID' })
  team_id?: string;
}

class InsightsRangeDto {
  @ApiProperty({ example: '2027-01-04' }) from: string;
  @ApiProperty({ example: '2027-03-28' }) to: string;
  @ApiProperty({ example: 'Europe/Berlin' }) time_zone: string;
  @ApiProperty({ enum: WEEK_START_DAYS }) week_start: string;
}

class InsightsTotalsDto {
  @ApiProperty({ type: 'integer', description: 'bookings made in the range (a moved booking once, at its first making)' }) created: number;
  @ApiProperty({ type: 'integer', description: 'meetings scheduled in the range (declined or expired requests left out)' })
  meetings: number;
  @ApiProperty({ type: 'integer', description: 'meetings scheduled in the range that were cancelled' }) cancelled: number;
  @ApiProperty({ type: 'integer', description: 'meetings scheduled in the range that were moved at least once' }) rescheduled: number;
  @ApiProperty({ type: 'integer', description: 'invitees marked as no-shows, of meetings in the range' }) no_shows: number;
  @ApiProperty({ type: 'integer', description: "booking page views counted in the range (host's days)" }) page_views: number;
  @ApiProperty({ type: Number, format: 'float', nullable: true, description: 'created / page_views (4 decimals); null without views' })
  conversion_rate: number | null;
  @ApiProperty({ type: Number, format: 'float', nullable: true, description: 'cancelled / meetings; null without meetings' })
  cancellation_rate: number | null;
  @ApiProperty({ type: Number, format: 'float', nullable: true, description: 'rescheduled / meetings; null without meetings' })
  reschedule_rate: number | null;
}

class InsightsWeekDto {
  @ApiProperty({ example: '2027-03-22', description: "the week's first day (host's week start and zone)" }) week_start: string;
  @ApiProperty({ type: 'integer', description: 'bookings made that week' }) created: number;
  @ApiProperty({ type: 'integer', description: 'meetings that week that were cancelled' }) cancelled: number;
  @ApiProperty({ type: 'integer', description: 'invitees marked as no-shows, of meetings that week' }) no_shows: number;
}

class InsightsHeatmapRowDto {
  @ApiProperty({ enum: WEEK_START_DAYS }) weekday: string;
  @ApiProperty({ type: 'integer', isArray: true, description: "24 counts, by the hour of the meetings' local start (00-23)" })
  hours: number[];
}

class RoundRobinHostDto {
  @ApiProperty({ format: 'uuid' }) user_id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'integer', description: 'meetings in the range that take place (confirmed or pending)' }) bookings: number;
  @ApiProperty({ type: Number, format: 'float', nullable: true, description: "this host's share of the type's meetings" }) share:
    number | null;
}

class RoundRobinTypeDto {
  @ApiProperty({ format: 'uuid' }) meeting_type_id: string;
  @ApiProperty() meeting_type_name: string;
  @ApiProperty({ format: 'uuid' }) team_id: string;
  @ApiProperty() team_name: string;
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: [RoundRobinHostDto] }) hosts: RoundRobinHostDto[];
}

export class InsightsDto {
  @ApiProperty({ type: InsightsRangeDto }) range: InsightsRangeDto;
  @ApiProperty({ type: InsightsTotalsDto }) totals: InsightsTotalsDto;
  @ApiProperty({ type: [InsightsWeekDto] }) weeks: InsightsWeekDto[];
  @ApiProperty({ type: [InsightsHeatmapRowDto], description: "7 rows from the host's week start" }) heatmap: InsightsHeatmapRowDto[];
  @ApiProperty({ type: [RoundRobinTypeDto], description: "round-robin types of the host's teams" }) round_robin: RoundRobinTypeDto[];
}

export function presentInsights(i: Insights): InsightsDto {
  return {
    range: { from: i.range.from, to: i.range.to, time_zone: i.range.timeZone, week_start: WEEK_START_DAYS[i.range.weekStart] },
    totals: {
      created: i.totals.created,
      meetings: i.totals.meetings,
      cancelled: i.totals.cancelled,
      rescheduled: i.totals.rescheduled,
      no_shows: i.totals.noShows,
      page_views: i.totals.pageViews,
      conversion_rate: i.totals.conversionRate,
      cancellation_rate: i.totals.cancellationRate,
      reschedule_rate: i.totals.rescheduleRate,
    },
    weeks: i.weeks.map((w) => ({ week_start: w.weekStart, created: w.created, cancelled: w.cancelled, no_shows: w.noShows })),
    heatmap: i.heatmap.map((d) => ({ weekday: WEEK_START_DAYS[d.weekday], hours: d.hours })),
    round_robin: i.roundRobin.map((t) => ({
      meeting_type_id: t.meetingTypeId,
      meeting_type_name: t.meetingTypeName,
      team_id: t.teamId,
      team_name: t.teamName,
      total: t.total,
      hosts: t.hosts.map((h) => ({ user_id: h.userId, name: h.name, bookings: h.bookings, share: h.share })),
    })),
  };
}
