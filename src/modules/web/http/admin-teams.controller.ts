import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import Handlebars from 'handlebars';
import type { MessageKey } from '../../../shared/i18n/i18n.js';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../../config/app-config.js';
import { uuidParam } from '../../../shared/http/params.js';
import { UsersService } from '../../identity/application/users.service.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { type InvitationPreview, TeamsService } from '../../teams/application/teams.service.js';
import { type AdminLocale, AdminPages, adminLocale } from '../application/admin-pages.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { EMAIL, type Errors, type Form, expectDomainError, hasErrors, one, sentence } from './admin-forms.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { singleLineProblem } from '../../../shared/validation/text.js';

const TEAM_NAME_MAX = 255; // as the API allows

/** Why a join link cannot be used, in the words the invited host reads. */
const JOIN_PROBLEMS: Record<Exclude<InvitationPreview['state'], 'open'>, MessageKey> = {
  unknown: 'admin.teams.join.unknown',
  'other-user': 'admin.teams.join.otherUser',
  used: 'admin.teams.join.used',
  expired: 'admin.teams.join.expired',
};

/** Per-team form state: which team an invitation form belongs to, its answer and its one-time link. */
interface InviteState {
  teamId: string;
  email?: string;
  error?: string;
  link?: string;
  sentTo?: string;
}

/**
 * Teams in the admin: create a team, invite colleagues by a link shown once (Kairos sends no invitation email),
 * remove members or leave, and the join page an invited host opens to accept.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/teams')
export class AdminTeamsController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly teams: TeamsService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async list(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply, @Query('done') done?: string) {
    const notices: Partial<Record<string, MessageKey>> = {
      created: 'admin.teams.done.created',
      removed: 'admin.teams.done.removed',
      left: 'admin.teams.done.left',
      joined: 'admin.teams.done.joined',
    };
    const { t } = await this.locale(caller);
    const notice = notices[one(done)];
    res.type('text/html; charset=utf-8').send(await this.page(caller, req, res, { notice: notice ? t(notice) : null }));
  }

  @Post()
  async create(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const name = one(body.name);
    const { t } = await this.locale(caller);
    const errors: Errors = {};
    const lineProblem = singleLineProblem(name);
    if (!name) errors.name = t('admin.teams.err.nameEmpty');
    else if (name.length > TEAM_NAME_MAX) errors.name = t('admin.teams.err.nameLong', { max: TEAM_NAME_MAX });
    else if (lineProblem)
      errors.name = t(lineProblem.includes('bidirectional') ? 'admin.teams.err.nameBidi' : 'admin.teams.err.nameControl');
    if (!hasErrors(errors)) {
      try {
        await this.teams.create(caller.id, name);
        res.redirect('/admin/teams?done=created', 303);
        return;
      } catch (error) {
        errors.name = sentence(expectDomainError(error, 'invalid').message.replace(/^name /, 'the name '));
      }
    }
    res
      .status(400)
      .type('text/html; charset=utf-8')
      .send(await this.page(caller, req, res, { name, errors, errorSummary: t('admin.teams.summary.field') }));
  }

  @Get('join')
  async joinForm(
    @CurrentUser() caller: AuthenticatedUser,
    @Req() req: WebRequest,
    @Res() res: FastifyReply,
    @Query('token') token?: string,
  ) {
    const value = one(token);
    const preview = await this.teams.previewInvitation(caller.id, value);
    const status = preview.state === 'open' ? 200 : preview.state === 'unknown' ? 404 : preview.state === 'other-user' ? 403 : 410;
    res
      .status(status)
      .type('text/html; charset=utf-8')
      .send(await this.joinPage(caller, req, res, value, preview));
  }

  @Post('join')
  async join(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const token = one(body.token);
    if (!token) {
      res
        .status(404)
        .type('text/html; charset=utf-8')
        .send(await this.joinPage(caller, req, res, token, { state: 'unknown' }));
      return;
    }
    try {
      await this.teams.accept(caller.id, token);
    } catch (error) {
      // Whatever accept refused, the page says why in the same words as before pressing Accept.
      const code = expectDomainError(error, 'not_found', 'forbidden', 'gone').code;
      const preview = await this.teams.previewInvitation(caller.id, token);
      const shown: InvitationPreview = preview.state === 'open' ? { state: 'used' } : preview; // lost a race with another accept
      const status = code === 'not_found' ? 404 : code === 'forbidden' ? 403 : 410;
      res
        .status(status)
        .type('text/html; charset=utf-8')
        .send(await this.joinPage(caller, req, res, token, shown));
      return;
    }
    res.redirect('/admin/teams?done=joined', 303);
  }

  @Post(':id/invitations')
  async invite(
    @CurrentUser() caller: AuthenticatedUser,
    @Req() req: WebRequest,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: Form,
    @Res() res: FastifyReply,
  ) {
    const email = one(body.email);
    const { t } = await this.locale(caller);
    let error: string | undefined;
    if (!EMAIL.test(email) || email.length > 255) error = t('admin.teams.err.email');
    else {
      try {
        const { invitation, token } = await this.teams.invite(caller.id, id, email);
        const link = `${this.config.publicUrl}/admin/teams/join?token=${encodeURIComponent(token)}`;
        res
          .status(201)
          .type('text/html; charset=utf-8')
          .send(await this.page(caller, req, res, { invite: { teamId: id, link, sentTo: invitation.email } }));
        return;
      } catch (e) {
        error = sentence(expectDomainError(e, 'conflict', 'invalid').message);
      }
    }
    res
      .status(400)
      .type('text/html; charset=utf-8')
      .send(
        await this.page(caller, req, res, {
          invite: { teamId: id, email, error },
          errorSummary: t('admin.teams.summary.field'),
        }),
      );
  }

  @Post(':id/members/:userId/remove')
  async removeMember(
    @CurrentUser() caller: AuthenticatedUser,
    @Req() req: WebRequest,
    @Param('id', uuidParam('id')) id: string,
    @Param('userId', uuidParam('userId')) userId: string,
    @Res() res: FastifyReply,
  ) {
    try {
      await this.teams.removeMember(caller.id, id, userId);
    } catch (error) {
      // The last-admin rule: nothing changed, and the page says what to do instead.
      const message = sentence(expectDomainError(error, 'invalid').message);
      res
        .status(400)
        .type('text/html; charset=utf-8')
        .send(await this.page(caller, req, res, { problem: message }));
      return;
    }
    res.redirect(`/admin/teams?done=${userId === caller.id ? 'left' : 'removed'}`, 303);
  }

  private async page(
    caller: AuthenticatedUser,
    req: WebRequest,
    res: FastifyReply,
    state: {
      name?: string;
      errors?: Errors;
      errorSummary?: string;
      notice?: string | null;
      problem?: string;
      invite?: InviteState;
    },
  ) {
    const ctx = await this.pages.context(caller, req, res, (t) => t('admin.teams.title'), 'teams');
    const views = await Promise.all((await this.teams.listForUser(caller.id)).map((t) => this.teams.getForMember(caller.id, t.team.id)));
    const userIds = [...new Set(views.flatMap((v) => (v.members ?? []).map((m) => m.userId)))];
    const emails = new Map((await this.users.findByIds(userIds)).map((u) => [u.id, u.email]));
    const errors = state.errors ?? {};
    const invite = state.invite;
    return this.views.render('admin/teams', {
      ...ctx,
      values: { name: state.name ?? '' },
      errors,
      errorSummary: hasErrors(errors) || invite?.error ? (state.errorSummary ?? null) : null,
      notice: state.notice ?? null,
      problem: state.problem ?? null,
      teams: views.map((v) => {
        const isAdmin = v.role === 'admin';
        const mine = invite?.teamId === v.team.id ? invite : undefined;
        return {
          id: v.team.id,
          name: v.team.name,
          isAdmin,
          role: v.role,
          members: (v.members ?? []).map((m) => ({
            userId: m.userId,
            name: m.name,
            email: emails.get(m.userId) ?? '',
            role: ctx.loc.t(m.role === 'admin' ? 'admin.teams.role.admin' : 'admin.teams.role.member'),
            isMe: m.userId === caller.id,
            removable: isAdmin && m.userId !== caller.id,
          })),
          invite: isAdmin
            ? { email: mine?.email ?? '', error: mine?.error ?? null, link: mine?.link ?? null, sentTo: mine?.sentTo ?? null }
            : null,
        };
      }),
    });
  }

  /** The caller's admin language, for messages built before the page (the page's context reads the same choice). */
  private async locale(caller: AuthenticatedUser): Promise<AdminLocale> {
    return adminLocale((await this.users.getById(caller.id)).locale);
  }

  private async joinPage(caller: AuthenticatedUser, req: WebRequest, res: FastifyReply, token: string, preview: InvitationPreview) {
    const ctx = await this.pages.context(caller, req, res, (t) => t('admin.teams.join.title'), 'teams');
    const teamName = preview.state === 'open' ? preview.teamName : null;
    return this.views.render('admin/team-join', {
      ...ctx,
      token,
      teamName,
      // The team's name as HTML for the message (escaped here; the `t` helper inserts a SafeString as is).
      teamStrong:
        teamName === null
          ? null
          : new Handlebars.SafeString(`<strong id="join-team-name">${Handlebars.escapeExpression(teamName)}</strong>`),
      problem: preview.state === 'open' ? null : ctx.loc.t(JOIN_PROBLEMS[preview.state]),
    });
  }
}
