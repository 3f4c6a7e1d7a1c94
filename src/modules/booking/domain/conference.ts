/**
 * A booking's own video meeting (issue #17): made after COMMIT by the calendar writer (Google Meet, Teams) or by the
 * conferencing context (Zoom, Jitsi), recorded through BookingConferences. Pure: names and shapes only.
 */

/** Location types whose link is made per booking; `video` stays a fixed link the host typed. */
export const CONFERENCE_PROVIDERS = ['google_meet', 'microsoft_teams', 'zoom', 'jitsi'] as const;
export type ConferenceProvider = (typeof CONFERENCE_PROVIDERS)[number];

export interface Conference {
  provider: ConferenceProvider;
  joinUrl: string;
  /** The provider's id of the meeting (Google event id, Graph event id, Zoom meeting id, Jitsi room name). */
  meetingId: string;
}

/** The outbox event written when a booking's link first exists or changes (notify sends it, once). */
export const CONFERENCE_READY_EVENT = 'booking.conference_ready';

export interface ConferenceReadyPayload {
  booking_id: string;
  provider: ConferenceProvider;
  join_url: string;
  meeting_id: string;
}

export function isConferenceProvider(value: unknown): value is ConferenceProvider {
  return typeof value === 'string' && (CONFERENCE_PROVIDERS as readonly string[]).includes(value);
}

/** The provider a booking's (or meeting type's) location asks for; null for a fixed location or none. */
export function conferenceProviderOf(location: Record<string, unknown> | null | undefined): ConferenceProvider | null {
  const type = location?.type;
  return isConferenceProvider(type) ? type : null;
}

/** Room names from this many random bytes: 128 bits, so a room cannot be guessed or enumerated. */
export const JITSI_ROOM_BYTES = 16;

/**
 * A Jitsi room for one booking: `<base>/Kairos-<32 hex digits>` from crypto-random bytes the caller draws. Jitsi
 * makes a room on first join, so no API call is needed; the room name is the meeting id.
 */
export function jitsiConference(baseUrl: string, random: Uint8Array): Conference {
  if (random.length < JITSI_ROOM_BYTES) throw new Error(`a Jitsi room needs ${JITSI_ROOM_BYTES} random bytes`);
  const room = `Kairos-${Buffer.from(random).toString('hex')}`;
  return { provider: 'jitsi', joinUrl: `${baseUrl.replace(/\/+$/, '')}/${room}`, meetingId: room };
}

/** How a conference reads in JSON (bookings API, webhooks). */
export const conferenceJson = (c: Conference | null) => (c ? { provider: c.provider, join_url: c.joinUrl, meeting_id: c.meetingId } : null);
