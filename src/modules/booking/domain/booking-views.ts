import type { ReminderSetting } from '../../meeting-types/domain/meeting-type.js';
import type { Conference } from './conference.js';

/** Outbox event types written in the booking's own transaction. */
export type BookingEventType = 'booking.created' | 'booking.rescheduled' | 'booking.cancelled';

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
}

export interface BookingViewPerson {
  id: string;
  name: string;
  email: string;
  timeZone: string;
}

export interface BookingViewInvitee extends BookingViewPerson {
  phone: string | null;
  status: 'active' | 'cancelled';
  answers: Record<string, unknown>;
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
  status: 'pending' | 'confirmed' | 'cancelled' | 'rescheduled';
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
}
