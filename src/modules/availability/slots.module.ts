import { Module } from '@nestjs/common';
import { MeetingTypesModule } from '../meeting-types/meeting-types.module.js';
import { AvailabilityInputsService } from './application/availability-inputs.service.js';
import { BusyTimeFreshness } from './application/busy-time-freshness.js';
import { SlotExplainService } from './application/slot-explain.service.js';
import { SlotsService } from './application/slots.service.js';
import { ExplainController } from './http/explain.controller.js';
import { SlotsController } from './http/slots.controller.js';
import { AvailabilityReadsRepository } from './infrastructure/availability-reads.repository.js';

/**
 * Availability: the slot engine over stored data. It sits above meeting types and schedules (schedules <-
 * meeting-types <- availability; nothing points back): meeting types through their module's exports; hours and busy
 * time through its own read model (AvailabilityReadsRepository, ADR 0012), one statement over the schedules',
 * bookings' and calendars' tables.
 */
@Module({
  imports: [MeetingTypesModule],
  controllers: [SlotsController, ExplainController],
  providers: [AvailabilityInputsService, SlotsService, AvailabilityReadsRepository, BusyTimeFreshness, SlotExplainService],
  // BusyTimeFreshness: calendar registers its on-demand sync there.
  exports: [AvailabilityInputsService, SlotsService, BusyTimeFreshness],
})
export class SlotsModule {}
