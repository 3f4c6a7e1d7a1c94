import { Module } from '@nestjs/common';
import { MeetingTypesModule } from '../meeting-types/meeting-types.module.js';
import { SchedulesModule } from '../schedules/schedules.module.js';
import { AvailabilityInputsService } from './application/availability-inputs.service.js';
import { BusyTimeFreshness } from './application/busy-time-freshness.js';
import { SlotsService } from './application/slots.service.js';
import { SlotsController } from './http/slots.controller.js';
import { BusyTimesRepository } from './infrastructure/busy-times.repository.js';

/**
 * Availability: the slot engine over stored data. It sits above meeting types and schedules and reads both through
 * their modules' exports (schedules <- meeting-types <- availability; nothing points back).
 */
@Module({
  imports: [SchedulesModule, MeetingTypesModule],
  controllers: [SlotsController],
  providers: [AvailabilityInputsService, SlotsService, BusyTimesRepository, BusyTimeFreshness],
  // BusyTimeFreshness: calendar registers its on-demand sync there.
  exports: [AvailabilityInputsService, SlotsService, BusyTimeFreshness],
})
export class SlotsModule {}
