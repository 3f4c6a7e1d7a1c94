import { cutoffRefusal, inviteeCapRefusal, normalizeEmail } from './invitee-policies.js';

const START = Date.parse('2027-03-10T10:00:00Z');
const minutesBefore = (m: number) => START - m * 60_000;

describe('invitee policies', () => {
  it('normalises emails by case and surrounding spaces', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });

  it.each([
    [null, 5, null],
    [3, 2, null],
    [3, 3, 'at most 3 upcoming bookings per invitee (max_active_bookings_per_invitee); you have 3'],
    [1, 1, 'at most 1 upcoming booking per invitee'],
  ] as const)('cap %s with %d active', (cap, active, expected) => {
    const refusal = inviteeCapRefusal(active, cap);
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toContain(expected);
  });

  it.each([
    // [cutoff, minutes before the start now, refused?]
    [null, 1, false],
    [null, -5, false], // no cutoff: the policy has nothing to say (booking states decide elsewhere)
    [1440, 1441, false],
    [1440, 1440, true], // exactly at the cutoff: too late
    [1440, 60, true],
    [0, 1, false],
    [0, 0, true],
  ] as const)('cutoff %s, %d minutes before: refused %s', (cutoff, before, refused) => {
    expect(cutoffRefusal('cancel', START, minutesBefore(before), cutoff) !== null).toBe(refused);
  });

  it('names the cutoff and its length', () => {
    expect(cutoffRefusal('cancel', START, minutesBefore(30), 1440)).toBe(
      'this booking can no longer be cancelled online: the meeting type allows it up to 1 day before the start ' +
        '(cancellation_cutoff_minutes); please contact the host',
    );
    expect(cutoffRefusal('reschedule', START, minutesBefore(30), 120)).toContain(
      'up to 2 hours before the start (reschedule_cutoff_minutes)',
    );
    expect(cutoffRefusal('reschedule', START, minutesBefore(30), 45)).toContain('up to 45 minutes');
  });
});
