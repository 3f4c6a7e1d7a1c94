import { createHmac } from 'node:crypto';

/**
 * Waitlists (issue #19 part 2): invitees line up for a full time of a type with `waitlist_enabled`; when the time
 * frees, the first in line (FIFO by position) is promoted: they get an exclusive slot hold for the type's
 * `waitlist_claim_minutes` and a claim link by mail. For a group session, each freed seat promotes one: a seat hold
 * (waitlist-seats.ts). Pure rules and the outbox contract; the SQL guarantees live in the migrations (one promoted
 * entry per type, time and seat) and the holds' exclusion constraint.
 */
export type WaitlistStatus = 'waiting' | 'promoted' | 'booked' | 'expired' | 'left';
export const WAITLIST_STATUSES: readonly WaitlistStatus[] = ['waiting', 'promoted', 'booked', 'expired', 'left'];

/** One entry of a line, as stored. */
export interface WaitlistEntryRow {
  id: string;
  meeting_type_id: string;
  start_time: Date;
  position: string;
  name: string;
  email: string;
  /** The language the entry joined in (its claim mail is written in it). */
  locale: string;
  /** The invitee's zone (its claim mail says the time in it); null: UTC. */
  time_zone: string | null;
  status: WaitlistStatus;
  hold_id: string | null;
  /** The seat of a group session a promoted entry claims; null for a whole time. */
  claim_seat: number | null;
  promoted_at: Date | null;
  claim_expires_at: Date | null;
  ended_at: Date | null;
  created_at: Date;
}

export const WAITLIST_CLAIM_RANGE = { min: 5, max: 10080 } as const;
export const DEFAULT_WAITLIST_CLAIM_MINUTES = 60;

/** Outbox event types of the waitlist (notify turns them into the claim mail and webhooks). */
export type WaitlistEventType = 'waitlist.joined' | 'waitlist.promoted' | 'waitlist.expired';
export const WAITLIST_EVENT_TYPES: ReadonlySet<string> = new Set<WaitlistEventType>([
  'waitlist.joined',
  'waitlist.promoted',
  'waitlist.expired',
]);

/** `outbox_events.payload` of waitlist events. No secret in it: the claim link's token is derived when mailing. */
export interface WaitlistEventPayload {
  entry_id: string;
  meeting_type_id: string;
  meeting_type_name: string;
  meeting_type_slug: string;
  /** The type's owner: whose webhooks hear of it, and whose booking page the claim link opens. */
  owner_id: string;
  owner_username: string;
  start_time: string;
  end_time: string;
  name: string;
  email: string;
  position: number;
  status: WaitlistStatus;
  /** waitlist.promoted: the claim (and the hold) lasts until then; the token is derived from promoted_at. */
  promoted_at: string | null;
  claim_expires_at: string | null;
  /** The language of the invitee's mail; absent in events written before it was stored (English). */
  locale?: string;
  /** The invitee's zone; absent or null: UTC. */
  time_zone?: string | null;
}

/** Emails compare case-insensitively and without surrounding spaces: one entry per person per time. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** The entry's own secret (to leave the line): derived, so only its SHA-256 is stored. */
export function waitlistEntryToken(secret: string, entryId: string): string {
  return `wlt_${createHmac('sha256', secret).update(`waitlist-entry:${entryId}`).digest('base64url')}`;
}

/** The hold token of one promotion of one entry: derived from the promotion instant, so the mail can rebuild it. */
export function waitlistClaimToken(secret: string, entryId: string, promotedAt: string): string {
  return `hld_${createHmac('sha256', secret).update(`waitlist-claim:${entryId}:${promotedAt}`).digest('base64url')}`;
}

/** Where the claim link leads: the type's booking form at that time, with the hold, the invitee's name, email and language. */
export function waitlistClaimUrl(publicUrl: string, p: WaitlistEventPayload, token: string): string {
  const q = new URLSearchParams({ start: p.start_time, hold: token, name: p.name, email: p.email });
  // The form opens in the language they joined in (and books in it).
  if (p.locale && p.locale !== 'en') q.set('lang', p.locale);
  // ... and shows times in their zone.
  if (p.time_zone) q.set('tz', p.time_zone);
  return `${publicUrl}/${encodeURIComponent(p.owner_username)}/${encodeURIComponent(p.meeting_type_slug)}/book?${q.toString()}`;
}

/** Joining: why this time cannot take a waitlist entry, or null. */
export function refuseJoin(c: { enabled: boolean; startMs: number; nowMs: number }): { code: 'unprocessable'; message: string } | null {
  if (!c.enabled) return { code: 'unprocessable', message: 'this meeting type has no waitlist' };
  if (c.startMs <= c.nowMs) return { code: 'unprocessable', message: 'this time has passed' };
  return null;
}
