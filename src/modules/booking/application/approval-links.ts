import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../../config/app-config.js';
import type { ApprovalAction } from '../domain/booking-approval.js';

/** What a valid one-click link lets its holder do: this action, on this booking, as this host. */
export interface ApprovalGrant {
  bookingId: string;
  action: ApprovalAction;
  hostId: string;
  expiresAt: Date;
}

export type ApprovalLinkQuery = Record<string, string | string[] | undefined>;

const ACTIONS: readonly ApprovalAction[] = ['confirm', 'decline'];
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

/**
 * The one-click Confirm / Decline links in a host's "new request" email. Each is signed (HMAC-SHA256 under a key
 * derived from the app secret) over the booking, the action, the host and an expiry, so it is good for one action on
 * one booking only, until the request's own deadline, and cannot be altered. Nothing is stored: like the invitee's
 * management tokens (ManagementTokens), a link can be rebuilt and checked at any time. Following a link only shows a
 * page with a button (mail scanners and link prefetchers GET it); the POST of that button acts.
 */
@Injectable()
export class ApprovalLinks {
  private readonly key: Buffer;

  constructor(private readonly config: AppConfig) {
    this.key = createHmac('sha256', config.appSecret).update('kairos booking approval links').digest();
  }

  /** The page's URL for one action (its query carries the grant and its signature). */
  url(grant: ApprovalGrant): string {
    const expires = Math.floor(grant.expiresAt.getTime() / 1000);
    const q = new URLSearchParams({ action: grant.action, host: grant.hostId, expires: String(expires), sig: this.sign(grant, expires) });
    return `${this.config.publicUrl}/booking/${grant.bookingId}/approval?${q.toString()}`;
  }

  /**
   * The grant a link's query gives on a booking, or why it gives none: `invalid` (missing, altered, signed for
   * something else) or `expired` (past its expiry at `now`).
   */
  verify(
    bookingId: string,
    query: ApprovalLinkQuery,
    now: Date,
  ): { ok: true; grant: ApprovalGrant } | { ok: false; reason: 'invalid' | 'expired' } {
    const action = one(query.action) as ApprovalAction;
    const hostId = one(query.host);
    const expiresText = one(query.expires);
    const sig = one(query.sig);
    if (!ACTIONS.includes(action) || !hostId || !/^\d{1,12}$/.test(expiresText) || !sig) return { ok: false, reason: 'invalid' };
    const expires = Number(expiresText);
    const grant: ApprovalGrant = { bookingId, action, hostId, expiresAt: new Date(expires * 1000) };
    const expected = Buffer.from(this.sign(grant, expires));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
    if (grant.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, grant };
  }

  private sign(grant: ApprovalGrant, expires: number): string {
    return createHmac('sha256', this.key).update(`${grant.bookingId}\n${grant.action}\n${grant.hostId}\n${expires}`).digest('base64url');
  }
}
