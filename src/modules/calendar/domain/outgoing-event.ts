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
  /**
   * Ask the provider for the booking's video meeting on this event (Google Meet: conferenceData.createRequest; Teams:
   * isOnlineMeeting). `requestId` is stable over the booking's reschedules, so a retried or moved write never makes a
   * second meeting.
   */
  conference?: { provider: 'google_meet' | 'microsoft_teams'; requestId: string } | null;
}

/** What a write left in the calendar: the event's id and, when one was asked for and is ready, its meeting. */
export interface WrittenRemoteEvent {
  id: string;
  conference: { joinUrl: string; meetingId: string } | null;
}
