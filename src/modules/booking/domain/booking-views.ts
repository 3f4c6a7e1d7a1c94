import type { ReminderSetting } from '../../meeting-types/domain/meeting-type.js';
import type { BookingStatus } from './booking-policy.js';
import type { Conference } from './conference.js';
import type { Utm } from './utm.js';

/** Outbox event types written in the booking's own transaction. */
export type BookingEventType =
  | 'booking.created'
  | 'booking.rescheduled'
  | 'booking.cancelled'
  // Approval (requires_confirmation; booking-approval.service.ts): a host's answer, or no answer in time.
  | 'booking.confirmed'
  | 'booking.declined'
  | 'booking.expired';

/** Every booking event type: what notify, calendar and audit consume from the outbox (each decides what each means). */
export const BOOKING_EVENT_TYPES: ReadonlySet<string> = new Set<BookingEventType>([
  'booking.created',
  'booking.rescheduled',
  'booking.cancelled',
  'booking.confirmed',
  'booking.declined',
  'booking.expired',
]);

/**
 * A host marked an invitee as a no-show, or took the mark back (issue #18). Not in BOOKING_EVENT_TYPES: nothing is
 * mailed and no calendar changes; the audit trail records them (same payload, `marked_by` the host).
 */
export type NoShowEventType = 'booking.no_show_marked' | 'booking.no_show_cleared';
export const NO_SHOW_EVENT_TYPES: ReadonlySet<string> = new Set<NoShowEventType>(['booking.no_show_marked', 'booking.no_show_cleared']);

/** `outbox_events.payload` for booking events (booking_id is also a column). */
export interface BookingEventPayload {
  booking_id: string;
  meeting_type_id: string;
  host_user_ids: string[];
  start_time: string; // ISO UTC, the booking's time after the change
  end_time: string;
  /** booking.rescheduled: the booking that was replaced and its times. */
  previous?: { booking_id: string; start_time: string; end_time: string } | null;
  /** The invitee the event is about (the one who booked, joined, cancelled); null when the host acted on all. */
  invitee_id: string | null;
  reason?: string | null; // booking.cancelled
  cancelled_by?: 'host' | 'invitee' | null;
  /** booking.rescheduled: set when the host moved the event in their own calendar (whose calendar: moved_in_calendar_of). */
  rescheduled_by?: 'host_calendar' | null;
  moved_in_calendar_of?: string | null;
  sequence: number; // iCalendar SEQUENCE after the change
  /** No-show events: the host who marked (or unmarked) the invitee. */
  marked_by?: string;
  /**
   * The booking awaits (created, rescheduled) or awaited (cancelled) a host's confirmation: no invitation (.ics), no
   * reminders and no calendar event go out for it until booking.confirmed.
   */
  pending?: boolean;
  /**
   * The booking belongs to a recurring series and the event is one of several written together (booking or cancelling
   * the series): `lead` marks the one whose mails speak for the whole series; the others send none (webhooks and
   * reminders go per occurrence). Absent for a change to one occurrence alone.
   */
  series?: { id: string; position: number; count: number; lead: boolean } | null;
}

/** One occurrence of a recurring series, as it is now (a moved occurrence: its latest booking). */
export interface SeriesOccurrenceView {
  position: number;
  bookingId: string;
  status: BookingEventStatus;
  start: Date;
  end: Date;
  /** Where the series' rule puts it (RECURRENCE-ID, EXDATE). */
  originalStart: Date;
}

type BookingEventStatus = 'pending' | 'confirmed' | 'cancelled' | 'rescheduled' | 'declined' | 'expired';

/** A recurring series (issue #17 item 5): its rule, its shared iCalendar UID and its occurrences in order. */
export interface BookingSeriesView {
  id: string;
  icalUid: string;
  frequency: 'weekly' | 'every_two_weeks' | 'monthly';
  count: number;
  /** The zone the rule repeats in (DTSTART;TZID): the booking's. */
  timeZone: string;
  durationMinutes: number;
  firstStart: Date;
  /** SEQUENCE of the series' iCalendar: grows with every change to any occurrence. */
  sequence: number;
  occurrences: SeriesOccurrenceView[];
}

export interface BookingViewPerson {
  id: string;
  name: string;
  email: string;
  timeZone: string;
  /** The language their emails are written in: the host's chosen one, the one the invitee booked in (issue #18). */
  locale?: string;
}

export interface BookingViewInvitee extends BookingViewPerson {
  phone: string | null;
  status: 'active' | 'cancelled';
  answers: Record<string, unknown>;
  /** Emails this invitee added: they get the invitation, its updates and its cancellation, never these links. */
  guests: string[];
  /** When a host marked this invitee as a no-show (null or absent: not marked). */
  noShowAt?: Date | null;
  /** The utm_* parameters the booking came with (issue #18), or null. */
  utm: Utm | null;
  /** Links with this invitee's management token (derived on demand, never stored in clear). */
  manageUrl: string;
  cancelUrl: string;
  rescheduleUrl: string;
}

/** Everything notify / calendar / web need to describe a booking, read through the booking module. */
export interface BookingView {
  id: string;
  icalUid: string;
  sequence: number;
  status: BookingStatus;
  /** A pending booking's deadline for the host's answer (null once confirmed, and when no approval was needed). */
  confirmationExpiresAt: Date | null;
  startTime: Date;
  endTime: Date;
  location: Record<string, unknown> | null;
  /** The booking's own video meeting once it exists (null: none, or not made yet; ADR 0016). */
  conference: Conference | null;
  cancellationReason: string | null;
  rescheduledFromId: string | null;
  rescheduledToId: string | null;
  /** Last change of this booking row (a stable DTSTAMP for feeds: unchanged bookings render byte for byte the same). */
  updatedAt: Date;
  meetingType: { id: string; name: string; slug: string; durationMinutes: number; reminders: ReminderSetting[]; ownerId: string };
  hosts: BookingViewPerson[];
  invitees: BookingViewInvitee[];
  /** Set when the booking is an occurrence of a recurring series. */
  series?: BookingSeriesView;
}
