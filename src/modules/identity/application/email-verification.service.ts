import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../../config/app-config.js';
import { Clock } from '../../../shared/clock/clock.js';
import { invalidFields } from '../../../shared/http/domain-error.js';
import { sha256 } from '../../../shared/security/tokens.js';
import { CredentialLimiter } from '../../../shared/throttling/credential-limiter.js';
import { EmailVerificationsRepository } from '../infrastructure/credentials.repository.js';
import { UsersService } from './users.service.js';

/** Port: sends the verification link. Provided by AccountMails (the shared mail transport); identity knows only this. */
export abstract class EmailVerificationMailer {
  abstract sendEmailVerification(
    to: { email: string; name: string; locale?: string | null },
    link: string,
    validHours: number,
  ): Promise<void>;
}

/** How long a verification link works. */
export const EMAIL_VERIFICATION_TTL_HOURS = 48;

/** A link that cannot be used (unknown, tampered, used, expired, or for an address the account no longer has). */
const invalidToken = () =>
  invalidFields([
    {
      field: 'token',
      code: 'invalid_or_expired',
      message: 'this verification link is invalid, was already used or has expired; ask for a new one',
    },
  ]);

/**
 * Email verification for hosts. A link is 32 random bytes, stored as SHA-256 with the address it was sent to, valid
 * EMAIL_VERIFICATION_TTL_HOURS, single-use (one UPDATE ... RETURNING takes it). Sending counts against the
 * credential limiter per account and per address, like a password-reset request (each one sends a mail), so the
 * "resend" button cannot be turned into a mail cannon. Google sign-ups start verified.
 */
@Injectable()
export class EmailVerificationService {
  private readonly logger = new Logger('EmailVerification');

  constructor(
    private readonly users: UsersService,
    private readonly links: EmailVerificationsRepository,
    private readonly mailer: EmailVerificationMailer,
    private readonly limiter: CredentialLimiter,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Sends a new link to the host's current address (a 429 past the limiter; nothing when already verified). The mail
   * goes after the answer: a slow SMTP server does not hold up the page.
   */
  async send(userId: string, address?: string | null): Promise<{ sent: boolean }> {
    const user = await this.users.getById(userId);
    if (user.emailVerified) return { sent: false };
    const subject = { account: user.email, address };
    await this.limiter.assertOpen(subject);
    await this.limiter.recordFailure(subject);
    const secret = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.links.insert(user.id, user.email, sha256(secret), new Date(now.getTime() + EMAIL_VERIFICATION_TTL_HOURS * 3_600_000), now);
    const link = `${this.config.publicUrl}/admin/verify-email?token=${encodeURIComponent(secret)}`;
    setImmediate(() => {
      this.mailer
        .sendEmailVerification({ email: user.email, name: user.name, locale: user.locale }, link, EMAIL_VERIFICATION_TTL_HOURS)
        .catch((error: unknown) => {
          this.logger.warn(`verification mail failed: ${(error as Error).message}`);
        });
    });
    return { sent: true };
  }

  /**
   * Whether a link would verify, without using it: the page a link opens asks for a click first, because mail
   * scanners and link prefetchers follow links, and a link opened by one must still work for its owner.
   */
  async check(token: string): Promise<void> {
    if (token.length === 0 || token.length > 200 || !(await this.links.isLive(sha256(token), this.clock.now()))) throw invalidToken();
  }

  /** Uses a link once; returns the verified host. A bad link is a 400 on `token`. */
  async verify(token: string): Promise<string> {
    if (token.length === 0 || token.length > 200) throw invalidToken();
    const userId = await this.links.consume(sha256(token), this.clock.now());
    if (!userId) throw invalidToken();
    return userId;
  }
}
