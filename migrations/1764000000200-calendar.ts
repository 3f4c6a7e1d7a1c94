import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Calendar integrations: connection health and credentials (encrypted), the calendars chosen per connection (busy
 * sources, destination; per-meeting-type destination overrides), per-calendar sync state, push channels, and the
 * links between bookings and the events we wrote.
 */
export class Calendar1764000000200 implements MigrationInterface {
  name = 'Calendar1764000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE calendar_integrations
        ADD COLUMN status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'broken')),
        ADD COLUMN external_account_id varchar(255),
        ADD COLUMN server_url text,
        ADD COLUMN username varchar(255),
        ADD COLUMN password_enc text,
        ADD COLUMN scopes text,
        ADD COLUMN last_synced_at timestamptz,
        ADD COLUMN last_error text,
        ADD COLUMN last_error_at timestamptz,
        ADD COLUMN next_sync_at timestamptz,
        ADD COLUMN cancel_booking_on_delete boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE UNIQUE INDEX calendar_integrations_account_key
        ON calendar_integrations (user_id, provider, lower(coalesce(external_account_id, server_url, '')))
        WHERE provider IN ('google', 'microsoft')`);

    await q.query(`
      CREATE TABLE calendar_selections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        integration_id uuid NOT NULL REFERENCES calendar_integrations(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        calendar_id varchar(1024) NOT NULL,
        name varchar(255) NOT NULL DEFAULT '',
        time_zone varchar(64),
        is_primary boolean NOT NULL DEFAULT false,
        read_only boolean NOT NULL DEFAULT false,
        is_busy_source boolean NOT NULL DEFAULT false,
        is_destination boolean NOT NULL DEFAULT false,
        sync_token text,
        ctag text,
        etag text,
        last_modified text,
        object_etags jsonb,
        full_synced_at timestamptz,
        last_synced_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (integration_id, calendar_id),
        CHECK (NOT (is_destination AND read_only))
      )`);
    // One default destination per host.
    await q.query(`CREATE UNIQUE INDEX calendar_selections_destination_key ON calendar_selections (user_id) WHERE is_destination`);
    await q.query(`CREATE INDEX calendar_selections_user_idx ON calendar_selections (user_id)`);

    await q.query(`
      CREATE TABLE calendar_destination_overrides (
        meeting_type_id uuid NOT NULL REFERENCES meeting_types(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        selection_id uuid NOT NULL REFERENCES calendar_selections(id) ON DELETE CASCADE,
        PRIMARY KEY (meeting_type_id, user_id)
      )`);

    await q.query(`
      CREATE TABLE calendar_push_channels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        integration_id uuid NOT NULL REFERENCES calendar_integrations(id) ON DELETE CASCADE,
        selection_id uuid NOT NULL REFERENCES calendar_selections(id) ON DELETE CASCADE,
        provider varchar(32) NOT NULL,
        channel_id varchar(255) NOT NULL UNIQUE,
        resource_id varchar(1024),
        secret_hash char(64) NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX calendar_push_channels_expiry_idx ON calendar_push_channels (expires_at)`);

    await q.query(`
      CREATE TABLE calendar_event_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        booking_id uuid NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        integration_id uuid REFERENCES calendar_integrations(id) ON DELETE SET NULL,
        calendar_id varchar(1024),
        external_event_id varchar(1024),
        event_start timestamptz,
        event_end timestamptz,
        status varchar(24) NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'synced', 'failed', 'deleted', 'superseded', 'host_deleted', 'host_moved')),
        pending_event jsonb,
        host_action varchar(24) CHECK (host_action IN ('cancel_requested', 'cancelled', 'flagged')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        next_retry_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (booking_id, user_id)
      )`);
    await q.query(
      `CREATE INDEX calendar_event_links_retry_idx ON calendar_event_links (next_retry_at) WHERE status IN ('pending', 'failed')`,
    );
    await q.query(`CREATE INDEX calendar_event_links_external_idx ON calendar_event_links (integration_id, external_event_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['calendar_event_links', 'calendar_push_channels', 'calendar_destination_overrides', 'calendar_selections']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP INDEX IF EXISTS calendar_integrations_account_key`);
    await q.query(`
      ALTER TABLE calendar_integrations
        DROP COLUMN status, DROP COLUMN external_account_id, DROP COLUMN server_url, DROP COLUMN username,
        DROP COLUMN password_enc, DROP COLUMN scopes, DROP COLUMN last_synced_at, DROP COLUMN last_error,
        DROP COLUMN last_error_at, DROP COLUMN next_sync_at, DROP COLUMN cancel_booking_on_delete`);
  }
}
