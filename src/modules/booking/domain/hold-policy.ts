/**
 * Slot holds: how long they last and who may take one. A hold takes a slot away from everyone else, so an anonymous
 * client must not be able to hold a host's calendar: holds are short, extend only up to a fixed lifetime from their
 * creation, cannot be chained by re-holding the same time, and are capped per client, per email, per host and per
 * meeting type. Pure: the caller counts live holds (in the hold's serializable transaction) and passes the clock.
 */

export interface HoldLimits {
  ttlSeconds: number;
  /** An extension never pushes expiry past createdAt + this. */
  maxLifetimeSeconds: number;
  /** After a hold ends, its client may not hold an overlapping time of those hosts again for this long. */
  reholdCooldownSeconds: number;
  perClient: number;
  perEmail: number;
  perHost: number;
  perMeetingType: number;
}

/** Live holds along one dimension, and when the first of them ends (ms since epoch). */
export interface LiveHolds {
  count: number;
  firstExpiry: number | null;
}

export interface HoldLoad {
  client: LiveHolds;
  email: LiveHolds | null;
  meetingType: LiveHolds;
  /** Per host the hold would occupy. */
  hosts: Map<string, LiveHolds>;
}

export type HoldCap = 'client' | 'email' | 'host' | 'meeting_type' | 'rehold';

export interface HoldRefusal {
  cap: HoldCap;
  message: string;
  retryAfterSeconds: number;
}

const secondsUntil = (at: number | null, now: number) => Math.max(1, Math.ceil(((at ?? now) - now) / 1000));

/** Expiry of a new hold (createdAt = now) or of an extension: one TTL from now, never past the lifetime cap. */
export function holdExpiry(createdAt: number, now: number, limits: HoldLimits): number {
  return Math.min(now + limits.ttlSeconds * 1000, createdAt + limits.maxLifetimeSeconds * 1000);
}

/** The first cap a new hold would break, or null. Retry-After is when the first hold counted against it ends. */
export function refuseHold(load: HoldLoad, limits: HoldLimits, now: number): HoldRefusal | null {
  if (load.client.count >= limits.perClient) {
    return {
      cap: 'client',
      retryAfterSeconds: secondsUntil(load.client.firstExpiry, now),
      message: `Too many slot holds from this client: at most ${limits.perClient} at a time. Book or release one, or retry later.`,
    };
  }
  if (load.email && load.email.count >= limits.perEmail) {
    return {
      cap: 'email',
      retryAfterSeconds: secondsUntil(load.email.firstExpiry, now),
      message: `Too many slot holds for this email address: at most ${limits.perEmail} at a time. Book or release one, or retry later.`,
    };
  }
  for (const held of load.hosts.values()) {
    if (held.count >= limits.perHost) {
      return {
        cap: 'host',
        retryAfterSeconds: secondsUntil(held.firstExpiry, now),
        message: "Too many of this host's times are held right now. Book without a hold, or retry later.",
      };
    }
  }
  if (load.meetingType.count >= limits.perMeetingType) {
    return {
      cap: 'meeting_type',
      retryAfterSeconds: secondsUntil(load.meetingType.firstExpiry, now),
      message: 'Too many times of this meeting type are held right now. Book without a hold, or retry later.',
    };
  }
  return null;
}

/**
 * Chaining: a client whose hold on an overlapping time of the same hosts ended within the cooldown may not hold it
 * again (it may still book it). `lastEnd` is the latest end of such a hold.
 */
export function refuseRehold(lastEnd: number | null, limits: HoldLimits, now: number): HoldRefusal | null {
  if (lastEnd === null || limits.reholdCooldownSeconds === 0) return null;
  const until = lastEnd + limits.reholdCooldownSeconds * 1000;
  if (until <= now) return null;
  return {
    cap: 'rehold',
    retryAfterSeconds: secondsUntil(until, now),
    message: 'You held this time a moment ago; it cannot be held again yet. You can still book it if it is free.',
  };
}

/** Why a booking cannot use a hold: unknown to this meeting type (404), for another time or email (400), ended (410). */
export interface HoldUnusable {
  code: 'not_found' | 'invalid' | 'gone';
  message: string;
}

/**
 * The hold a booking converts must be this meeting type's, at this start, for this email when it names one, and
 * live. Times are ms since epoch; `email` as the invitee typed it.
 */
export function holdUnusable(
  hold: { meetingTypeId: string; start: number; holderEmail: string | null; expiresAt: number } | null,
  booking: { meetingTypeId: string; start: number; email: string },
  now: number,
): HoldUnusable | null {
  if (!hold || hold.meetingTypeId !== booking.meetingTypeId) return { code: 'not_found', message: 'hold not found' };
  if (hold.start !== booking.start) return { code: 'invalid', message: 'hold_token was issued for another start_time' };
  if (hold.holderEmail && hold.holderEmail !== booking.email.trim().toLowerCase()) {
    return { code: 'invalid', message: 'hold_token was issued for another invitee_email' };
  }
  if (hold.expiresAt <= now) return { code: 'gone', message: 'the hold has expired; pick the time again' };
  return null;
}

/**
 * The address a client's holds count against. IPv4-mapped IPv6 is the IPv4 address; other IPv6 addresses count per
 * /64, the block one subscriber usually gets (a per-address cap on IPv6 would cap nothing).
 */
export function clientKeyOf(address: string | undefined | null): string {
  let a = (address ?? '').trim().toLowerCase();
  if (!a) return 'unknown';
  a = a.replace(/%.*$/, ''); // zone id
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
  if (mapped) return mapped[1];
  if (!a.includes(':')) return a;
  const groups = expandIpv6(a);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : a;
}

function expandIpv6(a: string): string[] | null {
  let tail: string[] = [];
  // An embedded IPv4 tail (::1.2.3.4) counts as two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (v4) {
    const n = v4.slice(1).map(Number);
    tail = [((n[0] << 8) | n[1]).toString(16), ((n[2] << 8) | n[3]).toString(16)];
    a = a.slice(0, v4.index);
    if (!a.endsWith('::')) a = a.replace(/:$/, '');
  }
  const halves = a.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const known = head.length + rest.length + tail.length;
  const fill = halves.length === 2 ? 8 - known : 0;
  if (fill < 0 || (halves.length === 1 && known !== 8)) return null;
  const groups = [...head, ...Array<string>(fill).fill('0'), ...rest, ...tail];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => g.replace(/^0+(?=.)/, ''));
}
