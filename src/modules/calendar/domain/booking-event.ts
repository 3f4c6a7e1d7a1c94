import { createHash } from 'node:crypto';
import { conferenceProviderOf } from '../../booking/domain/conference.js';
import type { BookingEventPayload, BookingView } from '../../booking/domain/booking-views.js';
import type { OutgoingEvent } from './outgoing-event.js';

/**
 * The video meeting this host's event should carry: a google_meet booking's organizer writing into Google, a
 * microsoft_teams one's into Microsoft 365 (other hosts of a collective booking get the event, not a second meeting;
 * a host whose calendar is elsewhere gets none). The request id comes from the iCalendar UID, which a reschedule
 * keeps: the moved event asks for the meeting it already has.
 */
export function meetingRequestFor(
  view: BookingView,
  payload: Pick<BookingEventPayload, 'host_user_ids'>,
  hostId: string,
  calendarProvider: string,
): OutgoingEvent['conference'] {
  const provider = conferenceProviderOf(view.location);
  if (payload.host_user_ids[0] !== hostId) return null;
  const fits =
    (provider === 'google_meet' && calendarProvider === 'google') || (provider === 'microsoft_teams' && calendarProvider === 'microsoft');
  if (!fits) return null;
  return { provider, requestId: `kairos-${createHash('sha256').update(view.icalUid).digest('hex').slice(0, 32)}` };
}

/**
 * How a booking reads in the host's own calendar (written events and the export feed alike): the meeting and who
 * booked it. The calendar is the host's, so invitee names and addresses belong there.
 */
export function describeBooking(view: BookingView, start = view.startTime, end = view.endTime): OutgoingEvent {
  const invitees = view.invitees.filter((i) => i.status === 'active');
  const names = invitees.map((i) => i.name).join(', ');
  // The meeting type's location: its value (address, link), else its kind; both are strings (validated on input).
  // A per-booking meeting: its link once it exists (a kind like "google_meet" says nothing to the reader).
  const where = view.conference?.joinUrl ?? view.location?.value ?? (conferenceProviderOf(view.location) ? null : view.location?.type);
  const location = typeof where === 'string' ? where || null : null;
  return {
    bookingId: view.id,
    uid: view.icalUid,
    sequence: view.sequence,
    summary: names ? `${view.meetingType.name} with ${names}` : view.meetingType.name,
    description: [
      `Booked with Kairos: ${view.meetingType.name} (${view.meetingType.durationMinutes} min).`,
      ...invitees.map((i) => `Invitee: ${i.name} <${i.email}> (${i.timeZone})`),
      // Listed, not added as attendees: Kairos sends the guests' invitations itself (the provider would send a second).
      ...invitees.flatMap((i) => i.guests.map((g) => `Guest of ${i.name}: ${g}`)),
    ].join('\n'),
    location,
    start,
    end,
  };
}
