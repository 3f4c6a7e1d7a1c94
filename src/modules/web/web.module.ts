import { Module } from '@nestjs/common';
import { AdminInsightsController } from './http/admin-insights.controller.js';
import { AdminRoundRobinController } from './http/admin-round-robin.controller.js';
import { RoundRobinModule } from '../round-robin/round-robin.module.js';
import { AdminNoShowController } from './http/admin-no-show.controller.js';
import { InsightsModule } from '../insights/insights.module.js';
import { SlotsModule } from '../availability/slots.module.js';
import { SchedulesModule } from '../schedules/schedules.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { BookingModule } from '../booking/booking.module.js';
import { CalendarModule } from '../calendar/calendar.module.js';
import { ConferencingModule } from '../conferencing/conferencing.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { MeetingTypesModule } from '../meeting-types/meeting-types.module.js';
import { NotifyModule } from '../notify/notify.module.js';
import { PrivacyModule } from '../privacy/privacy.module.js';
import { TeamsModule } from '../teams/teams.module.js';
import { AdminBookingDetails } from './application/admin-booking-details.js';
import { AdminPages } from './application/admin-pages.js';
import { BookingDaysOff } from './application/booking-days-off.js';
import { BookingPicker } from './application/booking-picker.js';
import { WebSessions } from './application/web-session.js';
import { WebViews } from './application/web-views.js';
import { AdminApiKeysController } from './http/admin-api-keys.controller.js';
import { AdminAvailabilityController } from './http/admin-availability.controller.js';
import { AdminBookingListController } from './http/admin-booking-list.controller.js';
import { AdminBookingsController } from './http/admin-bookings.controller.js';
import { AdminCalendarsController } from './http/admin-calendars.controller.js';
import { AdminLimitsController } from './http/admin-limits.controller.js';
import { AdminTimeOffController } from './http/admin-time-off.controller.js';
import { AdminWhyController } from './http/admin-why.controller.js';
import { AdminGoogleSignInController } from './http/admin-google-sign-in.controller.js';
import { AdminPasswordResetController } from './http/admin-password-reset.controller.js';
import { AdminMeetingTypesController } from './http/admin-meeting-types.controller.js';
import { AdminTypeListController } from './http/admin-type-list.controller.js';
import { AdminProfileController } from './http/admin-profile.controller.js';
import { AdminSessionController } from './http/admin-session.controller.js';
import { AdminTeamsController } from './http/admin-teams.controller.js';
import { AdminWebhooksController } from './http/admin-webhooks.controller.js';
import { AdminWelcomeController } from './http/admin-welcome.controller.js';
import { AdminEmailVerificationController } from './http/admin-email-verification.controller.js';
import { BookingApprovalPagesController } from './http/booking-approval-pages.controller.js';
import { BookingPagesController } from './http/booking-pages.controller.js';
import { PublicPagesController } from './http/public-pages.controller.js';
import { PublicWaitlistController } from './http/public-waitlist.controller.js';
import { AdminWaitlistController } from './http/admin-waitlist.controller.js';
import { StaticController } from './http/static.controller.js';
import { EmbedScriptController } from './http/embed-script.controller.js';
import { WebExceptionFilter } from './http/web-exception.filter.js';

/** Every /admin controller, one per page: the session and CSRF hook (registerAdminSessions) covers their paths. */
const ADMIN_CONTROLLERS = [
  AdminSessionController,
  AdminBookingsController,
  AdminTypeListController,
  AdminBookingListController,
  AdminMeetingTypesController,
  AdminAvailabilityController,
  AdminTimeOffController,
  AdminLimitsController,
  AdminApiKeysController,
  AdminCalendarsController,
  AdminTeamsController,
  AdminWebhooksController,
  AdminProfileController,
  AdminPasswordResetController,
  AdminGoogleSignInController,
  AdminWelcomeController,
  AdminEmailVerificationController,
  AdminInsightsController,
  AdminNoShowController,
  AdminWhyController,
  AdminRoundRobinController,
];

/**
 * Server-rendered pages: the invitee's booking pages and the host admin. Register last in AppModule: the public
 * `/:username` routes are catch-alls, and the controllers below are listed so fixed paths are matched first.
 */
@Module({
  imports: [
    IdentityModule,
    SchedulesModule,
    MeetingTypesModule,
    SlotsModule,
    BookingModule,
    NotifyModule,
    CalendarModule,
    ConferencingModule,
    PrivacyModule,
    TeamsModule,
    AuditModule,
    InsightsModule,
    RoundRobinModule,
  ],
  controllers: [
    StaticController,
    EmbedScriptController,
    ...ADMIN_CONTROLLERS,
    BookingPagesController,
    BookingApprovalPagesController,
    PublicWaitlistController,
    AdminWaitlistController,
    PublicPagesController,
  ],
  providers: [AdminBookingDetails, WebViews, WebSessions, AdminPages, BookingPicker, BookingDaysOff, WebExceptionFilter],
})
export class WebModule {}
