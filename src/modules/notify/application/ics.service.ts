import { Injectable } from '@nestjs/common';
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { AppConfig } from '../../../config/app-config.js';
import type { BookingView } from '../../booking/domain/booking-views.js';
import { type Conference, conferenceProviderOf } from '../../booking/domain/conference.js';
import { localParts } from '../domain/format-time.js';
import { buildVTimezone } from '../domain/vtimezone.js';
import { renderSeriesIcs } from './series-ics.js';

export type IcsMethod = 'REQUEST' | 'CANCEL';

export interface IcsOptions {
  /** Times and SEQUENCE of the change being announced (default: the view's current ones). */
  start?: Date;
  end?: Date;
  sequence?: number;
  /** Limit ATTENDEEs to these invitees (group bookings: an invitee sees only themself). Default: active invitees. */
  inviteeIds?: string[];
  /** DTSTAMP: when this object was created (the change's time for a mail; default: now, never the meeting's start). */
  stamp?: Date;
  /** The invitation's URL (the recipient's own page: the invitee's management link, the host's admin page). */
  url?: string;
  /** The booking's video meeting as the message announces it (default: the view's). */
  conference?: Conference | null;
}

/**
 * A parameter value (CN) that every parser reads back as written. RFC 5545 §3.2: a quoted param-value (ical-generator
 * always quotes CN) may hold `:` and `,` but never DQUOTE or control characters, and has no escapes at all
 * (ical-generator's `\"` breaks python3-vobject and makes python3-icalendar drop the attendee). So DQUOTE becomes ',
 * a backslash /, controls a space; and `;`, although legal inside quotes, becomes `,` because node-ical (and other
 * parsers that split parameters naively) cut the name there.
 */
export function icalParamText(value: string): string {
  return (
    value
      .replace(/"/g, "'")
      .replace(/\\/g, '/')
      .replace(/;/g, ',')
      // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/**
 * A ZonedDateTime look-alike that ical-generator formats as local time with TZID. ical-generator formats native
 * Dates in the *server's* local zone when a TZID is set, so we hand it explicit wall-clock fields from Intl instead.
 */
function zoned(instant: Date, zone: string): object {
  const p = localParts(instant, zone);
  const fields = { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
  const plain = {
    ...fields,
    toZonedDateTime: () => zoned(instant, zone),
    toPlainDate: () => ({ year: p.year, month: p.month, day: p.day }),
    toJSON: () => instant.toISOString(),
    toString: () => instant.toISOString(),
  };
  return {
    ...fields,
    timeZoneId: zone,
    toPlainDateTime: () => plain,
    withTimeZone: (z: string) => zoned(instant, z),
    toInstant: () => ({ epochMilliseconds: instant.getTime() }),
    toJSON: () => instant.toISOString(),
    toString: () => instant.toISOString(),
  };
}

/** One VEVENT as Kairos writes it. Invitations, CalDAV objects and the host's export feed all go through here. */
export interface IcsEventContent {
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  /** DTSTART/DTEND are local times in this zone with a matching VTIMEZONE; 'UTC' writes UTC times. */
  zone: string;
  stamp: Date;
  summary: string;
  description: string;
  location: string | null;
  url?: string | null;
  status: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
  organizer?: { name: string; email: string } | null;
  attendees?: Array<{ name: string; email: string; status: 'ACCEPTED' | 'DECLINED' | 'NEEDSACTION' }>;
  /** X-KAIROS-BOOKING-ID: marks an object Kairos wrote into a host's calendar, so reading it back skips it. */
  bookingId?: string;
  /** A recurring series' master: its RRULE (without "RRULE:") and the rule's starts left out (EXDATE). */
  rrule?: string | null;
  exdates?: Date[];
  /** One occurrence of a series (an override or a cancelled instance): where the rule put it. */
  recurrenceId?: Date | null;
  /**
   * The booking's video meeting: its link is the LOCATION, and the property Google Calendar (X-GOOGLE-CONFERENCE) or
   * Outlook (X-MICROSOFT-SKYPETEAMSMEETINGURL) shows as a join button. URL stays the recipient's page (one URL per
   * event, RFC 5545).
   */
  conference?: Pick<Conference, 'provider' | 'joinUrl'> | null;
}

export interface IcsCalendarOptions {
  /** iTIP method for emailed invitations; none for stored objects (CalDAV forbids it) and subscription feeds. */
  method?: IcsMethod | null;
  /** X-WR-CALNAME of a subscription feed. */
  name?: string | null;
  /** REFRESH-INTERVAL / X-PUBLISHED-TTL of a subscription feed, in seconds. */
  ttlSeconds?: number | null;
  /** VTIMEZONE observances cover a year before to two years after this instant (default: the first event's start). */
  zoneAround?: Date;
  /** ...and at least up to this instant (a recurring series' last occurrence). */
  zoneUntil?: Date;
}

/** EXDATE with the same TZID and wall-clock form as DTSTART (RFC 5545 §3.8.5.1), or none. */
function exdateLines(dates: Date[], zone: string): string[] {
  if (dates.length === 0) return [];
  const two = (n: number) => String(n).padStart(2, '0');
  const local = (d: Date) => {
    const p = localParts(d, zone);
    return `${String(p.year).padStart(4, '0')}${two(p.month)}${two(p.day)}T${two(p.hour)}${two(p.minute)}${two(p.second)}`;
  };
  return [`EXDATE;TZID=${zone}:${dates.map(local).join(',')}`];
}

/** An RFC 5545 VCALENDAR with the given events. */
export function renderIcsCalendar(events: IcsEventContent[], options: IcsCalendarOptions = {}): string {
  const around = options.zoneAround ?? events.at(0)?.start ?? new Date(0);
  const cal = ical({
    prodId: { company: 'Kairos', product: 'Kairos Scheduling', language: 'EN' },
    method: options.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : options.method === 'REQUEST' ? ICalCalendarMethod.REQUEST : null,
    // name stays null: a calendar-level zone would make ical-generator format DTSTAMP in the server's zone.
    timezone: { name: null, generator: (tz: string) => buildVTimezone(tz, around, options.zoneUntil) },
    name: options.name ?? null,
    ttl: options.ttlSeconds ?? null,
  });
  for (const e of events) {
    const event = cal.createEvent({
      id: e.uid,
      sequence: e.sequence,
      start: zoned(e.start, e.zone) as never,
      end: zoned(e.end, e.zone) as never,
      timezone: e.zone,
      stamp: e.stamp,
      summary: e.summary,
      description: e.description,
      location: e.conference?.joinUrl ?? e.location,
      url: e.url ?? null,
      status: ICalEventStatus[e.status],
    });
    if (e.bookingId) event.x('X-KAIROS-BOOKING-ID', e.bookingId);
    // As text: ical-generator would format EXDATE in the server's zone; these are the zone's wall times, like DTSTART.
    if (e.rrule) event.repeating([`RRULE:${e.rrule}`, ...exdateLines(e.exdates ?? [], e.zone)].join('\r\n'));
    if (e.recurrenceId) event.recurrenceId(zoned(e.recurrenceId, e.zone) as never);
    if (e.conference?.provider === 'google_meet') event.x('X-GOOGLE-CONFERENCE', e.conference.joinUrl);
    if (e.conference?.provider === 'microsoft_teams') event.x('X-MICROSOFT-SKYPETEAMSMEETINGURL', e.conference.joinUrl);
    if (e.organizer) event.organizer({ name: icalParamText(e.organizer.name), email: e.organizer.email });
    for (const a of e.attendees ?? []) {
      event.createAttendee({
        name: icalParamText(a.name),
        email: a.email,
        role: ICalAttendeeRole.REQ,
        status: ICalAttendeeStatus[a.status],
      });
    }
  }
  // RFC 5545 §3.1: every content line, END:VCALENDAR included, ends with CRLF (ical-generator leaves the last bare).
  const out = cal.toString();
  return out.endsWith('\r\n') ? out : `${out}\r\n`;
}

/**
 * RFC 5545 invitations for bookings. One UID per booking for its whole life (BookingView.icalUid), SEQUENCE from
 * the booking, METHOD:REQUEST for new and moved meetings and METHOD:CANCEL for cancelled ones. DTSTART/DTEND are
 * local times with TZID = the organizer's zone, and the calendar carries a VTIMEZONE for that zone generated from
 * the runtime's tz data (see domain/vtimezone.ts).
 */
@Injectable()
export class IcsService {
  constructor(private readonly config: AppConfig) {}

  render(view: BookingView, method: IcsMethod, options: IcsOptions = {}): string {
    // An occurrence of a recurring series: the series' one UID with its RRULE (series-ics.ts).
    if (view.series) return renderSeriesIcs(view, view.series, method, { ...options, publicUrl: this.config.publicUrl });
    const start = options.start ?? view.startTime;
    const end = options.end ?? view.endTime;
    const organizer = view.hosts.at(0); // `.at` admits what `[0]` hides: a booking without hosts (handled below)
    // A CANCEL names who it is about (RFC 5546 §3.2.5), so a cancelled booking lists its (cancelled) invitees.
    const invitees = view.invitees.filter((i) =>
      options.inviteeIds ? options.inviteeIds.includes(i.id) : method === 'CANCEL' || i.status === 'active',
    );
    const attendee = method === 'CANCEL' ? ('DECLINED' as const) : ('ACCEPTED' as const);
    // A cancelled meeting's link is gone with it.
    const conference = method === 'CANCEL' ? null : options.conference === undefined ? view.conference : options.conference;
    return renderIcsCalendar(
      [
        {
          uid: view.icalUid,
          sequence: options.sequence ?? view.sequence,
          start,
          end,
          zone: organizer?.timeZone ?? 'UTC',
          stamp: options.stamp ?? new Date(),
          summary: `${view.meetingType.name}${organizer ? ` with ${organizer.name}` : ''}`,
          description: conference
            ? `${view.meetingType.name}, booked with Kairos.\nJoin: ${conference.joinUrl}`
            : `${view.meetingType.name}, booked with Kairos.`,
          location: locationText(view.location),
          conference,
          url: options.url ?? hostBookingUrl(this.config.publicUrl, view.id),
          status: method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
          organizer: organizer ? { name: organizer.name, email: organizer.email } : null,
          attendees: [
            ...view.hosts.slice(1).map((h) => ({ name: h.name, email: h.email, status: 'ACCEPTED' as const })),
            ...invitees.map((i) => ({ name: i.name, email: i.email, status: attendee })),
            // An invitee's guests have not answered yet (RFC 5545 PARTSTAT=NEEDS-ACTION) until the meeting is cancelled.
            ...invitees.flatMap((i) =>
              i.guests.map((g) => ({ name: g, email: g, status: method === 'CANCEL' ? ('DECLINED' as const) : ('NEEDSACTION' as const) })),
            ),
          ],
        },
      ],
      { method, zoneAround: start },
    );
  }
}

/** The host's page for a booking (the admin; it follows a reschedule to the booking as it is now). */
export const hostBookingUrl = (publicUrl: string, bookingId: string) => `${publicUrl}/admin/bookings/${bookingId}`;

export function locationText(location: Record<string, unknown> | null): string | null {
  if (!location) return null;
  for (const key of ['address', 'url', 'link', 'phone', 'value', 'type']) {
    // A per-booking meeting's kind ("zoom") is no place: its link, once made, comes from the conference.
    if (key === 'type' && conferenceProviderOf(location)) continue;
    const v = location[key];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return null;
}

const compact = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** "Add to Google Calendar" link (times in UTC). */
export function googleCalendarLink(view: BookingView, start = view.startTime, end = view.endTime): string {
  const params = new URLSearchParams({
    action: 'TEMPLATE',
    text: `${view.meetingType.name}${view.hosts[0] ? ` with ${view.hosts[0].name}` : ''}`,
    dates: `${compact(start)}/${compact(end)}`,
    details: `${view.meetingType.name}, booked with Kairos.`,
  });
  const where = view.conference?.joinUrl ?? locationText(view.location);
  if (where) params.set('location', where);
  return `https://calendar.google.com/calendar/render?${params.toString()}`;
}

/** "Add to Outlook" link (outlook.live.com deeplink; ISO instants in UTC). */
export function outlookCalendarLink(view: BookingView, start = view.startTime, end = view.endTime): string {
  const params = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: `${view.meetingType.name}${view.hosts[0] ? ` with ${view.hosts[0].name}` : ''}`,
    startdt: start.toISOString(),
    enddt: end.toISOString(),
    body: `${view.meetingType.name}, booked with Kairos.`,
  });
  const where = view.conference?.joinUrl ?? locationText(view.location);
  if (where) params.set('location', where);
  return `https://outlook.live.com/calendar/0/deeplink/compose?${params.toString()}`;
}
