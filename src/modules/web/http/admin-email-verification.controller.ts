import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser, Public } from '../../../shared/http/authentication.js';
import { retryAfterOf } from '../../../shared/throttling/credential-limiter.js';
import { EmailVerificationService } from '../../identity/application/email-verification.service.js';
import { AdminPages } from '../application/admin-pages.js';
import { type WebRequest, WebSessions } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { expectDomainError, one } from './admin-forms.js';
import { waitIn } from './account-form.js';
import { i18nView, pageLocale } from './page-locale.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/**
 * Email verification in the admin: the link from the mail (open to anyone holding it: it is the proof, whether or
 * not this browser is signed in) opens a page whose button verifies, and "resend" beside the layout's banner is
 * limited like "Forgot password?".
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

  /** The link from the mail: a page with one button (a GET must not act: scanners and prefetchers follow links). */
  @Public()
  @Get()
  async show(@Req() req: WebRequest, @Res() res: FastifyReply, @Query('token') token?: string) {
    const secret = one(token);
    let usable = false;
    try {
      await this.verifications.check(secret);
      usable = true;
    } catch (error) {
      expectDomainError(error, 'invalid');
    }
    await this.answer(req, res, usable ? { state: 'confirm', token: secret } : { state: 'invalid' });
  }

  /** The button: uses the link once (of concurrent clicks, one verifies). */
  @Public()
  @Post()
  async verify(@Req() req: WebRequest, @Res() res: FastifyReply, @Body() body: { token?: unknown } | undefined) {
    let verified = false;
    try {
      await this.verifications.verify(one(body?.token));
      verified = true;
    } catch (error) {
      expectDomainError(error, 'invalid');
    }
    await this.answer(req, res, { state: verified ? 'verified' : 'invalid' });
  }

  private async answer(
    req: WebRequest,
    res: FastifyReply,
    outcome: { state: 'confirm'; token: string } | { state: 'verified' | 'invalid' },
  ): Promise<void> {
    // The page carries a credential in its address or form: kept out of caches and Referer headers.
    res.header('Cache-Control', 'no-store');
    res.header('Referrer-Policy', 'no-referrer');
    const signedIn = (await this.sessions.userIdOf(req)) !== null;
    const loc = pageLocale(req, res);
    const invalid = outcome.state === 'invalid';
    const title = {
      confirm: 'admin.account.verify.confirmTitle',
      verified: 'admin.account.verify.okTitle',
      invalid: 'admin.account.verify.badTitle',
    } as const;
    res
      .status(invalid ? 400 : 200)
      .type('text/html; charset=utf-8')
      .send(
        this.views.render('admin/verify-email', {
          title: loc.t(title[outcome.state]),
          i18n: i18nView(req, loc, false),
          confirm: outcome.state === 'confirm' ? { token: outcome.token, csrfToken: this.sessions.csrfToken(req, res) } : null,
          verified: outcome.state === 'verified',
          signedIn,
          errorSummary: invalid ? loc.t('admin.account.verify.badLink') : null,
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
      const ctx = await this.pages.context(caller, req, res, (t) => t('admin.account.tooManyTitle'), 'welcome');
      res
        .status(429)
        .type('text/html; charset=utf-8')
        .send(
          this.views.render('admin/verify-email', {
            ...ctx,
            signedIn: true,
            errorSummary: ctx.loc.t('admin.account.tooManyRequests', { wait: waitIn(ctx.loc.locale, wait) }),
          }),
        );
    }
  }
}
