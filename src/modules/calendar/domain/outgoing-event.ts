/** What we write into the host's calendar for a booking. Nothing about other events is ever read back. */
export interface OutgoingEvent {
  bookingId: string;
  /** The booking's iCalendar UID: the emailed invitation's, so a client that sees both shows one meeting. */
  uid: string;
  /** The booking's SEQUENCE (raised by every move). */
  sequence: number;
  summary: string;
  description: string;
  location: string | null;
  start: Date;
  end: Date;
}
