import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox consumer cursors, notification/webhook deliveries and webhook subscriptions.
 *
 * `outbox_events.txid` records the writing transaction (xid8). The relay reads only events whose transaction is
 * older than the oldest still-running one (`pg_snapshot_xmin`) and keeps its cursor on (txid, id), so an event
 * whose bigserial id was taken before a later id committed is never skipped (see src/shared/outbox/outbox-relay.ts).
 */
export class Notify1764000000100 implements MigrationInterface {
  name = 'Notify1764000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_events ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id()`);
    await q.query(`CREATE INDEX outbox_events_txid_idx ON outbox_events (txid, id)`);
    await q.query(`
      CREATE TABLE outbox_consumer_offsets (
        consumer varchar(64) PRIMARY KEY,
        last_txid xid8 NOT NULL DEFAULT '0',
        last_event_id bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        url varchar(2048) NOT NULL,
        events text[] NOT NULL,
        secret_enc text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_subscriptions_user_idx ON webhook_subscriptions (user_id)`);

    // One row per message that must go out. The id is derived from (booking, kind, recipient, revision), so
    // replaying an event inserts nothing new.
    await q.query(`
      CREATE TABLE notification_deliveries (
        id uuid PRIMARY KEY,
        booking_id uuid,
        ical_uid varchar(255),
        kind varchar(16) NOT NULL
          CHECK (kind IN ('confirmation', 'reschedule', 'cancellation', 'reminder', 'webhook')),
        channel varchar(16) NOT NULL CHECK (channel IN ('email', 'sms', 'webhook')),
        recipient varchar(2048) NOT NULL,
        recipient_role varchar(16) NOT NULL CHECK (recipient_role IN ('invitee', 'host', 'webhook')),
        recipient_id uuid,
        revision integer NOT NULL,
        event_type varchar(64) NOT NULL,
        outbox_event_id bigint,
        visible_to uuid[] NOT NULL,
        payload jsonb NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
        due_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL,
        claimed_until timestamptz,
        last_error text,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (due_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX notification_deliveries_booking_idx ON notification_deliveries (booking_id)`);
    await q.query(`CREATE INDEX notification_deliveries_visible_idx ON notification_deliveries USING gin (visible_to)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS notification_deliveries`);
    await q.query(`DROP TABLE IF EXISTS webhook_subscriptions`);
    await q.query(`DROP TABLE IF EXISTS outbox_consumer_offsets`);
    await q.query(`DROP INDEX IF EXISTS outbox_events_txid_idx`);
    await q.query(`ALTER TABLE outbox_events DROP COLUMN IF EXISTS txid`);
  }
}
