import type { BookingRecord, InviteeRecord } from '../application/booking-records.js';
import type { BookingDto, InviteeDto } from './booking.dto.js';
import { toApiInstant as iso } from '../../../shared/time/instant.js';
import { lengthOf } from '../application/meeting-length.js';
import { conferenceJson } from '../domain/conference.js';

const invitee = (i: InviteeRecord): InviteeDto => ({
  id: i.id,
  name: i.name,
  email: i.email,
  time_zone: i.time_zone,
  locale: i.locale,
  status: i.status,
  answers: i.answers,
  guests: i.guests,
  no_show_at: i.no_show_at ? iso(i.no_show_at) : null,
  utm: i.utm ?? null,
});

/** The booking as JSON. Hosts see every invitee; an invitee only themself (group meetings stay private). */
export function presentBooking(
  b: BookingRecord,
  hostIds: string[],
  invitees: InviteeRecord[],
  viewer: { kind: 'host' } | { kind: 'invitee'; inviteeId: string },
  links?: { token: string; cancelUrl: string; rescheduleUrl: string },
): BookingDto {
  const visible = viewer.kind === 'host' ? invitees : invitees.filter((i) => i.id === viewer.inviteeId);
  // No invitee to show (none left active, or none passed): the booking's own time zone stands in.
  const primary = viewer.kind === 'invitee' ? visible.at(0) : (invitees.find((i) => i.status === 'active') ?? invitees.at(0));
  return {
    id: b.id,
    status: b.status,
    confirmation_expires_at: b.confirmation_expires_at ? iso(b.confirmation_expires_at) : null,
    meeting_type_id: b.meeting_type_id,
    start_time: iso(b.start_time),
    end_time: iso(b.end_time),
    duration_minutes: lengthOf(b),
    time_zone: primary?.time_zone ?? b.time_zone,
    host_user_id: b.host_user_id,
    host_user_ids: hostIds,
    invitee_name: primary?.name,
    invitee_email: primary?.email,
    locale: primary?.locale,
    invitees: visible.map(invitee),
    location: b.location,
    conference: conferenceJson(b.conference ?? null),
    cancellation_reason: b.cancellation_reason,
    rescheduled_from_id: b.rescheduled_from_id,
    rescheduled_to_id: b.rescheduled_to_id,
    assignment_reason: viewer.kind === 'host' ? b.assignment_reason : null,
    created_at: iso(b.created_at),
    updated_at: iso(b.updated_at),
    ...(b.archived === undefined ? {} : { archived: b.archived }),
    ...(links ? { management_token: links.token, cancel_url: links.cancelUrl, reschedule_url: links.rescheduleUrl } : {}),
  };
}
