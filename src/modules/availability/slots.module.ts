import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { MeetingTypesModule } from '../meeting-types/meeting-types.module.js';
import { TeamsModule } from '../teams/teams.module.js';
import { AvailabilityInputsService } from './application/availability-inputs.service.js';
import { BusyTimeFreshness } from './application/busy-time-freshness.js';
import { HolidaysService } from './application/holidays.service.js';
import { SlotExplainService } from './application/slot-explain.service.js';
import { SlotsService } from './application/slots.service.js';
import { TimeOffService } from './application/time-off.service.js';
import { ExplainController } from './http/explain.controller.js';
import { SlotsController } from './http/slots.controller.js';
import { AwayController, HolidaysController, TimeOffController } from './http/time-off.controller.js';
import { AvailabilityReadsRepository } from './infrastructure/availability-reads.repository.js';
import { ExplainReadsRepository } from './infrastructure/explain-reads.repository.js';
import { TimeOffRepository } from './infrastructure/time-off.repository.js';

/**
 * Availability: the slot engine over stored data. It sits above meeting types and schedules (schedules <-
 * meeting-types <- availability; nothing points back): meeting types through their module's exports; hours and busy
 * time through its own read model (AvailabilityReadsRepository, ADR 0012), one statement over the schedules',
 * bookings' and calendars' tables. It owns the hosts' time off and holiday settings (busy time of its own, in that
 * same statement); teams is read to check a time-off redirect names a teammate.
 */
@Module({
  imports: [MeetingTypesModule, TeamsModule, IdentityModule],
  controllers: [SlotsController, ExplainController, TimeOffController, HolidaysController, AwayController],
  providers: [
    AvailabilityInputsService,
    SlotsService,
    AvailabilityReadsRepository,
    BusyTimeFreshness,
    SlotExplainService,
    ExplainReadsRepository,
    TimeOffService,
    HolidaysService,
    TimeOffRepository,
  ],
  // BusyTimeFreshness: calendar registers its on-demand sync there. TimeOffService: the public pages' "away" notice;
  // with HolidaysService, the admin's time off page.
  exports: [AvailabilityInputsService, SlotsService, BusyTimeFreshness, TimeOffService, HolidaysService, SlotExplainService],
})
export class SlotsModule {}
