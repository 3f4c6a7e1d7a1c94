import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '../identity/identity.module.js';
import { SchedulesService } from './application/schedules.service.js';
import { RulesController } from './http/rules.controller.js';
import { SchedulesController } from './http/schedules.controller.js';
import { AvailabilityReads } from './infrastructure/availability-reads.repository.js';
import { AvailabilityOverrideEntity } from './infrastructure/availability-override.entity.js';
import { AvailabilityRuleEntity } from './infrastructure/availability-rule.entity.js';
import { ScheduleEntity } from './infrastructure/schedule.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([ScheduleEntity, AvailabilityRuleEntity, AvailabilityOverrideEntity]), IdentityModule],
  controllers: [RulesController, SchedulesController],
  providers: [SchedulesService, AvailabilityReads],
  exports: [SchedulesService, AvailabilityReads],
})
export class AvailabilityModule {}
