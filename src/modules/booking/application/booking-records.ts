import type { BookingStatus } from '../domain/booking-policy.js';
import type { Conference } from '../domain/conference.js';
import type { Utm } from '../domain/utm.js';

/** A booking as the application hands it to its controllers (the `bookings` columns it reads). */
export interface BookingRecord {
  id: string;
  meeting_type_id: string;
  host_user_id: string;
  start_time: Date;
  end_time: Date;
  time_zone: string;
  status: BookingStatus;
  location: Record<string, unknown> | null;
  cancellation_reason: string | null;
  cancelled_by: string | null;
  rescheduled_from_id: string | null;
  rescheduled_to_id: string | null;
  assignment_reason: Record<string, unknown> | null;
  ical_uid: string;
  ical_sequence: number;
  /** While pending: when the request expires (requires_confirmation). Null otherwise. */
  confirmation_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
  /** Set where the answer shows it: the booking's video meeting (ADR 0016); absent means not read (shown as null). */
  conference?: Conference | null;
  /** Set by history reads: the booking lives in the archive (ended more than ARCHIVE_AFTER_DAYS ago; ADR 0014). */
  archived?: boolean;
}

/** One invitee of a booking (the `booking_invitees` columns the application reads). */
export interface InviteeRecord {
  id: string;
  booking_id: string;
  name: string;
  email: string;
  time_zone: string;
  phone: string | null;
  answers: Record<string, unknown>;
  /** Emails the invitee added: they receive the invitations too (no management links). */
  guests: string[];
  /** The utm_* parameters the booking came with (issue #18), or null. */
  utm: Utm | null;
  /** The language the invitee booked in: their emails are written in it (issue #18). */
  locale: string;
  status: 'active' | 'cancelled';
  created_at: Date;
  /** When a host marked this invitee as a no-show (null: not marked). Absent where a read does not select it. */
  no_show_at?: Date | null;
}

/** Round-robin fairness figures per host: live bookings of the type this period, and when the latest was made. */
export type RoundRobinStats = Map<string, { count: number; last: number | null }>;
