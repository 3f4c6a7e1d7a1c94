import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { retryAfterOf } from '../../../shared/throttling/credential-limiter.js';
import { PasswordResetService } from '../../identity/application/password-reset.service.js';
import { Public } from '../../../shared/http/authentication.js';
import { type WebRequest, WebSessions } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { type Errors, type Form, type FormFields, expectDomainError, one, placeProblems, placedBy } from './admin-forms.js';
import { accountErrorsIn, waitIn } from './account-form.js';
import { i18nView, pageLocale } from './page-locale.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/** The "Forgot password?" form's one field → the reset request's field. */
const REQUEST_FORM_FIELDS = { email: 'email' } as const satisfies FormFields;
/** The new-password form's fields → the password reset's fields. */
const RESET_FORM_FIELDS = { token: 'token', new_password: 'new_password' } as const satisfies FormFields;

/** "Forgot password?": ask for a reset link, then choose a new password with it (identity's PasswordResetService). */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin')
export class AdminPasswordResetController {
  constructor(
    private readonly sessions: WebSessions,
    private readonly views: WebViews,
    private readonly passwordResets: PasswordResetService,
  ) {}

  @Public()
  @Get('forgot-password')
  forgotForm(@Req() req: WebRequest, @Res() res: FastifyReply) {
    const loc = pageLocale(req, res);
    res.type('text/html; charset=utf-8').send(
      this.views.render('admin/forgot-password', {
        title: loc.t('admin.account.forgot.title'),
        i18n: i18nView(req, loc, false),
        csrf: this.sessions.csrfToken(req, res),
        values: {},
        errors: {},
      }),
    );
  }

  /** The same page whether or not the account exists (no enumeration); only a malformed address or 429 differ. */
  @Public()
  @Post('forgot-password')
  async forgot(@Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const email = one(body.email);
    const loc = pageLocale(req, res);
    const render = (status: number, extra: Record<string, unknown>) =>
      res
        .status(status)
        .type('text/html; charset=utf-8')
        .send(
          this.views.render('admin/forgot-password', {
            title: loc.t('admin.account.forgot.title'),
            i18n: i18nView(req, loc, false),
            csrf: this.sessions.csrfToken(req, res),
            values: { email },
            errors: {},
            ...extra,
          }),
        );
    try {
      await this.passwordResets.request(email, req.ip);
    } catch (error) {
      const wait = retryAfterOf(error);
      if (wait !== null) {
        res.header('Retry-After', String(wait));
        render(429, { errorSummary: loc.t('admin.account.tooManyRequests', { wait: waitIn(loc.locale, wait) }) });
        return;
      }
      const errors: Errors = {};
      placeProblems(expectDomainError(error, 'invalid'), placedBy(REQUEST_FORM_FIELDS), errors, { otherwise: 'email' });
      render(400, { errors, errorSummary: loc.t('admin.account.forgot.summary') });
      return;
    }
    render(200, { sent: true, values: {} });
  }

  @Public()
  @Get('reset-password')
  async resetForm(@Req() req: WebRequest, @Res() res: FastifyReply, @Query('token') token?: string) {
    const t = one(token);
    noStore(res);
    const live = t.length > 0 && t.length <= 200 && (await this.passwordResets.isLive(t));
    const loc = pageLocale(req, res);
    res
      .status(live ? 200 : 400)
      .type('text/html; charset=utf-8')
      .send(
        this.views.render('admin/reset-password', {
          title: loc.t('admin.account.reset.title'),
          i18n: i18nView(req, loc, false),
          csrf: this.sessions.csrfToken(req, res),
          token: live ? t : null,
          errors: {},
          errorSummary: live ? null : loc.t('admin.account.reset.badLink'),
        }),
      );
  }

  @Public()
  @Post('reset-password')
  async reset(@Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const token = one(body.token);
    const next = typeof body.new_password === 'string' ? body.new_password : '';
    const errors: Errors = {};
    if (next !== (typeof body.confirm_password === 'string' ? body.confirm_password : ''))
      errors.confirm_password = 'admin.profile.err.passwordsDiffer';
    noStore(res);
    const loc = pageLocale(req, res);
    if (Object.keys(errors).length === 0) {
      try {
        await this.passwordResets.confirm(token.slice(0, 200), next);
        await this.sessions.signOut(req, res);
        res.redirect('/admin/login?reset=1', 303);
        return;
      } catch (error) {
        // A refusal naming no field is about the link (used, expired or unknown).
        placeProblems(expectDomainError(error, 'invalid'), placedBy(RESET_FORM_FIELDS), errors, {
          words: { new_password: 'the password' },
          otherwise: 'token',
        });
      }
    }
    res
      .status(400)
      .type('text/html; charset=utf-8')
      .send(
        this.views.render('admin/reset-password', {
          title: loc.t('admin.account.reset.title'),
          i18n: i18nView(req, loc, false),
          csrf: this.sessions.csrfToken(req, res),
          token: errors.token ? null : token,
          errors: accountErrorsIn(loc, errors),
          errorSummary: errors.token ?? loc.t('admin.profile.summary.password'),
        }),
      );
  }
}

/** Pages carrying a reset token: kept out of caches and Referer headers. */
function noStore(res: FastifyReply) {
  res.header('Cache-Control', 'no-store');
  res.header('Referrer-Policy', 'no-referrer');
}
