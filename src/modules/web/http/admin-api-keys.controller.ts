import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { uuidParam } from '../../../shared/http/params.js';
import { ApiKeysService } from '../../identity/application/api-keys.service.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { AdminPages } from '../application/admin-pages.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { type Errors, type Form, type FormFields, expectDomainError, hasErrors, one, placeProblems, placedBy } from './admin-forms.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/** The API key form's one field → the key's field. */
export const API_KEY_FORM_FIELDS = { name: 'name' } as const satisfies FormFields;

/** The host's API keys: create one (its secret shown once) and revoke. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/api-keys')
export class AdminApiKeysController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly keys: ApiKeysService,
  ) {}

  @Get()
  async list(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply) {
    res.type('text/html; charset=utf-8').send(await this.page(caller, req, res, null, {}));
  }

  @Post()
  async create(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    let secret: string;
    try {
      ({ secret } = await this.keys.create(caller.id, one(body[API_KEY_FORM_FIELDS.name])));
    } catch (error) {
      const errors: Errors = {};
      placeProblems(expectDomainError(error, 'invalid'), placedBy(API_KEY_FORM_FIELDS), errors, {
        words: { name: 'the name' },
        otherwise: 'name',
      });
      res
        .status(400)
        .type('text/html; charset=utf-8')
        .send(await this.page(caller, req, res, null, errors));
      return;
    }
    res.type('text/html; charset=utf-8').send(await this.page(caller, req, res, secret, {}));
  }

  @Post(':id/revoke')
  async revoke(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Res() res: FastifyReply) {
    await this.keys.revoke(caller.id, id);
    res.redirect('/admin/api-keys', 303);
  }

  private async page(caller: AuthenticatedUser, req: WebRequest, res: FastifyReply, secret: string | null, errors: Errors) {
    const keys = await this.keys.list(caller.id);
    const ctx = await this.pages.context(caller, req, res, (t) => t('admin.keys.title'), 'keys');
    return this.views.render('admin/api-keys', {
      ...ctx,
      keys: keys.map((k) => ({
        id: k.id,
        name: k.name,
        prefix: k.prefix,
        revoked: Boolean(k.revokedAt),
        lastUsed: k.lastUsedAt?.toISOString().slice(0, 16).replace('T', ' ') ?? ctx.loc.t('admin.keys.never'),
      })),
      secret,
      errors,
      errorSummary: hasErrors(errors) ? ctx.loc.t('admin.account.forgot.summary') : null,
    });
  }
}
