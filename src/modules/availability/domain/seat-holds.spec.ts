import { type BusyEntry, buildEngineInput } from './build-host-inputs.js';
import { computeSlots, isSlotAvailable } from './compute-slots.js';
import { explainStart } from './slot-explain.js';

const Z = (iso: string): number => Date.parse(iso);
const NOW = Z('2027-03-01T12:00:00Z');
const TEN = Z('2027-03-10T10:00:00Z');

// A group type with 3 seats; the host works 09:00-13:00 UTC on Wednesdays.
const type = {
  id: 'g1',
  kind: 'group' as const,
  seats: 3,
  durationMinutes: 60,
  slotIntervalMinutes: null,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minimumNoticeMinutes: 0,
  bookingWindowDays: null,
  maxBookingsPerDay: null,
};
const schedules = new Map([['h1', { timeZone: 'UTC', rules: [{ dayOfWeek: 3, startMinute: 9 * 60, endMinute: 13 * 60 }], overrides: [] }]]);
const range = { start: Z('2027-03-10T00:00:00Z'), end: Z('2027-03-11T00:00:00Z') };
const row = (over: Partial<BusyEntry>): BusyEntry => ({
  userId: 'h1',
  startMs: TEN,
  endMs: TEN + 3_600_000,
  source: 'booking',
  bookingId: null,
  holdId: null,
  meetingTypeId: 'g1',
  bufferBefore: 0,
  bufferAfter: 0,
  inviteeCount: 0,
  ...over,
});
const session = row({ bookingId: 'b1', inviteeCount: 2 });
const seatHold = (id: string) => row({ source: 'seat_hold', holdId: id });

describe('seat holds in the engine input (group waitlists)', () => {
  it('a live seat hold is a taken seat: 2 invitees + 1 seat hold fill 3 seats, for slots and explain alike', () => {
    const { hosts, query } = buildEngineInput(type, ['h1'], schedules, [session, seatHold('s1')], range, NOW);
    expect(query.seatsTaken?.get(TEN)).toBe(3);
    expect(isSlotAvailable(hosts, query, TEN)).toBeNull();
    expect(computeSlots(hosts, query).map((s) => s.start)).not.toContain(TEN);
    expect(explainStart(hosts, query, TEN).reasons.map((r) => r.code)).toContain('seats_full');
  });

  it("the claimant's own hold does not count against them (exclude.holdId); every hold is left out with allHolds", () => {
    const own = buildEngineInput(type, ['h1'], schedules, [session, seatHold('s1')], range, NOW, { holdId: 's1' });
    expect(isSlotAvailable(own.hosts, own.query, TEN)?.seatsRemaining).toBe(1);
    const none = buildEngineInput(type, ['h1'], schedules, [session, seatHold('s1'), seatHold('s2')], range, NOW, { allHolds: true });
    expect(none.query.seatsTaken?.get(TEN)).toBe(2);
  });

  it('a seat hold is never busy time, and counts only for its own group type', () => {
    const { hosts, query } = buildEngineInput(type, ['h1'], schedules, [seatHold('s1')], range, NOW);
    expect(hosts[0].busy).toEqual([]);
    expect(isSlotAvailable(hosts, query, TEN)?.seatsRemaining).toBe(2);
    const other = buildEngineInput(type, ['h1'], schedules, [row({ source: 'seat_hold', holdId: 's9', meetingTypeId: 'g2' })], range, NOW);
    expect(other.query.seatsTaken?.get(TEN)).toBeUndefined();
    const oneOnOne = buildEngineInput({ ...type, kind: 'one_on_one', seats: null }, ['h1'], schedules, [seatHold('s1')], range, NOW);
    expect(oneOnOne.hosts[0].busy).toEqual([]);
  });
});
