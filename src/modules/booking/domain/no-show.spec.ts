import { decideNoShow, type NoShowInvitee } from './no-show.js';

const START = new Date('2027-03-10T09:00:00Z');
const AFTER = new Date('2027-03-10T09:05:00Z');
const BEFORE = new Date('2027-03-10T08:59:59Z');
const a: NoShowInvitee = { id: 'a', status: 'active', no_show_at: null };
const b: NoShowInvitee = { id: 'b', status: 'active', no_show_at: null };
const gone: NoShowInvitee = { id: 'c', status: 'cancelled', no_show_at: null };
const marked: NoShowInvitee = { id: 'm', status: 'active', no_show_at: new Date('2027-03-10T10:00:00Z') };
const confirmed = { status: 'confirmed' as const, start_time: START };

describe('decideNoShow', () => {
  it.each([
    ['one invitee, after the start', { invitees: [a], inviteeId: null }, { kind: 'apply', inviteeIds: ['a'] }],
    ['every active invitee of a group', { invitees: [a, gone, b], inviteeId: null }, { kind: 'apply', inviteeIds: ['a', 'b'] }],
    ['one named invitee of a group', { invitees: [a, b], inviteeId: 'b' }, { kind: 'apply', inviteeIds: ['b'] }],
    ['already marked: the first time stays', { invitees: [marked], inviteeId: null }, { kind: 'unchanged' }],
    ['only the unmarked ones change', { invitees: [marked, a], inviteeId: null }, { kind: 'apply', inviteeIds: ['a'] }],
  ])('marks: %s', (_, given, expected) => {
    expect(decideNoShow({ booking: confirmed, now: AFTER, noShow: true, ...given })).toEqual(expected);
  });

  it('marks exactly at the start (the start has come)', () => {
    expect(decideNoShow({ booking: confirmed, invitees: [a], inviteeId: null, noShow: true, now: START }).kind).toBe('apply');
  });

  it('refuses before the start, for any status or invitee', () => {
    expect(decideNoShow({ booking: confirmed, invitees: [a], inviteeId: null, noShow: true, now: BEFORE })).toMatchObject({
      kind: 'refuse',
      code: 'not_started',
    });
  });

  it.each(['pending', 'cancelled', 'rescheduled', 'declined', 'expired'] as const)('refuses a %s booking', (status) => {
    expect(
      decideNoShow({ booking: { status, start_time: START }, invitees: [a], inviteeId: null, noShow: true, now: AFTER }),
    ).toMatchObject({ kind: 'refuse', code: 'not_confirmed' });
  });

  it('refuses a cancelled invitee, and a booking with nobody left', () => {
    expect(decideNoShow({ booking: confirmed, invitees: [a, gone], inviteeId: 'c', noShow: true, now: AFTER })).toMatchObject({
      code: 'invitee_cancelled',
    });
    expect(decideNoShow({ booking: confirmed, invitees: [gone], inviteeId: null, noShow: true, now: AFTER })).toMatchObject({
      code: 'no_active_invitee',
    });
  });

  it('names an unknown invitee as such, before anything else', () => {
    expect(decideNoShow({ booking: confirmed, invitees: [a], inviteeId: 'zzz', noShow: true, now: BEFORE }).kind).toBe('unknown_invitee');
  });

  it('unmarks the marked ones; unmarking nobody is no change', () => {
    expect(decideNoShow({ booking: confirmed, invitees: [marked, a], inviteeId: null, noShow: false, now: AFTER })).toEqual({
      kind: 'apply',
      inviteeIds: ['m'],
    });
    expect(decideNoShow({ booking: confirmed, invitees: [a], inviteeId: 'a', noShow: false, now: AFTER })).toEqual({ kind: 'unchanged' });
  });
});
