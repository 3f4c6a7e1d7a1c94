import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { uuidParam } from '../../../shared/http/params.js';
import { singleLineProblem } from '../../../shared/validation/text.js';
import { ApiKeysService } from '../../identity/application/api-keys.service.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { AdminPages } from '../application/admin-pages.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { type Errors, type Form, type FormFields, hasErrors, one } from './admin-forms.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/** The API key form's one field → the key's field. */
export const API_KEY_FORM_FIELDS = { name: 'name' } as const satisfies FormFields;
const NAME_MAX = 100; // as the API allows

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
  async list(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: Response) {
    res.type('html').send(await this.page(caller, req, res, null, {}));
  }

  @Post()
  async create(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: Response) {
    const name = one(body[API_KEY_FORM_FIELDS.name]);
    // The key service stores any name (only the API's request class checks it), so the form checks it here.
    const problem = !name || name.length > NAME_MAX ? `Give the key a name (up to ${NAME_MAX} characters).`
      : singleLineProblem(name) ? `The name ${singleLineProblem(name)}.` : null;
    if (problem) {
      res.status(400).type('html').send(await this.page(caller, req, res, null, { name: problem }));
      return;
    }
    const { secret } = await this.keys.create(caller.id, name);
    res.type('html').send(await this.page(caller, req, res, secret, {}));
  }

  @Post(':id/revoke')
  async revoke(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Res() res: Response) {
    await this.keys.revoke(caller.id, id);
    res.redirect(303, '/admin/api-keys');
  }

  private async page(caller: AuthenticatedUser, req: WebRequest, res: Response, secret: string | null, errors: Errors) {
    const keys = await this.keys.list(caller.id);
    return this.views.render('admin/api-keys', {
      ...(await this.pages.context(caller, req, res, 'API keys', 'keys')),
      keys: keys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, revoked: Boolean(k.revokedAt), lastUsed: k.lastUsedAt?.toISOString().slice(0, 16).replace('T', ' ') ?? 'never' })),
      secret,
      errors,
      errorSummary: hasErrors(errors) ? 'Please correct the highlighted field.' : null,
    });
  }
}
