import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { uuidParam } from '../../../shared/http/params.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { TeamsService } from '../application/teams.service.js';
import { CreateInvitationDto, CreateTeamDto, InvitationDto, TeamDto, toInvitation, toTeam } from './team.dto.js';

@ApiTags('teams')
@ApiBearerAuth()
@Controller('api/teams')
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a team; the caller becomes its admin' })
  @ApiCreatedResponse({ type: TeamDto })
  @ApiErrors(400, 401)
  async create(@CurrentUser() caller: AuthenticatedUser, @Body() dto: CreateTeamDto): Promise<TeamDto> {
    return toTeam(await this.teams.create(caller.id, dto.name));
  }

  @Get()
  @ApiOperation({ summary: "The caller's teams" })
  @ApiOkResponse({ type: [TeamDto] })
  @ApiErrors(401)
  async list(@CurrentUser() caller: AuthenticatedUser): Promise<TeamDto[]> {
    return (await this.teams.listForUser(caller.id)).map(toTeam);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A team with its members (members only)' })
  @ApiOkResponse({ type: TeamDto })
  @ApiErrors(400, 401, 404)
  async get(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<TeamDto> {
    return toTeam(await this.teams.getForMember(caller.id, id));
  }

  @Post(':id/invitations')
  @ApiOperation({ summary: 'Invite someone by email (admins only); the token is valid for 7 days, once' })
  @ApiCreatedResponse({ type: InvitationDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async invite(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: CreateInvitationDto,
  ): Promise<InvitationDto> {
    const { invitation, token } = await this.teams.invite(caller.id, id, dto.email);
    return toInvitation(invitation, token);
  }

  @Post('invitations/:token/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an invitation as the invited user (the email must match); returns the team' })
  @ApiOkResponse({ type: TeamDto })
  @ApiErrors(401, 403, 404, 410)
  async accept(@CurrentUser() caller: AuthenticatedUser, @Param('token') token: string): Promise<TeamDto> {
    return toTeam(await this.teams.accept(caller.id, token));
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member (admins; members may remove themselves). A team keeps one admin.' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404)
  async removeMember(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Param('userId', uuidParam('userId')) userId: string,
  ): Promise<void> {
    await this.teams.removeMember(caller.id, id, userId);
  }
}
