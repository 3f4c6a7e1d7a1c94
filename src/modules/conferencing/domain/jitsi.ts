import type { Conference } from '../../booking/domain/conference.js';

/** Room names from at least this many random bytes: 128 bits, so a room cannot be guessed or enumerated. */
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
