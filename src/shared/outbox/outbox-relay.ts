import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { PeriodicJobs } from '../scheduling/periodic-jobs.js';

/** One row of `outbox_events`, as handed to consumers. */
export interface OutboxEvent<P = Record<string, unknown>> {
  id: string; // bigserial, as a string
  eventType: string;
  bookingId: string | null;
  payload: P;
  occurredAt: Date;
}

export type OutboxHandler = (event: OutboxEvent) => Promise<void>;

interface OutboxRow {
  id: string;
  event_type: string;
  booking_id: string | null;
  payload: Record<string, unknown>;
  occurred_at: Date;
  txid: string;
}

const BATCH_SIZE = 100;
/** First key of the two-key advisory locks taken by the relay (the second is hashtext(consumer)). */
const LOCK_CLASS = 0x6f7862; // "oxb"

/**
 * Cluster-safe, at-least-once relay of `outbox_events` to named consumers, each with its own cursor in
 * `outbox_consumer_offsets`.
 *
 * - One replica at a time works a consumer: the batch runs under a session advisory lock on the consumer's name
 *   (no transaction is held while handlers run), and the cursor moves after each handled event. A replica that
 *   finds the lock taken skips.
 * - Out-of-order commits: bigserial ids are taken at insert time but become visible at commit time, so id 41 may
 *   appear after id 42 was read. Instead of guessing with a "gap older than N seconds" rule, each event records its
 *   transaction id (`txid xid8`, defaulted by the column) and the relay reads only events whose transaction is
 *   older than the oldest transaction still running (`pg_snapshot_xmin(pg_current_snapshot())`), ordered and
 *   cursored by (txid, id). Every transaction below that horizon has committed or aborted, so nothing can appear
 *   behind the cursor later. The price: a long-running transaction elsewhere delays delivery until it ends.
 * - A handler that throws stops its consumer's batch at that event (the cursor stays before it) and the event is
 *   retried on the next poll, so handlers must be idempotent (they are called at least once per event).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap {
  private readonly logger = new Logger('OutboxRelay');
  private readonly handlers = new Map<string, OutboxHandler>();
  private readonly inProcess = new Map<string, Promise<unknown>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly jobs: PeriodicJobs,
  ) {}

  /** Registers a consumer (call from onModuleInit). The name is its cursor: renaming it replays every event. */
  register(consumer: string, handler: OutboxHandler): void {
    if (!/^[a-z0-9_.:-]{1,64}$/.test(consumer)) throw new Error(`invalid outbox consumer name "${consumer}"`);
    if (this.handlers.has(consumer)) throw new Error(`outbox consumer "${consumer}" is already registered`);
    this.handlers.set(consumer, handler);
  }

  get consumers(): string[] {
    return [...this.handlers.keys()];
  }

  /**
   * Each consumer polls as a periodic job of its own: one stuck on a slow side effect (a calendar provider that hangs
   * until its timeout) must not hold back the confirmations of another, neither in this poll nor in the next ones.
   * No job-wide lock: each batch takes its consumer's advisory lock itself (drain() does too). The jobs stop, waiting
   * for a running batch, before the database closes.
   */
  onApplicationBootstrap(): void {
    for (const consumer of this.handlers.keys()) {
      this.jobs.schedule({
        name: `outbox-relay:${consumer}`,
        everyMs: this.config.outboxPollIntervalMs,
        run: () => this.pollBacklog(consumer, false),
      });
    }
  }

  /**
   * Processes everything committed so far, for every consumer, waiting for other replicas' batches instead of
   * skipping them. For tests and tools. Throws if a handler fails.
   */
  async drain(): Promise<number> {
    let total = 0;
    for (const consumer of this.handlers.keys()) {
      // Events past the cursor but above the horizon (a transaction still running anywhere in the cluster) are
      // waited for, up to a few seconds, so "drain" means "everything committed so far has been handled".
      const deadline = Date.now() + 5_000;
      for (;;) {
        const { processed, failed } = await this.pollConsumer(consumer, true);
        total += processed;
        if (failed) throw failed;
        if (processed > 0) continue;
        if (!(await this.hasPending(consumer)) || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    return total;
  }

  private async pollBacklog(consumer: string, wait: boolean): Promise<void> {
    // Keep going while full batches come back, so a backlog drains quickly.
    for (let round = 0; round < 20; round++) {
      const { processed, failed } = await this.pollConsumer(consumer, wait);
      if (failed) this.logger.warn(`outbox consumer ${consumer} will retry: ${failed.message}`);
      if (failed || processed < BATCH_SIZE) break;
    }
  }

  private async hasPending(consumer: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM outbox_events e, outbox_consumer_offsets o
        WHERE o.consumer = $1 AND (e.txid, e.id) > (o.last_txid, o.last_event_id) LIMIT 1`,
      [consumer],
    );
    return rows.length > 0;
  }

  /** One batch for one consumer; batches of one consumer never overlap within this process. */
  private pollConsumer(consumer: string, wait: boolean): Promise<{ processed: number; failed: Error | null }> {
    const previous = this.inProcess.get(consumer) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.pollConsumerLocked(consumer, wait));
    this.inProcess.set(
      consumer,
      next.catch(() => undefined),
    );
    return next;
  }

  /**
   * The batch runs under a SESSION advisory lock on a dedicated connection, with no transaction held while the
   * handlers run: handlers use their own pooled connections, and holding a transaction across them would stall
   * (or, on the embedded single-session database, deadlock) every other query.
   */
  private async pollConsumerLocked(consumer: string, wait: boolean): Promise<{ processed: number; failed: Error | null }> {
    const handler = this.handlers.get(consumer);
    if (!handler) throw new Error(`outbox consumer ${consumer} has no handler`);
    await this.dataSource.query(`INSERT INTO outbox_consumer_offsets (consumer) VALUES ($1) ON CONFLICT (consumer) DO NOTHING`, [consumer]);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let processed = 0;
    let failed: Error | null = null;
    let locked = false;
    try {
      const lockSql = wait
        ? `SELECT pg_advisory_lock($1, hashtext($2)) IS NULL AS locked`
        : `SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked`;
      const [lock] = (await runner.query(lockSql, [LOCK_CLASS, consumer])) as { locked: boolean | null }[];
      locked = wait || lock.locked === true;
      if (!locked) return { processed: 0, failed: null };
      const [cursor] = (await runner.query(
        `SELECT last_txid::text AS txid, last_event_id::text AS id FROM outbox_consumer_offsets WHERE consumer = $1`,
        [consumer],
      )) as { txid: string; id: string }[];
      const rows = (await runner.query(
        `SELECT id::text AS id, event_type, booking_id, payload, occurred_at, txid::text AS txid
           FROM outbox_events
          WHERE (txid, id) > ($1::xid8, $2::bigint)
            AND txid < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY txid, id
          LIMIT ${BATCH_SIZE}`,
        [cursor.txid, cursor.id],
      )) as OutboxRow[];
      for (const row of rows) {
        try {
          await handler({
            id: row.id,
            eventType: row.event_type,
            bookingId: row.booking_id,
            payload: row.payload,
            occurredAt: row.occurred_at,
          });
        } catch (error) {
          failed = error instanceof Error ? error : new Error(String(error));
          failed.message = `event ${row.id} (${row.event_type}): ${failed.message}`;
          break;
        }
        // The cursor moves after each handled event, so a crash replays at most the event in hand.
        await runner.query(
          `UPDATE outbox_consumer_offsets SET last_txid = $2::xid8, last_event_id = $3::bigint, updated_at = now() WHERE consumer = $1`,
          [consumer, row.txid, row.id],
        );
        processed++;
      }
    } finally {
      if (locked) await runner.query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [LOCK_CLASS, consumer]).catch(() => undefined);
      await runner.release();
    }
    return { processed, failed };
  }
}
