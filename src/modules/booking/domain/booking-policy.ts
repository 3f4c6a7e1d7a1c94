import type { MeetingKind } from '../../meeting-types/domain/meeting-type.js';
import type { RoundRobinChoice } from './round-robin.js';

/**
 * Booking policy: what a reschedule or a cancellation may do to a booking, who manages it, and which hosts a new
 * booking or hold occupies. Pure: the application service loads the rows (in its serializable transaction), asks
 * here, and writes what the answer says.
 */

/** `declined` and `expired`: a pending booking the host refused, or did not answer in time (booking-approval.ts). */
export type BookingStatus = 'pending' | 'confirmed' | 'cancelled' | 'rescheduled' | 'declined' | 'expired';

/** Who acts: a host (API or admin), the invitee with their management token, or the host's calendar (event deleted). */
export type ActorKind = 'host' | 'invitee' | 'calendar';

/** Why a booking cannot be moved (409), or null when it can: only live (pending or confirmed) bookings move. */
export function rescheduleRefusal(status: BookingStatus): string | null {
  return status === 'confirmed' || status === 'pending' ? null : `this booking is ${status} and cannot be rescheduled`;
}

/**
 * A reschedule moves the whole booking, except an invitee of a group meeting that others still attend: they take
 * their seat alone to the new time and the meeting goes on for the rest.
 */
export function movesOneGroupSeat(kind: MeetingKind, actor: ActorKind, activeInvitees: number): boolean {
  return kind === 'group' && actor === 'invitee' && activeInvitees > 1;
}

export type CancellationPlan<Seat> =
  /** Nothing changes: the booking, or this invitee's seat, is cancelled already (cancelling twice is a no-op). */
  | { action: 'already_cancelled' }
  /** 409: the booking moved; the new one is the one to manage. */
  | { action: 'refuse'; message: string }
  /** An invitee leaves a group meeting that others still attend: one seat frees, the meeting goes on. */
  | { action: 'leave_group'; seat: Seat }
  /** The booking ends for everyone: its hosts' time frees. */
  | { action: 'cancel_booking'; cancelledBy: 'host' | 'invitee' | 'calendar' };

export function planCancellation<Seat extends { status: 'active' | 'cancelled' }>(c: {
  status: BookingStatus;
  actor: ActorKind;
  /** The acting invitee's own seat (null for hosts and the calendar). */
  ownSeat: Seat | null;
  activeInvitees: number;
}): CancellationPlan<Seat> {
  if (c.status === 'cancelled' || c.ownSeat?.status === 'cancelled') return { action: 'already_cancelled' };
  if (c.status === 'rescheduled') return { action: 'refuse', message: 'this booking was rescheduled; manage the new booking instead' };
  if (c.status === 'declined' || c.status === 'expired') {
    return { action: 'refuse', message: `this booking request was ${c.status}; there is nothing to cancel` };
  }
  if (c.ownSeat && c.activeInvitees > 1) return { action: 'leave_group', seat: c.ownSeat };
  return { action: 'cancel_booking', cancelledBy: c.actor };
}

/** The outbox event's `cancelled_by` names a person's side: the calendar acts for the host. */
export const cancelledBySide = (by: 'host' | 'invitee' | 'calendar'): 'host' | 'invitee' => (by === 'invitee' ? 'invitee' : 'host');

/** A signed-in user manages a booking when they host it or own its meeting type; everyone else sees 404. */
export function mayManage(userId: string, hostIds: string[], meetingTypeOwnerId: string | null | undefined): boolean {
  return hostIds.includes(userId) || meetingTypeOwnerId === userId;
}

/** Hosts a one-on-one, group or collective booking occupies (round robin picks one: see roundRobinOrder). */
export function hostsToBook(kind: Exclude<MeetingKind, 'round_robin'>, ownerId: string, hostIds: string[]): string[] {
  return kind === 'collective' ? hostIds : [ownerId];
}

/**
 * The order round robin tries its free hosts in: on a reschedule the booking's current host first when still free
 * (assignment rule `kept_on_reschedule`), then the ranking.
 */
export function roundRobinOrder(
  ranked: RoundRobinChoice[],
  keepIfFree: string[],
): Array<{ userId: string; reason: Record<string, unknown> }> {
  const kept = ranked.filter((r) => keepIfFree.includes(r.userId));
  if (kept.length === 0) return ranked;
  return [
    ...kept.map((r) => ({ ...r, reason: { ...r.reason, rule: 'kept_on_reschedule' } })),
    ...ranked.filter((r) => !keepIfFree.includes(r.userId)),
  ];
}

/** Collective: every free host; one on one: the owner; round robin: the first free host still under its hold cap. */
export function hostsToHold(c: {
  kind: MeetingKind;
  ownerId: string;
  free: string[];
  liveHoldsOf: (hostId: string) => number;
  perHost: number;
}): string[] {
  if (c.kind === 'collective') return c.free;
  if (c.kind !== 'round_robin') return [c.ownerId];
  return [c.free.find((id) => c.liveHoldsOf(id) < c.perHost) ?? c.free[0]];
}
