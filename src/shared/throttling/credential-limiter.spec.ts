import type { AppConfig } from '../../config/app-config.js';
import { DomainError } from '../http/domain-error.js';
import { CredentialLimiter, retryAfterOf } from './credential-limiter.js';
import { MemoryThrottlerStorage } from './memory-throttler.storage.js';

describe('CredentialLimiter (memory storage, pinned clock)', () => {
  let now = 0;
  const make = (enabled = true) =>
    new CredentialLimiter(new MemoryThrottlerStorage(() => now), {
      credentialLimits: { enabled, accountMax: 3, addressMax: 5, windowSeconds: 60 },
    } as unknown as AppConfig);
  const blocked = async (limiter: CredentialLimiter, subject: { account?: string; address?: string }) => {
    try {
      await limiter.assertOpen(subject);
      return null;
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      return retryAfterOf(error);
    }
  };
  beforeEach(() => {
    now = 1_000_000;
  });

  it('blocks an account after `accountMax` failures, case-insensitively and from any address, until the window ends', async () => {
    const limiter = make();
    for (let i = 0; i < 3; i++) {
      expect(await blocked(limiter, { account: 'Ada@Example.com', address: `10.0.0.${i}` })).toBeNull();
      await limiter.recordFailure({ account: 'Ada@Example.com', address: `10.0.0.${i}` });
    }
    expect(await blocked(limiter, { account: 'ada@example.com', address: '10.0.0.9' })).toBe(60);
    expect(await blocked(limiter, { account: 'grace@example.com', address: '10.0.0.9' })).toBeNull();
    now += 45_000;
    expect(await blocked(limiter, { account: 'ada@example.com' })).toBe(15);
    now += 15_000;
    expect(await blocked(limiter, { account: 'ada@example.com' })).toBeNull();
  });

  it('blocks an address after `addressMax` failures across accounts', async () => {
    const limiter = make();
    for (let i = 0; i < 5; i++) await limiter.recordFailure({ account: `u${i}@example.com`, address: '192.0.2.1' });
    expect(await blocked(limiter, { account: 'new@example.com', address: '192.0.2.1' })).toBe(60);
    expect(await blocked(limiter, { account: 'new@example.com', address: '192.0.2.2' })).toBeNull();
  });

  it('does nothing when rate limiting is off', async () => {
    const limiter = make(false);
    for (let i = 0; i < 10; i++) await limiter.recordFailure({ account: 'a@example.com', address: '192.0.2.1' });
    expect(await blocked(limiter, { account: 'a@example.com', address: '192.0.2.1' })).toBeNull();
  });
});
