import { Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { AppConfig } from '../../config/app-config.js';
import { DomainError } from '../http/domain-error.js';
import { sha256 } from '../security/tokens.js';
import { THROTTLER_STORAGE } from './rate-limit.guard.js';

/** The throttler storages (Redis, memory) can also tell whether a key is blocked without counting a hit. */
export interface LimiterStorage extends ThrottlerStorage {
  blockedFor(key: string, throttlerName: string): Promise<number>;
}

/** Who is guessing: the account named (an email, lowercased here) and the client address. Either may be absent. */
export interface CredentialSubject {
  account?: string | null;
  address?: string | null;
}

const ACCOUNT = 'cred-account';
const ADDRESS = 'cred-address';

/**
 * One limiter for every credential check: API login, the admin login form, API keys, current-password checks and
 * password-reset requests. It counts failures (and every reset request) per account and per client address in
 * fixed windows on the shared throttler storage (Redis across replicas, memory otherwise); after `limit` failures
 * every check of that account or address answers 429 with Retry-After until the block ends (one window), even with
 * the right password, so guessing stops paying. Successful checks are not counted: a busy office behind one address is not locked out by
 * its own sign-ins. Accounts are keyed by a hash of the lowercased email, so Redis holds no addresses.
 */
@Injectable()
export class CredentialLimiter {
  private readonly limits: AppConfig['credentialLimits'];

  constructor(
    @Inject(THROTTLER_STORAGE) private readonly storage: LimiterStorage,
    config: AppConfig,
  ) {
    this.limits = config.credentialLimits;
  }

  /** Refuses (429) while the account or the address is blocked; call it before checking the credential. */
  async assertOpen(subject: CredentialSubject): Promise<void> {
    if (!this.limits.enabled) return;
    let wait = 0;
    for (const [name, key] of this.keys(subject)) wait = Math.max(wait, await this.storage.blockedFor(key, name));
    if (wait > 0) throw tooMany(wait);
  }

  /**
   * Counts a failed check (or a reset request). The failure that reaches a limit starts the block: it is still
   * answered as a failure, and from the next attempt on `assertOpen` refuses.
   */
  async recordFailure(subject: CredentialSubject): Promise<void> {
    if (!this.limits.enabled) return;
    const ttlMs = this.limits.windowSeconds * 1000;
    for (const [name, key] of this.keys(subject)) {
      const limit = name === ACCOUNT ? this.limits.accountMax : this.limits.addressMax;
      // The storages block once hits exceed their limit: limit - 1 blocks at the limit-th failure.
      await this.storage.increment(key, ttlMs, limit - 1, ttlMs, name);
    }
  }

  private keys(subject: CredentialSubject): [string, string][] {
    const out: [string, string][] = [];
    const account = subject.account?.trim().toLowerCase();
    if (account) out.push([ACCOUNT, sha256(account).slice(0, 32)]);
    if (subject.address) out.push([ADDRESS, subject.address]);
    return out;
  }
}

/** 429 whose Retry-After the HTTP filters send (details.retry_after_seconds). */
export function tooMany(seconds: number): DomainError {
  const s = Math.max(1, Math.ceil(seconds));
  return new DomainError('rate_limited', `too many attempts: try again in ${s} s`, { retry_after_seconds: s });
}

/** The seconds a 429 DomainError asks the client to wait, if it is one. */
export function retryAfterOf(error: unknown): number | null {
  if (!(error instanceof DomainError) || error.code !== 'rate_limited') return null;
  const s = error.details?.retry_after_seconds;
  return typeof s === 'number' ? s : null;
}
