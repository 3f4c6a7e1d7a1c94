import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Append-only audit log of booking changes and privacy actions (who, when, what). It holds ids and times, never
 * invitee names or emails, so erasing personal data never needs to touch it; a trigger rejects UPDATE, DELETE and
 * TRUNCATE for every role the application uses. `outbox_event_id` makes the outbox consumer idempotent.
 */
export class Ops1764000000400 implements MigrationInterface {
  name = 'Ops1764000000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        actor_type varchar(16) NOT NULL CHECK (actor_type IN ('host', 'invitee', 'system', 'calendar')),
        actor_id uuid,
        action varchar(64) NOT NULL,
        booking_id uuid,
        subject_user_ids uuid[] NOT NULL DEFAULT '{}',
        details jsonb NOT NULL DEFAULT '{}',
        outbox_event_id bigint UNIQUE
      )`);
    await q.query(`CREATE INDEX audit_log_booking_idx ON audit_log (booking_id, id)`);
    await q.query(`CREATE INDEX audit_log_subjects_idx ON audit_log USING gin (subject_user_ids)`);
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS audit_log`);
    await q.query(`DROP FUNCTION IF EXISTS audit_log_append_only()`);
  }
}
