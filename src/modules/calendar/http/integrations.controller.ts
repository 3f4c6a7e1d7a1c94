import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { invalidField } from '../../../shared/http/domain-error.js';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { uuidParam } from '../../../shared/http/params.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { BookingCalendarEvents } from '../application/booking-calendar-events.service.js';
import { BookingDestinations } from '../application/booking-destinations.service.js';
import { CalendarChoices } from '../application/calendar-choices.service.js';
import { CalendarConnections } from '../application/calendar-connections.service.js';
import {
  CalendarDto,
  ChooseCalendarsDto,
  EventLinkDto,
  IntegrationDto,
  MeetingTypeDestinationDto,
  SyncResultDto,
  UpdateIntegrationDto,
  toCalendar,
  toEventLink,
  toIntegration,
} from './integrations.dto.js';

/** The caller's connections: health, settings, calendars and their use, per-meeting-type destinations, sync, disconnect. */
@ApiTags('calendar integrations')
@ApiBearerAuth()
@Controller('api/integrations')
export class IntegrationsController {
  constructor(
    private readonly connections: CalendarConnections,
    private readonly choices: CalendarChoices,
    private readonly destinations: BookingDestinations,
    private readonly eventsOfBookings: BookingCalendarEvents,
  ) {}

  @Get()
  @ApiOperation({ summary: "The caller's calendar connections with their health (last sync, last error, token expiry)" })
  @ApiOkResponse({ type: [IntegrationDto] })
  @ApiErrors(401)
  async list(@CurrentUser() caller: AuthenticatedUser): Promise<IntegrationDto[]> {
    return (await this.connections.list(caller.id)).map(toIntegration);
  }

  @Put('meeting-types/:meetingTypeId/destination')
  @ApiOperation({ summary: "Per meeting type: the calendar that receives the caller's bookings of that type" })
  @ApiOkResponse({ type: CalendarDto })
  @ApiErrors(400, 401, 404)
  async setDestination(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('meetingTypeId', uuidParam('meetingTypeId')) meetingTypeId: string,
    @Body() dto: MeetingTypeDestinationDto,
  ): Promise<CalendarDto> {
    return toCalendar(await this.destinations.setMeetingTypeDestination(caller.id, meetingTypeId, dto));
  }

  @Delete('meeting-types/:meetingTypeId/destination')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove the per-meeting-type destination (the default destination applies again)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 404)
  async clearDestination(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('meetingTypeId', uuidParam('meetingTypeId')) meetingTypeId: string,
  ) {
    await this.destinations.setMeetingTypeDestination(caller.id, meetingTypeId, null);
  }

  @Get('bookings/:bookingId/events')
  @ApiOperation({ summary: "The calendar events written for one of the caller's bookings (status, last error, retries)" })
  @ApiOkResponse({ type: [EventLinkDto] })
  @ApiErrors(400, 401, 404)
  async bookingEvents(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('bookingId', uuidParam('bookingId')) bookingId: string,
  ): Promise<EventLinkDto[]> {
    return (await this.eventsOfBookings.forHost(bookingId, caller.id)).map(toEventLink);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One connection and its health' })
  @ApiOkResponse({ type: IntegrationDto })
  @ApiErrors(400, 401, 404)
  async get(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<IntegrationDto> {
    return toIntegration(await this.connections.get(caller.id, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Connection settings (what a host-side deletion does)' })
  @ApiOkResponse({ type: IntegrationDto })
  @ApiErrors(400, 401, 404)
  async update(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: UpdateIntegrationDto,
  ): Promise<IntegrationDto> {
    return toIntegration(await this.connections.updateSettings(caller.id, id, dto));
  }

  @Get(':id/calendars')
  @ApiOperation({ summary: 'The calendars of a connection and how each is used' })
  @ApiOkResponse({ type: [CalendarDto] })
  @ApiErrors(400, 401, 404)
  async calendars(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<CalendarDto[]> {
    return (await this.choices.calendars(caller.id, id)).map(toCalendar);
  }

  @Put(':id/calendars')
  @ApiOperation({ summary: 'Choose the calendars that block availability and the one that receives new bookings' })
  @ApiOkResponse({ type: [CalendarDto] })
  @ApiErrors(400, 401, 404)
  async choose(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: ChooseCalendarsDto,
  ): Promise<CalendarDto[]> {
    if (dto.calendars.length === 0) throw invalidField('calendars', 'empty', 'calendars must not be empty');
    return (await this.choices.chooseCalendars(caller.id, id, dto.calendars)).map(toCalendar);
  }

  @Post(':id/sync')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sync this connection now' })
  @ApiOkResponse({ type: SyncResultDto })
  @ApiErrors(400, 401, 404, 409)
  async sync(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<SyncResultDto> {
    const { outcome, integration } = await this.connections.syncNow(caller.id, id);
    return {
      sync_status: outcome.status,
      sync_error: 'error' in outcome ? (outcome.error ?? null) : null,
      integration: toIntegration(integration),
    };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disconnect: stops push, forgets the credentials and the cached busy time' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 404)
  async remove(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<void> {
    await this.connections.remove(caller.id, id);
  }
}
