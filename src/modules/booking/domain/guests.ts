import type { MeetingKind } from '../../meeting-types/domain/meeting-type.js';
import type { Problem } from '../../../shared/http/domain-error.js';

/** Calendly's cap: an invitee may bring up to ten guests. */
export const MAX_GUESTS = 10;

/**
 * The guests an invitee adds, as stored: trimmed, one entry per address (compared case-insensitively, the first
 * spelling kept), without the invitee's own address. Formats are checked at the edge (DTO, booking form).
 */
export function normalizeGuests(guests: readonly string[], inviteeEmail: string): string[] {
  const seen = new Set([inviteeEmail.trim().toLowerCase()]);
  const kept: string[] = [];
  for (const raw of guests) {
    const email = raw.trim();
    const key = email.toLowerCase();
    if (!email || seen.has(key)) continue;
    seen.add(key);
    kept.push(email);
  }
  return kept;
}

/**
 * Why these guests cannot come, if they cannot. A group meeting's seats are its guests: a seat is booked by each
 * attendee, so nobody brings others along (as in Calendly).
 */
export function guestsProblem(kind: MeetingKind, guests: readonly string[]): Problem | null {
  if (guests.length === 0) return null;
  if (kind === 'group') {
    return { field: 'guests', code: 'not_applicable', message: 'guests cannot be added to a group meeting: each attendee books a seat' };
  }
  if (guests.length > MAX_GUESTS) {
    return { field: 'guests', code: 'too_many', message: `at most ${MAX_GUESTS} guests can be added` };
  }
  return null;
}
