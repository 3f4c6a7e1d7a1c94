import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Embedding on a host's own site (issue #18, ADR 0018): `users.embed_origins`, the origins allowed to frame the host's
 * booking pages (the `frame-ancestors` of `?embed=1` pages; empty = none), and `utm`, the campaign parameters
 * (`utm_source` ... `utm_content`) a booking came with, on the invitee's row (hot and archived), so they move with a
 * reschedule like the answers. Constant defaults and a nullable column rewrite nothing.
 */
export class Embedding1764000009800 implements MigrationInterface {
  name = 'Embedding1764000009800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN embed_origins text[] NOT NULL DEFAULT '{}'`);
    for (const table of ['booking_invitees', 'booking_invitees_archive']) await q.query(`ALTER TABLE ${table} ADD COLUMN utm jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['booking_invitees', 'booking_invitees_archive']) await q.query(`ALTER TABLE ${table} DROP COLUMN utm`);
    await q.query(`ALTER TABLE users DROP COLUMN embed_origins`);
  }
}
