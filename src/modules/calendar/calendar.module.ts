import { Logger, Module, type OnModuleInit, Optional } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxRelay } from '../../shared/outbox/outbox-relay.js';
import { SecretCipher } from '../../shared/security/encryption.js';
import { BookingModule } from '../booking/booking.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { CalendarCredentials } from './application/calendar-credentials.service.js';
import { CalendarEventWriter } from './application/calendar-event-writer.service.js';
import { CalendarExportFeeds } from './application/calendar-export.service.js';
import { CalendarPoller } from './application/calendar-poller.service.js';
import { CalendarPush } from './application/calendar-push.service.js';
import { CalendarSources } from './application/calendar-sources.service.js';
import { CalendarSyncService } from './application/calendar-sync.service.js';
import { HostCalendarChanges } from './application/host-calendar-changes.service.js';
import { IntegrationsService } from './application/integrations.service.js';
import { OAuthStateService } from './application/oauth-state.service.js';
import { CalendarExportController } from './http/calendar-export.controller.js';
import { IntegrationsController } from './http/integrations.controller.js';
import { CaldavAdapter } from './infrastructure/caldav.adapter.js';
import { CalendarEventLinkEntity } from './infrastructure/calendar-event-link.entity.js';
import { CalendarIntegrationEntity } from './infrastructure/calendar-integration.entity.js';
import { CalendarPushChannelEntity } from './infrastructure/calendar-push-channel.entity.js';
import { CalendarSelectionEntity } from './infrastructure/calendar-selection.entity.js';
import { EventsCacheRepository } from './infrastructure/events-cache.repository.js';
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
  ],
  controllers: [CalendarExportController, IntegrationsController], // export first: its paths are not connection ids
  providers: [
    SecretCipher,
    GoogleCalendarAdapter,
    MicrosoftGraphAdapter,
    IcsFeedAdapter,
    CaldavAdapter,
    CalendarSources,
    CalendarExportFeeds,
    EventsCacheRepository,
    CalendarCredentials,
    OAuthStateService,
    HostCalendarChanges,
    CalendarSyncService,
    CalendarPush,
    CalendarEventWriter,
    IntegrationsService,
    CalendarPoller,
  ],
  exports: [CalendarSyncService, IntegrationsService, CalendarExportFeeds], // IntegrationsService: the admin pages (web module)
})
export class CalendarModule implements OnModuleInit {
  constructor(
    private readonly writer: CalendarEventWriter,
    private readonly push: CalendarPush,
    private readonly sync: CalendarSyncService,
    @Optional() private readonly relay?: OutboxRelay,
  ) {}

  onModuleInit() {
    this.push.onNotify = (integrationId) => this.sync.syncIntegration(integrationId);
    if (this.relay) this.relay.register(CALENDAR_OUTBOX_CONSUMER, (event) => this.writer.handle(event));
    else new Logger('CalendarModule').warn('OutboxRelay is not available: bookings will not be written to calendars');
  }
}
