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
import { type MessageKey, type Translate, translatorFor } from '../../../shared/i18n/i18n.js';

/** The browser's zone for a Google sign-up, from the start link's `?tz=` (added by kairos.js) to the callback. */
const SIGNUP_ZONE_COOKIE = 'kairos_signup_tz';
const SIGNUP_ZONE_PATH = '/admin/login/google';

/** What the login page says after a Google sign-in that signed no one in (`/admin/login?google=<reason>`). */
const REFUSALS: Record<GoogleSignInRefusal, MessageKey> = {
  cancelled: 'admin.account.google.cancelled',
  bad_state: 'admin.account.google.badState',
  failed: 'admin.account.google.failed',
  no_email: 'admin.account.google.noEmail',
  unverified: 'admin.account.google.unverified',
  linked_elsewhere: 'admin.account.google.linkedElsewhere',
  rate_limited: 'admin.account.google.rateLimited',
};

/** The login page's sentence for `?google=<reason>` in the page's language, or null. */
export function googleSignInProblem(reason: string | undefined, t: Translate = translatorFor('en')): string | null {
  return reason && Object.hasOwn(REFUSALS, reason) ? t(REFUSALS[reason as GoogleSignInRefusal]) : null;
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
