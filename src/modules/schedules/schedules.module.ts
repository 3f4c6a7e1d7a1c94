import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '../identity/identity.module.js';
import { HostLimitsService } from './application/host-limits.service.js';
import { SchedulesService } from './application/schedules.service.js';
import { StarterHours } from './application/starter-hours.js';
import { HostLimitsController } from './http/host-limits.controller.js';
import { RulesController } from './http/rules.controller.js';
import { SchedulesController } from './http/schedules.controller.js';
import { AvailabilityOverrideEntity } from './infrastructure/availability-override.entity.js';
import { AvailabilityRuleEntity } from './infrastructure/availability-rule.entity.js';
import { ScheduleEntity } from './infrastructure/schedule.entity.js';
import { HostLimitsRepository } from './infrastructure/host-limits.repository.js';
import { SchedulesRepository } from './infrastructure/schedules.repository.js';

/** Hosts' weekly hours and date overrides. Meeting types and the slot engine read them through SchedulesService. */
@Module({
  imports: [TypeOrmModule.forFeature([ScheduleEntity, AvailabilityRuleEntity, AvailabilityOverrideEntity]), IdentityModule],
  controllers: [RulesController, SchedulesController, HostLimitsController],
  providers: [SchedulesService, SchedulesRepository, HostLimitsService, HostLimitsRepository, StarterHours],
  exports: [SchedulesService, HostLimitsService],
})
export class SchedulesModule {}
