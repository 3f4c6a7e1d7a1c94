import {
  clientKeyOf,
  holdExpiry,
  type HoldLimits,
  holdUnusable,
  type HoldLoad,
  type LiveHolds,
  refuseHold,
  refuseRehold,
} from './hold-policy.js';

const limits: HoldLimits = {
  ttlSeconds: 300,
  maxLifetimeSeconds: 900,
  reholdCooldownSeconds: 900,
  perClient: 3,
  perEmail: 2,
  perHost: 4,
  perMeetingType: 5,
};
const NOW = Date.UTC(2027, 2, 1, 12);
const min = 60_000;
const none: LiveHolds = { count: 0, firstExpiry: null };
const load = (over: Partial<HoldLoad> = {}): HoldLoad => ({ client: none, email: null, meetingType: none, hosts: new Map(), ...over });

describe('holdExpiry', () => {
  it.each([
    ['a new hold: one TTL', NOW, NOW, NOW + 5 * min],
    ['an extension 4 minutes in: one TTL from now', NOW, NOW + 4 * min, NOW + 9 * min],
    ['an extension 12 minutes in: capped at the lifetime', NOW, NOW + 12 * min, NOW + 15 * min],
    ['an extension past the lifetime: still the cap', NOW, NOW + 20 * min, NOW + 15 * min],
  ])('%s', (_name, created, now, expected) => {
    expect(holdExpiry(created, now, limits)).toBe(expected);
  });
});

describe('refuseHold', () => {
  it('lets a hold under every cap through', () => {
    expect(refuseHold(load({ client: { count: 2, firstExpiry: NOW + min } }), limits, NOW)).toBeNull();
  });
  it.each([
    ['client', load({ client: { count: 3, firstExpiry: NOW + 90_000 } }), 90],
    ['email', load({ email: { count: 2, firstExpiry: NOW + 1_500 } }), 2],
    [
      'host',
      load({
        hosts: new Map<string, LiveHolds>([
          ['h1', none],
          ['h2', { count: 4, firstExpiry: NOW + 4 * min }],
        ]),
      }),
      240,
    ],
    ['meeting_type', load({ meetingType: { count: 5, firstExpiry: NOW + 10 } }), 1],
  ])('refuses past the %s cap, with Retry-After when the first counted hold ends', (cap, l, retry) => {
    expect(refuseHold(l, limits, NOW)).toMatchObject({ cap, retryAfterSeconds: retry });
  });
});

describe('refuseRehold', () => {
  it.each([
    ['no earlier hold', null, null],
    ['one that ended 5 minutes ago: 10 minutes to wait', NOW - 5 * min, 600],
    ['one that ended 15 minutes ago: allowed', NOW - 15 * min, null],
  ])('%s', (_name, lastEnd, retry) => {
    const refusal = refuseRehold(lastEnd, limits, NOW);
    expect(refusal?.retryAfterSeconds ?? null).toBe(retry);
  });
  it('is off with a zero cooldown', () => {
    expect(refuseRehold(NOW - min, { ...limits, reholdCooldownSeconds: 0 }, NOW)).toBeNull();
  });
});

describe('clientKeyOf', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::9%eth0', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['64:ff9b::203.0.113.7', '64:ff9b:0:0::/64'],
    ['', 'unknown'],
    [undefined, 'unknown'],
  ])('%s → %s', (address, key) => {
    expect(clientKeyOf(address)).toBe(key);
  });
});

describe('holdUnusable', () => {
  const hold = { meetingTypeId: 'mt', start: NOW + 60 * min, holderEmail: 'ann@example.com', expiresAt: NOW + 5 * min };
  const booking = { meetingTypeId: 'mt', start: NOW + 60 * min, email: ' Ann@Example.com ' };
  it.each([
    ['a live hold of this type, time and email', hold, booking, null],
    ['a hold naming no email, any invitee', { ...hold, holderEmail: null }, { ...booking, email: 'bob@example.com' }, null],
    ['an unknown token', null, booking, 'not_found'],
    ["another meeting type's hold", { ...hold, meetingTypeId: 'other' }, booking, 'not_found'],
    ['another start', hold, { ...booking, start: NOW + 90 * min }, 'invalid'],
    ['another invitee email', hold, { ...booking, email: 'bob@example.com' }, 'invalid'],
    ['an ended hold', { ...hold, expiresAt: NOW }, booking, 'gone'],
  ])('%s → %s', (_case, h, b, code) => {
    expect(holdUnusable(h, b, NOW)?.code ?? null).toBe(code);
  });
});
