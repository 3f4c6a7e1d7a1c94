import { canonicalTimeZone, isIanaTimeZone } from './time-zone-name.js';

describe('canonicalTimeZone', () => {
  it.each([
    ['America/New_York', 'America/New_York'],
    ['america/new_york', 'America/New_York'],
    ['AMERICA/NEW_YORK', 'America/New_York'],
    ['US/Eastern', 'America/New_York'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['asia/kolkata', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['utc', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['Europe/London', 'Europe/London'],
  ])('%s -> %s', (given, stored) => {
    expect(canonicalTimeZone(given)).toBe(stored);
    expect(isIanaTimeZone(given)).toBe(true);
  });

  it.each(['EST', '+05:00', 'Not/A_Zone', '', 'x'.repeat(65), 'Europe/London\u0000', 42, null])('refuses %j', (given) => {
    expect(canonicalTimeZone(given)).toBeNull();
  });

  it('is idempotent: a stored spelling stays as it is', () => {
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const once = canonicalTimeZone(zone);
      if (once) expect(canonicalTimeZone(once)).toBe(once);
    }
  });
});
