/** A delivery row handed to the queue: its id (also the job id) and when it is due. */
export interface QueuedDelivery {
  id: string;
  dueAt: Date;
}

/** Jobs in the queue by state, for the queue-depth gauge. */
export interface QueueDepth {
  waiting: number;
  delayed: number;
  active: number;
}

/** Works one delivery row (DeliveryWorker.process); duplicates are harmless, its claim lets one attempt through. */
export type DeliverOne = (id: string) => Promise<unknown>;

/**
 * The queue port between the dispatcher and whoever runs deliveries. Two adapters (notify/jobs), chosen at start-up
 * like the cache port: BullMQ through @nestjs/bullmq when REDIS_URL is set (jobs shared by replicas, delayed jobs for
 * rows due later), in process otherwise (one instance). Either way PostgreSQL holds the truth: a job lost with Redis
 * is re-enqueued by the dispatcher's sweep, so the adapters never throw at their callers (docs/adr/0008).
 */
export abstract class DeliveryQueue {
  /** True when jobs live in Redis and every replica's worker takes them. */
  abstract readonly usesRedis: boolean;

  /** Sets what working a delivery means and starts the workers (the dispatcher, at application bootstrap). */
  abstract workWith(deliver: DeliverOne): void;

  /** Hands over newly written rows: due ones now, later ones when due (with Redis) or to the sweep (in process). */
  abstract enqueue(rows: QueuedDelivery[]): Promise<void>;

  /**
   * Makes sure each of these due, unsent rows gets worked: a lost job is added again, a delayed one promoted; in
   * process, they are worked now, one after the other.
   */
  abstract redeliver(ids: string[]): Promise<void>;

  /** The queue's jobs by state (Redis: BullMQ's counts; in process: deliveries running). Throws when Redis is away. */
  abstract depth(): Promise<QueueDepth>;
}
