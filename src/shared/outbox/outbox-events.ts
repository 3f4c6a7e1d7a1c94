import type { EntityManager } from 'typeorm';

export interface NewOutboxEvent {
  type: string;
  bookingId: string | null;
  payload: object;
}

/**
 * The INSERT of one outbox event, its three values at parameters `$first`, `$first + 1` and `$first + 2`
 * (outboxEventValues): for a statement that writes the event together with the change it reports (a CTE), one round
 * trip for both.
 */
export function outboxEventInsertSql(first: number): string {
  return `INSERT INTO outbox_events (event_type, booking_id, payload) VALUES ($${first}, $${first + 1}, $${first + 2})`;
}

export function outboxEventValues(event: NewOutboxEvent): unknown[] {
  return [event.type, event.bookingId, JSON.stringify(event.payload)];
}

/**
 * Appends one event to `outbox_events` on the caller's transaction, so the event exists exactly when the change it
 * reports was committed (ADR 0011). The relay hands it to every consumer; each ignores the types it does not know.
 */
export async function appendOutboxEvent(manager: EntityManager, event: NewOutboxEvent): Promise<void> {
  await manager.query(outboxEventInsertSql(1), outboxEventValues(event));
}
