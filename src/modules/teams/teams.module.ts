import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '../identity/identity.module.js';
import { TeamsService } from './application/teams.service.js';
import { TeamsController } from './http/teams.controller.js';
import { TeamInvitationEntity } from './infrastructure/team-invitation.entity.js';
import { TeamMemberEntity } from './infrastructure/team-member.entity.js';
import { TeamEntity } from './infrastructure/team.entity.js';
import { TeamsRepository } from './infrastructure/teams.repository.js';

@Module({
  imports: [TypeOrmModule.forFeature([TeamEntity, TeamMemberEntity, TeamInvitationEntity]), IdentityModule],
  controllers: [TeamsController],
  providers: [TeamsService, TeamsRepository],
  exports: [TeamsService],
})
export class TeamsModule {}
