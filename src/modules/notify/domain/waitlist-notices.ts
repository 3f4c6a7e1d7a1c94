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

/** The claim mail: plain text and HTML, in English (the entry has no language of its own yet). */
export function renderWaitlistClaim(p: WaitlistEventPayload, claimUrl: string): { subject: string; text: string; html: string } {
  const when = `${new Date(p.start_time).toISOString().replace('T', ' ').slice(0, 16)} UTC`;
  const until = p.claim_expires_at ? `${new Date(p.claim_expires_at).toISOString().replace('T', ' ').slice(0, 16)} UTC` : 'soon';
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const text = [
    `Hello ${p.name},`,
    '',
    `A place opened up for ${p.meeting_type_name} on ${when}. It is held for you until ${until}; book it here:`,
    claimUrl,
    '',
    'If you no longer want it, do nothing: the place goes to the next person in line when your hold ends.',
  ].join('\n');
  const html =
    `<p>Hello ${esc(p.name)},</p><p>A place opened up for <strong>${esc(p.meeting_type_name)}</strong> on ${esc(when)}. ` +
    `It is held for you until ${esc(until)}.</p><p><a href="${esc(claimUrl)}">Book this time</a></p>` +
    '<p>If you no longer want it, do nothing: the place goes to the next person in line when your hold ends.</p>';
  return { subject: `A place opened up: ${p.meeting_type_name}`, text, html };
}
