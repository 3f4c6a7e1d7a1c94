import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { type AuthenticatedUser, CurrentUser, Public } from '../../../shared/http/authentication.js';
import { uuidParam } from '../../../shared/http/params.js';
import { Waitlists } from '../application/waitlist.service.js';
import { DEFAULT_WAITLIST_CLAIM_MINUTES, type WaitlistEntryRow } from '../domain/waitlist.js';
import {
  JoinWaitlistDto,
  WaitlistEntryDto,
  WaitlistJoinedDto,
  WaitlistListDto,
  WaitlistQueryDto,
  WaitlistSettingsDto,
  WaitlistSettingsResponseDto,
} from './waitlist.dto.js';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const presentWaitlistEntry = (e: WaitlistEntryRow): WaitlistEntryDto => ({
  id: e.id,
  meeting_type_id: e.meeting_type_id,
  start_time: new Date(e.start_time).toISOString(),
  position: Number(e.position),
  name: e.name,
  email: e.email,
  locale: e.locale,
  time_zone: e.time_zone,
  status: e.status,
  promoted_at: iso(e.promoted_at),
  claim_expires_at: iso(e.claim_expires_at),
  ended_at: iso(e.ended_at),
  created_at: new Date(e.created_at).toISOString(),
});

/** Waitlists of full times (issue #19 part 2): invitees join and leave; hosts read the line and switch it on. */
@ApiTags('waitlist')
@Controller('api')
export class WaitlistController {
  constructor(private readonly waitlists: Waitlists) {}

  @Public()
  @Post('waitlist')
  @ApiOperation({
    summary: 'Join the waitlist of a full time (anonymous)',
    description:
      'Only for a type with waitlist_enabled and a time that is full (taken or held) but otherwise bookable: 409 when ' +
      'the time is free (book it) or this email already waits for it; 422 when the type has no waitlist, the time ' +
      'has passed or cannot be booked at all. When the time frees, the first in line gets a hold and a claim link.',
  })
  @ApiCreatedResponse({ type: WaitlistJoinedDto })
  @ApiErrors(400, 404, 409, 422)
  async join(@Body() dto: JoinWaitlistDto): Promise<WaitlistJoinedDto> {
    const { entry, place, token } = await this.waitlists.join({
      meetingTypeId: dto.meeting_type_id,
      start: new Date(dto.start_time),
      name: dto.name,
      email: dto.email,
      locale: dto.locale,
      timeZone: dto.time_zone,
    });
    return { id: entry.id, position: place, status: 'waiting', start_time: new Date(entry.start_time).toISOString(), token };
  }

  @Public()
  @Delete('waitlist/:token')
  @HttpCode(200)
  @ApiOperation({ summary: "Leave the line with the entry's token (a promoted entry's hold ends; the next in line is promoted)" })
  @ApiOkResponse({ type: WaitlistEntryDto })
  @ApiErrors(404)
  async leave(@Param('token') token: string): Promise<WaitlistEntryDto> {
    return presentWaitlistEntry(await this.waitlists.leave(token));
  }

  @Get('waitlist')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The line of a meeting type the caller hosts, by time then position (404 for others' types)" })
  @ApiOkResponse({ type: WaitlistListDto })
  @ApiErrors(400, 401, 404)
  async list(@Query() q: WaitlistQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<WaitlistListDto> {
    const entries = await this.waitlists.list(q.meeting_type_id, user.id, q.status ?? null);
    return { entries: entries.map(presentWaitlistEntry) };
  }

  @Get('meeting-types/:id/waitlist')
  @ApiBearerAuth()
  @ApiOperation({ summary: "A meeting type's waitlist settings" })
  @ApiOkResponse({ type: WaitlistSettingsResponseDto })
  @ApiErrors(401, 404)
  async settings(@Param('id', uuidParam('id')) id: string, @CurrentUser() user: AuthenticatedUser): Promise<WaitlistSettingsResponseDto> {
    const s = await this.waitlists.settingsOf(id, user.id);
    return { waitlist_enabled: s.enabled, waitlist_claim_minutes: s.claimMinutes };
  }

  @Put('meeting-types/:id/waitlist')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Switch a meeting type's waitlist on or off and set its claim minutes (owner only)" })
  @ApiOkResponse({ type: WaitlistSettingsResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async save(
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: WaitlistSettingsDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<WaitlistSettingsResponseDto> {
    const s = await this.waitlists.saveSettings(
      id,
      user.id,
      dto.waitlist_enabled,
      dto.waitlist_claim_minutes ?? DEFAULT_WAITLIST_CLAIM_MINUTES,
    );
    return { waitlist_enabled: s.enabled, waitlist_claim_minutes: s.claimMinutes };
  }
}
