import type { BookingSeriesView, BookingView } from '../../booking/domain/booking-views.js';
import { rruleOf } from '../../booking/domain/recurrence.js';
import { hostBookingUrl, type IcsEventContent, type IcsMethod, type IcsOptions, locationText, renderIcsCalendar } from './ics.service.js';

const MINUTE = 60_000;

/**
 * The iCalendar of a recurring series (issue #17 item 5), whichever occurrence a message is about. One UID for the
 * series (BookingSeriesView.icalUid), DTSTART;TZID in the zone the series repeats in (the booking's) with
 * RRULE FREQ=WEEKLY;INTERVAL=1|2 or FREQ=MONTHLY and COUNT, so any client expands exactly the booked starts; a
 * cancelled occurrence is an EXDATE, a moved one an override (RECURRENCE-ID = where the rule put it). SEQUENCE is the
 * series' (it grows with every change to any occurrence), so each new copy supersedes the last.
 *
 * METHOD:REQUEST sends the series as it is now. METHOD:CANCEL (RFC 5546 §3.2.5): when no occurrence stands any
 * more, the whole series; otherwise each cancelled occurrence by its RECURRENCE-ID (cancelling one date).
 */
export function renderSeriesIcs(
  view: BookingView,
  series: BookingSeriesView,
  method: IcsMethod,
  options: IcsOptions & { publicUrl: string },
): string {
  const organizer = view.hosts.at(0);
  const invitees = view.invitees.filter((i) =>
    options.inviteeIds ? options.inviteeIds.includes(i.id) : method === 'CANCEL' || i.status === 'active',
  );
  const attendeeStatus = method === 'CANCEL' ? ('DECLINED' as const) : ('ACCEPTED' as const);
  const base: Omit<IcsEventContent, 'start' | 'end' | 'status'> = {
    uid: series.icalUid,
    sequence: series.sequence,
    zone: series.timeZone,
    stamp: options.stamp ?? new Date(),
    summary: `${view.meetingType.name}${organizer ? ` with ${organizer.name}` : ''}`,
    description: `${view.meetingType.name}, booked with Kairos as a series of ${series.count}.`,
    location: locationText(view.location),
    url: options.url ?? hostBookingUrl(options.publicUrl, view.id),
    organizer: organizer ? { name: organizer.name, email: organizer.email } : null,
    attendees: [
      ...view.hosts.slice(1).map((h) => ({ name: h.name, email: h.email, status: 'ACCEPTED' as const })),
      ...invitees.map((i) => ({ name: i.name, email: i.email, status: attendeeStatus })),
    ],
  };
  const length = series.durationMinutes * MINUTE;
  const master = (status: IcsEventContent['status'], exdates: Date[]): IcsEventContent => ({
    ...base,
    start: series.firstStart,
    end: new Date(series.firstStart.getTime() + length),
    status,
    rrule: rruleOf(series.frequency, series.count),
    exdates,
  });
  const cancelled = series.occurrences.filter((o) => o.status === 'cancelled');
  const standing = series.occurrences.filter((o) => o.status === 'confirmed' || o.status === 'pending');

  let events: IcsEventContent[];
  if (method === 'CANCEL') {
    events =
      standing.length === 0
        ? [master('CANCELLED', [])]
        : cancelled.map((o) => ({ ...base, start: o.start, end: o.end, status: 'CANCELLED' as const, recurrenceId: o.originalStart }));
  } else {
    const moved = standing.filter(
      (o) => o.start.getTime() !== o.originalStart.getTime() || o.end.getTime() !== o.originalStart.getTime() + length,
    );
    events = [
      master(
        'CONFIRMED',
        cancelled.map((o) => o.originalStart),
      ),
      ...moved.map((o) => ({ ...base, start: o.start, end: o.end, status: 'CONFIRMED' as const, recurrenceId: o.originalStart })),
    ];
  }
  const last = Math.max(...series.occurrences.map((o) => Math.max(o.end.getTime(), o.originalStart.getTime() + length)));
  return renderIcsCalendar(events, { method, zoneAround: series.firstStart, zoneUntil: new Date(last) });
}
