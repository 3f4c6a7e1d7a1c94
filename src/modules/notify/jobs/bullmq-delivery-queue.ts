import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '../../../config/app-config.js';
import { Clock } from '../../../shared/clock/clock.js';
import { QueueTimeoutError, withinQueueTimeout } from '../../../shared/queue/queue-command-timeout.js';
import { type DeliverOne, DeliveryQueue, type QueueDepth, type QueuedDelivery } from '../application/delivery-queue.js';
import { DELIVER_JOB, type DeliverJobData, DELIVERY_QUEUE } from './delivery-jobs.js';
import { DeliveryProcessor } from './delivery.processor.js';

/** Finished jobs are removed: the row, not Redis, is the record of what was sent. */
const JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true } as const;

/**
 * The BullMQ adapter (REDIS_URL set): a job per delivery whose id is the delivery id; rows due later become delayed
 * jobs. Every command waits at most QUEUE_COMMAND_TIMEOUT_MS for Redis; a failure is logged and left to the sweep,
 * which finds the row still due in PostgreSQL.
 */
@Injectable()
export class BullMqDeliveryQueue extends DeliveryQueue {
  readonly usesRedis = true;
  private readonly logger = new Logger('NotifyDispatcher');

  constructor(
    @InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue<DeliverJobData>,
    private readonly processor: DeliveryProcessor,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    super();
    queue.on('error', (error: Error) => this.logger.warn(`queue: ${error.message}`));
  }

  workWith(deliver: DeliverOne): void {
    this.processor.start(deliver, this.config.notifyWorkerConcurrency);
  }

  async enqueue(rows: QueuedDelivery[]): Promise<void> {
    if (rows.length === 0) return;
    const now = this.clock.now().getTime();
    try {
      await withinQueueTimeout(
        this.queue.addBulk(
          rows.map((r) => ({
            name: DELIVER_JOB,
            data: { id: r.id },
            opts: { jobId: r.id, delay: Math.max(0, r.dueAt.getTime() - now), ...JOB_OPTIONS },
          })),
        ),
        'enqueue',
      );
    } catch (e) {
      this.logger.warn(`enqueue failed, the sweep will retry: ${(e as Error).message}`);
    }
  }

  async depth(): Promise<QueueDepth> {
    const counts = await withinQueueTimeout(this.queue.getJobCounts('waiting', 'delayed', 'active'), 'job counts');
    return { waiting: counts.waiting, delayed: counts.delayed, active: counts.active };
  }

  async redeliver(ids: string[]): Promise<void> {
    const queue = this.queue;
    for (const id of ids) {
      try {
        await withinQueueTimeout(
          (async () => {
            const job = await queue.getJob(id);
            if (!job) {
              await queue.add(DELIVER_JOB, { id }, { jobId: id, ...JOB_OPTIONS });
              return;
            }
            const state = await job.getState();
            if (state === 'delayed') await job.promote().catch(() => undefined);
            else if (state === 'completed' || state === 'failed') {
              await job.remove().catch(() => undefined);
              await queue.add(DELIVER_JOB, { id }, { jobId: id, ...JOB_OPTIONS });
            }
          })(),
          `sweep ${id}`,
        );
      } catch (e) {
        this.logger.warn(`sweep could not enqueue ${id}: ${(e as Error).message}`);
        // Redis is away: the rows stay due in PostgreSQL and the next sweep after it returns enqueues them.
        if (e instanceof QueueTimeoutError) break;
      }
    }
  }
}
