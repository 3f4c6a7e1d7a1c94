import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { AppConfig } from '../../../config/app-config.js';
import { Clock } from '../../../shared/clock/clock.js';
import { DeliveryStore } from '../infrastructure/delivery-store.js';
import { DeliveryWorker } from './delivery-worker.js';

export const DELIVERY_QUEUE = 'notify-deliveries';
const SWEEP_LOCK = [0x6e7466, 1] as const; // "ntf", sweep
const SWEEP_BATCH = 500;
/**
 * How long one queue command may wait for Redis. BullMQ's connections queue commands while Redis is away (they must:
 * its workers block on Redis), so without a bound an enqueue would wait for Redis to return and hold up the outbox
 * relay. The row is committed either way: the sweep enqueues it once Redis answers again.
 */
const QUEUE_COMMAND_TIMEOUT_MS = 1_000;

class QueueTimeoutError extends Error {}

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueTimeoutError(`${what}: Redis did not answer within ${QUEUE_COMMAND_TIMEOUT_MS} ms`)), QUEUE_COMMAND_TIMEOUT_MS);
  });
  promise.catch(() => undefined); // a late failure of an abandoned command is not an unhandled rejection
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Hands delivery rows to workers.
 *
 * With REDIS_URL: a BullMQ queue (prefix = REDIS_PREFIX) whose job id is the delivery id; rows due later become
 * delayed jobs. Jobs are removed when they finish, so the row, not Redis, is the record of what was sent.
 * Without REDIS_URL: rows due now are delivered in process right away, later ones by the sweep.
 *
 * The sweep (every NOTIFY_SWEEP_INTERVAL_MS, one replica at a time under a PostgreSQL advisory lock) finds rows
 * that are due and unsent by the Clock: it (re-)enqueues them (Redis flushed, enqueue failed, worker killed,
 * retry due), promotes delayed jobs whose time has come, or, without Redis, delivers them itself. Duplicated jobs
 * are harmless: the worker's claim lets only one attempt through and a sent row is never sent again.
 */
@Injectable()
export class DeliveryDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('NotifyDispatcher');
  private queue: Queue | null = null;
  private worker: Worker | null = null;
  private connections: Redis[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly store: DeliveryStore,
    private readonly worker_: DeliveryWorker,
    private readonly clock: Clock,
  ) {}

  get usesQueue(): boolean {
    return this.queue !== null;
  }

  /** The BullMQ queue (tests inspect it). */
  get bullQueue(): Queue | null {
    return this.queue;
  }

  async onApplicationBootstrap(): Promise<void> {
    const url = this.config.redisUrl;
    if (url) {
      const connect = () => {
        const c = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
        c.on('error', (e) => this.logger.warn(`redis: ${e.message}`));
        this.connections.push(c);
        return c;
      };
      this.queue = new Queue(DELIVERY_QUEUE, { connection: connect(), prefix: this.config.redisPrefix });
      this.queue.on('error', (e) => this.logger.warn(`queue: ${e.message}`));
      this.worker = new Worker(DELIVERY_QUEUE, (job: Job<{ id: string }>) => this.worker_.process(job.data.id), {
        connection: connect(), prefix: this.config.redisPrefix, concurrency: 5,
      });
      this.worker.on('error', (e) => this.logger.warn(`queue worker: ${e.message}`));
    }
    const interval = this.config.notifySweepIntervalMs;
    if (interval > 0) {
      const tick = () => {
        if (this.stopped) return;
        this.sweeping = this.sweep()
          .catch((e) => this.logger.error(`sweep failed: ${(e as Error).message}`))
          .finally(() => {
            this.sweeping = null;
            if (!this.stopped) this.timer = setTimeout(tick, interval);
          });
      };
      this.timer = setTimeout(tick, interval);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.sweeping;
    await Promise.allSettled([...this.inFlight]);
    await this.worker?.close();
    await this.queue?.close();
    for (const c of this.connections) c.disconnect();
  }

  /** Enqueues new rows. Failures are logged, not thrown: the row is committed and the sweep will pick it up. */
  async enqueue(rows: Array<{ id: string; dueAt: Date }>): Promise<void> {
    if (rows.length === 0) return;
    const now = this.clock.now().getTime();
    if (this.queue) {
      try {
        await within(this.queue.addBulk(rows.map((r) => ({
          name: 'deliver',
          data: { id: r.id },
          opts: { jobId: r.id, delay: Math.max(0, r.dueAt.getTime() - now), removeOnComplete: true, removeOnFail: true },
        }))), 'enqueue');
      } catch (e) {
        this.logger.warn(`enqueue failed, the sweep will retry: ${(e as Error).message}`);
      }
      return;
    }
    for (const r of rows) if (r.dueAt.getTime() <= now) this.track(this.worker_.process(r.id));
  }

  /**
   * One sweep: everything due and unsent is enqueued again (or promoted, or delivered in process). Returns how many
   * rows it handled; 0 when another replica holds the sweep lock.
   */
  async sweep(): Promise<number> {
    const due = await this.dueUnderLock();
    if (due === null || due.length === 0) return 0;
    if (!this.queue) {
      for (const { id } of due) await this.worker_.process(id);
      return due.length;
    }
    const queue = this.queue;
    for (const { id } of due) {
      try {
        await within((async () => {
          const job = await queue.getJob(id);
          if (!job) {
            await queue.add('deliver', { id }, { jobId: id, removeOnComplete: true, removeOnFail: true });
            return;
          }
          const state = await job.getState();
          if (state === 'delayed') await job.promote().catch(() => undefined);
          else if (state === 'completed' || state === 'failed') {
            await job.remove().catch(() => undefined);
            await queue.add('deliver', { id }, { jobId: id, removeOnComplete: true, removeOnFail: true });
          }
        })(), `sweep ${id}`);
      } catch (e) {
        this.logger.warn(`sweep could not enqueue ${id}: ${(e as Error).message}`);
        // Redis is away: the rows stay due in PostgreSQL and the next sweep after it returns enqueues them.
        if (e instanceof QueueTimeoutError) break;
      }
    }
    return due.length;
  }

  /** Waits until background in-process deliveries started by `enqueue` have finished (tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.catch((e) => this.logger.error(`delivery failed unexpectedly: ${(e as Error).message}`))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Lists due rows while holding the sweep lock, so N replicas do not all scan (the lock is released before work). */
  private async dueUnderLock(): Promise<Array<{ id: string; dueAt: Date }> | null> {
    return this.store.findDueUnderLock(SWEEP_LOCK, this.clock.now(), SWEEP_BATCH);
  }
}
