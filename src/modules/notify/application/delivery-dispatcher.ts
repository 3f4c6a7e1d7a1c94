import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { Clock } from '../../../shared/clock/clock.js';
import { PeriodicJobs } from '../../../shared/scheduling/periodic-jobs.js';
import { DeliveryStore } from '../infrastructure/delivery-store.js';
import { DeliveryQueue, type QueuedDelivery } from './delivery-queue.js';
import { DeliveryWorker } from './delivery-worker.js';

const SWEEP_LOCK = [0x6e7466, 1] as const; // "ntf", sweep
const SWEEP_BATCH = 500;

/**
 * Hands delivery rows to workers through the DeliveryQueue port: BullMQ when REDIS_URL is set (rows due later become
 * delayed jobs), in process otherwise (rows due now right away, later ones by the sweep).
 *
 * The sweep (a periodic job every NOTIFY_SWEEP_INTERVAL_MS; one replica at a time lists due rows under a PostgreSQL
 * advisory lock) finds rows that are due and unsent by the Clock: it (re-)enqueues them (Redis flushed, enqueue
 * failed, worker killed, retry due), promotes delayed jobs whose time has come, or, without Redis, delivers them
 * itself. Duplicated jobs are harmless: the worker's claim lets only one attempt through and a sent row is never sent
 * again.
 */
@Injectable()
export class DeliveryDispatcher implements OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    private readonly store: DeliveryStore,
    private readonly worker: DeliveryWorker,
    private readonly queue: DeliveryQueue,
    private readonly clock: Clock,
    private readonly jobs: PeriodicJobs,
  ) {}

  get usesQueue(): boolean {
    return this.queue.usesRedis;
  }

  onApplicationBootstrap(): void {
    this.queue.workWith((id) => this.worker.process(id));
    this.jobs.schedule({ name: 'notify-sweep', everyMs: this.config.notifySweepIntervalMs, run: () => this.sweep() });
  }

  /** Enqueues new rows. Failures are logged, not thrown: the row is committed and the sweep will pick it up. */
  async enqueue(rows: QueuedDelivery[]): Promise<void> {
    if (rows.length === 0) return;
    await this.queue.enqueue(rows);
  }

  /**
   * One sweep: everything due and unsent is enqueued again (or promoted, or delivered in process). Returns how many
   * rows it handled; 0 when another replica holds the sweep lock.
   */
  async sweep(): Promise<number> {
    const due = await this.dueUnderLock();
    if (due === null || due.length === 0) return 0;
    await this.queue.redeliver(due.map(({ id }) => id));
    return due.length;
  }

  /** Lists due rows while holding the sweep lock, so N replicas do not all scan (the lock is released before work). */
  private async dueUnderLock(): Promise<Array<{ id: string; dueAt: Date }> | null> {
    return this.store.findDueUnderLock(SWEEP_LOCK, this.clock.now(), SWEEP_BATCH);
  }
}
