import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SchedulesModule } from '../schedules/schedules.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { TeamsModule } from '../teams/teams.module.js';
import { MeetingTypesService } from './application/meeting-types.service.js';
import { LocationRequirements } from './application/location-requirements.js';
import { StarterMeetingType } from './application/starter-meeting-type.js';
import { MeetingTypesController } from './http/meeting-types.controller.js';
import { RoundRobinSettingsController } from './http/round-robin-settings.controller.js';
import { RoundRobinSettingsService } from './application/round-robin-settings.service.js';
import { RoundRobinSettingsRepository } from './infrastructure/round-robin-settings.repository.js';
import { MeetingTypeHostEntity } from './infrastructure/meeting-type-host.entity.js';
import { MeetingTypeEntity } from './infrastructure/meeting-type.entity.js';
import { MeetingTypesRepository } from './infrastructure/meeting-types.repository.js';

@Module({
  imports: [TypeOrmModule.forFeature([MeetingTypeEntity, MeetingTypeHostEntity]), IdentityModule, TeamsModule, SchedulesModule],
  controllers: [MeetingTypesController, RoundRobinSettingsController],
  providers: [
    MeetingTypesService,
    MeetingTypesRepository,
    LocationRequirements,
    StarterMeetingType,
    RoundRobinSettingsService,
    RoundRobinSettingsRepository,
  ],
  exports: [MeetingTypesService, LocationRequirements, RoundRobinSettingsService],
})
export class MeetingTypesModule {}
