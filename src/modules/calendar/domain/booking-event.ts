import type { BookingView } from '../../booking/domain/booking-views.js';
import type { OutgoingEvent } from './outgoing-event.js';

/**
 * How a booking reads in the host's own calendar (written events and the export feed alike): the meeting and who
 * booked it. The calendar is the host's, so invitee names and addresses belong there.
 */
export function describeBooking(view: BookingView, start = view.startTime, end = view.endTime): OutgoingEvent {
  const invitees = view.invitees.filter((i) => i.status === 'active');
  const names = invitees.map((i) => i.name).join(', ');
  // The meeting type's location: its value (address, link), else its kind; both are strings (validated on input).
  const where = view.location?.value ?? view.location?.type;
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
