import type { BookingEventPayload, BookingEventType, BookingView, NoShowEventType } from '../../booking/domain/booking-views.js';
import { conferenceJson, conferenceProviderOf } from '../../booking/domain/conference.js';
import type { ReminderSetting } from '../../meeting-types/domain/meeting-type.js';
import type { WaitlistEventPayload, WaitlistEventType } from '../../booking/domain/waitlist.js';
import { deliveryId } from './delivery-id.js';
import { smsAddress } from './sms-address.js';

/** What a delivery row is for; the migrations' CHECK on notification_deliveries.kind lists the same. */
export const DELIVERY_KINDS = [
  'confirmation',
  'reschedule',
  'cancellation',
  'reminder',
  'webhook',
  'host_move_conflict',
  // Approval (requires_confirmation): a request made (to the invitee: received; to the host: confirm or decline?),
  // declined by the host, expired unanswered.
  'request',
  'declined',
  'expired',
  // The booking's video link, made after the first mails went out.
  'conference_link',
  // A waitlist entry was promoted: its claim link (domain/waitlist-notices.ts).
  'waitlist_claim',
] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];
export type DeliveryChannel = 'email' | 'sms' | 'webhook';
/** `guest`: an email an invitee added (recipient_id is that invitee's id). */
export type RecipientRole = 'invitee' | 'host' | 'webhook' | 'guest';

/**
 * Calendly's event names, plus invitee.rescheduled, approval's pending / confirmed / declined / expired, and
 * invitee.conference_ready (the booking's video link now exists).
 */
export const WEBHOOK_EVENTS = [
  'invitee.created',
  'invitee.canceled',
  'invitee.rescheduled',
  'invitee.pending',
  'invitee.confirmed',
  'invitee.declined',
  'invitee.expired',
  'invitee.conference_ready',
  // A host marked an invitee as a no-show, or took the mark back (domain/no-show-notices.ts).
  'invitee.no_show',
  'invitee.no_show_deleted',
  // Waitlists (domain/waitlist-notices.ts).
  'waitlist.joined',
  'waitlist.promoted',
  'waitlist.expired',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

const WEBHOOK_EVENT_OF: Record<
  BookingEventType,
  Exclude<
    WebhookEvent,
    | 'invitee.conference_ready'
    | 'invitee.no_show'
    | 'invitee.no_show_deleted'
    | 'waitlist.joined'
    | 'waitlist.promoted'
    | 'waitlist.expired'
  >
> = {
  'booking.created': 'invitee.created',
  'booking.rescheduled': 'invitee.rescheduled',
  'booking.cancelled': 'invitee.canceled',
  'booking.confirmed': 'invitee.confirmed',
  'booking.declined': 'invitee.declined',
  'booking.expired': 'invitee.expired',
};

const MAIL_KIND_OF: Record<BookingEventType, DeliveryKind> = {
  'booking.created': 'confirmation',
  'booking.rescheduled': 'reschedule',
  'booking.cancelled': 'cancellation',
  'booking.confirmed': 'confirmation',
  'booking.declined': 'declined',
  'booking.expired': 'expired',
};

/** The mails an invitee's guests get too. */
const GUEST_MAIL_KINDS: readonly DeliveryKind[] = ['confirmation', 'reschedule', 'cancellation'];

/** Events that end a booking: no reminders planned, pending ones withdrawn. */
const ENDING_EVENTS: readonly BookingEventType[] = ['booking.cancelled', 'booking.declined', 'booking.expired'];

/**
 * The mail each side gets for an event, or null for none. A pending booking's creation is a request: the invitee
 * hears it was received, the host is asked to confirm or decline; a pending booking moved asks the host again. A
 * decline is the host's own act: only the invitee is told.
 */
function mailKindFor(eventType: BookingEventType, pending: boolean, role: 'invitee' | 'host'): DeliveryKind | null {
  if (eventType === 'booking.created' && pending) return 'request';
  if (eventType === 'booking.rescheduled' && pending && role === 'host') return 'request';
  if (eventType === 'booking.declined' && role === 'host') return null;
  return MAIL_KIND_OF[eventType];
}

/** What the renderer needs besides the live BookingView: the event's own facts (never tokens). */
export interface MessagePayload {
  /** The booking event, the calendar's notice of a host's refused move (domain/host-notices.ts), or a link now made. */
  event_type: BookingEventType | NoShowEventType | WaitlistEventType | 'calendar.host_move_conflict' | 'booking.conference_ready';
  start_time: string;
  end_time: string;
  sequence: number;
  invitee_id: string | null;
  previous?: { booking_id: string; start_time: string; end_time: string } | null;
  reason?: string | null;
  cancelled_by?: 'host' | 'invitee' | null;
  offset_minutes?: number;
  /** Set for a move the host made in their own calendar (its mails wait, and a superseded one is withdrawn). */
  rescheduled_by?: 'host_calendar';
  /** A host's move in their calendar that the booking did not follow: where to, and why not. */
  host_move?: { link_id: string; start_time: string; end_time: string; message: string };
  /** The booking awaits (or awaited) a host's confirmation: no invitation (.ics) goes with its mails. */
  pending?: boolean;
  /** Webhooks: the exact JSON body, fixed at planning time so every retry sends the same bytes. */
  body?: Record<string, unknown>;
  /** The mail speaks for a whole recurring series booked or cancelled at once (it lists the dates). */
  series_mail?: boolean;
  /**
   * The booking's video meeting as it stood when the message was planned: what the mail shows (a later link is
   * announced by its own conference_link mail, so each recipient gets it once). `conference_pending`: the meeting type
   * makes one per booking and it is not there yet ("the link will be sent by email").
   */
  conference?: { provider: string; join_url: string; meeting_id: string } | null;
  conference_pending?: boolean;
  /** waitlist_claim: the promotion (the claim link is derived from it when the mail goes out). */
  waitlist?: WaitlistEventPayload;
}

export interface PlannedDelivery {
  id: string;
  /** null: not about a booking (a waitlist entry's claim mail and webhooks). */
  bookingId: string | null;
  icalUid: string | null;
  kind: DeliveryKind;
  channel: DeliveryChannel;
  recipient: string; // email address, phone number or webhook subscription id
  recipientRole: RecipientRole;
  recipientId: string; // invitee id, host user id or webhook subscription id
  revision: number;
  eventType: string; // booking event type, or the webhook event name
  visibleTo: string[];
  payload: MessagePayload;
  dueAt: Date;
}

/**
 * Pending reminders to withdraw: of a booking (below `belowRevision` when set), for one invitee, for the hosts only
 * (`hostsOnly`), or for everyone (inviteeId null).
 */
export interface ReminderWithdrawal {
  bookingId: string;
  belowRevision: number | null;
  inviteeId: string | null;
  hostsOnly?: true;
}

export interface WebhookTarget {
  id: string;
  userId: string;
  events: string[];
}

export interface PlanInput {
  eventType: BookingEventType;
  payload: BookingEventPayload;
  view: BookingView;
  webhooks: WebhookTarget[];
  now: Date;
  /** Whether an SMS provider is configured (SMS reminders are planned only then). */
  smsEnabled: boolean;
  /**
   * booking.rescheduled by one invitee: the booking they left, as it is now (null: gone). Its hosts' reminders are
   * withdrawn unless it still takes place (a group meeting the others still attend).
   */
  previousView?: BookingView | null;
  /** How long mails about a host's move in their own calendar wait (quick successive moves: one update). */
  hostMoveDelayMs?: number;
}

export interface Plan {
  deliveries: PlannedDelivery[];
  withdraw: ReminderWithdrawal[];
}

/**
 * Turns one booking event into the messages it causes. Pure: the same event and view always give the same rows
 * (deterministic ids), so replays insert nothing new.
 */
export function planDeliveries(input: PlanInput): Plan {
  const { eventType, payload, view, now } = input;
  const bookingId = payload.booking_id;
  const revision = payload.sequence;
  const about = payload.invitee_id ?? null;
  const start = new Date(payload.start_time);
  const visibleTo = [...new Set([...view.hosts.map((h) => h.id), view.meetingType.ownerId])];
  const base: MessagePayload = {
    event_type: eventType,
    start_time: payload.start_time,
    end_time: payload.end_time,
    sequence: revision,
    invitee_id: about,
    ...(eventType === 'booking.rescheduled' ? { previous: payload.previous ?? null } : {}),
    ...(eventType === 'booking.cancelled' ? { reason: payload.reason ?? null, cancelled_by: payload.cancelled_by ?? null } : {}),
    ...(eventType === 'booking.declined' ? { reason: payload.reason ?? null } : {}),
    // A host's (or invitee's) note on a move, shown in the reschedule mails; absent when none was given.
    ...(eventType === 'booking.rescheduled' && payload.reason ? { reason: payload.reason } : {}),
    ...(payload.pending ? { pending: true } : {}),
    ...(eventType === 'booking.rescheduled' && payload.rescheduled_by === 'host_calendar'
      ? { rescheduled_by: 'host_calendar' as const }
      : {}),
    ...(payload.series?.lead ? { series_mail: true } : {}),
    ...(eventType !== 'booking.cancelled' && conferenceProviderOf(view.location)
      ? { conference: conferenceJson(view.conference), conference_pending: view.conference === null }
      : {}),
  };
  // A host dragging the event around makes several moves in a row: the mails wait, and only the last one is sent.
  const mailDue = base.rescheduled_by ? new Date(now.getTime() + (input.hostMoveDelayMs ?? 0)) : now;
  const invitees = view.invitees.filter((i) => (about ? i.id === about : eventType === 'booking.cancelled' || i.status === 'active'));
  const deliveries: PlannedDelivery[] = [];
  const add = (d: Omit<PlannedDelivery, 'id' | 'bookingId' | 'icalUid' | 'revision'>, kindKey: string, recipientKey: string) =>
    deliveries.push({
      ...d,
      id: deliveryId({ bookingId, kind: kindKey, recipient: recipientKey, revision, about }),
      bookingId,
      icalUid: view.icalUid,
      revision,
    });

  const pending = payload.pending === true;
  const inviteeMailKind = mailKindFor(eventType, pending, 'invitee');
  const hostMailKind = mailKindFor(eventType, pending, 'host');
  // A series booked or cancelled at once: one mail each way, the lead event's, speaking for every date (its ICS is
  // the series'); the other occurrences' events still plan their reminders and webhooks.
  const mails = payload.series?.lead !== false;
  for (const [invitee, mailKind] of mails && inviteeMailKind ? invitees.map((i) => [i, inviteeMailKind] as const) : []) {
    add(
      {
        kind: mailKind,
        channel: 'email',
        recipient: invitee.email,
        recipientRole: 'invitee',
        recipientId: invitee.id,
        eventType,
        visibleTo,
        payload: base,
        dueAt: mailDue,
      },
      mailKind,
      `invitee:${invitee.id}`,
    );
    // Their guests get the same invitation, update or cancellation (no reminders: those are the invitee's), once the
    // meeting is on: a request and its answer are between the invitee and the host.
    for (const guest of !pending && GUEST_MAIL_KINDS.includes(mailKind) ? invitee.guests : []) {
      add(
        {
          kind: mailKind,
          channel: 'email',
          recipient: guest,
          recipientRole: 'guest',
          recipientId: invitee.id,
          eventType,
          visibleTo,
          payload: base,
          dueAt: mailDue,
        },
        mailKind,
        `guest:${invitee.id}:${guest.toLowerCase()}`,
      );
    }
  }
  for (const [host, mailKind] of mails && hostMailKind ? view.hosts.map((h) => [h, hostMailKind] as const) : []) {
    add(
      {
        kind: mailKind,
        channel: 'email',
        recipient: host.email,
        recipientRole: 'host',
        recipientId: host.id,
        eventType,
        visibleTo,
        payload: base,
        dueAt: mailDue,
      },
      mailKind,
      `host:${host.id}`,
    );
  }

  let hostRemindersPlanned = false;
  // Reminders only for a meeting that takes place: planned once a pending booking is confirmed (booking.confirmed).
  if (!ENDING_EVENTS.includes(eventType) && !pending) {
    for (const reminder of view.meetingType.reminders) {
      const dueAt = new Date(start.getTime() - reminder.offset_minutes * 60_000);
      if (dueAt.getTime() <= now.getTime()) continue; // its moment has passed: never sent
      const channel = reminder.channel === 'sms' ? 'sms' : 'email';
      const kindKey = `reminder:${reminder.offset_minutes}:${channel}`;
      const reminderPayload = { ...base, offset_minutes: reminder.offset_minutes };
      const recipients = recipientsOf(reminder);
      if (recipients.includes('invitee')) {
        for (const invitee of invitees) {
          let recipient = invitee.email;
          if (channel === 'sms') {
            if (!input.smsEnabled || !invitee.phone) continue;
            recipient = smsAddress(invitee.phone);
          }
          add(
            {
              kind: 'reminder',
              channel,
              recipient,
              recipientRole: 'invitee',
              recipientId: invitee.id,
              eventType,
              visibleTo,
              payload: reminderPayload,
              dueAt,
            },
            kindKey,
            `invitee:${invitee.id}`,
          );
        }
      }
      // Hosts: by email only (no host phone numbers are kept). One reminder per host and booking revision, whichever
      // invitee's event planned it (about = null), so group joins do not multiply it.
      if (recipients.includes('host') && channel === 'email') {
        for (const host of view.hosts) {
          hostRemindersPlanned = true;
          deliveries.push({
            id: deliveryId({ bookingId, kind: kindKey, recipient: `host:${host.id}`, revision, about: null }),
            bookingId,
            icalUid: view.icalUid,
            revision,
            kind: 'reminder',
            channel,
            recipient: host.email,
            recipientRole: 'host',
            recipientId: host.id,
            eventType,
            visibleTo,
            payload: { ...reminderPayload, invitee_id: null },
            dueAt,
          });
        }
      }
    }
  }

  const webhookEvent: WebhookEvent = eventType === 'booking.created' && pending ? 'invitee.pending' : WEBHOOK_EVENT_OF[eventType];
  for (const hook of input.webhooks) {
    if (!hook.events.includes(webhookEvent) || !visibleTo.includes(hook.userId)) continue;
    for (const invitee of invitees) {
      const kindKey = `webhook:${webhookEvent}`;
      const id = deliveryId({ bookingId, kind: kindKey, recipient: `webhook:${hook.id}:${invitee.id}`, revision, about });
      deliveries.push({
        id,
        bookingId,
        icalUid: view.icalUid,
        revision,
        kind: 'webhook',
        channel: 'webhook',
        recipient: hook.id,
        recipientRole: 'webhook',
        recipientId: hook.id,
        eventType: webhookEvent,
        visibleTo: [hook.userId],
        payload: { ...base, body: webhookBody(webhookEvent, id, input, invitee) },
        dueAt: now,
      });
    }
  }

  const withdraw: ReminderWithdrawal[] = [];
  if (eventType === 'booking.rescheduled') {
    // A move within the same booking supersedes older revisions; a move to a new booking retires the old one's.
    withdraw.push({ bookingId, belowRevision: revision, inviteeId: about });
    const previousId = payload.previous?.booking_id;
    if (previousId && previousId !== bookingId) {
      withdraw.push({ bookingId: previousId, belowRevision: null, inviteeId: about });
      // One invitee moved: the hosts' reminders of the booking they left go only if nobody is left to meet there.
      if (about && input.previousView !== undefined && !takesPlace(input.previousView)) {
        withdraw.push({ bookingId: previousId, belowRevision: null, inviteeId: null, hostsOnly: true });
      }
    }
  } else if (ENDING_EVENTS.includes(eventType)) {
    withdraw.push({ bookingId, belowRevision: null, inviteeId: about });
    // One invitee left: the hosts' reminders go with the meeting, not with a seat of it.
    if (about && !takesPlace(view)) withdraw.push({ bookingId, belowRevision: null, inviteeId: null, hostsOnly: true });
  }
  // The hosts' reminders just planned replace older revisions' (a group seat cancelled bumps the revision, a later
  // join plans them again); an event about everyone withdrew those above already.
  if (about && hostRemindersPlanned) {
    withdraw.push({ bookingId, belowRevision: revision, inviteeId: null, hostsOnly: true });
  }
  return { deliveries, withdraw };
}

const recipientsOf = (r: ReminderSetting) => r.recipients ?? ['invitee'];

/** Whether a booking still happens: live, with someone left to attend. */
function takesPlace(view: BookingView | null): boolean {
  return view !== null && (view.status === 'confirmed' || view.status === 'pending') && view.invitees.some((i) => i.status === 'active');
}

/** The booking's status a webhook reports; events not listed report confirmed, or pending for a pending booking. */
const WEBHOOK_STATUS: Partial<Record<WebhookEvent, string>> = {
  'invitee.canceled': 'cancelled',
  'invitee.pending': 'pending',
  'invitee.confirmed': 'confirmed',
  'invitee.declined': 'declined',
  'invitee.expired': 'expired',
};

/** The webhook JSON (Calendly-like envelope). No management tokens: links are for the invitee only. */
function webhookBody(event: WebhookEvent, id: string, input: PlanInput, invitee: BookingView['invitees'][number]): Record<string, unknown> {
  const { payload, view, now } = input;
  return {
    id,
    event,
    created_at: now.toISOString(),
    payload: {
      booking_id: payload.booking_id,
      ical_uid: view.icalUid,
      sequence: payload.sequence,
      status: WEBHOOK_STATUS[event] ?? (payload.pending ? 'pending' : 'confirmed'),
      start_time: payload.start_time,
      end_time: payload.end_time,
      meeting_type: { id: view.meetingType.id, name: view.meetingType.name, slug: view.meetingType.slug },
      // The video link when it exists already; otherwise invitee.conference_ready follows once it does.
      conference: event === 'invitee.canceled' ? null : conferenceJson(view.conference),
      hosts: view.hosts.map((h) => ({ id: h.id, name: h.name, email: h.email, time_zone: h.timeZone })),
      invitee: { id: invitee.id, name: invitee.name, email: invitee.email, time_zone: invitee.timeZone, answers: invitee.answers },
      // Calendly's name for the emails the invitee added.
      event_guests: invitee.guests.map((email) => ({ email })),
      // The campaign the invitee came from (utm_* of the booking page or embed URL), or null.
      utm: invitee.utm ?? null,
      // An occurrence of a recurring series: which series, and where in it (one webhook per occurrence).
      ...(view.series
        ? {
            recurring_booking_id: view.series.id,
            occurrence: (view.series.occurrences.find((o) => o.bookingId === view.id)?.position ?? 0) + 1,
          }
        : {}),
      ...(event === 'invitee.rescheduled'
        ? {
            old_booking_id: payload.previous?.booking_id ?? null,
            old_start_time: payload.previous?.start_time ?? null,
            old_end_time: payload.previous?.end_time ?? null,
            ...(payload.rescheduled_by ? { rescheduled_by: payload.rescheduled_by } : {}),
          }
        : {}),
      ...(event === 'invitee.canceled'
        ? { cancellation: { reason: payload.reason ?? null, canceled_by: payload.cancelled_by ?? null } }
        : {}),
      ...(event === 'invitee.pending' ? { confirmation_expires_at: view.confirmationExpiresAt?.toISOString() ?? null } : {}),
      ...(event === 'invitee.declined' ? { decline: { reason: payload.reason ?? null } } : {}),
    },
  };
}
