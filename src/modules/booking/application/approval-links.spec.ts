import { AppConfig } from '../../../config/app-config.js';
import { validateEnv } from '../../../config/env.validation.js';
import { ApprovalLinks } from './approval-links.js';

const config = (secret: string) => new AppConfig(validateEnv({ APP_SECRET: secret, PUBLIC_URL: 'https://kairos.example' }));
const links = new ApprovalLinks(config('s'.repeat(40)));
const BOOKING = '11111111-1111-4111-8111-111111111111';
const HOST = '33333333-3333-4333-8333-333333333333';
const EXPIRES = new Date('2027-03-01T14:00:00Z');
const NOW = new Date('2027-03-01T12:00:00Z');

const queryOf = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe('ApprovalLinks', () => {
  const url = links.url({ bookingId: BOOKING, action: 'confirm', hostId: HOST, expiresAt: EXPIRES });

  it('builds a link to the approval page that verifies for that booking, action and host', () => {
    expect(url).toMatch(
      new RegExp(`^https://kairos\\.example/booking/${BOOKING}/approval\\?action=confirm&host=${HOST}&expires=\\d+&sig=`),
    );
    expect(links.verify(BOOKING, queryOf(url), NOW)).toEqual({
      ok: true,
      grant: { bookingId: BOOKING, action: 'confirm', hostId: HOST, expiresAt: EXPIRES },
    });
  });

  it.each([
    ['another action', { action: 'decline' }],
    ['another host', { host: '44444444-4444-4444-8444-444444444444' }],
    ['a later expiry', { expires: String(EXPIRES.getTime() / 1000 + 1) }],
    ['an altered signature', { sig: 'A'.repeat(43) }],
    ['no signature', { sig: '' }],
    ['an unknown action', { action: 'delete' }],
    ['a non-numeric expiry', { expires: '1e12' }],
  ])('refuses %s as invalid', (_case, change) => {
    expect(links.verify(BOOKING, { ...queryOf(url), ...change }, NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses the link on another booking, or signed with another secret', () => {
    expect(links.verify('22222222-2222-4222-8222-222222222222', queryOf(url), NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(new ApprovalLinks(config('t'.repeat(40))).verify(BOOKING, queryOf(url), NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('expires at its expiry instant', () => {
    expect(links.verify(BOOKING, queryOf(url), new Date(EXPIRES.getTime() - 1)).ok).toBe(true);
    expect(links.verify(BOOKING, queryOf(url), EXPIRES)).toEqual({ ok: false, reason: 'expired' });
  });
});
