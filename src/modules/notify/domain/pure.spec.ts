import { afterFailure, retryDelaySeconds } from './backoff.js';
import { deliveryId } from './delivery-id.js';
import { formatInstant, formatRange, leadTimeLabel } from './format-time.js';
import { signWebhook } from './webhook-signature.js';
import { createHmac } from 'node:crypto';

describe('deliveryId', () => {
  const key = { bookingId: 'b1', kind: 'confirmation', recipient: 'invitee:i1', revision: 0, about: null };
  it('is a UUID that depends only on the key', () => {
    expect(deliveryId(key)).toBe(deliveryId({ ...key }));
    expect(deliveryId(key)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it.each([
    ['booking', { bookingId: 'b2' }],
    ['kind', { kind: 'reschedule' }],
    ['recipient', { recipient: 'host:h1' }],
    ['revision', { revision: 1 }],
    ['subject invitee', { about: 'i2' }],
  ])('changes with the %s', (_n, change) => {
    expect(deliveryId({ ...key, ...change })).not.toBe(deliveryId(key));
  });
});

describe('backoff', () => {
  it('doubles from the base and caps at six hours', () => {
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(n, 60))).toEqual([60, 120, 240, 480]);
    expect(retryDelaySeconds(40, 60)).toBe(6 * 3600);
    expect(retryDelaySeconds(0, 60)).toBe(0);
  });
  it('gives up after the last attempt', () => {
    const now = new Date('2027-03-01T12:00:00Z');
    expect(afterFailure(2, 3, now, 10)).toEqual({ status: 'pending', retryAt: new Date('2027-03-01T12:00:20Z') });
    expect(afterFailure(3, 3, now, 10)).toEqual({ status: 'failed' });
  });
});

describe('time formatting', () => {
  it('names the zone and uses its wall clock', () => {
    const start = new Date('2027-03-09T15:00:00Z');
    const end = new Date('2027-03-09T15:30:00Z');
    expect(formatRange(start, end, 'America/New_York')).toBe('Tuesday, 9 March 2027, 10:00–10:30 (America/New_York)');
    expect(formatRange(start, end, 'Asia/Kolkata')).toBe('Tuesday, 9 March 2027, 20:30–21:00 (Asia/Kolkata)');
    expect(formatInstant(start, 'Europe/Berlin')).toBe('Tuesday, 9 March 2027, 16:00 (Europe/Berlin)');
  });
  it('shows both dates when the meeting crosses midnight in that zone, and handles DST days', () => {
    expect(formatRange(new Date('2027-03-09T22:45:00Z'), new Date('2027-03-09T23:15:00Z'), 'Europe/London')).toBe(
      'Tuesday, 9 March 2027, 22:45–23:15 (Europe/London)',
    );
    expect(formatRange(new Date('2027-03-09T22:45:00Z'), new Date('2027-03-09T23:15:00Z'), 'Europe/Berlin')).toBe(
      'Tuesday, 9 March 2027, 23:45 – Wednesday, 10 March 2027, 00:15 (Europe/Berlin)',
    );
    // New York springs forward at 07:00Z on 14 March 2027: 06:30Z is 01:30 EST, 07:30Z is 03:30 EDT.
    expect(formatRange(new Date('2027-03-14T06:30:00Z'), new Date('2027-03-14T07:30:00Z'), 'America/New_York')).toBe(
      'Sunday, 14 March 2027, 01:30–03:30 (America/New_York)',
    );
  });
  it('labels reminder lead times', () => {
    expect([60, 1440, 30, 120, 2880].map(leadTimeLabel)).toEqual(['in 1 hour', 'in 24 hours', 'in 30 minutes', 'in 2 hours', 'in 2 days']);
  });
});

describe('signWebhook', () => {
  it('signs per Standard Webhooks and with the X-Kairos-Signature scheme over the same key', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const headers = signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    // The example from the Standard Webhooks specification.
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    const key = Buffer.from(secret.slice(6), 'base64');
    const hex = createHmac('sha256', key).update('1614265330.{"test": 2432232314}').digest('hex');
    expect(headers['x-kairos-signature']).toBe(`t=1614265330,v1=${hex}`);
    expect(headers['webhook-id']).toBe('msg_p5jXN8AQM9LWM0D4loKWxJek');
  });
});
