import type { MigrationInterface, QueryRunner } from 'typeorm';

const DELIVERY_TABLES = ['notification_deliveries', 'notification_deliveries_archive'];
const WAITLIST_KINDS = ['waitlist_claim'];

/**
 * Waitlists that promote exactly once (issue #19 part 2).
 * - meeting_types: waitlist_enabled (default false), waitlist_claim_minutes (5 minutes to 7 days; default 60).
 * - waitlist_entries: one line per (type, start); `position` is FIFO order (a global sequence: only the order
 *   matters). One entry per normalised email per time while it waits or is promoted. A promoted entry owns a slot
 *   hold (hold_id; the hold's booking_hosts row sits under the bookings' exclusion constraint) until its claim expires.
 * - The guarantee: at most one promoted entry per (type, start) (a unique partial index), so two consumers, two
 *   replicas or two racing cancellations cannot promote twice for one freed slot.
 * - notification_deliveries.kind: `waitlist_claim` is added to whatever the CHECK lists now.
 */
export class Waitlist1764000010200 implements MigrationInterface {
  name = 'Waitlist1764000010200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE meeting_types ADD COLUMN waitlist_enabled boolean NOT NULL DEFAULT false`);
    await q.query(
      `ALTER TABLE meeting_types ADD COLUMN waitlist_claim_minutes integer NOT NULL DEFAULT 60
         CHECK (waitlist_claim_minutes BETWEEN 5 AND 10080)`,
    );
    await q.query(`CREATE SEQUENCE waitlist_position_seq`);
    await q.query(`
      CREATE TABLE waitlist_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_type_id uuid NOT NULL REFERENCES meeting_types(id) ON DELETE CASCADE,
        start_time timestamptz NOT NULL,
        position bigint NOT NULL DEFAULT nextval('waitlist_position_seq'),
        name varchar(200) NOT NULL,
        email varchar(320) NOT NULL,
        email_normalized varchar(320) NOT NULL,
        token_hash char(64) NOT NULL UNIQUE,
        status varchar(16) NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'promoted', 'booked', 'expired', 'left')),
        hold_id uuid REFERENCES slot_holds(id) ON DELETE SET NULL,
        promoted_at timestamptz,
        claim_expires_at timestamptz,
        ended_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status <> 'promoted' OR claim_expires_at IS NOT NULL)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX waitlist_entries_one_promoted ON waitlist_entries (meeting_type_id, start_time) WHERE status = 'promoted'`,
    );
    await q.query(
      `CREATE UNIQUE INDEX waitlist_entries_one_per_email ON waitlist_entries (meeting_type_id, start_time, email_normalized)
         WHERE status IN ('waiting', 'promoted')`,
    );
    await q.query(
      `CREATE INDEX waitlist_entries_line_idx ON waitlist_entries (meeting_type_id, start_time, position) WHERE status = 'waiting'`,
    );
    await q.query(`CREATE INDEX waitlist_entries_claims_idx ON waitlist_entries (claim_expires_at) WHERE status = 'promoted'`);
    for (const table of DELIVERY_TABLES) {
      const kinds = await currentKinds(q, table);
      await setKinds(q, table, [...new Set([...kinds, ...WAITLIST_KINDS])]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of DELIVERY_TABLES) {
      await q.query(`DELETE FROM ${table} WHERE kind = ANY($1)`, [WAITLIST_KINDS]);
      const kinds = await currentKinds(q, table);
      await setKinds(
        q,
        table,
        kinds.filter((k) => !WAITLIST_KINDS.includes(k)),
      );
    }
    await q.query(`DROP TABLE waitlist_entries`);
    await q.query(`DROP SEQUENCE waitlist_position_seq`);
    await q.query(`ALTER TABLE meeting_types DROP COLUMN waitlist_claim_minutes`);
    await q.query(`ALTER TABLE meeting_types DROP COLUMN waitlist_enabled`);
  }
}

const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/** The kinds the table's CHECK accepts now (its definition reads `... kind IN ('a', 'b') ...` or `= ANY (ARRAY[...])`). */
async function currentKinds(q: QueryRunner, table: string): Promise<string[]> {
  const rows = (await q.query(
    `SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
      WHERE c.conrelid = $1::regclass AND c.conname = 'notification_deliveries_kind_check'`,
    [table],
  )) as { def: string }[];
  return [...(rows.at(0)?.def ?? '').matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
}

async function setKinds(q: QueryRunner, table: string, kinds: string[]): Promise<void> {
  await q.query(`ALTER TABLE ${table} DROP CONSTRAINT notification_deliveries_kind_check`);
  await q.query(`ALTER TABLE ${table} ADD CONSTRAINT notification_deliveries_kind_check CHECK (kind IN (${list(kinds)}))`);
}
