import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { DeliverOne } from '../application/delivery-queue.js';
import { type DeliverJobData, DELIVERY_QUEUE } from './delivery-jobs.js';

/**
 * A job a worker took just as Redis died stays "active" with nobody working it until its lock expires and a stalled
 * check moves it back; BullMQ's defaults (30 s lock, 30 s checks) made that up to 90 s. Deliveries are short, and a
 * second attempt is harmless (the row's claim lets one through), so both are shorter here.
 */
const STALLED_JOB_OPTIONS = { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 2 } as const;

/**
 * The BullMQ worker of DELIVERY_QUEUE (@nestjs/bullmq creates it and closes it on shutdown). Created without
 * autorun: it takes jobs once `start` gives it the delivery function and the configured concurrency, at
 * application bootstrap, as the hand-built worker did.
 */
@Processor(DELIVERY_QUEUE, { autorun: false, ...STALLED_JOB_OPTIONS })
export class DeliveryProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger('NotifyWorker');
  private deliver: DeliverOne | null = null;

  start(deliver: DeliverOne, concurrency: number): void {
    this.deliver = deliver;
    this.worker.concurrency = concurrency;
    this.worker
      .run()
      .catch((error: unknown) => this.logger.error(`queue worker stopped: ${error instanceof Error ? error.message : String(error)}`));
  }

  async process(job: Job<DeliverJobData>): Promise<void> {
    if (!this.deliver) throw new Error('delivery worker not started');
    await this.deliver(job.data.id);
  }

  /**
   * Closes the worker (waiting for its active jobs) before anything closes the database: @nestjs/bullmq closes it
   * too, but in a global module's shutdown hook whose order against TypeORM's is not defined. Closing twice is a no-op.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  /** Redis going away is logged, not thrown (an 'error' event without a listener would crash the process). */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`queue worker: ${error.message}`);
  }
}
