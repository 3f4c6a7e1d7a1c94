import { Controller, Delete, Get, HttpCode, Ip, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../shared/http/domain-error.js';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { toErrorBody } from '../../../shared/http/http-exception.filter.js';
import { type AuthenticatedUser, CurrentUser, Public } from '../../../shared/http/authentication.js';
import { ZoomConnect } from '../application/zoom-connect.service.js';
import { toZoomConnection, ZoomAuthorizationUrlDto, ZoomConnectionDto } from './conferencing.dto.js';

const wantsJson = (req: FastifyRequest) => (req.headers.accept ?? '').includes('application/json');
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Video conferencing accounts (Zoom) that make a meeting per booking for zoom locations. */
@ApiTags('conferencing')
@ApiBearerAuth()
@Controller('api/conferencing/zoom')
export class ConferencingController {
  constructor(private readonly zoom: ZoomConnect) {}

  @Get()
  @ApiOperation({ summary: "The caller's Zoom connection" })
  @ApiOkResponse({ type: ZoomConnectionDto })
  @ApiErrors(401, 404)
  async get(@CurrentUser() caller: AuthenticatedUser): Promise<ZoomConnectionDto> {
    const connection = await this.zoom.get(caller.id);
    if (!connection) throw notFound('Zoom connection');
    return toZoomConnection(connection);
  }

  @Get('connect')
  @ApiOperation({ summary: "Start connecting Zoom: 302 to Zoom's consent page (JSON with Accept: application/json)" })
  @ApiOkResponse({ type: ZoomAuthorizationUrlDto })
  @ApiErrors(401, 422)
  connect(@CurrentUser() caller: AuthenticatedUser, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const url = this.zoom.authorizationUrl(caller.id);
    if (wantsJson(req)) res.status(200).send({ authorization_url: url });
    else res.redirect(url, 302);
  }

  @Public()
  @Get('callback')
  @ApiOperation({ summary: 'OAuth redirect target: verifies state, stores the Zoom connection, redirects to /admin/integrations' })
  @ApiOkResponse({ type: ZoomConnectionDto })
  @ApiErrors(400, 429)
  async callback(@Query() query: Record<string, unknown>, @Ip() ip: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    try {
      const connection = await this.zoom.complete({ code: str(query.code), state: str(query.state), error: str(query.error) }, ip);
      if (wantsJson(req)) res.status(200).send(toZoomConnection(connection));
      else res.redirect(`/admin/integrations?connected=${connection.id}`, 302);
    } catch (error) {
      const body = toErrorBody(error);
      if (wantsJson(req) || body.status_code >= 500 || body.status_code === 429) res.status(body.status_code).send(body);
      else res.redirect(`/admin/integrations?error=${encodeURIComponent(body.message)}`, 302);
    }
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Disconnect Zoom (meetings already made stay in Zoom)' })
  @ApiNoContentResponse()
  @ApiErrors(401, 404)
  async disconnect(@CurrentUser() caller: AuthenticatedUser): Promise<void> {
    await this.zoom.disconnect(caller.id);
  }
}
