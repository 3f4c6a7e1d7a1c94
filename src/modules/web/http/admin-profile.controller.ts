import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { retryAfterOf } from '../../../shared/throttling/credential-limiter.js';
import { UsersService } from '../../identity/application/users.service.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { PrivacyService } from '../../privacy/application/privacy.service.js';
import { AdminPages } from '../application/admin-pages.js';
import { type WebRequest, WebSessions } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { allTimeZones } from '../domain/web-time.js';
import { type Errors, type Form, expectDomainError, hasErrors, one } from './admin-forms.js';
import type { MessageKey } from '../../../shared/i18n/i18n.js';
import { LOCALE_NAMES, SUPPORTED_LOCALES } from '../../../shared/i18n/locales.js';
import { PROFILE_FORM_FIELDS, accountErrorsIn, placeAccountProblems, tooMany } from './account-form.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { AppConfig } from '../../../config/app-config.js';
import { embedOriginLines, embedOriginsError } from './embed-settings-form.js';

/** The host's own account: profile, email, password, and the GDPR export and erasure. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/profile')
export class AdminProfileController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly users: UsersService,
    private readonly privacy: PrivacyService,
    private readonly sessions: WebSessions,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async show(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply, @Query('saved') saved?: string) {
    const notices: Record<string, MessageKey> = {
      profile: 'admin.profile.saved.profile',
      email: 'admin.profile.saved.email',
      password: 'admin.profile.saved.password',
      embed: 'admin.profile.saved.embed',
    };
    const key = one(saved);
    const notice = Object.hasOwn(notices, key) ? notices[key] : null;
    res.type('text/html; charset=utf-8').send(await this.page(caller, req, res, {}, {}, null, notice ?? null));
  }

  @Post()
  async saveProfile(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const v = { name: one(body.name), username: one(body.username), time_zone: one(body.time_zone), locale: one(body.locale) };
    const errors: Errors = {};
    // The language: what PATCH /api/users/me {locale} sets (absent from the form: unchanged).
    const locale = v.locale === '' ? undefined : v.locale;
    try {
      // Identity checks the name, username, zone and language together: every mistake comes back at once.
      await this.users.update(caller.id, { name: v.name, username: v.username, timeZone: v.time_zone, locale });
      res.redirect('/admin/profile?saved=profile', 303);
      return;
    } catch (error) {
      const refusal = expectDomainError(error, 'invalid', 'conflict');
      placeAccountProblems(refusal, PROFILE_FORM_FIELDS, errors, 'username');
      if (refusal.problems.some((p) => p.field === 'locale')) errors.locale = 'admin.profile.err.locale';
    }
    res
      .status(400)
      .type('text/html; charset=utf-8')
      .send(await this.page(caller, req, res, v, errors, 'admin.profile.summary.profile', null));
  }

  @Post('email')
  async changeEmail(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const email = one(body.email);
    const errors: Errors = {};
    if (!one(body.password)) errors.email_password = 'admin.profile.err.emailPassword';
    else if (!(await this.passwordOk(caller, req, res, one(body.password), errors, 'email_password')))
      errors.email_password ??= 'admin.profile.err.wrongPassword';
    if (!hasErrors(errors)) {
      try {
        await this.users.update(caller.id, { email });
        // The change revoked every session, this one included: the person who made it stays signed in.
        await this.sessions.signIn(req, res, caller.id);
        res.redirect('/admin/profile?saved=email', 303);
        return;
      } catch (error) {
        placeAccountProblems(expectDomainError(error, 'invalid', 'conflict'), PROFILE_FORM_FIELDS, errors, 'email');
      }
    }
    if (res.statusCode !== 429) res.status(400);
    res.type('text/html; charset=utf-8').send(await this.page(caller, req, res, { email }, errors, 'admin.profile.summary.email', null));
  }

  @Post('password')
  async changePassword(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const current = one(body.current_password);
    const next = typeof body.new_password === 'string' ? body.new_password : '';
    const errors: Errors = {};
    // Only the form knows these two: the current password's box left empty, and the confirmation.
    if (!current) errors.current_password = 'admin.profile.err.currentPassword';
    if (next !== (typeof body.confirm_password === 'string' ? body.confirm_password : ''))
      errors.confirm_password = 'admin.profile.err.passwordsDiffer';
    if (!hasErrors(errors)) {
      try {
        if (await this.users.changePassword(caller.id, current, next, req.ip)) {
          // Every session was revoked, this one included: re-issue it so the person who changed it stays signed in.
          await this.sessions.signIn(req, res, caller.id);
          res.redirect('/admin/profile?saved=password', 303);
          return;
        }
        errors.current_password = 'admin.profile.err.wrongPassword';
      } catch (error) {
        const wait = retryAfterOf(error);
        if (wait !== null) {
          res.header('Retry-After', String(wait));
          errors.current_password = tooMany(wait);
          res.status(429);
        } else {
          placeAccountProblems(expectDomainError(error, 'invalid'), PROFILE_FORM_FIELDS, errors, 'new_password');
        }
      }
    }
    if (res.statusCode !== 429) res.status(400);
    res.type('text/html; charset=utf-8').send(await this.page(caller, req, res, {}, errors, 'admin.profile.summary.password', null));
  }

  /** "Embed on your website" (issue #18): the origins allowed to frame the booking pages, one a line. */
  @Post('embed')
  async saveEmbedOrigins(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const text = typeof body.embed_origins === 'string' ? body.embed_origins : '';
    const lines = embedOriginLines(text);
    const errors: Errors = {};
    try {
      await this.users.update(caller.id, { embedOrigins: lines.map((l) => l.origin) });
      res.redirect('/admin/profile?saved=embed', 303);
      return;
    } catch (error) {
      errors.embed_origins = embedOriginsError(expectDomainError(error, 'invalid'), lines);
    }
    res
      .status(400)
      .type('text/html; charset=utf-8')
      .send(await this.page(caller, req, res, { embed_origins: text }, errors, 'admin.profile.summary.embed', null));
  }

  /** GDPR access and portability: everything the privacy module exports, as a file. */
  @Get('export')
  async exportData(@CurrentUser() caller: AuthenticatedUser, @Res() res: FastifyReply) {
    const data = await this.privacy.export(caller.id);
    res.header('Content-Disposition', 'attachment; filename="kairos-export.json"');
    res.header('Cache-Control', 'no-store');
    res.type('application/json; charset=utf-8').send(JSON.stringify(data, null, 2));
  }

  /**
   * GDPR erasure: typing the username guards against a stray click, the current password against a borrowed
   * session; then the session ends with the account.
   */
  @Post('delete')
  async deleteAccount(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const me = await this.users.getById(caller.id);
    const errors: Errors = {};
    if (one(body.confirm).toLowerCase() !== me.username.toLowerCase()) errors.confirm = 'admin.profile.err.confirmUsername';
    const password = typeof body.password === 'string' ? body.password : '';
    if (!password) errors.delete_password = 'admin.profile.err.deletePassword';
    else if (!hasErrors(errors) && !(await this.passwordOk(caller, req, res, password, errors, 'delete_password')))
      errors.delete_password ??= 'admin.profile.err.wrongPassword';
    if (hasErrors(errors)) {
      if (res.statusCode !== 429) res.status(400);
      res.type('text/html; charset=utf-8').send(await this.page(caller, req, res, {}, errors, 'admin.profile.summary.delete', null));
      return;
    }
    await this.privacy.deleteAccount(caller.id);
    await this.sessions.signOut(req, res);
    res.redirect('/admin/login?deleted=1', 303);
  }

  /** Checks the current password through the credential limiter; a 429 is shown beside `field` with Retry-After. */
  private async passwordOk(
    caller: AuthenticatedUser,
    req: WebRequest,
    res: FastifyReply,
    password: string,
    errors: Errors,
    field: string,
  ): Promise<boolean> {
    try {
      return await this.users.checkPassword(caller.id, password, req.ip);
    } catch (error) {
      const wait = retryAfterOf(error);
      if (wait === null) throw error;
      res.header('Retry-After', String(wait));
      res.status(429);
      errors[field] = tooMany(wait);
      return false;
    }
  }

  private async page(
    caller: AuthenticatedUser,
    req: WebRequest,
    res: FastifyReply,
    values: Record<string, string>,
    errors: Errors,
    summary: MessageKey | null,
    notice: MessageKey | null,
  ) {
    const ctx = await this.pages.context(caller, req, res, (t) => t('admin.profile.title'), 'profile');
    const user = await this.users.getById(caller.id);
    const v = {
      name: user.name,
      username: user.username,
      time_zone: user.timeZone,
      locale: ctx.loc.locale as string,
      email: '',
      embed_origins: user.embedOrigins.join('\n'),
      ...values,
    };
    const base = this.config.publicUrl;
    return this.views.render('admin/profile', {
      ...ctx,
      values: v,
      currentEmail: user.email,
      zones: allTimeZones().map((z) => ({ value: z, selected: z === v.time_zone })),
      languages: SUPPORTED_LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l], selected: l === v.locale })),
      embedSnippet: `<script src="${base}/embed.js" async></script>\n<div data-kairos-inline data-url="${base}/${user.username}"></div>`,
      embedAllowed: user.embedOrigins.length > 0,
      errors: accountErrorsIn(ctx.loc, errors, { username: user.username }),
      errorSummary: hasErrors(errors) && summary ? ctx.loc.t(summary) : null,
      notice: notice ? ctx.loc.t(notice) : null,
    });
  }
}
