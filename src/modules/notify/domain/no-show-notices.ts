import type { BookingEventPayload, BookingView, NoShowEventType } from '../../booking/domain/booking-views.js';
import { deliveryId } from './delivery-id.js';
import type { PlannedDelivery, WebhookTarget } from './plan-deliveries.js';

export interface NoShowInput {
  eventType: NoShowEventType;
  /** The outbox event's id: marking, unmarking and marking again are three messages, each sent once. */
  eventId: string;
  payload: BookingEventPayload;
  view: BookingView;
  webhooks: WebhookTarget[];
  now: Date;
}

/**
 * A host marked an invitee as a no-show (invitee.no_show) or took it back (invitee.no_show_deleted): webhooks only,
 * no mail. Pure and deterministic per outbox event, so a replay plans nothing new.
 */
export function planNoShowWebhooks(input: NoShowInput): PlannedDelivery[] {
  const { payload, view, now } = input;
  const event = input.eventType === 'booking.no_show_marked' ? 'invitee.no_show' : 'invitee.no_show_deleted';
  const invitee = view.invitees.find((i) => i.id === payload.invitee_id);
  if (!invitee) return [];
  const visibleTo = [...new Set([...view.hosts.map((h) => h.id), view.meetingType.ownerId])];
  return input.webhooks
    .filter((hook) => hook.events.includes(event) && visibleTo.includes(hook.userId))
    .map((hook) => {
      const id = deliveryId({
        bookingId: view.id,
        kind: `webhook:${event}:${input.eventId}`,
        recipient: `webhook:${hook.id}:${invitee.id}`,
        revision: payload.sequence,
        about: invitee.id,
      });
      return {
        id,
        bookingId: view.id,
        icalUid: view.icalUid,
        revision: payload.sequence,
        kind: 'webhook',
        channel: 'webhook',
        recipient: hook.id,
        recipientRole: 'webhook',
        recipientId: hook.id,
        eventType: event,
        visibleTo: [hook.userId],
        payload: {
          event_type: input.eventType,
          start_time: payload.start_time,
          end_time: payload.end_time,
          sequence: payload.sequence,
          invitee_id: invitee.id,
          body: {
            id,
            event,
            created_at: now.toISOString(),
            payload: {
              booking_id: view.id,
              ical_uid: view.icalUid,
              status: view.status,
              start_time: payload.start_time,
              end_time: payload.end_time,
              meeting_type: { id: view.meetingType.id, name: view.meetingType.name, slug: view.meetingType.slug },
              invitee: { id: invitee.id, name: invitee.name, email: invitee.email, time_zone: invitee.timeZone },
              no_show: event === 'invitee.no_show' ? { marked_at: now.toISOString(), marked_by: payload.marked_by ?? null } : null,
            },
          },
        },
        dueAt: now,
      } satisfies PlannedDelivery;
    });
}
