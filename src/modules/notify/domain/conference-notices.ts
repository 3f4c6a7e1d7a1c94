import type { BookingView } from '../../booking/domain/booking-views.js';
import { type ConferenceReadyPayload, conferenceJson } from '../../booking/domain/conference.js';
import { deliveryId } from './delivery-id.js';
import type { MessagePayload, PlannedDelivery, WebhookTarget } from './plan-deliveries.js';

export interface ConferenceLinkInput {
  payload: ConferenceReadyPayload;
  view: BookingView;
  /** Recipients (`invitee:<id>`, `host:<id>`, `webhook:<id>:<invitee id>`) whose messages already show this link. */
  alreadyShown: Set<string>;
  webhooks: WebhookTarget[];
  now: Date;
}

/**
 * The booking's video link now exists (booking.conference_ready): a "your meeting link" mail to each attendee and
 * host whose confirmation went out without it, and invitee.conference_ready webhooks. Pure and deterministic: the
 * ids derive from the booking, the recipient and the link, so a replayed event (or the same link recorded again
 * after a reschedule) plans nothing new; recipients whose mail already carried the link get none. A booking no
 * longer live gets nothing.
 */
export function planConferenceLink(input: ConferenceLinkInput): PlannedDelivery[] {
  const { payload, view, now } = input;
  if (view.status !== 'confirmed' && view.status !== 'pending') return [];
  const conference = { provider: payload.provider, join_url: payload.join_url, meeting_id: payload.meeting_id };
  const kindKey = `conference_link:${payload.join_url}`;
  const visibleTo = [...new Set([...view.hosts.map((h) => h.id), view.meetingType.ownerId])];
  const base: MessagePayload = {
    event_type: 'booking.conference_ready',
    start_time: view.startTime.toISOString(),
    end_time: view.endTime.toISOString(),
    sequence: view.sequence,
    invitee_id: null,
    conference,
  };
  const attending = view.invitees.filter((i) => i.status === 'active');
  const out: PlannedDelivery[] = [];
  // `key`: whose earlier mails count as showing the link (an invitee's guests get the same mails as one another).
  const mail = (role: 'invitee' | 'host' | 'guest', id: string, email: string, key = `${role}:${id}`, recipientKey = key) => {
    if (input.alreadyShown.has(key)) return;
    out.push({
      id: deliveryId({ bookingId: view.id, kind: kindKey, recipient: recipientKey, revision: 0, about: null }),
      bookingId: view.id,
      icalUid: view.icalUid,
      revision: view.sequence,
      kind: 'conference_link',
      channel: 'email',
      recipient: email,
      recipientRole: role,
      recipientId: id,
      eventType: 'booking.conference_ready',
      visibleTo,
      payload: { ...base, invitee_id: role === 'host' ? null : id },
      dueAt: now,
    });
  };
  for (const i of attending) mail('invitee', i.id, i.email);
  // Guests were invited only once the meeting was on (not while a request waits for the host).
  for (const i of view.status === 'confirmed' ? attending : []) {
    for (const g of i.guests) mail('guest', i.id, g, `guest:${i.id}`, `guest:${i.id}:${g.toLowerCase()}`);
  }
  for (const h of view.hosts) mail('host', h.id, h.email);

  for (const hook of input.webhooks) {
    if (!hook.events.includes('invitee.conference_ready') || !visibleTo.includes(hook.userId)) continue;
    for (const invitee of attending) {
      if (input.alreadyShown.has(`webhook:${hook.id}:${invitee.id}`)) continue;
      const id = deliveryId({
        bookingId: view.id,
        kind: `webhook:${kindKey}`,
        recipient: `webhook:${hook.id}:${invitee.id}`,
        revision: 0,
        about: null,
      });
      out.push({
        id,
        bookingId: view.id,
        icalUid: view.icalUid,
        revision: view.sequence,
        kind: 'webhook',
        channel: 'webhook',
        recipient: hook.id,
        recipientRole: 'webhook',
        recipientId: hook.id,
        eventType: 'invitee.conference_ready',
        visibleTo: [hook.userId],
        payload: {
          ...base,
          invitee_id: invitee.id,
          body: {
            id,
            event: 'invitee.conference_ready',
            created_at: now.toISOString(),
            payload: {
              booking_id: view.id,
              ical_uid: view.icalUid,
              sequence: view.sequence,
              status: view.status,
              start_time: view.startTime.toISOString(),
              end_time: view.endTime.toISOString(),
              meeting_type: { id: view.meetingType.id, name: view.meetingType.name, slug: view.meetingType.slug },
              conference: conferenceJson({ provider: payload.provider, joinUrl: payload.join_url, meetingId: payload.meeting_id }),
              invitee: { id: invitee.id, name: invitee.name, email: invitee.email, time_zone: invitee.timeZone },
            },
          },
        },
        dueAt: now,
      });
    }
  }
  return out;
}
