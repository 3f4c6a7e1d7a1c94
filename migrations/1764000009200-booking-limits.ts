import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Limits and policies (issue #17 item 3): period caps, an invitee cap, invitee cutoffs and business-day windows on a
 * meeting type; a host's own caps across all their types and their week start in host_booking_limits (one row per
 * host, owned by the schedules context; no row = no caps, weeks from Monday). NULL = no cap throughout.
 */
export class BookingLimits1764000009200 implements MigrationInterface {
  name = 'BookingLimits1764000009200';

  async up(q: QueryRunner): Promise<void> {
    const positive = (column: string) => `${column} integer CHECK (${column} IS NULL OR ${column} > 0)`;
    const notNegative = (column: string) => `${column} integer CHECK (${column} IS NULL OR ${column} >= 0)`;
    await q.query(`
      ALTER TABLE meeting_types
        ADD COLUMN ${positive('max_bookings_per_week')},
        ADD COLUMN ${positive('max_bookings_per_month')},
        ADD COLUMN ${positive('max_bookings_per_year')},
        ADD COLUMN ${positive('max_booked_minutes_per_day')},
        ADD COLUMN ${positive('max_booked_minutes_per_week')},
        ADD COLUMN ${positive('max_active_bookings_per_invitee')},
        ADD COLUMN ${notNegative('cancellation_cutoff_minutes')},
        ADD COLUMN ${notNegative('reschedule_cutoff_minutes')},
        ADD COLUMN booking_window_type varchar(16) NOT NULL DEFAULT 'calendar_days'
          CHECK (booking_window_type IN ('calendar_days', 'business_days'))`);
    await q.query(`
      CREATE TABLE host_booking_limits (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        ${positive('max_bookings_per_day')},
        ${positive('max_bookings_per_week')},
        ${positive('max_bookings_per_month')},
        ${positive('max_bookings_per_year')},
        ${positive('max_booked_minutes_per_day')},
        ${positive('max_booked_minutes_per_week')},
        week_start varchar(9) NOT NULL DEFAULT 'monday'
          CHECK (week_start IN ('sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday')),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE host_booking_limits`);
    await q.query(`
      ALTER TABLE meeting_types
        DROP COLUMN max_bookings_per_week, DROP COLUMN max_bookings_per_month, DROP COLUMN max_bookings_per_year,
        DROP COLUMN max_booked_minutes_per_day, DROP COLUMN max_booked_minutes_per_week,
        DROP COLUMN max_active_bookings_per_invitee, DROP COLUMN cancellation_cutoff_minutes,
        DROP COLUMN reschedule_cutoff_minutes, DROP COLUMN booking_window_type`);
  }
}
