import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { type DeliverJobData, DELIVERY_QUEUE } from '../../src/modules/notify/jobs/delivery-jobs.js';
import { OutboxRelay } from '../../src/shared/outbox/outbox-relay.js';
import type { TestApp } from './test-app.js';

/**
 * Relays every outbox event, then waits until no delivery is due and pending at the pinned clock (the BullMQ worker
 * sends in the background).
 */
export async function settleDeliveries(t: TestApp, timeoutMs = 15_000): Promise<void> {
  await t.app.get(OutboxRelay).drain();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM notification_deliveries WHERE status = 'pending' AND due_at <= $1`,
      [t.clock!.now()],
    );
    if (n === 0) return;
    if (Date.now() > deadline) {
      const rows = await t.dataSource.query(
        `SELECT kind, channel, attempts, last_error, due_at FROM notification_deliveries WHERE status = 'pending' AND due_at <= $1`,
        [t.clock!.now()],
      );
      throw new Error(`${n} deliveries still pending: ${JSON.stringify(rows)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The BullMQ queue of deliveries, as @nestjs/bullmq registered it (apps with REDIS_URL only). */
export function deliveryQueue(t: TestApp): Queue<DeliverJobData> {
  return t.app.get<Queue<DeliverJobData>>(getQueueToken(DELIVERY_QUEUE), { strict: false });
}
