import { Module } from '@nestjs/common';
import { SlotsModule } from '../availability/slots.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { MeetingTypesModule } from '../meeting-types/meeting-types.module.js';
import { NotifyModule } from '../notify/notify.module.js';
import { BookingCommands } from './application/booking-commands.service.js';
import { BookingDirectory } from './application/booking-directory.js';
import { BookingInvitations } from './application/booking-invitations.js';
import { BookingMetrics } from './application/booking-metrics.js';
import { BookingQueries } from './application/booking-queries.service.js';
import { ManagementTokens } from './application/management-tokens.js';
import { SlotCheck } from './application/slot-check.js';
import { SlotHolds } from './application/slot-holds.service.js';
import { BookingCalendarController } from './http/booking-calendar.controller.js';
import { BookingsController } from './http/bookings.controller.js';
import { BookingRepository } from './infrastructure/booking.repository.js';
import { SlotHoldRepository } from './infrastructure/slot-hold.repository.js';

@Module({
  imports: [IdentityModule, MeetingTypesModule, SlotsModule, NotifyModule],
  controllers: [BookingsController, BookingCalendarController],
  providers: [
    BookingRepository,
    SlotHoldRepository,
    BookingCommands,
    BookingQueries,
    BookingInvitations,
    BookingMetrics,
    SlotCheck,
    SlotHolds,
    ManagementTokens,
    { provide: BookingDirectory, useExisting: BookingQueries },
  ],
  exports: [BookingCommands, BookingQueries, BookingInvitations, SlotHolds, BookingDirectory, BookingMetrics, ManagementTokens],
})
export class BookingModule {}
