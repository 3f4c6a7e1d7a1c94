import { Logger, Module, type OnModuleInit, Optional } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxRelay } from '../../shared/outbox/outbox-relay.js';
import { SecretCipher } from '../../shared/security/encryption.js';
import { BusyTimeFreshness } from '../availability/application/busy-time-freshness.js';
import { SlotsModule } from '../availability/slots.module.js';
import { BookingModule } from '../booking/booking.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { MeetingTypesModule } from '../meeting-types/meeting-types.module.js';
import { CalendarCredentials } from './application/calendar-credentials.service.js';
import { CalendarEventWriter } from './application/calendar-event-writer.service.js';
import { CalendarExportFeeds } from './application/calendar-export.service.js';
import { CalendarPoller } from './application/calendar-poller.service.js';
import { CalendarPush } from './application/calendar-push.service.js';
import { CalendarReadApplier } from './application/calendar-read-applier.service.js';
import { CalendarSources } from './application/calendar-sources.service.js';
import { CalendarSyncService } from './application/calendar-sync.service.js';
import { HostCalendarChanges } from './application/host-calendar-changes.service.js';
import { OAuthStateService } from './application/oauth-state.service.js';
import { OnDemandSync } from './application/on-demand-sync.service.js';
import { MeetingCalendars } from './application/meeting-calendars.service.js';
import { LocationRequirements } from '../meeting-types/application/location-requirements.js';
import { BookingCalendarEvents } from './application/booking-calendar-events.service.js';
import { BookingDestinations } from './application/booking-destinations.service.js';
import { CaldavConnect } from './application/caldav-connect.service.js';
import { CalendarChoices } from './application/calendar-choices.service.js';
import { CalendarConnections } from './application/calendar-connections.service.js';
import { ConnectionFirstSync } from './application/connection-first-sync.service.js';
import { IcsConnect } from './application/ics-connect.service.js';
import { OAuthConnect } from './application/oauth-connect.service.js';
import { CalendarExportController } from './http/calendar-export.controller.js';
import { IntegrationConnectController } from './http/integration-connect.controller.js';
import { IntegrationWebhooksController } from './http/integration-webhooks.controller.js';
import { IntegrationsController } from './http/integrations.controller.js';
import { CaldavAdapter } from './infrastructure/caldav.adapter.js';
import { CalendarEventLinkEntity } from './infrastructure/calendar-event-link.entity.js';
import { CalendarEventLinkRepository } from './infrastructure/calendar-event-link.repository.js';
import { CalendarIntegrationEntity } from './infrastructure/calendar-integration.entity.js';
import { CalendarIntegrationRepository } from './infrastructure/calendar-integration.repository.js';
import { CalendarLocks } from './infrastructure/calendar-locks.js';
import { CalendarPushChannelEntity } from './infrastructure/calendar-push-channel.entity.js';
import { CalendarPushChannelRepository } from './infrastructure/calendar-push-channel.repository.js';
import { CalendarSelectionEntity } from './infrastructure/calendar-selection.entity.js';
import { CalendarSelectionRepository } from './infrastructure/calendar-selection.repository.js';
import { CalendarTransactions } from './infrastructure/calendar-transactions.js';
import { DestinationOverrideRepository } from './infrastructure/destination-override.repository.js';
import { EventsCacheRepository } from './infrastructure/events-cache.repository.js';
import { ExportFeedRepository } from './infrastructure/export-feed.repository.js';
import { GoogleCalendarAdapter } from './infrastructure/google-calendar.adapter.js';
import { IcsFeedAdapter } from './infrastructure/ics-feed.adapter.js';
import { MicrosoftGraphAdapter } from './infrastructure/microsoft-graph.adapter.js';

/** The outbox consumer name (its cursor): renaming it would replay every booking event. */
export const CALENDAR_OUTBOX_CONSUMER = 'calendar-writer';

/** Calendar integrations: Google, Microsoft 365, CalDAV and ICS feeds; busy time in, booking events out; the hosts' export feeds. */
@Module({
  imports: [
    TypeOrmModule.forFeature([CalendarIntegrationEntity, CalendarSelectionEntity, CalendarEventLinkEntity, CalendarPushChannelEntity]),
    IdentityModule,
    BookingModule,
    SlotsModule,
    MeetingTypesModule,
  ],
  // Export first: its paths are not connection ids; connection ids last for the same reason.
  controllers: [CalendarExportController, IntegrationWebhooksController, IntegrationConnectController, IntegrationsController],
  providers: [
    CalendarIntegrationRepository,
    CalendarSelectionRepository,
    CalendarEventLinkRepository,
    CalendarPushChannelRepository,
    DestinationOverrideRepository,
    ExportFeedRepository,
    EventsCacheRepository,
    CalendarTransactions,
    CalendarLocks,
    SecretCipher,
    GoogleCalendarAdapter,
    MicrosoftGraphAdapter,
    IcsFeedAdapter,
    CaldavAdapter,
    CalendarSources,
    CalendarExportFeeds,
    CalendarCredentials,
    OAuthStateService,
    HostCalendarChanges,
    CalendarReadApplier,
    CalendarSyncService,
    CalendarPush,
    CalendarEventWriter,
    ConnectionFirstSync,
    OAuthConnect,
    IcsConnect,
    CaldavConnect,
    CalendarConnections,
    CalendarChoices,
    BookingDestinations,
    BookingCalendarEvents,
    CalendarPoller,
    OnDemandSync,
    MeetingCalendars,
  ],
  // For the admin pages (web module): connecting, connections, calendar choices, per-type destinations, the export feed, flagged bookings.
  exports: [
    CalendarSyncService,
    OAuthConnect,
    IcsConnect,
    CaldavConnect,
    CalendarConnections,
    CalendarChoices,
    BookingDestinations,
    CalendarExportFeeds,
    BookingCalendarEvents,
  ],
})
export class CalendarModule implements OnModuleInit {
  constructor(
    private readonly writer: CalendarEventWriter,
    private readonly push: CalendarPush,
    private readonly sync: CalendarSyncService,
    private readonly onDemand: OnDemandSync,
    private readonly freshness: BusyTimeFreshness,
    private readonly meetingCalendars: MeetingCalendars,
    private readonly locationRequirements: LocationRequirements,
    @Optional() private readonly relay?: OutboxRelay,
  ) {}

  onModuleInit() {
    this.freshness.register((hostIds) => this.onDemand.refresh(hostIds));
    this.locationRequirements.register(['google_meet', 'microsoft_teams'], (type, hostIds) => this.meetingCalendars.lacking(type, hostIds));
    this.push.onNotify = (integrationId) => this.sync.syncIntegration(integrationId);
    if (this.relay) this.relay.register(CALENDAR_OUTBOX_CONSUMER, (event) => this.writer.handle(event));
    else new Logger('CalendarModule').warn('OutboxRelay is not available: bookings will not be written to calendars');
  }
}
