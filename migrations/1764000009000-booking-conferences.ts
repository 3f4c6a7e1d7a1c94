import type { MigrationInterface, QueryRunner } from 'typeorm';

const DELIVERY_TABLES = ['notification_deliveries', 'notification_deliveries_archive'];

/**
 * A video link per booking (issue #17; ADR 0016). `booking_conferences` is a small unpartitioned table keyed by the
 * booking id (its foreign key names booking_keys, like every reference to a booking), written after COMMIT (a Jitsi
 * room: with the booking); a reschedule gets its own row with the same link. Zoom connections (`conferencing_connections`): encrypted tokens,
 * one per host. The delivery kind `conference_link` (the "your meeting link" mail) is added to the CHECK without
 * dropping kinds other migrations may have added meanwhile.
 */
export class BookingConferences1764000009000 implements MigrationInterface {
  name = 'BookingConferences1764000009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE booking_conferences (
        booking_id uuid PRIMARY KEY REFERENCES booking_keys(id) ON DELETE CASCADE,
        provider varchar(32) NOT NULL CHECK (provider IN ('google_meet', 'microsoft_teams', 'zoom', 'jitsi')),
        join_url text NOT NULL,
        meeting_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE conferencing_connections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        provider varchar(16) NOT NULL CHECK (provider IN ('zoom')),
        account_id text NOT NULL,
        account_email text,
        access_token_enc text NOT NULL,
        refresh_token_enc text,
        token_expires_at timestamptz NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'broken')),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_id, provider)
      )`);
    for (const table of DELIVERY_TABLES) await changeKinds(q, table, (kinds) => [...new Set([...kinds, 'conference_link'])]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of DELIVERY_TABLES) {
      await q.query(`DELETE FROM ${table} WHERE kind = 'conference_link'`);
      await changeKinds(q, table, (kinds) => kinds.filter((k) => k !== 'conference_link'));
    }
    await q.query(`DROP TABLE conferencing_connections`);
    await q.query(`DROP TABLE booking_conferences`);
  }
}

/** Rewrites the kind CHECK from the one in place (other migrations of the same release may add kinds of their own). */
async function changeKinds(q: QueryRunner, table: string, change: (kinds: string[]) => string[]): Promise<void> {
  const [row] = (await q.query(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conname = 'notification_deliveries_kind_check' AND conrelid = $1::regclass`,
    [table],
  )) as { def: string }[];
  const kinds = [...(row?.def ?? '').matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
  await q.query(`ALTER TABLE ${table} DROP CONSTRAINT notification_deliveries_kind_check`);
  await q.query(
    `ALTER TABLE ${table} ADD CONSTRAINT notification_deliveries_kind_check CHECK (kind IN (${change(kinds)
      .map((k) => `'${k}'`)
      .join(', ')}))`,
  );
}
