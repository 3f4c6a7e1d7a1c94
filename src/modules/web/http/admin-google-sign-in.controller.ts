import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { notFound } from '../../../shared/http/domain-error.js';
import { GoogleSignIn, type GoogleSignInRefusal } from '../../identity/application/google-sign-in.service.js';
import { Public } from '../../../shared/http/authentication.js';
import { type WebRequest, WebSessions } from '../application/web-session.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { queryOf, replySent } from '../../../shared/http/request.js';
import { canonicalTimeZone } from '../../../shared/validation/time-zone.js';

/** The browser's zone for a Google sign-up, from the start link's `?tz=` (added by kairos.js) to the callback. */
const SIGNUP_ZONE_COOKIE = 'kairos_signup_tz';
const SIGNUP_ZONE_PATH = '/admin/login/google';

/** What the login page says after a Google sign-in that signed no one in (`/admin/login?google=<reason>`). */
const REFUSALS: Record<GoogleSignInRefusal, string> = {
  cancelled: 'Google sign-in was cancelled. Log in with your password, or try Google again.',
  bad_state: 'That Google sign-in was not started from this browser, or took too long. Please try again.',
  failed: 'Google sign-in did not work this time. Please try again in a moment.',
  no_email: 'Your Google account did not share an email address, so no account could be made. Please sign up with a password.',
  unverified:
    'An account with this email address exists, and Google has not verified that the address is yours, so the ' +
    'accounts were not linked. Log in with your password instead (or verify the address with Google and try again).',
  linked_elsewhere:
    'The account with this email address is linked to a different Google account. Log in with that one, or with your password.',
  rate_limited: 'Too many failed attempts. Please retry later, or reset your password.',
};

/** The login page's sentence for `?google=<reason>`, or null. */
export function googleSignInProblem(reason: string | undefined): string | null {
  return reason && Object.hasOwn(REFUSALS, reason) ? REFUSALS[reason as GoogleSignInRefusal] : null;
}

/**
 * "Sign in with Google" for hosts: the button on the login and sign-up pages leads here. Both routes answer 404 when
 * the server has no Google OAuth client. A new host lands on the welcome (as after sign-up), others on the
 * dashboard; a refusal goes back to the login page with a sentence.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/login/google')
export class AdminGoogleSignInController {
  constructor(
    private readonly google: GoogleSignIn,
    private readonly sessions: WebSessions,
  ) {}

  @Public()
  @Get()
  async start(@Req() req: WebRequest, @Res() res: FastifyReply) {
    if (!this.google.enabled) throw notFound('page');
    const zone = canonicalTimeZone(queryOf(req).tz);
    if (zone) res.setCookie(SIGNUP_ZONE_COOKIE, zone, { httpOnly: true, sameSite: 'lax', path: SIGNUP_ZONE_PATH, maxAge: 900 });
    await this.google.begin(req, res);
  }

  @Public()
  @Get('callback')
  async callback(@Req() req: WebRequest, @Res() res: FastifyReply) {
    if (!this.google.enabled) throw notFound('page');
    const zone = canonicalTimeZone(req.cookies[SIGNUP_ZONE_COOKIE]);
    if (req.cookies[SIGNUP_ZONE_COOKIE] !== undefined) res.clearCookie(SIGNUP_ZONE_COOKIE, { path: SIGNUP_ZONE_PATH });
    const result = await this.google.complete(req, res, zone);
    if (replySent(res)) return;
    if (result.kind === 'refused') {
      if (result.retryAfterSeconds) res.header('Retry-After', String(result.retryAfterSeconds));
      res.redirect(`/admin/login?google=${result.reason}`, 303);
      return;
    }
    await this.sessions.signIn(req, res, result.userId);
    res.redirect(result.created ? '/admin/welcome' : '/admin', 303);
  }
}
