import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SchedulesModule } from '../schedules/schedules.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { TeamsModule } from '../teams/teams.module.js';
import { MeetingTypesService } from './application/meeting-types.service.js';
import { LocationRequirements } from './application/location-requirements.js';
import { StarterMeetingType } from './application/starter-meeting-type.js';
import { MeetingTypesController } from './http/meeting-types.controller.js';
import { MeetingTypeHostEntity } from './infrastructure/meeting-type-host.entity.js';
import { MeetingTypeEntity } from './infrastructure/meeting-type.entity.js';
import { MeetingTypesRepository } from './infrastructure/meeting-types.repository.js';

@Module({
  imports: [TypeOrmModule.forFeature([MeetingTypeEntity, MeetingTypeHostEntity]), IdentityModule, TeamsModule, SchedulesModule],
  controllers: [MeetingTypesController],
  providers: [MeetingTypesService, MeetingTypesRepository, LocationRequirements, StarterMeetingType],
  exports: [MeetingTypesService, LocationRequirements],
})
export class MeetingTypesModule {}
