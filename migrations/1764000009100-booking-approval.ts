import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = ['pending', 'confirmed', 'cancelled', 'rescheduled'];
const APPROVAL_STATUSES = ['declined', 'expired'];
const APPROVAL_KINDS = ['request', 'declined', 'expired'];
const BOOKING_TABLES = ['bookings', 'bookings_archive'];
const DELIVERY_TABLES = ['notification_deliveries', 'notification_deliveries_archive'];

/**
 * Approval before confirming (issue #17 item 2). A meeting type with `requires_confirmation` books `pending`
 * bookings that hold their slot until a host confirms or declines them, or until `confirmation_expires_at`.
 * - meeting_types: requires_confirmation, confirmation_expiry_minutes (5 minutes to 30 days; default one day).
 * - bookings (and the archive, ADR 0014): confirmation_expires_at, set while the booking awaits the host (NULL once
 *   confirmed, and for bookings that never needed approval); statuses `declined` and `expired`.
 * - booking_hosts.pending_until: the same instant on the host rows, so the busy read (which reads booking_hosts, not
 *   the partitioned bookings) treats a request past its expiry as free at once, as it does an expired hold; the
 *   exclusion constraint still sees the row as live until something ends it (BookingApprovals.expireOverdue).
 * - notification_deliveries.kind: `request`, `declined`, `expired`. The CHECK keeps whatever kinds it already lists
 *   (other migrations add theirs) and adds these.
 */
export class BookingApproval1764000009100 implements MigrationInterface {
  name = 'BookingApproval1764000009100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE meeting_types ADD COLUMN requires_confirmation boolean NOT NULL DEFAULT false`);
    await q.query(
      `ALTER TABLE meeting_types ADD COLUMN confirmation_expiry_minutes integer NOT NULL DEFAULT 1440
         CHECK (confirmation_expiry_minutes BETWEEN 5 AND 43200)`,
    );
    for (const table of BOOKING_TABLES) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN confirmation_expires_at timestamptz`);
      await setStatuses(q, table, [...STATUSES, ...APPROVAL_STATUSES]);
    }
    // The expiry job's read: pending bookings are few, and only they are in this index.
    await q.query(`CREATE INDEX bookings_pending_expiry_idx ON bookings (confirmation_expires_at) WHERE status = 'pending'`);
    await q.query(`ALTER TABLE booking_hosts ADD COLUMN pending_until timestamptz`);
    for (const table of DELIVERY_TABLES) {
      const kinds = await currentKinds(q, table);
      await setKinds(q, table, [...new Set([...kinds, ...APPROVAL_KINDS])]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of DELIVERY_TABLES) {
      await q.query(`DELETE FROM ${table} WHERE kind = ANY($1)`, [APPROVAL_KINDS]);
      const kinds = await currentKinds(q, table);
      await setKinds(
        q,
        table,
        kinds.filter((k) => !APPROVAL_KINDS.includes(k)),
      );
    }
    await q.query(`ALTER TABLE booking_hosts DROP COLUMN pending_until`);
    await q.query(`DROP INDEX IF EXISTS bookings_pending_expiry_idx`);
    for (const table of BOOKING_TABLES) {
      // The earlier code knows no declined or expired bookings: they read as cancelled (they occupy nothing either).
      await q.query(`UPDATE ${table} SET status = 'cancelled' WHERE status = ANY($1)`, [APPROVAL_STATUSES]);
      await setStatuses(q, table, STATUSES);
      await q.query(`ALTER TABLE ${table} DROP COLUMN confirmation_expires_at`);
    }
    await q.query(`ALTER TABLE meeting_types DROP COLUMN confirmation_expiry_minutes`);
    await q.query(`ALTER TABLE meeting_types DROP COLUMN requires_confirmation`);
  }
}

const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

async function setStatuses(q: QueryRunner, table: string, statuses: string[]): Promise<void> {
  // Named by PostgreSQL on the original table and copied with its name (CREATE TABLE ... LIKE); partitions follow.
  await q.query(`ALTER TABLE ${table} DROP CONSTRAINT bookings_status_check`);
  await q.query(`ALTER TABLE ${table} ADD CONSTRAINT bookings_status_check CHECK (status IN (${list(statuses)}))`);
}

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
