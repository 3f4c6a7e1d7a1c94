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
  const material = [key.bookingId, key.kind, key.recipient, String(key.revision), key.about ?? '*'].join('\u001f');
  const hex = createHash('sha256').update(material).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
