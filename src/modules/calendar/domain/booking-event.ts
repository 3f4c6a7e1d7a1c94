import type { BookingView } from '../../booking/domain/booking-views.js';
import type { OutgoingEvent } from '../infrastructure/provider-adapter.js';

/**
 * How a booking reads in the host's own calendar (written events and the export feed alike): the meeting and who
 * booked it. The calendar is the host's, so invitee names and addresses belong there.
 */
export function describeBooking(view: BookingView, start = view.startTime, end = view.endTime): OutgoingEvent {
  const invitees = view.invitees.filter((i) => i.status === 'active');
  const names = invitees.map((i) => i.name).join(', ');
  const location = view.location ? String((view.location as Record<string, unknown>).value ?? (view.location as Record<string, unknown>).type ?? '') || null : null;
  return {
    bookingId: view.id,
    uid: view.icalUid,
    sequence: view.sequence,
    summary: names ? `${view.meetingType.name} with ${names}` : view.meetingType.name,
    description: [
      `Booked with Kairos: ${view.meetingType.name} (${view.meetingType.durationMinutes} min).`,
      ...invitees.map((i) => `Invitee: ${i.name} <${i.email}> (${i.timeZone})`),
    ].join('\n'),
    location,
    start,
    end,
  };
}
