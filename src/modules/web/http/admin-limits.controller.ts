import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../../shared/http/domain-error.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { queryOf } from '../../../shared/http/request.js';
import { HostLimitsService } from '../../schedules/application/host-limits.service.js';
import { UpdateHostLimitsDto, toHostLimitsChanges } from '../../schedules/public.js';
import { AdminPages, adminLocale } from '../application/admin-pages.js';
import { UsersService } from '../../identity/application/users.service.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { type Errors, type Form, asApiRequest, expectDomainError, hasErrors, one, placeProblems, placedBy } from './admin-forms.js';
import { HOST_LIMIT_FORM_FIELDS, hostLimitsRequestOf, hostLimitsView, storedHostLimits } from './host-limits-form.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/** The host's own caps across all their meeting types and their week start (GET|PUT /api/availability/limits). */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/limits')
export class AdminLimitsController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly limits: HostLimitsService,
    private readonly users: UsersService,
  ) {}

  @Get()
  async show(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply) {
    const values = storedHostLimits(await this.limits.get(caller.id));
    const notice = one(queryOf(req).saved) ? adminLocale((await this.users.getById(caller.id)).locale).t('admin.limits.saved') : null;
    res.type('text/html; charset=utf-8').send(await this.page(caller, req, res, values, {}, notice));
  }

  @Post()
  async save(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const errors: Errors = {};
    const place = placedBy(HOST_LIMIT_FORM_FIELDS);
    // The API's own request class: the page has exactly its ranges and messages; the service adds the cross-field rules.
    const checked = await asApiRequest(UpdateHostLimitsDto, hostLimitsRequestOf(body));
    if (checked instanceof DomainError) placeProblems(checked, place, errors);
    else {
      try {
        await this.limits.update(caller.id, toHostLimitsChanges(checked));
        res.redirect('/admin/limits?saved=1', 303);
        return;
      } catch (error) {
        placeProblems(expectDomainError(error, 'invalid'), place, errors);
      }
    }
    res
      .status(400)
      .type('text/html; charset=utf-8')
      .send(await this.page(caller, req, res, body, errors, null));
  }

  private async page(caller: AuthenticatedUser, req: WebRequest, res: FastifyReply, values: Form, errors: Errors, notice: string | null) {
    const ctx = await this.pages.context(caller, req, res, (t) => t('admin.limits.title'), 'limits');
    return this.views.render('admin/limits', {
      ...ctx,
      ...hostLimitsView(values, errors, ctx.loc.t, ctx.loc.formatLocale),
      errorSummary: hasErrors(errors) ? (errors.form ?? ctx.loc.t('admin.limits.errorSummary')) : null,
      notice,
    });
  }
}
