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
import { offsetLabel } from '../domain/web-time.js';
import { codeWord, frequencyWord, historyWords } from './booking-words.js';
import { formatDateTimeIn, formatRangeIn } from '../../../shared/i18n/format.js';
import type { MessageKey } from '../../../shared/i18n/i18n.js';
import { adminLocale, type AdminLocale } from './admin-pages.js';

const PROVIDER_NAMES: Record<string, string> = {
  google_meet: 'Google Meet',
  microsoft_teams: 'Microsoft Teams',
  zoom: 'Zoom',
  jitsi: 'Jitsi Meet',
};
const STATUS_WORDS: Partial<Record<string, MessageKey>> = {
  pending: 'admin.bookings.statusWord.pending',
  confirmed: 'admin.bookings.statusWord.confirmed',
  cancelled: 'admin.bookings.statusWord.cancelled',
  rescheduled: 'admin.bookings.statusWord.rescheduled',
  declined: 'admin.bookings.statusWord.declined',
  expired: 'admin.bookings.statusWord.expired',
};
const KIND_WORDS: Partial<Record<string, MessageKey>> = {
  confirmation: 'admin.bookings.kind.confirmation',
  cancellation: 'admin.bookings.kind.cancellation',
  reschedule: 'admin.bookings.kind.reschedule',
  reminder: 'admin.bookings.kind.reminder',
  webhook: 'admin.bookings.kind.webhook',
  host_move_conflict: 'admin.bookings.kind.hostMoveConflict',
  request: 'admin.bookings.kind.request',
  declined: 'admin.bookings.kind.declined',
  expired: 'admin.bookings.kind.expired',
  conference_link: 'admin.bookings.kind.conferenceLink',
};
const ROLE_WORDS: Partial<Record<string, MessageKey>> = { host: 'admin.bookings.role.host', invitee: 'admin.bookings.role.invitee' };
const DELIVERY_WORDS: Partial<Record<string, MessageKey>> = {
  pending: 'admin.bookings.delivery.pending',
  sent: 'admin.bookings.delivery.sent',
  failed: 'admin.bookings.delivery.failed',
  cancelled: 'admin.bookings.delivery.cancelled',
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

  /** `loc`: the host's language (labels, dates); English when not given. */
  async build(userId: string, view: BookingView, hostZone: string, h12: boolean, loc: AdminLocale = adminLocale('en')) {
    const { t, formatLocale: fl } = loc;
    const word = (words: Partial<Record<string, MessageKey>>, code: string, fallback = code) => codeWord(words, code, t, fallback);
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
    const history = historyLines(auditEntries.flat(), names, (id) => (id ? (reasons.get(id) ?? null) : null), historyWords(t)).map(
      (line) => ({
        ...line,
        atLabel: formatDateTimeIn(line.at, hostZone, false, fl),
        fromLabel: line.from ? formatRangeIn(line.from.start, line.from.end, hostZone, h12, fl) : null,
        toLabel: line.to ? formatRangeIn(line.to.start, line.to.end, hostZone, h12, fl) : null,
      }),
    );

    const questions = type?.questions ?? [];
    const invitees = view.invitees.map((i) => ({
      id: i.id,
      name: i.name,
      email: i.email,
      phone: i.phone,
      cancelled: i.status === 'cancelled',
      guests: i.guests,
      guestList: i.guests.join(', '),
      answers: answerLines(i.answers, questions, { yes: t('admin.bookings.details.yes'), no: t('admin.bookings.details.no') }),
      zone: i.timeZone,
      zoneLabel: `${i.timeZone} (${offsetLabel(view.startTime, i.timeZone)})`,
      when: formatRangeIn(view.startTime, view.endTime, i.timeZone, h12, fl),
      sameZone: i.timeZone === hostZone,
    }));

    const place = locationText(view.location);
    const provider = view.conference ? (PROVIDER_NAMES[view.conference.provider] ?? view.conference.provider) : null;
    const deliveryRows = deliveries
      .flat()
      .sort((a, b) => +a.createdAt - +b.createdAt || +a.dueAt - +b.dueAt)
      .map((d) => ({
        id: d.id,
        kind: word(KIND_WORDS, d.kind, d.kind.replace(/_/g, ' ')),
        kindCode: d.kind,
        channel: d.channel,
        role: d.recipientRole,
        roleWord: word(ROLE_WORDS, d.recipientRole),
        status: d.status,
        statusWord: word(DELIVERY_WORDS, d.status),
        attempts: t('admin.bookings.details.attempts', { attempts: d.attempts, max: d.maxAttempts }),
        when: formatDateTimeIn(d.sentAt ?? d.dueAt, hostZone, false, fl),
        whenWord: t(
          d.sentAt
            ? 'admin.bookings.details.sent'
            : d.status === 'pending'
              ? 'admin.bookings.details.due'
              : 'admin.bookings.details.planned',
        ),
        error: redactDeliveryError(d.lastError),
      }));

    const live = view.status === 'confirmed' || view.status === 'pending';
    const future = view.endTime > now;
    return {
      id: view.id,
      type: view.meetingType.name,
      status: view.status,
      statusWord: word(STATUS_WORDS, view.status),
      when: formatRangeIn(view.startTime, view.endTime, hostZone, h12, fl),
      hostZoneLabel: `${hostZone} (${offsetLabel(view.startTime, hostZone)})`,
      duration: t('admin.bookings.minutes', { count: view.meetingType.durationMinutes }),
      hosts: view.hosts.map((h) => h.name).join(', '),
      invitees,
      place: view.conference ? null : place,
      placeIsLink: place !== null && /^https?:\/\//i.test(place),
      conference: view.conference && { url: view.conference.joinUrl, provider },
      cancellationReason: view.status === 'cancelled' || view.status === 'declined' ? view.cancellationReason : null,
      expires:
        view.status === 'pending' && view.confirmationExpiresAt ? formatDateTimeIn(view.confirmationExpiresAt, hostZone, false, fl) : null,
      series: view.series
        ? t('admin.bookings.seriesDates', {
            count: view.series.count,
            frequency: frequencyWord(view.series.frequency, t),
          })
        : null,
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
