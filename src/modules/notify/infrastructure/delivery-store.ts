import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import type { EntityManager } from 'typeorm';
import type { PlannedDelivery, ReminderWithdrawal } from '../domain/plan-deliveries.js';
import { type DeliveryStatus, NotificationDeliveryEntity } from './notification-delivery.entity.js';

/** Row counts by state; the ::int casts in its query make the drivers answer numbers. */
export interface DeliveryBacklog {
  pending: number;
  due: number;
  failed: number;
}

/**
 * A row by id ($1) and its partition key ($2, read from notification_delivery_keys first): as a value, the key lets
 * the planner keep one partition. (A sub-select for it pruned only at run time, after planning every month
 * partition, which cost more than the update itself on a long history; ADR 0014.)
 */
const BY_ID = 'id = $1 AND created_at = $2';

/** All I/O on notification_deliveries. Every state change is a guarded UPDATE, so racing workers cannot regress a row. */
@Injectable()
export class DeliveryStore {
  constructor(
    @InjectRepository(NotificationDeliveryEntity) private readonly repo: Repository<NotificationDeliveryEntity>,
    private readonly dataSource: DataSource,
  ) {}

  /** Inserts planned rows; rows whose deterministic id exists already are left as they are. Returns the new ones. */
  async insertNew(rows: PlannedDelivery[], outboxEventId: string | null, maxAttempts: number, now: Date): Promise<PlannedDelivery[]> {
    if (rows.length === 0) return [];
    // $1 is the Clock's now (created_at/updated_at), so pinned-clock tests read consistent rows.
    const values: unknown[] = [now];
    const tuples = rows.map((r) => {
      const at = values.length;
      values.push(
        r.id,
        r.bookingId,
        r.icalUid,
        r.kind,
        r.channel,
        r.recipient,
        r.recipientRole,
        r.recipientId,
        r.revision,
        r.eventType,
        outboxEventId,
        r.visibleTo,
        JSON.stringify(r.payload),
        r.dueAt,
        maxAttempts,
      );
      const p = (n: number) => `$${at + n}`;
      return (
        `(${p(1)}::uuid, ${p(2)}::uuid, ${p(3)}::varchar, ${p(4)}::varchar, ${p(5)}::varchar, ${p(6)}::varchar, ${p(7)}::varchar, ` +
        `${p(8)}::uuid, ${p(9)}::int, ${p(10)}::varchar, ${p(11)}::bigint, ${p(12)}::uuid[], ${p(13)}::jsonb, ${p(14)}::timestamptz, ` +
        `${p(15)}::int, $1::timestamptz, $1::timestamptz)`
      );
    });
    // The table is partitioned by created_at, so its primary key (id, created_at) cannot see an id written in another
    // month: notification_delivery_keys holds every id once, and only ids new there are inserted (ADR 0014).
    const sql = `
      WITH v (id, booking_id, ical_uid, kind, channel, recipient, recipient_role, recipient_id, revision, event_type,
              outbox_event_id, visible_to, payload, due_at, max_attempts, created_at, updated_at) AS (
        VALUES ${tuples.join(',\n')}),
      k AS (INSERT INTO notification_delivery_keys (id, created_at) SELECT id, created_at FROM v ON CONFLICT (id) DO NOTHING RETURNING id)
      INSERT INTO notification_deliveries (id, booking_id, ical_uid, kind, channel, recipient, recipient_role, recipient_id,
        revision, event_type, outbox_event_id, visible_to, payload, due_at, max_attempts, created_at, updated_at)
      SELECT v.* FROM v JOIN k ON k.id = v.id
      RETURNING id`;
    const inserted = await this.returning<{ id: string }>(sql, values);
    const ids = new Set(inserted.map((r) => r.id));
    return rows.filter((r) => ids.has(r.id));
  }

  /**
   * Who already has (or will get) a message of this booking showing this video link: a confirmation or update mail
   * planned after the link existed, an earlier link mail, a webhook whose body carried it. As `invitee:<id>`,
   * `host:<id>`, `webhook:<subscription id>:<invitee id>`.
   */
  async recipientsShownConference(bookingId: string, joinUrl: string): Promise<Set<string>> {
    const rows = await this.dataSource.query<{ key: string }[]>(
      `SELECT recipient_role || ':' || recipient_id AS key FROM notification_deliveries
        WHERE booking_id = $1 AND channel = 'email' AND kind IN ('confirmation', 'reschedule', 'conference_link')
          AND status <> 'cancelled' AND payload -> 'conference' ->> 'join_url' = $2
       UNION
       SELECT 'webhook:' || recipient_id || ':' || (payload -> 'body' -> 'payload' -> 'invitee' ->> 'id') FROM notification_deliveries
        WHERE booking_id = $1 AND channel = 'webhook' AND status <> 'cancelled'
          AND payload -> 'body' -> 'payload' -> 'conference' ->> 'join_url' = $2`,
      [bookingId, joinUrl],
    );
    return new Set(rows.map((r) => r.key));
  }

  /** Withdraws pending reminders (reschedule, cancellation). Returns the ids withdrawn. */
  async withdrawReminders(w: ReminderWithdrawal, now: Date): Promise<string[]> {
    const rows = await this.returning<{ id: string }>(
      `UPDATE notification_deliveries
          SET status = 'cancelled', last_error = 'withdrawn: the booking changed', claimed_until = NULL, updated_at = $4
        WHERE booking_id = $1 AND kind = 'reminder' AND status = 'pending'
          AND ($2::int IS NULL OR revision < $2::int)
          AND ($3::uuid IS NULL OR recipient_id = $3::uuid)
          AND (NOT $5::boolean OR recipient_role = 'host')
        RETURNING id`,
      [w.bookingId, w.belowRevision, w.inviteeId, now, w.hostsOnly === true],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Takes a due, pending, unclaimed row for one attempt (counting it) and leases it until `leaseUntil`.
   * Null when it is sent, cancelled, failed, not yet due, or another worker holds it.
   */
  async claim(id: string, now: Date, leaseUntil: Date): Promise<NotificationDeliveryEntity | null> {
    const createdAt = await this.createdAtOf(id);
    if (!createdAt) return null;
    const rows = await this.returning<{ id: string }>(
      `UPDATE notification_deliveries
          SET attempts = attempts + 1, claimed_until = $4, updated_at = $3
        WHERE ${BY_ID} AND status = 'pending' AND due_at <= $3 AND (claimed_until IS NULL OR claimed_until <= $3)
        RETURNING id`,
      [id, createdAt, now, leaseUntil],
    );
    if (rows.length === 0) return null;
    return this.repo.findOneByOrFail({ id, createdAt: createdAt as unknown as Date });
  }

  /**
   * The row's partition key from the key table (ADR 0014); null when there is no such delivery. As text, so a
   * microsecond value written by SQL comes back exact (a JS Date keeps milliseconds).
   */
  private async createdAtOf(id: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ created_at: string }[]>(
      `SELECT created_at::text AS created_at FROM notification_delivery_keys WHERE id = $1`,
      [id],
    );
    return rows.at(0)?.created_at ?? null;
  }

  async markSent(id: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification_deliveries SET status = 'sent', sent_at = $3, claimed_until = NULL, last_error = NULL, updated_at = $3
        WHERE ${BY_ID} AND status = 'pending'`,
      [id, await this.createdAtOf(id), now],
    );
  }

  async markCancelled(id: string, reason: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification_deliveries SET status = 'cancelled', claimed_until = NULL, last_error = $3, updated_at = $4
        WHERE ${BY_ID} AND status = 'pending'`,
      [id, await this.createdAtOf(id), reason, now],
    );
  }

  /** After a failed attempt: schedule the retry, or mark failed after the last one. */
  async recordFailure(
    id: string,
    error: string,
    next: { status: 'pending'; retryAt: Date } | { status: 'failed' },
    now: Date,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification_deliveries
          SET status = $3, due_at = COALESCE($4, due_at), claimed_until = NULL, last_error = $5, updated_at = $6
        WHERE ${BY_ID} AND status = 'pending'`,
      [id, await this.createdAtOf(id), next.status, next.status === 'pending' ? next.retryAt : null, error.slice(0, 1000), now],
    );
  }

  /**
   * The due rows, listed while holding a transaction-scoped advisory lock (the sweep's: N replicas do not all scan);
   * null when another replica holds it. The lock ends with the transaction, before any row is worked on.
   */
  findDueUnderLock(lock: readonly [number, number], now: Date, limit: number): Promise<Array<{ id: string; dueAt: Date }> | null> {
    return this.dataSource.transaction(async (manager) => {
      const [held] = await manager.query<[{ locked: boolean }]>(`SELECT pg_try_advisory_xact_lock($1, $2) AS locked`, [...lock]);
      if (!held.locked) return null;
      // The transaction's own connection: a second pooled connection could deadlock the pool.
      return this.findDue(now, limit, manager);
    });
  }

  /** Ids of rows that are due and not sent, oldest first (for the sweep). */
  /** Pass the caller's manager when inside a transaction: a second pooled connection could deadlock the pool. */
  async findDue(now: Date, limit: number, manager?: EntityManager): Promise<Array<{ id: string; dueAt: Date }>> {
    const rows = await (manager ?? this.dataSource.manager).query<Array<{ id: string; due_at: Date }>>(
      `SELECT id, due_at FROM notification_deliveries
        WHERE status = 'pending' AND due_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
        ORDER BY due_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => ({ id: r.id, dueAt: r.due_at }));
  }

  listVisibleTo(userId: string, filter: { bookingId?: string; status?: DeliveryStatus; kind?: string; limit: number }) {
    const qb = this.repo
      .createQueryBuilder('d')
      .where(':userId = ANY(d.visible_to)', { userId })
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.due_at', 'DESC')
      .limit(filter.limit);
    if (filter.bookingId) qb.andWhere('d.booking_id = :bookingId', { bookingId: filter.bookingId });
    if (filter.status) qb.andWhere('d.status = :status', { status: filter.status });
    if (filter.kind) qb.andWhere('d.kind = :kind', { kind: filter.kind });
    return qb.getMany();
  }

  findVisible(userId: string, id: string) {
    return this.repo.createQueryBuilder('d').where('d.id = :id', { id }).andWhere(':userId = ANY(d.visible_to)', { userId }).getOne();
  }

  /** Manual redelivery: a failed (or already sent webhook) row goes back to pending with fresh attempts. */
  async reopen(id: string, now: Date): Promise<boolean> {
    const rows = await this.returning<{ id: string }>(
      `UPDATE notification_deliveries
          SET status = 'pending', attempts = 0, due_at = $3, claimed_until = NULL, sent_at = NULL, updated_at = $3
        WHERE ${BY_ID} AND (status = 'failed' OR (status = 'sent' AND kind = 'webhook')) RETURNING id`,
      [id, await this.createdAtOf(id), now],
    );
    return rows.length > 0;
  }

  /** The backlog for /metrics: pending rows, those of them past due (by the database's clock), failed rows. */
  async countByState(): Promise<DeliveryBacklog> {
    const [row] = await this.dataSource.query<[DeliveryBacklog]>(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE status = 'pending' AND due_at <= now())::int AS due,
              count(*) FILTER (WHERE status = 'failed')::int AS failed
         FROM notification_deliveries WHERE status IN ('pending', 'failed')`,
    );
    return row;
  }

  /** Pending webhook rows of a deleted subscription are withdrawn. */
  async cancelForWebhook(subscriptionId: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification_deliveries SET status = 'cancelled', last_error = 'webhook deleted', claimed_until = NULL, updated_at = $2
        WHERE channel = 'webhook' AND recipient_id = $1 AND status = 'pending'`,
      [subscriptionId, now],
    );
  }

  /** TypeORM answers UPDATE/DELETE with [rows, affectedCount] and INSERT/SELECT with rows; this returns the rows. */
  private async returning<T>(sql: string, params: unknown[]): Promise<T[]> {
    const result = await this.dataSource.query<unknown>(sql, params);
    if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
      return result[0] as T[];
    }
    return result as T[];
  }
}
