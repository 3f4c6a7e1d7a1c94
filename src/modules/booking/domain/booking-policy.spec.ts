import {
  type ActorKind,
  type BookingStatus,
  cancelledBySide,
  hostsToBook,
  hostsToHold,
  mayManage,
  movesOneGroupSeat,
  planCancellation,
  rescheduleRefusal,
  roundRobinOrder,
} from './booking-policy.js';
import type { RoundRobinChoice } from './round-robin.js';

describe('rescheduleRefusal', () => {
  it.each<[BookingStatus, string | null]>([
    ['confirmed', null],
    ['pending', null],
    ['cancelled', 'this booking is cancelled and cannot be rescheduled'],
    ['rescheduled', 'this booking is rescheduled and cannot be rescheduled'],
  ])('%s → %s', (status, refusal) => {
    expect(rescheduleRefusal(status)).toBe(refusal);
  });
});

describe('movesOneGroupSeat', () => {
  it.each([
    ['group, invitee, others attend', 'group', 'invitee', 2, true],
    ['group, invitee, alone', 'group', 'invitee', 1, false],
    ['group, host moves everyone', 'group', 'host', 3, false],
    ['one on one, invitee', 'one_on_one', 'invitee', 2, false],
    ['collective, invitee', 'collective', 'invitee', 2, false],
  ] as const)('%s → %s', (_case, kind, actor, active, expected) => {
    expect(movesOneGroupSeat(kind, actor, active)).toBe(expected);
  });
});

describe('planCancellation', () => {
  const active = { id: 'i1', status: 'active' as const };
  const gone = { id: 'i1', status: 'cancelled' as const };
  it.each([
    ['a cancelled booking, again', 'cancelled', 'host', null, 1, { action: 'already_cancelled' }],
    ['an invitee whose seat is cancelled', 'confirmed', 'invitee', gone, 2, { action: 'already_cancelled' }],
    [
      'a rescheduled booking',
      'rescheduled',
      'host',
      null,
      1,
      { action: 'refuse', message: 'this booking was rescheduled; manage the new booking instead' },
    ],
    ['an invitee leaving a group others attend', 'confirmed', 'invitee', active, 2, { action: 'leave_group', seat: active }],
    ['the last invitee of a group', 'confirmed', 'invitee', active, 1, { action: 'cancel_booking', cancelledBy: 'invitee' }],
    ['a host, however many attend', 'confirmed', 'host', null, 3, { action: 'cancel_booking', cancelledBy: 'host' }],
    ["the host's calendar", 'pending', 'calendar', null, 1, { action: 'cancel_booking', cancelledBy: 'calendar' }],
  ] as Array<[string, BookingStatus, ActorKind, typeof active | typeof gone | null, number, unknown]>)(
    '%s',
    (_case, status, actor, ownSeat, activeInvitees, plan) => {
      expect(planCancellation({ status, actor, ownSeat, activeInvitees })).toEqual(plan);
    },
  );
});

describe('cancelledBySide', () => {
  it.each([
    ['host', 'host'],
    ['invitee', 'invitee'],
    ['calendar', 'host'],
  ] as const)('%s → %s', (by, side) => {
    expect(cancelledBySide(by)).toBe(side);
  });
});

describe('mayManage', () => {
  it.each([
    ['a host of the booking', 'u1', ['u1', 'u2'], 'owner', true],
    ['the meeting type owner', 'owner', ['u1'], 'owner', true],
    ['anyone else', 'u3', ['u1'], 'owner', false],
    ['anyone, when the meeting type is gone', 'u3', ['u1'], undefined, false],
  ] as const)('%s → %s', (_case, userId, hostIds, ownerId, expected) => {
    expect(mayManage(userId, [...hostIds], ownerId)).toBe(expected);
  });
});

describe('hostsToBook', () => {
  it.each([
    ['one_on_one', ['owner']],
    ['group', ['owner']],
    ['collective', ['a', 'b']],
  ] as const)('%s → %j', (kind, expected) => {
    expect(hostsToBook(kind, 'owner', ['a', 'b'])).toEqual(expected);
  });
});

describe('roundRobinOrder', () => {
  const choice = (userId: string): RoundRobinChoice => ({
    userId,
    reason: { rule: 'weighted_least_served', bookings_in_period: 0, weight: 100, candidates: 3 },
  });
  const ranked = [choice('a'), choice('b'), choice('c')];
  it.each([
    ['a new booking: the ranking', [], ['a', 'b', 'c'], ['weighted_least_served', 'weighted_least_served', 'weighted_least_served']],
    [
      'a reschedule keeps its free host first',
      ['c'],
      ['c', 'a', 'b'],
      ['kept_on_reschedule', 'weighted_least_served', 'weighted_least_served'],
    ],
    [
      'a previous host no longer free: the ranking',
      ['z'],
      ['a', 'b', 'c'],
      ['weighted_least_served', 'weighted_least_served', 'weighted_least_served'],
    ],
  ])('%s', (_case, keep, order, rules) => {
    const result = roundRobinOrder(ranked, keep);
    expect(result.map((r) => r.userId)).toEqual(order);
    expect(result.map((r) => r.reason.rule)).toEqual(rules);
  });
});

describe('hostsToHold', () => {
  const held: Record<string, number> = { a: 2, b: 0 };
  it.each([
    ['collective: every free host', 'collective', ['a', 'b'], ['a', 'b']],
    ['one on one: the owner', 'one_on_one', ['a'], ['owner']],
    ['round robin: the first free host under its cap', 'round_robin', ['a', 'b'], ['b']],
    ['round robin, all at their cap: the first free host (the cap check refuses it)', 'round_robin', ['a'], ['a']],
  ] as const)('%s', (_case, kind, free, expected) => {
    expect(hostsToHold({ kind, ownerId: 'owner', free: [...free], liveHoldsOf: (id) => held[id] ?? 0, perHost: 2 })).toEqual(expected);
  });
});
