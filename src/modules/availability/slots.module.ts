import { Module } from '@nestjs/common';
import { MeetingTypesModule } from '../meeting-types/meeting-types.module.js';
import { AvailabilityModule } from './availability.module.js';
import { AvailabilityInputsService } from './application/availability-inputs.service.js';
import { SlotsService } from './application/slots.service.js';
import { SlotsController } from './http/slots.controller.js';

/**
 * Slot computation over stored data. Separate from AvailabilityModule (schedules) because it reads meeting types,
 * which themselves depend on schedules.
 */
@Module({
  imports: [AvailabilityModule, MeetingTypesModule],
  controllers: [SlotsController],
  providers: [AvailabilityInputsService, SlotsService],
  exports: [AvailabilityInputsService, SlotsService],
})
export class SlotsModule {}
