import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../shared/http/domain-error.js';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { toErrorBody } from '../../../shared/http/http-exception.filter.js';
import { type AuthenticatedUser, CurrentUser, Public } from '../../../shared/http/authentication.js';
import { CaldavConnect } from '../application/caldav-connect.service.js';
import type { OAuthProvider } from '../application/calendar-views.js';
import { IcsConnect } from '../application/ics-connect.service.js';
import { OAuthConnect } from '../application/oauth-connect.service.js';
import { OAuthStateService } from '../application/oauth-state.service.js';
import { AuthorizationUrlDto, ConnectCaldavDto, ConnectIcsDto, IntegrationDto, toIntegration } from './integrations.dto.js';

const wantsJson = (req: FastifyRequest) => (req.headers.accept ?? '').includes('application/json');

function oauthProvider(value: string): OAuthProvider {
  if (value !== 'google' && value !== 'microsoft') throw notFound('integration provider');
  return value;
}

/** Connecting a calendar: the OAuth round trip (Google, Microsoft 365), an ICS feed, a CalDAV account. */
@ApiTags('calendar integrations')
@ApiBearerAuth()
@Controller('api/integrations')
export class IntegrationConnectController {
  constructor(
    private readonly oauth: OAuthConnect,
    private readonly ics: IcsConnect,
    private readonly caldav: CaldavConnect,
    private readonly states: OAuthStateService,
  ) {}

  @Get(':provider/oauth')
  @ApiOperation({
    summary: "Start connecting Google or Microsoft 365: 302 to the provider's consent page (JSON with Accept: application/json)",
  })
  @ApiParam({ name: 'provider', enum: ['google', 'microsoft'] })
  @ApiOkResponse({ type: AuthorizationUrlDto })
  @ApiErrors(401, 404, 422)
  startOAuth(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('provider') provider: string,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ) {
    const url = this.oauth.authorizationUrl(caller.id, oauthProvider(provider));
    if (wantsJson(req)) res.status(200).send({ authorization_url: url });
    else res.redirect(url, 302);
  }

  @Public()
  @Get(':provider/callback')
  @ApiOperation({ summary: 'OAuth redirect target: verifies state, stores the connection, redirects to /admin/integrations' })
  @ApiParam({ name: 'provider', enum: ['google', 'microsoft'] })
  @ApiOkResponse({ type: IntegrationDto })
  @ApiErrors(400, 404)
  async callback(
    @Param('provider') provider: string,
    @Query() query: Record<string, string>,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ) {
    // A flow started from the admin carries its page in the signed state; API callers keep the default.
    const back = this.states.returnTarget(typeof query.state === 'string' ? query.state : undefined) ?? '/admin/integrations';
    try {
      const integration = await this.oauth.completeOAuth(oauthProvider(provider), {
        code: typeof query.code === 'string' ? query.code : undefined,
        state: typeof query.state === 'string' ? query.state : undefined,
        error: typeof query.error === 'string' ? query.error : undefined,
      });
      if (wantsJson(req)) res.status(200).send(toIntegration(integration));
      else res.redirect(`${back}?connected=${integration.id}`, 302);
    } catch (error) {
      const body = toErrorBody(error);
      if (wantsJson(req) || body.status_code >= 500) res.status(body.status_code).send(body);
      else res.redirect(`${back}?error=${encodeURIComponent(body.message)}`, 302);
    }
  }

  @Post('ics')
  @ApiOperation({ summary: 'Connect a read-only iCalendar feed (its events block availability)' })
  @ApiCreatedResponse({ type: IntegrationDto })
  @ApiErrors(400, 401)
  async connectIcs(@CurrentUser() caller: AuthenticatedUser, @Body() dto: ConnectIcsDto): Promise<IntegrationDto> {
    return toIntegration(await this.ics.connectIcs(caller.id, dto.url));
  }

  @Post('caldav')
  @ApiOperation({
    summary: 'Connect a CalDAV account (iCloud, Fastmail, Nextcloud) with an app password; its calendars are listed for choosing',
  })
  @ApiCreatedResponse({ type: IntegrationDto })
  @ApiErrors(400, 401)
  async connectCaldav(@CurrentUser() caller: AuthenticatedUser, @Body() dto: ConnectCaldavDto): Promise<IntegrationDto> {
    return toIntegration(
      await this.caldav.connectCaldav(caller.id, { serverUrl: dto.server_url, username: dto.username, password: dto.password }),
    );
  }
}
