import type { BookingStatus } from './booking-policy.js';

/**
 * No-shows (issue #18): a host marks an invitee who did not turn up, or takes the mark back. Pure: the application
 * service (booking-no-show.service.ts) loads the booking and its invitees under a lock, asks here, and writes.
 *
 * Only a meeting that was to take place and has started can have a no-show: a confirmed booking whose start has
 * passed. Without an invitee named, the mark is for every active invitee (one-on-one: the invitee; a group: all of
 * them, which a host narrows with `invitee_id`). Marking twice keeps the first time; unmarking an unmarked invitee is
 * no change.
 */
export type NoShowDecision =
  | { kind: 'apply'; inviteeIds: string[] }
  | { kind: 'unchanged' }
  /** 409: the booking's state or time does not allow it (`code` for programs). */
  | { kind: 'refuse'; code: 'not_started' | 'not_confirmed' | 'invitee_cancelled' | 'no_active_invitee'; message: string }
  /** 400: the invitee named is not one of this booking's. */
  | { kind: 'unknown_invitee'; message: string };

export interface NoShowInvitee {
  id: string;
  status: 'active' | 'cancelled';
  no_show_at?: Date | null;
}

export function decideNoShow(input: {
  booking: { status: BookingStatus; start_time: Date };
  invitees: readonly NoShowInvitee[];
  inviteeId: string | null;
  noShow: boolean;
  now: Date;
}): NoShowDecision {
  const { booking, invitees, inviteeId, noShow, now } = input;
  if (inviteeId !== null && !invitees.some((i) => i.id === inviteeId)) {
    return { kind: 'unknown_invitee', message: 'invitee_id is not an invitee of this booking' };
  }
  if (booking.status !== 'confirmed') {
    return {
      kind: 'refuse',
      code: 'not_confirmed',
      message: `only a confirmed booking can have a no-show (this one is ${booking.status})`,
    };
  }
  // The rule is about the meeting's start: an invitee cannot miss a meeting that has not begun.
  if (new Date(booking.start_time).getTime() > now.getTime()) {
    return { kind: 'refuse', code: 'not_started', message: 'the meeting has not started yet: mark a no-show once its start has passed' };
  }
  let targets: NoShowInvitee[];
  if (inviteeId !== null) {
    const named = invitees.filter((i) => i.id === inviteeId);
    if (noShow && named.some((i) => i.status !== 'active')) {
      return { kind: 'refuse', code: 'invitee_cancelled', message: 'this invitee cancelled: they were not expected' };
    }
    targets = named;
  } else {
    targets = noShow ? invitees.filter((i) => i.status === 'active') : invitees.filter((i) => i.no_show_at);
    if (noShow && targets.length === 0) {
      return { kind: 'refuse', code: 'no_active_invitee', message: 'this booking has no active invitee to mark' };
    }
  }
  const changing = targets.filter((i) => (noShow ? !i.no_show_at : Boolean(i.no_show_at)));
  return changing.length === 0 ? { kind: 'unchanged' } : { kind: 'apply', inviteeIds: changing.map((i) => i.id) };
}
