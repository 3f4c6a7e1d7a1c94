import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { HostLimitsSettings, WeekStartDay } from '../domain/host-limits.js';

interface Row {
  max_bookings_per_day: number | null;
  max_bookings_per_week: number | null;
  max_bookings_per_month: number | null;
  max_bookings_per_year: number | null;
  max_booked_minutes_per_day: number | null;
  max_booked_minutes_per_week: number | null;
  week_start: WeekStartDay;
  updated_at: Date;
}

const COLUMNS =
  'max_bookings_per_day, max_bookings_per_week, max_bookings_per_month, max_bookings_per_year, ' +
  'max_booked_minutes_per_day, max_booked_minutes_per_week, week_start, updated_at';

/** host_booking_limits: one row per host who set caps or a week start (the slot engine's read joins it too). */
@Injectable()
export class HostLimitsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(userId: string): Promise<(HostLimitsSettings & { updatedAt: Date }) | null> {
    const rows = await this.dataSource.query<Row[]>(`SELECT ${COLUMNS} FROM host_booking_limits WHERE user_id = $1`, [userId]);
    return rows.length ? toSettings(rows[0]) : null;
  }

  async save(userId: string, l: HostLimitsSettings): Promise<HostLimitsSettings & { updatedAt: Date }> {
    const rows = await this.dataSource.query<Row[]>(
      `INSERT INTO host_booking_limits (user_id, max_bookings_per_day, max_bookings_per_week, max_bookings_per_month,
              max_bookings_per_year, max_booked_minutes_per_day, max_booked_minutes_per_week, week_start, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (user_id) DO UPDATE SET
         max_bookings_per_day = EXCLUDED.max_bookings_per_day, max_bookings_per_week = EXCLUDED.max_bookings_per_week,
         max_bookings_per_month = EXCLUDED.max_bookings_per_month, max_bookings_per_year = EXCLUDED.max_bookings_per_year,
         max_booked_minutes_per_day = EXCLUDED.max_booked_minutes_per_day,
         max_booked_minutes_per_week = EXCLUDED.max_booked_minutes_per_week,
         week_start = EXCLUDED.week_start, updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        userId,
        l.maxBookingsPerDay,
        l.maxBookingsPerWeek,
        l.maxBookingsPerMonth,
        l.maxBookingsPerYear,
        l.maxBookedMinutesPerDay,
        l.maxBookedMinutesPerWeek,
        l.weekStart,
      ],
    );
    return toSettings(rows[0]);
  }
}

const toSettings = (r: Row): HostLimitsSettings & { updatedAt: Date } => ({
  maxBookingsPerDay: r.max_bookings_per_day,
  maxBookingsPerWeek: r.max_bookings_per_week,
  maxBookingsPerMonth: r.max_bookings_per_month,
  maxBookingsPerYear: r.max_bookings_per_year,
  maxBookedMinutesPerDay: r.max_booked_minutes_per_day,
  maxBookedMinutesPerWeek: r.max_booked_minutes_per_week,
  weekStart: r.week_start,
  updatedAt: r.updated_at,
});
