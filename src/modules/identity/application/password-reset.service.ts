import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../../config/app-config.js';
import { Clock } from '../../../shared/clock/clock.js';
import { invalidFields } from '../../../shared/http/domain-error.js';
import { sha256 } from '../../../shared/security/tokens.js';
import { CredentialLimiter } from '../../../shared/throttling/credential-limiter.js';
import { emailProblems } from '../domain/account-rules.js';
import { CredentialsRepository } from '../infrastructure/credentials.repository.js';
import { UsersService, assertAcceptablePassword } from './users.service.js';

/** Port: sends the reset link. Provided by the notify context (its mail transport); identity knows only this. */
export abstract class PasswordResetMailer {
  abstract sendPasswordReset(
    to: { email: string; name: string; locale?: string | null },
    link: string,
    validMinutes: number,
  ): Promise<void>;
}

/** A link that cannot be used (unknown, used or expired): a problem on `token`. */
const invalidToken = () =>
  invalidFields([
    {
      field: 'token',
      code: 'invalid_or_expired',
      message: 'this password reset link is invalid, was already used or has expired; ask for a new one',
    },
  ]);

/**
 * Password reset by email. The answer to a request never says whether the account exists (same status, same body,
 * and the mail is sent after the answer, so timing says nothing either). The token is 32 random bytes, stored as
 * SHA-256, valid PASSWORD_RESET_TTL_MINUTES, single-use; using it sets the password and revokes every session and
 * access token. Requests count against the credential limiter per email and per address (each one sends a mail).
 */
@Injectable()
export class PasswordResetService {
  private readonly logger = new Logger('PasswordReset');

  constructor(
    private readonly users: UsersService,
    private readonly credentials: CredentialsRepository,
    private readonly mailer: PasswordResetMailer,
    private readonly limiter: CredentialLimiter,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** A malformed address is a 400 on `email` (nothing counted, nothing sent). */
  async request(email: string, address?: string | null): Promise<void> {
    const problems = emailProblems(email.trim());
    if (problems.length > 0) throw invalidFields(problems);
    const subject = { account: email, address };
    await this.limiter.assertOpen(subject);
    await this.limiter.recordFailure(subject);
    const user = await this.users.findByEmail(email.trim());
    const secret = randomBytes(32).toString('base64url'); // drawn either way: the same work for unknown addresses
    if (!user) return;
    const now = this.clock.now();
    const minutes = this.config.passwordResetTtlMinutes;
    await this.credentials.insertPasswordReset(user.id, sha256(secret), new Date(now.getTime() + minutes * 60_000), now);
    const link = `${this.config.publicUrl}/admin/reset-password?token=${encodeURIComponent(secret)}`;
    // After the answer: an SMTP round trip only for real accounts would tell them apart by timing.
    setImmediate(() => {
      this.mailer.sendPasswordReset({ email: user.email, name: user.name, locale: user.locale }, link, minutes).catch((error: unknown) => {
        this.logger.warn(`password reset mail failed: ${(error as Error).message}`);
      });
    });
  }

  /** Whether a token is live (the admin page checks before showing the form); consumes nothing. */
  async isLive(token: string): Promise<boolean> {
    return (await this.credentials.userOfPasswordReset(sha256(token), this.clock.now())) !== null;
  }

  /** Sets the new password with a live token, once. Invalid, used or expired tokens are a 400 on `token`. */
  async confirm(token: string, newPassword: string): Promise<void> {
    const tokenHash = sha256(token);
    const now = this.clock.now();
    // Check the password first (without consuming the token), so a weak choice can be corrected with the same link.
    const owner = await this.credentials.userOfPasswordReset(tokenHash, now);
    if (!owner) throw invalidToken();
    const user = await this.users.getById(owner);
    assertAcceptablePassword(newPassword, { email: user.email, username: user.username }, 'new_password');
    await this.credentials.transaction(async (m) => {
      const userId = await this.credentials.consumePasswordReset(m, tokenHash, now);
      if (userId !== owner) throw invalidToken();
      await this.users.setPassword(userId, newPassword, m);
    });
  }
}
