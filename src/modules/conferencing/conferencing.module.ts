import { Logger, Module, type OnModuleInit, Optional } from '@nestjs/common';
import { OutboxRelay } from '../../shared/outbox/outbox-relay.js';
import { SecretCipher } from '../../shared/security/encryption.js';
import { BookingModule } from '../booking/booking.module.js';
import { OAuthStateService } from '../calendar/application/oauth-state.service.js';
import { IdentityModule } from '../identity/identity.module.js';
import { LocationRequirements } from '../meeting-types/application/location-requirements.js';
import { MeetingTypesModule } from '../meeting-types/meeting-types.module.js';
import { BookingMeetings, CONFERENCING_CONSUMER } from './application/booking-meetings.consumer.js';
import { ZoomConnect } from './application/zoom-connect.service.js';
import { ZoomMeetings } from './application/zoom-meetings.service.js';
import { ConferencingController } from './http/conferencing.controller.js';
import { ZoomAdapter } from './infrastructure/zoom.adapter.js';
import { ZoomConnectionRepository } from './infrastructure/zoom-connection.repository.js';

/**
 * Conferencing: a video meeting per booking for jitsi and zoom locations (Google Meet and Teams are made on the
 * calendar event by the calendar context), Zoom connections. Reacts to booking's outbox events; records the meeting
 * through booking's BookingConferences.
 */
@Module({
  imports: [IdentityModule, BookingModule, MeetingTypesModule],
  controllers: [ConferencingController],
  providers: [ZoomAdapter, ZoomConnectionRepository, ZoomMeetings, ZoomConnect, BookingMeetings, OAuthStateService, SecretCipher],
  exports: [ZoomConnect],
})
export class ConferencingModule implements OnModuleInit {
  constructor(
    private readonly meetings: BookingMeetings,
    private readonly zoom: ZoomConnect,
    private readonly locationRequirements: LocationRequirements,
    @Optional() private readonly relay?: OutboxRelay,
  ) {}

  onModuleInit() {
    this.locationRequirements.register(['zoom'], async (_type, hostIds) => {
      const missing = await this.zoom.lacking(hostIds);
      if (missing.length === 0) return null;
      return hostIds.length === 1
        ? 'Zoom needs a connected Zoom account; the host has none (connect Zoom first: GET /api/conferencing/zoom/connect)'
        : `Zoom needs a connected Zoom account for every host; missing for hosts ${missing.join(', ')}`;
    });
    if (this.relay) this.relay.register(CONFERENCING_CONSUMER, (event) => this.meetings.handle(event));
    else new Logger('ConferencingModule').warn('OutboxRelay is not available: bookings will get no Jitsi or Zoom link');
  }
}
