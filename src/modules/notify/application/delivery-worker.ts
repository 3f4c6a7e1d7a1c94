import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { Clock } from '../../../shared/clock/clock.js';
import { isDatabaseUnavailable } from '../../../shared/database/pg-errors.js';
import { SecretCipher } from '../../../shared/security/encryption.js';
import { ApprovalLinks } from '../../booking/application/approval-links.js';
import { BookingDirectory } from '../../booking/application/booking-directory.js';
import type { BookingSeriesView, BookingView, BookingViewPerson } from '../../booking/domain/booking-views.js';
import { afterFailure, PermanentDeliveryError } from '../domain/backoff.js';
import { type Conference, isConferenceProvider } from '../../booking/domain/conference.js';
import type { MessagePayload } from '../domain/plan-deliveries.js';
import { signWebhook } from '../domain/webhook-signature.js';
import { renderWaitlistClaim } from '../templates/waitlist-claim-mail.js';
import { waitlistClaimToken, waitlistClaimUrl } from '../../booking/domain/waitlist.js';
import { DeliveryStore } from '../infrastructure/delivery-store.js';
import { MailTransport } from '../../../shared/mail/mail-transport.js';
import type { NotificationDeliveryEntity } from '../infrastructure/notification-delivery.entity.js';
import { SmsProvider } from '../infrastructure/sms-provider.js';
import { WebhookSender } from '../infrastructure/webhook-sender.js';
import { WebhookSubscriptionRepository } from '../infrastructure/webhook-subscription.repository.js';
import { type EmailContext, renderEmail, renderSmsReminder } from '../templates/email-templates.js';
import { googleCalendarLink, hostBookingUrl, IcsService, outlookCalendarLink } from './ics.service.js';

/** Mails about a request and its outcome: none carries an invitation (.ics). */
const APPROVAL_KINDS = new Set(['request', 'declined', 'expired']);

/** How long one attempt may hold a row before another worker may take it over (worker killed mid-job). */
const LEASE_MS = 5 * 60_000;
/** How long a delivery keeps trying to record its outcome while the database is away (real time, not the clock). */
const RECORD_OUTCOME_FOR_MS = 120_000;

export type ProcessOutcome = 'sent' | 'skipped' | 'cancelled' | 'retry' | 'failed';

/** Not worth retrying: the message no longer makes sense. */
class Withdrawn extends Error {}

/**
 * Delivers one row: claim it (only a pending, due, unclaimed row can be claimed, so a duplicated job or a
 * concurrent worker finds nothing to do), send, then mark it sent. A failure schedules a retry with exponential
 * backoff, or marks the row failed after the last attempt. The only duplicate window left is a crash between the
 * provider accepting the message and the row being marked sent; the lease then expires and the message goes again,
 * with the same Message-ID / webhook-id so receivers can tell.
 */
@Injectable()
export class DeliveryWorker {
  private readonly logger = new Logger('NotifyWorker');

  constructor(
    private readonly store: DeliveryStore,
    private readonly bookings: BookingDirectory,
    private readonly mail: MailTransport,
    private readonly sms: SmsProvider,
    private readonly webhookSender: WebhookSender,
    private readonly ics: IcsService,
    private readonly cipher: SecretCipher,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly approvalLinks: ApprovalLinks,
  ) {}

  async process(id: string): Promise<ProcessOutcome> {
    const now = this.clock.now();
    const row = await this.store.claim(id, now, new Date(now.getTime() + LEASE_MS));
    if (!row) return 'skipped';
    try {
      await this.deliver(row);
    } catch (error) {
      const at = this.clock.now();
      if (error instanceof Withdrawn) {
        await this.store.markCancelled(row.id, error.message, at);
        return 'cancelled';
      }
      const message = error instanceof Error ? error.message : String(error);
      const next =
        error instanceof PermanentDeliveryError
          ? { status: 'failed' as const }
          : afterFailure(row.attempts, row.maxAttempts, at, this.config.notifyRetryBaseSeconds);
      await this.recordOutcome(row.id, () => this.store.recordFailure(row.id, message, next, at));
      this.logger.warn(`${row.kind} ${row.channel} delivery ${row.id} attempt ${row.attempts}/${row.maxAttempts} failed: ${message}`);
      return next.status === 'failed' ? 'failed' : 'retry';
    }
    await this.recordOutcome(row.id, () => this.store.markSent(row.id, this.clock.now()));
    return 'sent';
  }

  /**
   * The message has left (or failed) by now; only writing that down remains. If PostgreSQL is away at this moment
   * (a restart, a failover), keep trying for a while instead of leaving the row claimed: a claimed row is retried
   * only when its lease ends, which would send a sent message a second time.
   */
  private async recordOutcome(id: string, write: () => Promise<unknown>): Promise<void> {
    const giveUpAt = Date.now() + RECORD_OUTCOME_FOR_MS;
    for (let waitMs = 100; ; waitMs = Math.min(waitMs * 2, 2_000)) {
      try {
        await write();
        return;
      } catch (error) {
        if (!isDatabaseUnavailable(error) || Date.now() + waitMs > giveUpAt) throw error;
        this.logger.warn(`delivery ${id}: the database is unavailable, recording its outcome again in ${waitMs} ms`);
        await new Promise((r) => setTimeout(r, waitMs));
      }
    }
  }

  private async deliver(row: NotificationDeliveryEntity): Promise<void> {
    if (row.channel === 'webhook') return this.deliverWebhook(row);
    if (row.kind === 'waitlist_claim') return this.deliverWaitlistClaim(row);
    const view = row.bookingId ? await this.bookings.getView(row.bookingId) : null;
    if (!view) throw new Withdrawn('the booking no longer exists');
    const ctx = this.context(row, view);
    if (row.kind === 'reminder' && !reminderStillApplies(row, view)) throw new Withdrawn('withdrawn: the booking changed');
    if (row.kind === 'conference_link' && view.status !== 'confirmed' && view.status !== 'pending') {
      throw new Withdrawn('withdrawn: the booking no longer takes place');
    }
    if (row.kind === 'reschedule' && row.payload.rescheduled_by === 'host_calendar' && view.status === 'rescheduled') {
      throw new Withdrawn('withdrawn: the host moved the meeting again; the update for its latest time goes out instead');
    }
    if (row.kind === 'host_move_conflict') {
      if (!stillAt(row, view)) throw new Withdrawn('withdrawn: the booking changed after the host moved its event');
      // A notice to the host, not a change of the meeting: no invitation attached.
      return this.mail.send({ id: row.id, to: row.recipient, ...renderEmail(ctx) });
    }
    if (row.kind === 'request' && row.recipientRole === 'host' && view.status !== 'pending') {
      throw new Withdrawn('withdrawn: the request was answered, moved or cancelled before this mail went out');
    }
    if (row.channel === 'sms') {
      if (!this.sms.enabled) throw new Withdrawn('SMS is not configured');
      return this.sms.send(row.recipient, renderSmsReminder(ctx), row.id);
    }
    const email = renderEmail(ctx);
    const method = row.kind === 'cancellation' ? 'CANCEL' : 'REQUEST';
    const conference = planned(row.payload.conference);
    // An invitation only for a meeting that takes place: not for a request (pending), nor its answer unless confirmed.
    const ics =
      row.kind === 'reminder' || APPROVAL_KINDS.has(row.kind) || row.payload.pending === true
        ? undefined
        : ({
            method,
            content: this.ics.render(view, method, {
              start: ctx.start,
              end: ctx.end,
              sequence: row.payload.sequence,
              inviteeIds: this.aboutInvitees(row, view),
              stamp: row.createdAt, // when this change happened, i.e. when this version of the object was created
              url: ctx.links.manage,
              // What this message announces (a link made later comes with its own mail and invitation).
              ...(row.kind === 'cancellation' ? {} : { conference }),
            }),
          } as const);
    await this.mail.send({ id: row.id, to: row.recipient, ...email, ics });
  }

  /** The invitees an invitation names: an invitee's own copy names only them; a host's, who the event is about. */
  private aboutInvitees(row: NotificationDeliveryEntity, view: BookingView): string[] {
    if (row.recipientRole === 'invitee' || row.recipientRole === 'guest') return row.recipientId ? [row.recipientId] : [];
    if (row.payload.invitee_id) return [row.payload.invitee_id];
    return view.invitees.filter((i) => row.kind === 'cancellation' || i.status === 'active').map((i) => i.id);
  }

  private context(row: NotificationDeliveryEntity, view: BookingView): EmailContext {
    const p = row.payload;
    const start = new Date(p.start_time);
    const end = new Date(p.end_time);
    const attending = view.invitees.filter((i) => i.status === 'active');
    // `.at(0)`, not `[0]`: these lists may be empty (nobody attending any more), and the fallbacks below expect that.
    const forInvitee = row.recipientRole === 'invitee' || row.recipientRole === 'guest';
    const about =
      view.invitees.find((i) => i.id === (forInvitee ? row.recipientId : p.invitee_id)) ?? attending.at(0) ?? view.invitees.at(0);
    // A host's reminder is about everyone attending (a group meeting: several invitees, no single one's answers).
    const severalAttending = row.kind === 'reminder' && row.recipientRole === 'host' && attending.length > 1;
    const host: BookingViewPerson | undefined = view.hosts.find((h) => h.id === row.recipientId);
    // A guest's zone is not known: their invitation shows the invitee's (and the ICS lets their calendar convert).
    const recipient = forInvitee ? about : (host ?? view.hosts.at(0));
    const otherZones = forInvitee
      ? view.hosts.map((h) => h.timeZone)
      : (p.invitee_id ? [about] : view.invitees.filter((i) => i.status === 'active')).filter((i) => i !== undefined).map((i) => i.timeZone);
    const isInvitee = row.recipientRole === 'invitee';
    const isGuest = row.recipientRole === 'guest';
    return {
      kind: row.kind as EmailContext['kind'],
      role: isInvitee ? 'invitee' : isGuest ? 'guest' : 'host',
      recipientName: isGuest ? row.recipient : (recipient?.name ?? row.recipient),
      recipientZone: recipient?.timeZone ?? 'UTC',
      // The invitee's booking language (their guests get the same), a host's chosen one (issue #18).
      locale: recipient?.locale ?? 'en',
      otherZones,
      meetingName: view.meetingType.name,
      hostNames: view.hosts.map((h) => h.name),
      inviteeName: severalAttending ? attending.map((i) => i.name).join(', ') : (about?.name ?? 'the invitee'),
      inviteeEmail: about?.email ?? '',
      start,
      end,
      previous: p.previous ? { start: new Date(p.previous.start_time), end: new Date(p.previous.end_time) } : null,
      movedTo: p.host_move ? { start: new Date(p.host_move.start_time), end: new Date(p.host_move.end_time) } : null,
      reason: p.reason ?? p.host_move?.message ?? null,
      // A reminder shows the link as it is at sending; other mails what they were planned with.
      conference: row.kind === 'reminder' ? view.conference : planned(p.conference),
      conferencePending:
        row.kind === 'reminder' ? view.conference === null && p.conference_pending === true : p.conference_pending === true,
      cancelledBy: p.cancelled_by ?? null,
      offsetMinutes: p.offset_minutes,
      pending: p.pending === true,
      approved: row.eventType === 'booking.confirmed',
      expiresAt: view.confirmationExpiresAt,
      ...(p.series_mail && view.series ? { seriesDates: seriesDatesOf(view.series, row.kind) } : {}),
      answers: isInvitee || isGuest || severalAttending ? undefined : about?.answers,
      guests: severalAttending ? undefined : about?.guests,
      links: {
        google: googleCalendarLink(view, start, end),
        outlook: outlookCalendarLink(view, start, end),
        // Management links carry the invitee's token: only ever in the invitee's own mail.
        ...(isInvitee && about ? { manage: about.manageUrl, cancel: about.cancelUrl, reschedule: about.rescheduleUrl } : {}),
        ...(!isInvitee && !isGuest ? { manage: hostBookingUrl(this.config.publicUrl, view.id) } : {}),
        // A host's request mail: one-click answers, signed for this host and booking until the request's deadline.
        ...(row.kind === 'request' && !isInvitee && !isGuest && host && view.confirmationExpiresAt
          ? {
              confirm: this.approvalLinks.url({
                bookingId: view.id,
                action: 'confirm',
                hostId: host.id,
                expiresAt: view.confirmationExpiresAt,
              }),
              decline: this.approvalLinks.url({
                bookingId: view.id,
                action: 'decline',
                hostId: host.id,
                expiresAt: view.confirmationExpiresAt,
              }),
            }
          : {}),
      },
    };
  }

  /** The claim link of a promoted waitlist entry: its hold token is derived again here (never stored in clear). */
  private async deliverWaitlistClaim(row: NotificationDeliveryEntity): Promise<void> {
    const p = row.payload.waitlist;
    if (!p?.promoted_at) throw new Withdrawn('no promotion in the delivery');
    if (p.claim_expires_at && new Date(p.claim_expires_at).getTime() <= this.clock.now().getTime()) {
      throw new Withdrawn('withdrawn: the claim has lapsed');
    }
    const url = waitlistClaimUrl(this.config.publicUrl, p, waitlistClaimToken(this.config.appSecret, p.entry_id, p.promoted_at));
    await this.mail.send({ id: row.id, to: row.recipient, ...renderWaitlistClaim(p, url) });
  }

  private async deliverWebhook(row: NotificationDeliveryEntity): Promise<void> {
    const sub = row.recipientId ? await this.subscriptions.findWithSecret(row.recipientId) : null;
    if (!sub) throw new Withdrawn('webhook deleted');
    if (sub.disabledAt) throw new Withdrawn('webhook disabled');
    const body = JSON.stringify(row.payload.body ?? {});
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const headers = signWebhook(this.cipher.decrypt(sub.secretEnc), row.id, timestamp, body);
    await this.webhookSender.post(sub.url, body, headers);
  }
}

/** A conference as a delivery's payload recorded it (snake_case JSON) → the booking's shape. */
function planned(c: MessagePayload['conference']): Conference | null {
  if (!c || !isConferenceProvider(c.provider)) return null;
  return { provider: c.provider, joinUrl: c.join_url, meetingId: c.meeting_id };
}

/** The host's notice says where the booking stays: true only while it is still there, live. */
function stillAt(row: NotificationDeliveryEntity, view: BookingView): boolean {
  const live = view.status === 'confirmed' || view.status === 'pending';
  return live && view.startTime.getTime() === new Date(row.payload.start_time).getTime();
}

/** A reminder goes out only for the booking as it was planned for: still confirmed, same start, its recipient still in it. */
function reminderStillApplies(row: NotificationDeliveryEntity, view: BookingView): boolean {
  if (view.status !== 'confirmed' || view.startTime.getTime() !== new Date(row.payload.start_time).getTime()) return false;
  if (row.recipientRole === 'host') {
    return view.hosts.some((h) => h.id === row.recipientId) && view.invitees.some((i) => i.status === 'active');
  }
  return view.invitees.find((i) => i.id === row.recipientId)?.status === 'active';
}

/** The dates a series mail lists: those booked (a confirmation) or those cancelled (a cancellation). */
function seriesDatesOf(series: BookingSeriesView, kind: string): Array<{ start: Date; end: Date }> {
  const cancelled = kind === 'cancellation';
  return series.occurrences
    .filter((o) => (cancelled ? o.status === 'cancelled' : o.status === 'confirmed' || o.status === 'pending'))
    .map((o) => ({ start: o.start, end: o.end }));
}
