import { redactDeliveryError } from './admin-booking-details.js';

describe('redactDeliveryError', () => {
  it('masks addresses, cuts URLs to their origin and keeps one short line', () => {
    expect(redactDeliveryError(null)).toBeNull();
    expect(redactDeliveryError('550 <grace@example.com>: mailbox\nunavailable')).toBe('550 <[EMAIL]>: mailbox unavailable');
    expect(redactDeliveryError('POST https://hooks.example.com/t/SECRET?token=abc failed: 500')).toBe(
      'POST https://hooks.example.com/… failed: 500',
    );
    expect(redactDeliveryError('x'.repeat(400))).toHaveLength(300);
  });
});
