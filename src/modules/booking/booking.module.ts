import { Module } from '@nestjs/common';
import { SlotsModule } from '../availability/slots.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { MeetingTypesModule } from '../meeting-types/meeting-types.module.js';
import { ApprovalLinks } from './application/approval-links.js';
import { BookingApprovals } from './application/booking-approval.service.js';
import { BookingArchive } from './application/booking-archive.service.js';
import { BookingCommands } from './application/booking-commands.service.js';
import { BookingHistory, BookingHistoryReader } from './application/booking-history.js';
import { BookingDirectory } from './application/booking-directory.js';
import { BookingConferences } from './application/booking-conferences.service.js';
import { BookingConferenceRepository } from './infrastructure/booking-conference.repository.js';
import { BookingMetrics } from './application/booking-metrics.js';
import { BookingQueries } from './application/booking-queries.service.js';
import { ManagementTokens } from './application/management-tokens.js';
import { InviteePolicies } from './application/invitee-policies.service.js';
import { SlotCheck } from './application/slot-check.js';
import { PendingExpiry } from './application/pending-expiry.js';
import { SlotHolds } from './application/slot-holds.service.js';
import { BookingApprovalController } from './http/booking-approval.controller.js';
import { BookingNoShowController } from './http/booking-no-show.controller.js';
import { BookingNoShows } from './application/booking-no-show.service.js';
import { BookingNoShowRepository } from './infrastructure/booking-no-show.repository.js';
import { BookingsController } from './http/bookings.controller.js';
import { BookingApprovalRepository } from './infrastructure/booking-approval.repository.js';
import { BookingSeries } from './application/booking-series.service.js';
import { BookingSeriesController } from './http/booking-series.controller.js';
import { BookingSeriesRepository } from './infrastructure/booking-series.repository.js';
import { BookingArchiveRepository } from './infrastructure/booking-archive.repository.js';
import { BookingRepository } from './infrastructure/booking.repository.js';
import { BookingTransactions } from './infrastructure/booking-transactions.js';
import { InviteeBookingsRepository } from './infrastructure/invitee-bookings.repository.js';
import { SlotHoldRepository } from './infrastructure/slot-hold.repository.js';
import { Waitlists } from './application/waitlist.service.js';
import { WaitlistController } from './http/waitlist.controller.js';
import { WaitlistRepository } from './infrastructure/waitlist.repository.js';

/**
 * Booking: holds, create/reschedule/cancel under SERIALIZABLE, and the reads. Upstream of notify, calendar and audit:
 * it publishes its changes as outbox events and exports BookingDirectory (views) for them; it imports none of them.
 */
@Module({
  imports: [IdentityModule, MeetingTypesModule, SlotsModule],
  controllers: [BookingsController, BookingApprovalController, BookingSeriesController, BookingNoShowController, WaitlistController],
  providers: [
    BookingRepository,
    BookingTransactions,
    SlotHoldRepository,
    BookingCommands,
    BookingQueries,
    BookingMetrics,
    SlotCheck,
    SlotHolds,
    InviteePolicies,
    InviteeBookingsRepository,
    ManagementTokens,
    { provide: BookingDirectory, useExisting: BookingQueries },
    BookingArchiveRepository,
    BookingArchive,
    { provide: BookingHistory, useClass: BookingHistoryReader },
    BookingApprovalRepository,
    PendingExpiry,
    BookingApprovals,
    ApprovalLinks,
    BookingSeriesRepository,
    BookingSeries,
    BookingConferenceRepository,
    BookingConferences,
    BookingNoShowRepository,
    BookingNoShows,
    WaitlistRepository,
    Waitlists,
  ],
  exports: [
    BookingCommands,
    BookingQueries,
    SlotHolds,
    BookingDirectory,
    ManagementTokens,
    BookingHistory,
    BookingArchive,
    BookingApprovals,
    ApprovalLinks,
    BookingConferences,
    BookingSeries,
    BookingNoShows,
    Waitlists,
  ],
})
export class BookingModule {}
