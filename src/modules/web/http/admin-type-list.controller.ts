import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../../config/app-config.js';
import { toErrorBody } from '../../../shared/http/http-exception.filter.js';
import { uuidParam } from '../../../shared/http/params.js';
import { queryOf } from '../../../shared/http/request.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { AdminPages, adminLocale } from '../application/admin-pages.js';
import { UsersService } from '../../identity/application/users.service.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { type Form, one, sentence } from './admin-forms.js';
import type { Translate } from '../../../shared/i18n/i18n.js';
import { kindOptions } from './meeting-type-form.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/**
 * The meeting types list (issue #18): each type's booking link to copy, an on/off switch and "Duplicate". Each is a
 * form that posts and redirects; public/type-list.js copies to the clipboard and turns the switch without a reload.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/meeting-types')
export class AdminTypeListController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly meetingTypes: MeetingTypesService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async list(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply) {
    const query = queryOf(req);
    const notice = one(query.saved)
      ? 'admin.types.saved'
      : one(query.switched) === 'on'
        ? 'admin.types.turnedOn'
        : one(query.switched) === 'off'
          ? 'admin.types.turnedOff'
          : null;
    await this.render(caller, req, res, 200, notice, null);
  }

  /** The on/off switch: `is_active` 1 or 0. A script asking for JSON gets `{is_active}`; a plain post is redirected. */
  @Post(':id/active')
  async setActive(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Req() req: WebRequest,
    @Body() body: Form,
    @Res() res: FastifyReply,
  ) {
    const wanted = one(body.is_active);
    const wantsJson = (req.headers.accept ?? '').includes('application/json');
    if (wanted !== '1' && wanted !== '0') {
      if (wantsJson) res.status(400).send({ status_code: 400, error: 'Bad Request', message: 'is_active must be 1 or 0' });
      else await this.render(caller, req, res, 400, null, (t) => t('admin.types.chooseOnOff'));
      return;
    }
    await this.meetingTypes.get(caller.id, id); // 404 for another host's type, before anything else
    try {
      const saved = await this.meetingTypes.update(caller.id, id, { isActive: wanted === '1' });
      if (wantsJson) res.send({ is_active: saved.snapshot.isActive });
      else res.redirect(`/admin/meeting-types?switched=${saved.snapshot.isActive ? 'on' : 'off'}`, 303);
    } catch (error) {
      // A type whose settings went stale (a team left, Zoom disconnected) cannot be saved as it is: say so.
      const refusal = toErrorBody(error);
      if (refusal.status_code >= 500) throw error;
      const { t } = adminLocale((await this.users.getById(caller.id)).locale);
      const problem = t('admin.types.cannotSwitch', { reason: sentence(refusal.message) });
      if (wantsJson) res.status(refusal.status_code).send({ ...refusal, message: problem });
      else await this.render(caller, req, res, refusal.status_code, null, () => problem);
    }
  }

  /** "Duplicate": the copy (off until turned on) opens in the editor. */
  @Post(':id/duplicate')
  async duplicate(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Req() req: WebRequest,
    @Res() res: FastifyReply,
  ) {
    try {
      const copy = await this.meetingTypes.duplicate(caller.id, id);
      res.redirect(`/admin/meeting-types/${copy.snapshot.id}?copied=1`, 303);
    } catch (error) {
      const refusal = toErrorBody(error);
      if (refusal.status_code === 404 || refusal.status_code >= 500) throw error;
      await this.render(caller, req, res, refusal.status_code, null, (t) =>
        t('admin.types.cannotDuplicate', { reason: sentence(refusal.message) }),
      );
    }
  }

  private async render(
    caller: AuthenticatedUser,
    req: WebRequest,
    res: FastifyReply,
    status: number,
    notice: 'admin.types.saved' | 'admin.types.turnedOn' | 'admin.types.turnedOff' | null,
    problem: ((t: Translate) => string) | null,
  ) {
    const { items } = await this.meetingTypes.list(caller.id, 200, 0);
    const ctx = await this.pages.context(caller, req, res, (t) => t('admin.types.title'), 'types');
    const kinds = kindOptions(ctx.loc.t);
    res
      .status(status)
      .type('text/html; charset=utf-8')
      .send(
        this.views.render('admin/types', {
          ...ctx,
          types: items.map(({ snapshot: t, ownerUsername }) => ({
            id: t.id,
            name: t.name,
            duration: t.durationMinutes,
            kind: kinds.find((k) => k.value === t.kind)?.label,
            active: t.isActive,
            secret: t.isSecret,
            publicHref: `/${ownerUsername}/${t.slug}`,
            publicUrl: `${this.config.publicUrl}/${ownerUsername}/${t.slug}`,
          })),
          notice: notice ? ctx.loc.t(notice) : null,
          problem: problem ? problem(ctx.loc.t) : null,
        }),
      );
  }
}
