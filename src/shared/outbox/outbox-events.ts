import type { EntityManager } from 'typeorm';

/**
 * Appends one event to `outbox_events` on the caller's transaction, so the event exists exactly when the change it
 * reports was committed (ADR 0011). The relay hands it to every consumer; each ignores the types it does not know.
 */
export async function appendOutboxEvent(
  manager: EntityManager,
  event: { type: string; bookingId: string | null; payload: object },
): Promise<void> {
  await manager.query(`INSERT INTO outbox_events (event_type, booking_id, payload) VALUES ($1, $2, $3)`, [
    event.type,
    event.bookingId,
    JSON.stringify(event.payload),
  ]);
}
