import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { Clock } from '../../../shared/clock/clock.js';
import { DomainError, invalid } from '../../../shared/http/domain-error.js';
import { queryOf } from '../../../shared/http/request.js';
import { CredentialLimiter, retryAfterOf } from '../../../shared/throttling/credential-limiter.js';
import { nameProblems } from '../domain/account-rules.js';
import { usernameCandidates } from '../domain/username.js';
import { CredentialsRepository } from '../infrastructure/credentials.repository.js';
import { type GoogleIdentity, GoogleOAuthStrategy } from '../infrastructure/google-oauth.strategy.js';
import { UsersService } from './users.service.js';

/** Why a Google sign-in did not sign anyone in; the admin turns each into a sentence on the login page. */
export type GoogleSignInRefusal =
  | 'cancelled' // the person said no on Google's consent screen
  | 'bad_state' // no, a forged, expired or replayed state: not started in this browser
  | 'failed' // Google's answer was unusable (code exchange or userinfo failed)
  | 'no_email' // a new account needs an email address, and Google shared none
  | 'unverified' // an account has this email, and Google has not verified that the person owns it
  | 'linked_elsewhere' // the account with this email is linked to another Google account
  | 'rate_limited';

export type GoogleSignInResult =
  { kind: 'signed_in'; userId: string; created: boolean } | { kind: 'refused'; reason: GoogleSignInRefusal; retryAfterSeconds?: number };

/**
 * Sign in with Google, for hosts. The Google account's `sub` is what identifies the person: a linked host is found
 * by it first. Otherwise an account with the same email is linked, but only when Google says the address is
 * verified (an unverified address proves nothing, and would hand the account to whoever typed it at Google). With
 * no such account, a new one is made (sign-up). Failures count against the credential limiter like a wrong password:
 * per client address, and per account when the email names one.
 */
@Injectable()
export class GoogleSignIn {
  private readonly logger = new Logger('GoogleSignIn');

  constructor(
    @Optional() @Inject(GoogleOAuthStrategy) private readonly strategy: GoogleOAuthStrategy | null,
    private readonly users: UsersService,
    private readonly credentials: CredentialsRepository,
    private readonly limiter: CredentialLimiter,
    private readonly clock: Clock,
  ) {}

  /** Off when no Google OAuth client is configured (or GOOGLE_SIGNIN_ENABLED=false): no button, the routes 404. */
  get enabled(): boolean {
    return this.strategy !== null;
  }

  /** Sends the browser to Google's consent screen, with a state bound to this browser. */
  async begin(req: FastifyRequest, res: FastifyReply): Promise<void> {
    // passport reads a `code` or `error` as a callback: the start route takes neither.
    if (queryOf(req).code || queryOf(req).error)
      throw invalid('this is where Google sign-in starts; Google answers on /admin/login/google/callback');
    const outcome = await this.oauth().run(req, res);
    if (outcome.kind !== 'answered')
      throw new Error(`Google sign-in could not start: ${outcome.kind === 'failed' ? outcome.reason : outcome.kind}`);
  }

  /**
   * The callback: checks the state, asks Google who this is, and finds, links or creates the host. `signUpZone`: the
   * browser's zone (checked by the caller), for a new host; UTC without it.
   */
  async complete(req: FastifyRequest, res: FastifyReply, signUpZone?: string | null): Promise<GoogleSignInResult> {
    const address: string | null = req.ip;
    try {
      await this.limiter.assertOpen({ address });
    } catch (error) {
      return this.tooMany(error);
    }
    // Without a code or an error this is no callback: passport would start a new sign-in instead.
    if (!queryOf(req).code && !queryOf(req).error) return this.refuse('bad_state', { address });
    const outcome = await this.oauth().run(req, res);
    switch (outcome.kind) {
      case 'identity':
        return this.signIn(outcome.identity, address, signUpZone ?? 'UTC');
      case 'cancelled':
        return { kind: 'refused', reason: 'cancelled' };
      case 'bad_state':
        return this.refuse('bad_state', { address });
      case 'failed':
        this.logger.warn(`Google sign-in failed: ${outcome.reason}`);
        return this.refuse('failed', { address });
      case 'answered':
        return this.refuse('bad_state', { address });
    }
  }

  private async signIn(identity: GoogleIdentity, address: string | null, zone = 'UTC'): Promise<GoogleSignInResult> {
    const linked = await this.credentials.userOfGoogleSubject(identity.subject);
    if (linked) return { kind: 'signed_in', userId: linked, created: false };
    if (!identity.email) return this.refuse('no_email', { address });
    const existing = await this.users.findByEmail(identity.email);
    if (existing) {
      const subject = { account: existing.email, address };
      try {
        await this.limiter.assertOpen(subject);
      } catch (error) {
        return this.tooMany(error);
      }
      if (!identity.emailVerified) return this.refuse('unverified', subject);
      if (!(await this.credentials.linkGoogleSubject(existing.id, identity.subject))) return this.refuse('linked_elsewhere', subject);
      this.logger.log(`linked a Google account to user ${existing.id}`);
      await this.credentials.markEmailVerified(existing.id, this.clock.now()); // Google verified this very address
      return { kind: 'signed_in', userId: existing.id, created: false };
    }
    return this.signUp(identity as GoogleIdentity & { email: string }, address, zone);
  }

  /**
   * A new host: name and email from Google, the first free username from the email, the browser's zone (UTC when
   * the browser said none; the welcome shows it to change), the starter schedule and meeting type (UsersService
   * signUp), the address verified when Google says so. The password is random and never shown: the host signs in
   * with Google, or sets one through "Forgot password?".
   */
  private async signUp(identity: GoogleIdentity & { email: string }, address: string | null, zone: string): Promise<GoogleSignInResult> {
    // A Google profile name the account rules refuse (a line break, 256+ characters) is replaced by the email's local part.
    const name = identity.name && nameProblems(identity.name.trim()).length === 0 ? identity.name : identity.email.split('@')[0];
    const candidates = [
      ...usernameCandidates(identity.email),
      `${usernameCandidates(identity.email)[0]}-${randomBytes(3).toString('hex')}`,
    ];
    for (const username of candidates) {
      if (await this.users.findByUsername(username)) continue;
      let userId: string;
      try {
        userId = (
          await this.users.signUp(
            { name, email: identity.email, username, timeZone: zone, password: randomBytes(32).toString('base64url') },
            { emailVerified: identity.emailVerified },
          )
        ).id;
      } catch (error) {
        const field = error instanceof DomainError && error.code === 'conflict' ? fieldOf(error) : null;
        if (field === 'username') continue; // taken between the look-up and the insert
        // A sign-up with this email just landed: the linking rules apply to it.
        if (field === 'email' && (await this.users.findByEmail(identity.email))) return this.signIn(identity, address, zone);
        throw error;
      }
      if (!(await this.credentials.linkGoogleSubject(userId, identity.subject))) {
        // The same Google account finished a parallel sign-up first: keep that one.
        await this.users.delete(userId);
        const winner = await this.credentials.userOfGoogleSubject(identity.subject);
        return winner ? { kind: 'signed_in', userId: winner, created: false } : this.refuse('failed', { address });
      }
      this.logger.log(`new user ${userId} signed up with Google`);
      return { kind: 'signed_in', userId, created: true };
    }
    return this.refuse('failed', { address });
  }

  private async refuse(reason: GoogleSignInRefusal, subject: { account?: string; address: string | null }): Promise<GoogleSignInResult> {
    await this.limiter.recordFailure(subject);
    return { kind: 'refused', reason };
  }

  private tooMany(error: unknown): GoogleSignInResult {
    const seconds = retryAfterOf(error);
    if (seconds === null) throw error;
    return { kind: 'refused', reason: 'rate_limited', retryAfterSeconds: seconds };
  }

  private oauth(): GoogleOAuthStrategy {
    if (!this.strategy) throw new DomainError('not_found', 'Sign in with Google is not enabled on this server');
    return this.strategy;
  }
}

function fieldOf(error: DomainError): string | null {
  return error.problems[0]?.field ?? null;
}
