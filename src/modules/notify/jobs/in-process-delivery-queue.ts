import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import { type DeliverOne, DeliveryQueue, type QueueDepth, type QueuedDelivery } from '../application/delivery-queue.js';

/**
 * The in-process adapter (no REDIS_URL, one instance): rows due now are worked right away in the background, rows
 * due later by the sweep. Shutdown waits for the deliveries in flight.
 */
@Injectable()
export class InProcessDeliveryQueue extends DeliveryQueue implements BeforeApplicationShutdown {
  readonly usesRedis = false;
  private readonly logger = new Logger('NotifyDispatcher');
  private readonly inFlight = new Set<Promise<unknown>>();
  private deliver: DeliverOne | null = null;

  constructor(private readonly clock: Clock) {
    super();
  }

  workWith(deliver: DeliverOne): void {
    this.deliver = deliver;
  }

  async enqueue(rows: QueuedDelivery[]): Promise<void> {
    const deliver = this.deliver;
    if (!deliver) return; // not started (bootstrap not reached): the rows are due in PostgreSQL, the sweep has them
    const now = this.clock.now().getTime();
    for (const r of rows) if (r.dueAt.getTime() <= now) this.track(deliver(r.id));
  }

  async redeliver(ids: string[]): Promise<void> {
    const deliver = this.deliver;
    if (!deliver) return;
    for (const id of ids) await deliver(id);
  }

  /** Rows due later wait in PostgreSQL for the sweep (kairos_notification_deliveries), not here. */
  depth(): Promise<QueueDepth> {
    return Promise.resolve({ waiting: 0, delayed: 0, active: this.inFlight.size });
  }

  /** Resolves when the background deliveries started by `enqueue` have finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.idle();
  }

  private track(p: Promise<unknown>): void {
    const tracked = p
      .catch((e: unknown) => this.logger.error(`delivery failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
