import { metricsAccess } from './metrics-access.js';

const TOKEN = 'metrics-token-0123456789abcdef0123456789';

describe('metricsAccess', () => {
  it.each([
    // [configured token, Authorization header, listener, expected]
    [null, undefined, 'app', 'disabled'],
    [null, `Bearer ${TOKEN}`, 'app', 'disabled'],
    [null, undefined, 'metrics-port', 'granted'],
    [TOKEN, undefined, 'app', 'unauthorized'],
    [TOKEN, undefined, 'metrics-port', 'unauthorized'],
    [TOKEN, `Bearer ${TOKEN}`, 'app', 'granted'],
    [TOKEN, `bearer ${TOKEN}`, 'metrics-port', 'granted'],
    [TOKEN, `Bearer ${TOKEN}x`, 'app', 'unauthorized'],
    [TOKEN, `Bearer ${TOKEN.slice(0, -1)}`, 'app', 'unauthorized'],
    [TOKEN, `Basic ${TOKEN}`, 'app', 'unauthorized'],
    [TOKEN, TOKEN, 'app', 'unauthorized'],
    [TOKEN, `Bearer ${TOKEN} extra`, 'app', 'unauthorized'],
    [TOKEN, 'Bearer ', 'app', 'unauthorized'],
  ] as const)('token %s, header %s on %s: %s', (token, header, listener, expected) => {
    expect(metricsAccess(token, header, listener)).toBe(expected);
  });
});
