import { createHash } from 'node:crypto';

export interface DeliveryKey {
  bookingId: string;
  /** confirmation | reschedule | cancellation | reminder:<offset>:<channel> | webhook:<event> */
  kind: string;
  /** Who receives it: `invitee:<id>`, `host:<id>`, `webhook:<subscription id>`. */
  recipient: string;
  /** The booking's iCalendar SEQUENCE the message describes. */
  revision: number;
  /** The invitee the event is about (group bookings: one host mail per joining invitee); null = everyone. */
  about: string | null;
}

/**
 * A UUID derived from the delivery's identity (SHA-256, formatted with version nibble 8 and the RFC 4122 variant),
 * so replaying an outbox event or re-running the relay produces the same id and inserts nothing new.
 */
export function deliveryId(key: DeliveryKey): string {
  return uuidFrom([key.bookingId, key.kind, key.recipient, String(key.revision), key.about ?? '*']);
}

/**
 * The host's mail about one refused move of one event: the same link moved to the same time is one mail, however
 * many syncs (or replicas) see it. No booking revision in it, so a move seen again later is still the same mail.
 */
export function hostMoveConflictDeliveryId(key: { linkId: string; movedToStart: Date; movedToEnd: Date }): string {
  return uuidFrom(['host_move_conflict', key.linkId, key.movedToStart.toISOString(), key.movedToEnd.toISOString()]);
}

function uuidFrom(parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
