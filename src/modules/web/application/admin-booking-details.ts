import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import { DomainError } from '../../../shared/http/domain-error.js';
import { AuditService } from '../../audit/application/audit.service.js';
import { BookingQueries } from '../../booking/application/booking-queries.service.js';
import type { BookingView } from '../../booking/domain/booking-views.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { locationText } from '../../notify/application/ics.service.js';
import { NotificationsService } from '../../notify/application/notifications.service.js';
import { maskEmails } from '../../../shared/logging/redaction.js';
import { answerLines, historyLines } from '../domain/booking-details-view.js';
import { formatDateTime, formatRange, offsetLabel } from '../domain/web-time.js';

const PROVIDER_NAMES: Record<string, string> = {
  google_meet: 'Google Meet',
  microsoft_teams: 'Microsoft Teams',
  zoom: 'Zoom',
  jitsi: 'Jitsi Meet',
};
const STATUS_WORDS: Record<string, string> = {
  pending: 'Awaiting your answer',
  confirmed: 'Confirmed',
  cancelled: 'Cancelled',
  rescheduled: 'Moved',
  declined: 'Declined',
  expired: 'Expired',
};
const KIND_WORDS: Record<string, string> = {
  confirmation: 'Confirmation',
  cancellation: 'Cancellation',
  reschedule: 'Reschedule',
  reminder: 'Reminder',
  webhook: 'Webhook',
  host_move_conflict: 'Calendar move refused',
  request: 'Request',
  declined: 'Declined',
  expired: 'Expired',
  conference_link: 'Video link',
};

/**
 * A delivery's last error as the host may see it: email addresses masked, URLs cut to their origin (paths and
 * queries can carry tokens), one line, at most 300 characters.
 */
export function redactDeliveryError(error: string | null): string | null {
  if (!error) return null;
  const urls = error.replace(/\bhttps?:\/\/[^\s"'<>]+/gi, (url) => {
    try {
      return `${new URL(url).origin}/…`;
    } catch {
      return '[URL]';
    }
  });
  const line = maskEmails(urls).replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** Null-safe "not found" catch: a predecessor the host cannot see (another host's round-robin turn) is left out. */
const unlessNotFound = async <T>(p: Promise<T>, fallback: T): Promise<T> => {
  try {
    return await p;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') return fallback;
    throw error;
  }
};

/**
 * What the admin's booking details page shows: the booking as it is now (one of the host's, else 404), its people,
 * answers, place, times in the host's and each invitee's zone, its history across reschedules (audit log) and the
 * state of every notification sent for it.
 */
@Injectable()
export class AdminBookingDetails {
  constructor(
    private readonly queries: BookingQueries,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly meetingTypes: MeetingTypesService,
    private readonly clock: Clock,
  ) {}

  /** The bookings this one replaced, newest first, then itself last-to-first reversed: oldest first overall. */
  private async chainOf(view: BookingView): Promise<BookingView[]> {
    const chain = [view];
    let current = view;
    for (let hop = 0; hop < 50 && current.rescheduledFromId; hop++) {
      const previous = await this.queries.getView(current.rescheduledFromId);
      if (!previous) break;
      chain.unshift(previous);
      current = previous;
    }
    return chain;
  }

  async build(userId: string, view: BookingView, hostZone: string, h12: boolean) {
    const now = this.clock.now();
    const chain = await this.chainOf(view);
    const [type, auditEntries, deliveries] = await Promise.all([
      this.meetingTypes.findSnapshot(view.meetingType.id),
      Promise.all(chain.map((b) => unlessNotFound(this.audit.list(userId, { bookingId: b.id, limit: 200 }), []))),
      Promise.all(chain.map((b) => unlessNotFound(this.notifications.list(userId, { bookingId: b.id, limit: 100 }), []))),
    ]);
    const names = new Map<string, string>();
    for (const b of chain) {
      for (const h of b.hosts) names.set(h.id, h.name);
      for (const i of b.invitees) names.set(i.id, i.name);
    }
    const reasons = new Map(chain.map((b) => [b.id, b.cancellationReason]));
    const history = historyLines(auditEntries.flat(), names, (id) => (id ? (reasons.get(id) ?? null) : null)).map((line) => ({
      ...line,
      atLabel: formatDateTime(line.at, hostZone),
      fromLabel: line.from ? formatRange(line.from.start, line.from.end, hostZone, h12) : null,
      toLabel: line.to ? formatRange(line.to.start, line.to.end, hostZone, h12) : null,
    }));

    const questions = type?.questions ?? [];
    const invitees = view.invitees.map((i) => ({
      id: i.id,
      name: i.name,
      email: i.email,
      phone: i.phone,
      cancelled: i.status === 'cancelled',
      guests: i.guests,
      answers: answerLines(i.answers, questions),
      zone: i.timeZone,
      zoneLabel: `${i.timeZone} (${offsetLabel(view.startTime, i.timeZone)})`,
      when: formatRange(view.startTime, view.endTime, i.timeZone, h12),
      sameZone: i.timeZone === hostZone,
    }));

    const place = locationText(view.location);
    const provider = view.conference ? (PROVIDER_NAMES[view.conference.provider] ?? view.conference.provider) : null;
    const deliveryRows = deliveries
      .flat()
      .sort((a, b) => +a.createdAt - +b.createdAt || +a.dueAt - +b.dueAt)
      .map((d) => ({
        id: d.id,
        kind: KIND_WORDS[d.kind] ?? d.kind.replace(/_/g, ' '),
        kindCode: d.kind,
        channel: d.channel,
        role: d.recipientRole,
        status: d.status,
        attempts: `${d.attempts} of ${d.maxAttempts}`,
        when: formatDateTime(d.sentAt ?? d.dueAt, hostZone),
        whenWord: d.sentAt ? 'sent' : d.status === 'pending' ? 'due' : 'planned',
        error: redactDeliveryError(d.lastError),
      }));

    const live = view.status === 'confirmed' || view.status === 'pending';
    const future = view.endTime > now;
    return {
      id: view.id,
      type: view.meetingType.name,
      status: view.status,
      statusWord: STATUS_WORDS[view.status] ?? view.status,
      when: formatRange(view.startTime, view.endTime, hostZone, h12),
      hostZoneLabel: `${hostZone} (${offsetLabel(view.startTime, hostZone)})`,
      duration: `${view.meetingType.durationMinutes} min`,
      hosts: view.hosts.map((h) => h.name).join(', '),
      invitees,
      place: view.conference ? null : place,
      placeIsLink: place !== null && /^https?:\/\//i.test(place),
      conference: view.conference && { url: view.conference.joinUrl, provider },
      cancellationReason: view.status === 'cancelled' || view.status === 'declined' ? view.cancellationReason : null,
      expires: view.status === 'pending' && view.confirmationExpiresAt ? formatDateTime(view.confirmationExpiresAt, hostZone) : null,
      series: view.series ? `${view.series.count} dates, ${view.series.frequency.replace(/_/g, ' ')}` : null,
      history,
      deliveries: deliveryRows,
      actions: {
        cancel: live && future,
        reschedule: live && future,
        answer: view.status === 'pending' && future,
      },
    };
  }
}
