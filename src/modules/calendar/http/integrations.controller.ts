import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExcludeEndpoint, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { Repository } from 'typeorm';
import { invalid, notFound } from '../../../shared/http/domain-error.js';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { toErrorBody } from '../../../shared/http/http-exception.filter.js';
import { uuidParam } from '../../../shared/http/params.js';
import { type AuthenticatedUser, CurrentUser, Public } from '../../identity/http/auth.decorators.js';
import { BookingQueries } from '../../booking/application/booking-queries.service.js';
import { CalendarPush } from '../application/calendar-push.service.js';
import { IntegrationsService, type OAuthProvider } from '../application/integrations.service.js';
import { OAuthStateService } from '../application/oauth-state.service.js';
import { CalendarEventLinkEntity } from '../infrastructure/calendar-event-link.entity.js';
import {
  AuthorizationUrlDto, CalendarDto, ChooseCalendarsDto, ConnectCaldavDto, ConnectIcsDto, EventLinkDto, IntegrationDto, MeetingTypeDestinationDto,
  SyncResultDto, UpdateIntegrationDto, toCalendar, toEventLink, toIntegration,
} from './integrations.dto.js';

const wantsJson = (req: Request) => (req.headers.accept ?? '').includes('application/json');

function oauthProvider(value: string): OAuthProvider {
  if (value !== 'google' && value !== 'microsoft') throw notFound('integration provider');
  return value;
}

@ApiTags('calendar integrations')
@ApiBearerAuth()
@Controller('api/integrations')
export class IntegrationsController {
  constructor(
    private readonly integrations: IntegrationsService,
    private readonly push: CalendarPush,
    @InjectRepository(CalendarEventLinkEntity) private readonly links: Repository<CalendarEventLinkEntity>,
    private readonly bookingAccess: BookingQueries,
    private readonly states: OAuthStateService,
  ) {}

  @Get(':provider/oauth')
  @ApiOperation({ summary: 'Start connecting Google or Microsoft 365: 302 to the provider\'s consent page (JSON with Accept: application/json)' })
  @ApiParam({ name: 'provider', enum: ['google', 'microsoft'] })
  @ApiOkResponse({ type: AuthorizationUrlDto })
  @ApiErrors(401, 404, 422)
  startOAuth(@CurrentUser() caller: AuthenticatedUser, @Param('provider') provider: string, @Req() req: Request, @Res() res: Response) {
    const url = this.integrations.authorizationUrl(caller.id, oauthProvider(provider));
    if (wantsJson(req)) res.status(200).json({ authorization_url: url });
    else res.redirect(302, url);
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
    @Req() req: Request,
    @Res() res: Response,
  ) {
    // A flow started from the admin carries its page in the signed state; API callers keep the default.
    const back = this.states.returnTarget(typeof query.state === 'string' ? query.state : undefined) ?? '/admin/integrations';
    try {
      const integration = await this.integrations.completeOAuth(oauthProvider(provider), {
        code: typeof query.code === 'string' ? query.code : undefined,
        state: typeof query.state === 'string' ? query.state : undefined,
        error: typeof query.error === 'string' ? query.error : undefined,
      });
      if (wantsJson(req)) res.status(200).json(toIntegration(integration));
      else res.redirect(302, `${back}?connected=${integration.id}`);
    } catch (error) {
      const body = toErrorBody(error);
      if (wantsJson(req) || body.status_code >= 500) res.status(body.status_code).json(body);
      else res.redirect(302, `${back}?error=${encodeURIComponent(body.message)}`);
    }
  }

  @Public()
  @Post('google/webhook')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  async googleWebhook(
    @Headers('x-goog-channel-id') channelId: string | undefined,
    @Headers('x-goog-channel-token') token: string | undefined,
    @Headers('x-goog-resource-state') state: string | undefined,
  ) {
    if (!(await this.push.googleNotification(channelId, token, state))) throw notFound('channel');
    return { ok: true };
  }

  @Public()
  @Post('microsoft/webhook')
  @ApiExcludeEndpoint()
  async graphWebhook(@Query('validationToken') validationToken: string | undefined, @Body() body: unknown, @Res() res: Response) {
    // Subscription handshake: echo the token as text/plain within 10 s.
    if (typeof validationToken === 'string') {
      res.status(200).type('text/plain').send(validationToken);
      return;
    }
    const items = Array.isArray((body as { value?: unknown })?.value) ? (body as { value: Array<Record<string, string>> }).value : [];
    await this.push.graphNotifications(items);
    res.status(202).end();
  }

  @Post('ics')
  @ApiOperation({ summary: 'Connect a read-only iCalendar feed (its events block availability)' })
  @ApiCreatedResponse({ type: IntegrationDto })
  @ApiErrors(400, 401)
  async connectIcs(@CurrentUser() caller: AuthenticatedUser, @Body() dto: ConnectIcsDto): Promise<IntegrationDto> {
    return toIntegration(await this.integrations.connectIcs(caller.id, dto.url));
  }

  @Post('caldav')
  @ApiOperation({ summary: 'Connect a CalDAV account (iCloud, Fastmail, Nextcloud) with an app password; its calendars are listed for choosing' })
  @ApiCreatedResponse({ type: IntegrationDto })
  @ApiErrors(400, 401)
  async connectCaldav(@CurrentUser() caller: AuthenticatedUser, @Body() dto: ConnectCaldavDto): Promise<IntegrationDto> {
    return toIntegration(await this.integrations.connectCaldav(caller.id, { serverUrl: dto.server_url, username: dto.username, password: dto.password }));
  }

  @Get()
  @ApiOperation({ summary: 'The caller\'s calendar connections with their health (last sync, last error, token expiry)' })
  @ApiOkResponse({ type: [IntegrationDto] })
  @ApiErrors(401)
  async list(@CurrentUser() caller: AuthenticatedUser): Promise<IntegrationDto[]> {
    return (await this.integrations.list(caller.id)).map(toIntegration);
  }

  @Put('meeting-types/:meetingTypeId/destination')
  @ApiOperation({ summary: 'Per meeting type: the calendar that receives the caller\'s bookings of that type' })
  @ApiOkResponse({ type: CalendarDto })
  @ApiErrors(400, 401, 404)
  async setDestination(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('meetingTypeId', uuidParam('meetingTypeId')) meetingTypeId: string,
    @Body() dto: MeetingTypeDestinationDto,
  ): Promise<CalendarDto> {
    const selection = await this.integrations.setMeetingTypeDestination(caller.id, meetingTypeId, dto);
    return toCalendar(selection!);
  }

  @Delete('meeting-types/:meetingTypeId/destination')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove the per-meeting-type destination (the default destination applies again)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 404)
  async clearDestination(@CurrentUser() caller: AuthenticatedUser, @Param('meetingTypeId', uuidParam('meetingTypeId')) meetingTypeId: string) {
    await this.integrations.setMeetingTypeDestination(caller.id, meetingTypeId, null);
  }

  @Get('bookings/:bookingId/events')
  @ApiOperation({ summary: 'The calendar events written for one of the caller\'s bookings (status, last error, retries)' })
  @ApiOkResponse({ type: [EventLinkDto] })
  @ApiErrors(400, 401, 404)
  async bookingEvents(@CurrentUser() caller: AuthenticatedUser, @Param('bookingId', uuidParam('bookingId')) bookingId: string): Promise<EventLinkDto[]> {
    // Only a host of the booking may look; anyone else gets the same 404 as for a booking that does not exist.
    const { actor } = await this.bookingAccess.authorize(bookingId, { userId: caller.id });
    if (actor.kind !== 'host') throw notFound('booking');
    return (await this.links.findBy({ bookingId, userId: caller.id })).map(toEventLink);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One connection and its health' })
  @ApiOkResponse({ type: IntegrationDto })
  @ApiErrors(400, 401, 404)
  async get(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<IntegrationDto> {
    return toIntegration(await this.integrations.get(caller.id, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Connection settings (what a host-side deletion does)' })
  @ApiOkResponse({ type: IntegrationDto })
  @ApiErrors(400, 401, 404)
  async update(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Body() dto: UpdateIntegrationDto): Promise<IntegrationDto> {
    return toIntegration(await this.integrations.updateSettings(caller.id, id, dto));
  }

  @Get(':id/calendars')
  @ApiOperation({ summary: 'The calendars of a connection and how each is used' })
  @ApiOkResponse({ type: [CalendarDto] })
  @ApiErrors(400, 401, 404)
  async calendars(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<CalendarDto[]> {
    return (await this.integrations.calendars(caller.id, id)).map(toCalendar);
  }

  @Put(':id/calendars')
  @ApiOperation({ summary: 'Choose the calendars that block availability and the one that receives new bookings' })
  @ApiOkResponse({ type: [CalendarDto] })
  @ApiErrors(400, 401, 404)
  async choose(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Body() dto: ChooseCalendarsDto): Promise<CalendarDto[]> {
    if (dto.calendars.length === 0) throw invalid('calendars must not be empty');
    return (await this.integrations.chooseCalendars(caller.id, id, dto.calendars)).map(toCalendar);
  }

  @Post(':id/sync')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sync this connection now' })
  @ApiOkResponse({ type: SyncResultDto })
  @ApiErrors(400, 401, 404, 409)
  async sync(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<SyncResultDto> {
    const { outcome, integration } = await this.integrations.syncNow(caller.id, id);
    return { sync_status: outcome.status, sync_error: 'error' in outcome ? outcome.error ?? null : null, integration: toIntegration(integration) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disconnect: stops push, forgets the credentials and the cached busy time' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 404)
  async remove(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<void> {
    await this.integrations.remove(caller.id, id);
  }
}
