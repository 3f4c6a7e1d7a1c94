import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditRecord } from '../application/audit-records.js';
import type { NewAuditEntry } from '../domain/audit-entry.js';

/** audit_log is append-only (a trigger rejects UPDATE/DELETE/TRUNCATE): this repository only inserts and reads. */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends an entry; an outbox event already recorded is skipped (the relay delivers at least once). */
  async append(e: NewAuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (occurred_at, actor_type, actor_id, action, booking_id, subject_user_ids, details, outbox_event_id)
       VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7, $8)
       ON CONFLICT (outbox_event_id) DO NOTHING`,
      [e.occurredAt, e.actorType, e.actorId, e.action, e.bookingId, e.subjectUserIds, JSON.stringify(e.details), e.outboxEventId ?? null],
    );
  }

  /** Entries about one booking (and the booking it replaced or that replaced it), oldest first. */
  findForBooking(bookingId: string, limit: number): Promise<AuditRecord[]> {
    return this.dataSource.query<AuditRecord[]>(
      `SELECT id::text, occurred_at, recorded_at, actor_type, actor_id, action, booking_id, details FROM audit_log
        WHERE booking_id = $1 OR details->>'previous_booking_id' = $1::text
        ORDER BY id LIMIT $2`,
      [bookingId, limit],
    );
  }

  /** The newest entries that concern a host, newest first. */
  findForUser(userId: string, limit: number, beforeId: string | null): Promise<AuditRecord[]> {
    return this.dataSource.query<AuditRecord[]>(
      `SELECT id::text, occurred_at, recorded_at, actor_type, actor_id, action, booking_id, details FROM audit_log
        WHERE subject_user_ids @> ARRAY[$1]::uuid[] AND ($3::bigint IS NULL OR id < $3::bigint)
        ORDER BY id DESC LIMIT $2`,
      [userId, limit, beforeId],
    );
  }
}
