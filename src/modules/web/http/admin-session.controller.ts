import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { retryAfterOf } from '../../../shared/throttling/credential-limiter.js';
import { UsersService } from '../../identity/application/users.service.js';
import { EmailVerificationService } from '../../identity/application/email-verification.service.js';
import { ZONE_ALIASES } from '../../../shared/validation/time-zone-name.js';
import { Public } from '../../../shared/http/authentication.js';
import { type WebRequest, WebSessions } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { allTimeZones } from '../domain/web-time.js';
import { SIGNUP_FORM_FIELDS, accountErrorsIn, placeAccountProblems, signupValuesOf, waitIn } from './account-form.js';
import { type Errors, type Form, expectDomainError, hasErrors, one } from './admin-forms.js';
import { i18nView, pageLocale } from './page-locale.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { googleSignInProblem } from './admin-google-sign-in.controller.js';

/** Logging in and out, and signing up. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Public()
@Controller('admin')
export class AdminSessionController {
  constructor(
    private readonly sessions: WebSessions,
    private readonly views: WebViews,
    private readonly users: UsersService,
    private readonly verifications: EmailVerificationService,
  ) {}

  @Get('login')
  loginForm(
    @Req() req: WebRequest,
    @Res() res: FastifyReply,
    @Query('next') next?: string,
    @Query('deleted') deleted?: string,
    @Query('reset') reset?: string,
    @Query('google') google?: string,
  ) {
    const loc = pageLocale(req, res);
    res.type('text/html; charset=utf-8').send(
      this.views.render('admin/login', {
        title: loc.t('admin.account.login.title'),
        i18n: i18nView(req, loc, false),
        csrf: this.sessions.csrfToken(req, res),
        next: safeNext(next),
        values: {},
        errors: {},
        errorSummary: googleSignInProblem(one(google), loc.t),
        notice: one(deleted) ? loc.t('admin.account.login.deleted') : one(reset) ? loc.t('admin.account.login.resetDone') : null,
      }),
    );
  }

  @Post('login')
  async login(@Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const email = one(body.email);
    let user: { id: string } | null = null;
    let retryAfter: number | null = null;
    try {
      user = email && one(body.password) ? await this.users.verifyPassword(email, one(body.password), req.ip) : null;
    } catch (error) {
      retryAfter = retryAfterOf(error);
      if (retryAfter === null) throw error;
    }
    if (!user) {
      const loc = pageLocale(req, res);
      if (retryAfter !== null) res.header('Retry-After', String(retryAfter));
      res
        .status(retryAfter !== null ? 429 : 401)
        .type('text/html; charset=utf-8')
        .send(
          this.views.render('admin/login', {
            title: loc.t('admin.account.login.title'),
            i18n: i18nView(req, loc, false),
            csrf: this.sessions.csrfToken(req, res),
            next: safeNext(one(body.next)),
            values: { email },
            errors: {},
            errorSummary:
              retryAfter !== null
                ? loc.t('admin.account.login.tooMany', { wait: waitIn(loc.locale, retryAfter) })
                : loc.t('admin.account.login.wrong'),
          }),
        );
      return;
    }
    await this.sessions.signIn(req, res, user.id);
    res.redirect(safeNext(one(body.next)) ?? '/admin', 303);
  }

  @Get('signup')
  signupForm(@Req() req: WebRequest, @Res() res: FastifyReply) {
    // UTC until the script preselects the browser's zone (data-detect-zone); without it the host picks from the list.
    res.type('text/html; charset=utf-8').send(this.signupPage(req, res, { time_zone: 'UTC' }, {}, true));
  }

  @Post('signup')
  async signup(@Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const v = signupValuesOf(body);
    const errors: Errors = {};
    try {
      // Identity checks every field in this one call, so every mistake comes back at once; the account comes with its
      // starter hours and meeting type (one transaction), so the host's page books at once.
      const { id } = await this.users.signUp(
        { name: v.name, email: v.email, username: v.username, timeZone: v.time_zone, password: v.password },
        { emailVerified: false },
      );
      await this.sessions.signIn(req, res, id);
      // The account stands either way: a refused or failed mail is sent again from the admin's banner.
      await this.verifications.send(id, req.ip).catch(() => undefined);
      res.redirect('/admin/welcome', 303);
      return;
    } catch (error) {
      placeAccountProblems(expectDomainError(error, 'invalid', 'conflict'), SIGNUP_FORM_FIELDS, errors);
    }
    res
      .status(400)
      .type('text/html; charset=utf-8')
      .send(this.signupPage(req, res, { ...v, password: '' }, errors));
  }

  @Post('logout')
  async logout(@Req() req: WebRequest, @Res() res: FastifyReply) {
    await this.sessions.signOut(req, res);
    res.redirect('/admin/login', 303);
  }

  private signupPage(req: WebRequest, res: FastifyReply, values: Record<string, string>, errors: Errors, detectZone = false) {
    const loc = pageLocale(req, res);
    const csrf = this.sessions.csrfToken(req, res);
    const shown = accountErrorsIn(loc, errors);
    return this.views.render('admin/signup', {
      title: loc.t('admin.account.signup.title'),
      i18n: i18nView(req, loc, false),
      csrf,
      values,
      errors: shown,
      detectZone,
      zoneAliases: JSON.stringify(ZONE_ALIASES),
      errorSummary: hasErrors(errors) ? (shown.form ?? loc.t('admin.account.signup.summary')) : null,
      zones: allTimeZones().map((z) => ({ value: z, selected: z === values.time_zone })),
    });
  }
}

/** Where to go after logging in: only back into the admin, never to another site. */
function safeNext(next: string | undefined): string | undefined {
  return next && next.startsWith('/admin') && !next.startsWith('//') ? next : undefined;
}
