import { Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser, Public } from '../../../shared/http/authentication.js';
import { retryAfterOf } from '../../../shared/throttling/credential-limiter.js';
import { EmailVerificationService } from '../../identity/application/email-verification.service.js';
import { AdminPages } from '../application/admin-pages.js';
import { type WebRequest, WebSessions } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { expectDomainError, one, waitLabel } from './admin-forms.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/**
 * Email verification in the admin: the link from the mail (open to anyone holding it: it is the proof, whether or
 * not this browser is signed in), and "resend" beside the layout's banner, limited like "Forgot password?".
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/verify-email')
export class AdminEmailVerificationController {
  constructor(
    private readonly sessions: WebSessions,
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly verifications: EmailVerificationService,
  ) {}

  @Public()
  @Get()
  async verify(@Req() req: WebRequest, @Res() res: FastifyReply, @Query('token') token?: string) {
    // The page carries a credential in its address: kept out of caches and Referer headers.
    res.header('Cache-Control', 'no-store');
    res.header('Referrer-Policy', 'no-referrer');
    let verified = false;
    try {
      await this.verifications.verify(one(token));
      verified = true;
    } catch (error) {
      expectDomainError(error, 'invalid');
    }
    const signedIn = (await this.sessions.userIdOf(req)) !== null;
    res
      .status(verified ? 200 : 400)
      .type('text/html; charset=utf-8')
      .send(
        this.views.render('admin/verify-email', {
          title: verified ? 'Email verified' : 'Verification link not valid',
          verified,
          signedIn,
          errorSummary: verified
            ? null
            : 'This verification link is invalid, was already used or has expired. Log in and ask for a new one from the banner at the top of the page.',
        }),
      );
  }

  @Post('resend')
  async resend(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply) {
    try {
      const { sent } = await this.verifications.send(caller.id, req.ip);
      res.redirect(sent ? '/admin?verify=sent' : '/admin', 303);
      return;
    } catch (error) {
      const wait = retryAfterOf(error);
      if (wait === null) throw error;
      res.header('Retry-After', String(wait));
      res
        .status(429)
        .type('text/html; charset=utf-8')
        .send(
          this.views.render('admin/verify-email', {
            ...(await this.pages.context(caller, req, res, 'Too many requests', 'welcome')),
            signedIn: true,
            errorSummary: `Too many requests. Please retry later (in about ${waitLabel(wait)}).`,
          }),
        );
    }
  }
}
