import type { BookingEventPayload } from '../../booking/domain/booking-views.js';

export type AuditActorType = 'host' | 'invitee' | 'system' | 'calendar';

/** One audit_log row to append. Ids and times only: never names, emails or answers. */
export interface NewAuditEntry {
  occurredAt: Date;
  actorType: AuditActorType;
  actorId: string | null;
  action: string;
  bookingId: string | null;
  subjectUserIds: string[];
  details: Record<string, unknown>;
  outboxEventId?: string | null;
}

/**
 * The audit entry for a booking outbox event. Who acted follows the payload's conventions: a creation is the
 * invitee's; a reschedule names the invitee when they made it (else a host did); a cancellation says who.
 */
export function auditEntryFromBookingEvent(
  event: { id: string; eventType: string; occurredAt: Date },
  p: BookingEventPayload,
): NewAuditEntry {
  const hostActor = p.host_user_ids[0] ?? null;
  let actorType: AuditActorType;
  if (event.eventType === 'booking.created') actorType = 'invitee';
  else if (event.eventType === 'booking.cancelled') actorType = p.cancelled_by === 'invitee' ? 'invitee' : 'host';
  // A request nobody answered in time: the expiry (job or the next booking that met it) acted, not a person.
  else if (event.eventType === 'booking.expired') actorType = 'system';
  // A no-show mark is the host's act about the invitee named (marked_by: which host).
  else if (p.marked_by) actorType = 'host';
  else actorType = p.invitee_id ? 'invitee' : 'host';
  const details: Record<string, unknown> = {
    meeting_type_id: p.meeting_type_id,
    start_time: p.start_time,
    end_time: p.end_time,
    sequence: p.sequence,
  };
  if (p.invitee_id) details.invitee_id = p.invitee_id;
  if (p.previous) {
    details.previous_booking_id = p.previous.booking_id;
    details.previous_start_time = p.previous.start_time;
    details.previous_end_time = p.previous.end_time;
  }
  if (event.eventType === 'booking.cancelled' || event.eventType === 'booking.declined') details.has_reason = Boolean(p.reason);
  return {
    occurredAt: event.occurredAt,
    actorType,
    actorId: actorType === 'invitee' ? p.invitee_id : actorType === 'system' ? null : (p.marked_by ?? hostActor),
    action: event.eventType,
    bookingId: p.booking_id,
    subjectUserIds: p.host_user_ids,
    details,
    outboxEventId: event.id,
  };
}
