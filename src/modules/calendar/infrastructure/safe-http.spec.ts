import { OutboundError } from '../../../shared/outbound/outbound-http.js';
import { retryAfterMs } from './provider-http.js';
import { asUnsafeUrlError, assertSafeUrlShape, UnsafeUrlError } from './safe-http.js';

describe('calendar URLs', () => {
  it('reads webcal:// as https:// and refuses other schemes and credentials', () => {
    expect(assertSafeUrlShape('webcal://cal.example.com/a.ics').href).toBe('https://cal.example.com/a.ics');
    expect(() => assertSafeUrlShape('file:///etc/passwd')).toThrow(UnsafeUrlError);
    expect(() => assertSafeUrlShape('https://u:p@cal.example.com/')).toThrow(UnsafeUrlError);
  });
  it('turns refusals of the outbound policy into UnsafeUrlError, other failures unchanged', () => {
    expect(asUnsafeUrlError(new OutboundError('refused', undefined, '127.0.0.1'))).toBeInstanceOf(UnsafeUrlError);
    const refused = new OutboundError('connection_refused');
    expect(asUnsafeUrlError(refused)).toBe(refused);
  });
});

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('2015-10-21T07:28:00Z'))).toBe(30_000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
  });
});
