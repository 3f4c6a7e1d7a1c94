import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type OutboxEvent, OutboxRelay } from '../../../shared/outbox/outbox-relay.js';
import { BOOKING_EVENT_TYPES, type BookingEventPayload, NO_SHOW_EVENT_TYPES } from '../../booking/domain/booking-views.js';
import { BookingQueries } from '../../booking/application/booking-queries.service.js';
import { auditEntryFromBookingEvent, type NewAuditEntry } from '../domain/audit-entry.js';
import { AuditLogRepository } from '../infrastructure/audit-log.repository.js';
import type { AuditRecord } from './audit-records.js';

export const AUDIT_CONSUMER = 'audit';

/** The audit trail: booking changes arrive through the outbox; privacy actions are appended directly. */
@Injectable()
export class AuditService implements OnModuleInit {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly log: AuditLogRepository,
    private readonly bookings: BookingQueries,
  ) {}

  onModuleInit(): void {
    this.relay.register(AUDIT_CONSUMER, (event) => this.handle(event));
  }

  async handle(event: OutboxEvent): Promise<void> {
    if (!BOOKING_EVENT_TYPES.has(event.eventType) && !NO_SHOW_EVENT_TYPES.has(event.eventType)) return;
    await this.log.append(auditEntryFromBookingEvent(event, event.payload as unknown as BookingEventPayload));
  }

  record(entry: NewAuditEntry, manager?: EntityManager): Promise<void> {
    return this.log.append(entry, manager);
  }

  /** A booking's trail for one of its hosts (404 for anyone else), or the host's recent entries. */
  async list(userId: string, query: { bookingId?: string; limit: number; beforeId?: string }): Promise<AuditRecord[]> {
    if (query.bookingId) {
      await this.bookings.authorize(query.bookingId, { userId });
      return this.log.findForBooking(query.bookingId, query.limit);
    }
    return this.log.findForUser(userId, query.limit, query.beforeId ?? null);
  }
}
