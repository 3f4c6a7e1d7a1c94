import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Core schema: identity, teams, schedules, meeting types, bookings (with the no-overlap exclusion constraint),
 * calendar busy cache, outbox and idempotency keys. Instants are timestamptz (UTC); rules are wall-clock times.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(255) NOT NULL,
        name varchar(255) NOT NULL,
        username varchar(64) NOT NULL,
        time_zone varchar(64) NOT NULL,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);
    await q.query(`CREATE UNIQUE INDEX users_username_key ON users (lower(username))`);

    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name varchar(100) NOT NULL,
        prefix varchar(16) NOT NULL,
        key_hash char(64) NOT NULL UNIQUE,
        last_used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX api_keys_user_idx ON api_keys (user_id)`);

    await q.query(`
      CREATE TABLE teams (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(255) NOT NULL,
        created_by uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE team_members (
        team_id uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role varchar(16) NOT NULL CHECK (role IN ('admin', 'member')),
        joined_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (team_id, user_id)
      )`);
    await q.query(`
      CREATE TABLE team_invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        team_id uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        email varchar(255) NOT NULL,
        token_hash char(64) NOT NULL UNIQUE,
        invited_by uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        accepted_by uuid REFERENCES users(id) ON DELETE SET NULL,
        accepted_at timestamptz,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE schedules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name varchar(100) NOT NULL,
        time_zone varchar(64) NOT NULL,
        is_default boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX schedules_one_default ON schedules (user_id) WHERE is_default`);
    await q.query(`
      CREATE TABLE availability_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        schedule_id uuid NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        day_of_week smallint NOT NULL CHECK (day_of_week BETWEEN 0 AND 6),
        start_time time NOT NULL,
        end_time time NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (start_time < end_time)
      )`);
    await q.query(`CREATE INDEX availability_rules_schedule_idx ON availability_rules (schedule_id)`);
    await q.query(`
      CREATE TABLE availability_overrides (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        schedule_id uuid NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
        date date NOT NULL,
        intervals jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (schedule_id, date)
      )`);

    await q.query(`
      CREATE TABLE meeting_types (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        team_id uuid REFERENCES teams(id) ON DELETE SET NULL,
        schedule_id uuid REFERENCES schedules(id) ON DELETE SET NULL,
        name varchar(255) NOT NULL,
        slug varchar(100) NOT NULL,
        description text,
        location jsonb,
        kind varchar(16) NOT NULL DEFAULT 'one_on_one'
          CHECK (kind IN ('one_on_one', 'group', 'round_robin', 'collective')),
        seats integer CHECK (seats IS NULL OR seats > 0),
        duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
        buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes >= 0),
        buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes >= 0),
        slot_interval_minutes integer CHECK (slot_interval_minutes IS NULL OR slot_interval_minutes > 0),
        minimum_notice_minutes integer NOT NULL DEFAULT 0 CHECK (minimum_notice_minutes >= 0),
        booking_window_days integer CHECK (booking_window_days IS NULL OR booking_window_days > 0),
        max_bookings_per_day integer CHECK (max_bookings_per_day IS NULL OR max_bookings_per_day > 0),
        questions jsonb NOT NULL DEFAULT '[]',
        reminders jsonb NOT NULL DEFAULT '[{"offset_minutes":1440,"channel":"email"},{"offset_minutes":60,"channel":"email"}]',
        is_active boolean NOT NULL DEFAULT true,
        is_secret boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_id, slug)
      )`);
    await q.query(`
      CREATE TABLE meeting_type_hosts (
        meeting_type_id uuid NOT NULL REFERENCES meeting_types(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        priority integer NOT NULL DEFAULT 0,
        weight integer NOT NULL DEFAULT 100,
        PRIMARY KEY (meeting_type_id, user_id)
      )`);
    await q.query(`CREATE INDEX meeting_type_hosts_user_idx ON meeting_type_hosts (user_id)`);

    await q.query(`
      CREATE TABLE bookings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_type_id uuid NOT NULL REFERENCES meeting_types(id) ON DELETE CASCADE,
        host_user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        start_time timestamptz NOT NULL,
        end_time timestamptz NOT NULL,
        time_zone varchar(64) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('pending', 'confirmed', 'cancelled', 'rescheduled')),
        location jsonb,
        cancellation_reason text,
        cancelled_by varchar(16),
        rescheduled_from_id uuid REFERENCES bookings(id) ON DELETE SET NULL,
        rescheduled_to_id uuid REFERENCES bookings(id) ON DELETE SET NULL,
        assignment_reason jsonb,
        ical_uid varchar(255) NOT NULL,
        ical_sequence integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (start_time < end_time)
      )`);
    await q.query(`CREATE INDEX bookings_host_time_idx ON bookings (host_user_id, start_time)`);
    await q.query(`CREATE INDEX bookings_type_time_idx ON bookings (meeting_type_id, start_time)`);
    await q.query(`CREATE INDEX bookings_status_idx ON bookings (status)`);

    await q.query(`
      CREATE TABLE booking_invitees (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        booking_id uuid NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        email varchar(255) NOT NULL,
        time_zone varchar(64) NOT NULL,
        phone varchar(32),
        answers jsonb NOT NULL DEFAULT '{}',
        management_token_hash char(64) NOT NULL UNIQUE,
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX booking_invitees_booking_idx ON booking_invitees (booking_id)`);
    await q.query(`CREATE INDEX booking_invitees_email_idx ON booking_invitees (lower(email))`);

    // Holds (short reservations while an invitee fills the form) live in the same table as bookings' host rows so
    // that one exclusion constraint covers both.
    await q.query(`
      CREATE TABLE slot_holds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_type_id uuid NOT NULL REFERENCES meeting_types(id) ON DELETE CASCADE,
        start_time timestamptz NOT NULL,
        end_time timestamptz NOT NULL,
        token_hash char(64) NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE booking_hosts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        booking_id uuid REFERENCES bookings(id) ON DELETE CASCADE,
        hold_id uuid REFERENCES slot_holds(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        blocked tstzrange NOT NULL,
        is_live boolean NOT NULL DEFAULT true,
        CHECK ((booking_id IS NULL) <> (hold_id IS NULL)),
        CHECK (NOT isempty(blocked))
      )`);
    // The guarantee: no two live rows of one host overlap, whatever the application does.
    await q.query(`
      ALTER TABLE booking_hosts ADD CONSTRAINT booking_hosts_no_overlap
        EXCLUDE USING gist (user_id WITH =, blocked WITH &&) WHERE (is_live)`);
    await q.query(`CREATE INDEX booking_hosts_booking_idx ON booking_hosts (booking_id)`);
    await q.query(`CREATE INDEX booking_hosts_hold_idx ON booking_hosts (hold_id)`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        key varchar(255) NOT NULL,
        scope varchar(64) NOT NULL,
        request_hash char(64) NOT NULL,
        status_code integer NOT NULL,
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);

    await q.query(`
      CREATE TABLE outbox_events (
        id bigserial PRIMARY KEY,
        event_type varchar(64) NOT NULL,
        booking_id uuid,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX outbox_events_booking_idx ON outbox_events (booking_id)`);

    await q.query(`
      CREATE TABLE calendar_integrations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        provider varchar(32) NOT NULL CHECK (provider IN ('google', 'microsoft', 'caldav', 'ics')),
        account_email varchar(255),
        access_token_enc text,
        refresh_token_enc text,
        token_expires_at timestamptz,
        calendar_id varchar(1024),
        is_active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX calendar_integrations_user_idx ON calendar_integrations (user_id)`);
    // Only what availability needs: busy ranges and flags, never titles (invitees must not see them).
    await q.query(`
      CREATE TABLE calendar_events_cache (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        calendar_integration_id uuid NOT NULL REFERENCES calendar_integrations(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        calendar_id varchar(1024) NOT NULL DEFAULT '',
        external_event_id varchar(1024) NOT NULL,
        start_time timestamptz NOT NULL,
        end_time timestamptz NOT NULL,
        is_all_day boolean NOT NULL DEFAULT false,
        is_busy boolean NOT NULL DEFAULT true,
        status varchar(16) NOT NULL DEFAULT 'confirmed',
        cached_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        UNIQUE (calendar_integration_id, calendar_id, external_event_id, start_time)
      )`);
    await q.query(`CREATE INDEX calendar_events_cache_user_time_idx ON calendar_events_cache (user_id, start_time, end_time)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'calendar_events_cache',
      'calendar_integrations',
      'outbox_events',
      'idempotency_keys',
      'booking_hosts',
      'slot_holds',
      'booking_invitees',
      'bookings',
      'meeting_type_hosts',
      'meeting_types',
      'availability_overrides',
      'availability_rules',
      'schedules',
      'team_invitations',
      'team_members',
      'teams',
      'api_keys',
      'users',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
