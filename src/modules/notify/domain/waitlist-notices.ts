import { createHash } from 'node:crypto';
import type { WaitlistEventPayload, WaitlistEventType } from '../../booking/domain/waitlist.js';
import type { PlannedDelivery, WebhookTarget } from './plan-deliveries.js';

/**
 * A waitlist event's deliveries: for `waitlist.promoted` the claim mail to the invitee, and for every waitlist event
 * the owner's webhooks that asked for it. Pure and deterministic: the ids derive from the entry and the promotion
 * instant (mail) or the outbox event (webhooks), so a replayed event, a second consumer or a retried worker inserts
 * nothing new and sends once. No booking: booking_id is null.
 */
export function planWaitlistDeliveries(input: {
  eventType: WaitlistEventType;
  eventId: string;
  payload: WaitlistEventPayload;
  webhooks: WebhookTarget[];
  now: Date;
}): PlannedDelivery[] {
  const { payload: p, now } = input;
  const base = {
    start_time: p.start_time,
    end_time: p.end_time,
    sequence: 0,
    invitee_id: null,
  };
  const out: PlannedDelivery[] = [];
  if (input.eventType === 'waitlist.promoted' && p.promoted_at) {
    out.push({
      id: idFrom(['waitlist_claim', p.entry_id, p.promoted_at]),
      bookingId: null,
      icalUid: null,
      revision: 0,
      kind: 'waitlist_claim',
      channel: 'email',
      recipient: p.email,
      recipientRole: 'invitee',
      recipientId: p.entry_id,
      eventType: input.eventType,
      visibleTo: [p.owner_id],
      payload: { event_type: input.eventType, ...base, waitlist: p },
      dueAt: now,
    });
  }
  for (const hook of input.webhooks) {
    if (!hook.events.includes(input.eventType) || hook.userId !== p.owner_id) continue;
    const id = idFrom(['webhook', input.eventType, input.eventId, hook.id]);
    out.push({
      id,
      bookingId: null,
      icalUid: null,
      revision: 0,
      kind: 'webhook',
      channel: 'webhook',
      recipient: hook.id,
      recipientRole: 'webhook',
      recipientId: hook.id,
      eventType: input.eventType,
      visibleTo: [hook.userId],
      payload: {
        event_type: input.eventType,
        ...base,
        body: {
          id,
          event: input.eventType,
          created_at: now.toISOString(),
          payload: {
            entry_id: p.entry_id,
            status: p.status,
            position: p.position,
            start_time: p.start_time,
            end_time: p.end_time,
            meeting_type: { id: p.meeting_type_id, name: p.meeting_type_name, slug: p.meeting_type_slug },
            invitee: { name: p.name, email: p.email },
            claim_expires_at: p.claim_expires_at,
          },
        },
      },
      dueAt: now,
    });
  }
  return out;
}

/** A UUID (version nibble 8, RFC 4122 variant) from the delivery's identity, like delivery-id.ts. */
function idFrom(parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
