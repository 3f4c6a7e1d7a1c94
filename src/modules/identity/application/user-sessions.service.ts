import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Clock } from '../../../shared/clock/clock.js';
import { sha256 } from '../../../shared/security/tokens.js';
import { CredentialsRepository } from '../infrastructure/credentials.repository.js';

export const SESSION_DAYS = 7;

/**
 * Server-side admin sessions. The browser holds a random secret; the database keeps its SHA-256, the user, the
 * user's token generation at sign-in, the expiry and whether it was revoked. So logout ends exactly that session,
 * and a password change, email change, reset or deletion ends all of them, on every replica at once.
 */
@Injectable()
export class UserSessions {
  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly clock: Clock,
  ) {}

  /** A new session for the user (null when the account no longer exists). */
  async start(userId: string): Promise<{ secret: string; expiresAt: Date } | null> {
    const now = this.clock.now();
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
    return (await this.credentials.insertSession(userId, sha256(secret), expiresAt, now)) ? { secret, expiresAt } : null;
  }

  /** The user of a live session secret, or null (unknown, expired, logged out, or revoked by a credential change). */
  userOf(secret: string): Promise<string | null> {
    return this.credentials.userOfSession(sha256(secret), this.clock.now());
  }

  async end(secret: string): Promise<void> {
    await this.credentials.revokeSession(sha256(secret), this.clock.now());
  }
}
