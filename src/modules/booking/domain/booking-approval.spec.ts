import { type ApprovalAction, confirmationDeadline, decideApproval, isOverdue } from './booking-approval.js';
import type { BookingStatus } from './booking-policy.js';

const at = (iso: string) => new Date(iso);
const NOW = at('2027-03-01T12:00:00Z');
const DEADLINE = at('2027-03-01T14:00:00Z');

describe('confirmationDeadline', () => {
  it.each([
    ['expiry before the meeting', '2027-03-02T14:00:00Z', 120, '2027-03-01T14:00:00.000Z'],
    ['the meeting comes first: its start', '2027-03-01T13:00:00Z', 120, '2027-03-01T13:00:00.000Z'],
    ['thirty days, meeting tomorrow', '2027-03-02T09:30:00Z', 43_200, '2027-03-02T09:30:00.000Z'],
    ['exactly at the start', '2027-03-01T14:00:00Z', 120, '2027-03-01T14:00:00.000Z'],
  ])('%s', (_case, start, minutes, expected) => {
    expect(confirmationDeadline(NOW, at(start), minutes).toISOString()).toBe(expected);
  });
});

describe('isOverdue', () => {
  it.each<[BookingStatus, Date | null, string, boolean]>([
    ['pending', DEADLINE, '2027-03-01T13:59:59.999Z', false],
    ['pending', DEADLINE, '2027-03-01T14:00:00Z', true], // the deadline itself: no longer held
    ['pending', null, '2027-03-09T00:00:00Z', false],
    ['confirmed', DEADLINE, '2027-03-01T15:00:00Z', false],
    ['expired', DEADLINE, '2027-03-01T15:00:00Z', false],
  ])('%s until %s at %s → %s', (status, deadline, now, expected) => {
    expect(isOverdue({ status, confirmation_expires_at: deadline }, at(now))).toBe(expected);
  });
});

describe('decideApproval', () => {
  const before = at('2027-03-01T13:00:00Z');
  const after = at('2027-03-01T14:00:00Z');
  it.each<[ApprovalAction, BookingStatus, Date, string]>([
    ['confirm', 'pending', before, 'apply'],
    ['decline', 'pending', before, 'apply'],
    ['confirm', 'confirmed', before, 'unchanged'],
    ['decline', 'declined', before, 'unchanged'],
    ['confirm', 'pending', after, 'expire'],
    ['decline', 'pending', after, 'expire'],
    ['confirm', 'expired', after, 'refuse'],
    ['confirm', 'declined', before, 'refuse'],
    ['decline', 'confirmed', before, 'refuse'],
    ['confirm', 'cancelled', before, 'refuse'],
    ['decline', 'rescheduled', before, 'refuse'],
  ])('%s a %s booking → %s', (action, status, now, kind) => {
    const deadline = status === 'pending' || status === 'expired' || status === 'declined' ? DEADLINE : null;
    expect(decideApproval(action, { status, confirmation_expires_at: deadline }, now).kind).toBe(kind);
  });

  it('names the deadline and says the time is free again when too late', () => {
    expect(decideApproval('confirm', { status: 'pending', confirmation_expires_at: DEADLINE }, after)).toEqual({
      kind: 'expire',
      message:
        'this booking request expired at 2027-03-01T14:00:00.000Z without an answer and can no longer be confirmed; the time is free again',
    });
  });

  it('explains each refusal in words a host can act on', () => {
    const refuse = (action: ApprovalAction, status: BookingStatus) => {
      const d = decideApproval(action, { status, confirmation_expires_at: null }, before);
      return d.kind === 'refuse' ? d.message : d.kind;
    };
    expect(refuse('decline', 'confirmed')).toMatch(/already confirmed; cancel it instead/);
    expect(refuse('confirm', 'declined')).toBe('this booking request was declined and cannot be confirmed');
    expect(refuse('confirm', 'cancelled')).toBe('this booking was cancelled and cannot be confirmed');
    expect(refuse('decline', 'rescheduled')).toBe('this booking was rescheduled; decline the new booking instead');
  });
});
