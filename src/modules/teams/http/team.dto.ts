import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import type { InvitationRecord, TeamMemberView, TeamView } from '../application/teams.service.js';
import { IsSingleLine } from '../../../shared/validation/text-decorators.js';

export class CreateTeamDto {
  @ApiProperty({ example: 'Sales' })
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(255)
  @IsSingleLine()
  name: string;
}

export class CreateInvitationDto {
  @ApiProperty({ example: 'grace@example.com' })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(255)
  email: string;
}

export class TeamMemberDto {
  @ApiProperty({ format: 'uuid' }) user_id: string;
  @ApiProperty() name: string;
  @ApiProperty() username: string;
  @ApiProperty({ enum: ['admin', 'member'] }) role: string;
  @ApiProperty({ format: 'date-time' }) joined_at: string;
}

export class TeamDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uuid' }) created_by: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ enum: ['admin', 'member'], description: "the caller's role" }) role: string;
  @ApiPropertyOptional({ type: [TeamMemberDto], description: 'present on single-team responses' }) members?: TeamMemberDto[];
}

export class InvitationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) team_id: string;
  @ApiProperty() email: string;
  @ApiProperty({ description: 'secret; shown once. The invited user accepts with POST /api/teams/invitations/{token}/accept' })
  token: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
}

const toMember = (m: TeamMemberView): TeamMemberDto => ({
  user_id: m.userId,
  name: m.name,
  username: m.username,
  role: m.role,
  joined_at: m.joinedAt.toISOString(),
});

export const toTeam = ({ team, role, members }: TeamView): TeamDto => ({
  id: team.id,
  name: team.name,
  created_by: team.createdBy,
  created_at: team.createdAt.toISOString(),
  role,
  ...(members ? { members: members.map(toMember) } : {}),
});

export const toInvitation = (i: InvitationRecord, token: string): InvitationDto => ({
  id: i.id,
  team_id: i.teamId,
  email: i.email,
  token,
  expires_at: i.expiresAt.toISOString(),
});
