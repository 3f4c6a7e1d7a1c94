import type { BookingStatus } from './booking-policy.js';

/**
 * Approval before confirming (meeting types with `requires_confirmation`). Pure: the application service
 * (booking-approval.service.ts) loads the booking in its serializable transaction, asks here, and writes the answer.
 *
 * A pending booking holds its slot like a confirmed one (its host rows are live under the exclusion constraint)
 * until a host confirms or declines it, or until its deadline passes; from that instant it occupies nothing (the busy
 * read skips it, like an expired hold) and the first write that meets it, or the expiry job, marks it `expired`.
 */

export type ApprovalAction = 'confirm' | 'decline';

/**
 * When a request made at `now` for a meeting at `start` stops waiting for the host: `expiryMinutes` later, but never
 * after the meeting would have started (an answer after that is no use to the invitee).
 */
export function confirmationDeadline(now: Date, start: Date, expiryMinutes: number): Date {
  return new Date(Math.min(now.getTime() + expiryMinutes * 60_000, start.getTime()));
}

/** Whether a booking is pending and its deadline has passed at `now` (it occupies nothing any more). */
export function isOverdue(b: { status: BookingStatus; confirmation_expires_at: Date | null }, now: Date): boolean {
  return b.status === 'pending' && b.confirmation_expires_at !== null && new Date(b.confirmation_expires_at).getTime() <= now.getTime();
}

export type ApprovalDecision =
  /** Do it: the booking is pending and within its deadline. */
  | { kind: 'apply' }
  /** Already in the state asked for (confirm twice, decline twice): answer with the booking as it is. */
  | { kind: 'unchanged' }
  /** The deadline has passed but nothing recorded it yet: record `expired`, then answer 409 (`message`). */
  | { kind: 'expire'; message: string }
  /** 409: the booking is in a state the action cannot leave. */
  | { kind: 'refuse'; message: string };

/** What a host's confirm or decline does to a booking, by its status and deadline at `now`. */
export function decideApproval(
  action: ApprovalAction,
  b: { status: BookingStatus; confirmation_expires_at: Date | null },
  now: Date,
): ApprovalDecision {
  const done = action === 'confirm' ? 'confirmed' : 'declined';
  if (b.status === done) return { kind: 'unchanged' };
  if (isOverdue(b, now)) {
    return { kind: 'expire', message: expiredMessage(action, b.confirmation_expires_at) };
  }
  switch (b.status) {
    case 'pending':
      return { kind: 'apply' };
    case 'expired':
      return { kind: 'refuse', message: expiredMessage(action, b.confirmation_expires_at) };
    case 'confirmed':
      return { kind: 'refuse', message: 'this booking is already confirmed; cancel it instead if the meeting should not take place' };
    case 'declined':
      return { kind: 'refuse', message: 'this booking request was declined and cannot be confirmed' };
    case 'cancelled':
      return { kind: 'refuse', message: `this booking was cancelled and cannot be ${done}` };
    case 'rescheduled':
      return { kind: 'refuse', message: `this booking was rescheduled; ${action} the new booking instead` };
  }
}

function expiredMessage(action: ApprovalAction, at: Date | null): string {
  const when = at ? ` at ${new Date(at).toISOString()}` : '';
  return `this booking request expired${when} without an answer and can no longer be ${action === 'confirm' ? 'confirmed' : 'declined'}; the time is free again`;
}
