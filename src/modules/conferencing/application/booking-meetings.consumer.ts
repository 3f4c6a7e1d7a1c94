import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import type { OutboxEvent } from '../../../shared/outbox/outbox-relay.js';
import { BookingConferences } from '../../booking/application/booking-conferences.service.js';
import { BookingDirectory } from '../../booking/application/booking-directory.js';
import type { BookingEventPayload, BookingView } from '../../booking/domain/booking-views.js';
import { type Conference, conferenceProviderOf, JITSI_ROOM_BYTES, jitsiConference } from '../../booking/domain/conference.js';
import { ZoomMeetings, ZoomRefusedError } from './zoom-meetings.service.js';

const BOOKING_EVENTS = new Set(['booking.created', 'booking.rescheduled', 'booking.cancelled']);

/** The outbox consumer name (its cursor): renaming it would replay every booking event. */
export const CONFERENCING_CONSUMER = 'conferencing';

/**
 * Makes, moves and removes the booking's own meeting for jitsi and zoom locations, after COMMIT, from the outbox
 * (Google Meet and Teams meetings are made on the host's calendar event by the calendar writer; a new booking's
 * Jitsi room is made with the booking itself, so here Jitsi is only the moved booking's room). Idempotent: a
 * booking that already has its meeting keeps it; a rescheduled booking takes over its predecessor's (same room,
 * same Zoom meeting, moved); a cancelled one loses it (Zoom: deleted). A transient Zoom failure throws, so the relay
 * hands the event again on its next poll (this consumer's cursor waits; notify's and calendar's do not).
 */
@Injectable()
export class BookingMeetings {
  private readonly logger = new Logger('BookingMeetings');

  constructor(
    private readonly directory: BookingDirectory,
    private readonly conferences: BookingConferences,
    private readonly zoom: ZoomMeetings,
    private readonly config: AppConfig,
  ) {}

  async handle(event: Pick<OutboxEvent, 'eventType' | 'payload'>): Promise<void> {
    if (!BOOKING_EVENTS.has(event.eventType)) return;
    const payload = event.payload as unknown as BookingEventPayload;
    const view = await this.directory.getView(payload.booking_id);
    if (!view) return;
    try {
      if (view.status === 'cancelled') await this.remove(view, payload);
      else if (view.status === 'confirmed' || view.status === 'pending') await this.ensure(view, payload);
    } catch (error) {
      if (!(error instanceof ZoomRefusedError)) throw error;
      // Nothing a retry would change (connection revoked, meeting refused): the booking goes without a link.
      this.logger.warn(`booking ${view.id}: no Zoom meeting: ${error.message}`);
    }
  }

  private async ensure(view: BookingView, payload: BookingEventPayload): Promise<void> {
    const provider = conferenceProviderOf(view.location);
    if (provider !== 'jitsi' && provider !== 'zoom') return;
    const previousId = payload.previous?.booking_id && payload.previous.booking_id !== view.id ? payload.previous.booking_id : null;
    if (await this.conferences.of(view.id)) return; // made already (a replayed event)
    const inherited = previousId ? await this.conferences.of(previousId) : null;
    const kept = inherited?.provider === provider ? inherited : null;
    if (provider === 'jitsi') {
      await this.conferences.record(view.id, kept ?? jitsiConference(this.config.jitsiBaseUrl, randomBytes(JITSI_ROOM_BYTES)));
      return;
    }
    const organizer = payload.host_user_ids[0];
    if (!organizer) return;
    let conference: Conference;
    if (kept) {
      // The meeting of the booking this one replaces, moved to the new time.
      await this.zoom.update(organizer, kept.meetingId, this.meetingOf(view));
      conference = kept;
    } else {
      conference = await this.zoom.create(organizer, this.meetingOf(view));
    }
    await this.conferences.record(view.id, conference);
  }

  private async remove(view: BookingView, payload: BookingEventPayload): Promise<void> {
    const own = await this.conferences.of(view.id);
    if (!own) return;
    const organizer = payload.host_user_ids[0];
    if (own.provider === 'zoom' && organizer) await this.zoom.remove(organizer, own.meetingId);
    await this.conferences.remove(view.id);
  }

  private meetingOf(view: BookingView) {
    const invitees = view.invitees.filter((i) => i.status === 'active').map((i) => i.name);
    return {
      topic: invitees.length ? `${view.meetingType.name} with ${invitees.join(', ')}` : view.meetingType.name,
      start: view.startTime,
      durationMinutes: Math.round((view.endTime.getTime() - view.startTime.getTime()) / 60_000),
      // Found again by this mark when a create's answer was lost (Zoom has no idempotency key).
      agenda: `Booked with Kairos (${view.icalUid})`,
      marker: view.icalUid,
    };
  }
}
