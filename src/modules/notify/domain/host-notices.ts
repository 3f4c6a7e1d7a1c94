import type { BookingView } from '../../booking/domain/booking-views.js';
import { hostMoveConflictDeliveryId } from './delivery-id.js';
import type { PlannedDelivery } from './plan-deliveries.js';

/**
 * Outbox event the calendar context writes, in the transaction that flags the event link, when the host moved a
 * booking's event in their calendar onto a time that collides with another booking (the booking keeps its time).
 * The contract lives here, with the consumer: calendar already depends on notify, so notify cannot import calendar.
 */
export const HOST_MOVE_CONFLICT_EVENT = 'calendar.host_move_conflict';

export interface HostMoveConflictPayload {
  booking_id: string;
  /** The calendar event link (one booking, one host) whose event was moved. */
  link_id: string;
  /** The host whose calendar it is: the mail's recipient. */
  host_id: string;
  /** Where the booking stays (ISO 8601, UTC). */
  start_time: string;
  end_time: string;
  /** Where the host moved the event. */
  moved_to: { start_time: string; end_time: string };
  /** Why the booking did not follow (also the link's flag). */
  message: string;
}

/**
 * The host's mail about a refused move, or null when the host no longer hosts the booking. Pure and deterministic:
 * the same move (link and moved-to time) always gives the same id, so a second sync, a second replica or a replayed
 * event inserts nothing new. Due at once: there is nothing to wait for.
 */
export function planHostMoveConflict(payload: HostMoveConflictPayload, view: BookingView, now: Date): PlannedDelivery | null {
  const host = view.hosts.find((h) => h.id === payload.host_id);
  if (!host) return null;
  return {
    id: hostMoveConflictDeliveryId({
      linkId: payload.link_id,
      movedToStart: new Date(payload.moved_to.start_time),
      movedToEnd: new Date(payload.moved_to.end_time),
    }),
    bookingId: view.id,
    icalUid: view.icalUid,
    revision: view.sequence,
    kind: 'host_move_conflict',
    channel: 'email',
    recipient: host.email,
    recipientRole: 'host',
    recipientId: host.id,
    eventType: HOST_MOVE_CONFLICT_EVENT,
    visibleTo: [...new Set([...view.hosts.map((h) => h.id), view.meetingType.ownerId])],
    payload: {
      event_type: HOST_MOVE_CONFLICT_EVENT,
      start_time: payload.start_time,
      end_time: payload.end_time,
      sequence: view.sequence,
      invitee_id: null,
      host_move: { link_id: payload.link_id, ...payload.moved_to, message: payload.message },
    },
    dueAt: now,
  };
}
