import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A host can pause a webhook without deleting it (and losing its secret): while disabled_at is set nothing is sent. */
export class WebhookDisabled1764000000650 implements MigrationInterface {
  name = 'WebhookDisabled1764000000650';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_subscriptions ADD COLUMN disabled_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_subscriptions DROP COLUMN IF EXISTS disabled_at`);
  }
}
