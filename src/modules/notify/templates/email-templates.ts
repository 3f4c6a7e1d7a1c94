import { formatClockIn, formatLongDateIn } from '../../../shared/i18n/format.js';
import { translatorFor, type Translate } from '../../../shared/i18n/i18n.js';
import { formatInstant as formatInstantEn, formatRange as formatRangeEn, localParts } from '../domain/format-time.js';

export type EmailKind =
  | 'confirmation'
  | 'reschedule'
  | 'cancellation'
  | 'reminder'
  | 'host_move_conflict'
  | 'request'
  | 'declined'
  | 'expired'
  | 'conference_link';

export interface EmailContext {
  kind: EmailKind;
  /** A guest is someone the invitee added: invited by them, with no way to manage the booking. */
  role: 'invitee' | 'host' | 'guest';
  recipientName: string;
  recipientZone: string;
  /** The other side's zones (invitee's for a host, hosts' for an invitee), shown next to the recipient's own. */
  otherZones: string[];
  meetingName: string;
  hostNames: string[];
  inviteeName: string;
  inviteeEmail: string;
  start: Date;
  end: Date;
  previous?: { start: Date; end: Date } | null;
  /** host_move_conflict: where the host moved the event (start/end: where the booking stays). */
  movedTo?: { start: Date; end: Date } | null;
  reason?: string | null;
  cancelledBy?: 'host' | 'invitee' | null;
  offsetMinutes?: number;
  /** The booking waits for a host's confirmation (requires_confirmation). */
  pending?: boolean;
  /** confirmation: sent because a host confirmed a request. */
  approved?: boolean;
  /** A pending booking's deadline for the host's answer. */
  expiresAt?: Date | null;
  links: {
    manage?: string;
    cancel?: string;
    reschedule?: string;
    google?: string;
    outlook?: string;
    /** A host's request mail: signed one-click links (ApprovalLinks). */
    confirm?: string;
    decline?: string;
  };
  /** A recurring series booked or cancelled at once: the dates this mail is about (one mail for all of them). */
  seriesDates?: Array<{ start: Date; end: Date }>;
  answers?: Record<string, unknown>;
  /** The guests the invitee added (listed for the invitee and the host). */
  guests?: string[];
  /** The booking's video meeting, when it exists; `conferencePending`: it will, and a mail will bring it. */
  conference?: { provider: string; joinUrl: string } | null;
  conferencePending?: boolean;
  /** The recipient's language (issue #18): the invitee's booking locale, the host's chosen one; English when absent. */
  locale?: string;
}

const PROVIDER_LABELS: Record<string, string> = {
  google_meet: 'Google Meet',
  microsoft_teams: 'Microsoft Teams',
  zoom: 'Zoom',
  jitsi: 'Jitsi Meet',
};

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** A paragraph in both forms; the HTML side escapes everything it is given. */
interface Block {
  text: string;
  html: string;
}
const para = (s: string): Block => ({ text: s, html: `<p>${esc(s)}</p>` });
const link = (label: string, url: string | undefined): Block | null =>
  url ? { text: `${label}: ${url}`, html: `<p><a href="${esc(url)}">${esc(label)}</a></p>` } : null;
const list = (title: string, items: string[]): Block => ({
  text: `${title}\n${items.map((i) => `  - ${i}`).join('\n')}`,
  html: `<p>${esc(title)}</p><ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`,
});

/** Dates in the recipient's language: English keeps its long-standing forms; others Intl's, 24-hour. */
function formatInstant(ctx: EmailContext, instant: Date, zone: string): string {
  if (!ctx.locale || ctx.locale === 'en') return formatInstantEn(instant, zone);
  return `${formatLongDateIn(instant, zone, ctx.locale)}, ${formatClockIn(instant, zone, false, ctx.locale)} (${zone})`;
}

function formatRange(ctx: EmailContext, start: Date, end: Date, zone: string): string {
  const locale = ctx.locale;
  if (!locale || locale === 'en') return formatRangeEn(start, end, zone);
  const s = localParts(start, zone);
  const e = localParts(end, zone);
  const sameDay = s.year === e.year && s.month === e.month && s.day === e.day;
  const clock = (d: Date) => formatClockIn(d, zone, false, locale);
  return sameDay
    ? `${formatLongDateIn(start, zone, locale)}, ${clock(start)}–${clock(end)} (${zone})`
    : `${formatLongDateIn(start, zone, locale)}, ${clock(start)} – ${formatLongDateIn(end, zone, locale)}, ${clock(end)} (${zone})`;
}

/** "in 1 hour", "in 24 hours", "in 30 minutes", "in 2 days" in the recipient's language. */
export function leadTimeLabel(offsetMinutes: number, t: Translate = translatorFor('en')): string {
  if (offsetMinutes % 1440 === 0 && offsetMinutes >= 2880) return t('email.leadDays', { count: offsetMinutes / 1440 });
  if (offsetMinutes % 60 === 0) return t('email.leadHours', { count: offsetMinutes / 60 });
  return t('email.leadMinutes', { count: offsetMinutes });
}

function whenLines(ctx: EmailContext, start: Date, end: Date): string[] {
  const zones = [ctx.recipientZone, ...ctx.otherZones.filter((z) => z !== ctx.recipientZone)];
  return [...new Set(zones)].map((z) => formatRange(ctx, start, end, z));
}

/** A series' dates, one line each, in the recipient's zone. */
const seriesLines = (ctx: EmailContext, dates: Array<{ start: Date; end: Date }>) =>
  dates.map((d) => formatRange(ctx, d.start, d.end, ctx.recipientZone));

/** The other side: the hosts for an invitee, the invitee for a host, both for a guest. */
const withWhom = (ctx: EmailContext) =>
  ctx.role === 'invitee'
    ? ctx.hostNames.join(', ')
    : ctx.role === 'guest'
      ? [...ctx.hostNames, ctx.inviteeName].join(', ')
      : ctx.inviteeName;

/** Subject lines say what happened and when, in the recipient's zone and language. */
function subject(ctx: EmailContext, t: Translate): string {
  const when = formatInstant(ctx, ctx.start, ctx.recipientZone);
  const base = { meeting: ctx.meetingName, who: withWhom(ctx), invitee: ctx.inviteeName, when };
  switch (ctx.kind) {
    case 'confirmation': {
      const subject =
        ctx.role === 'guest'
          ? t('email.subjectInvitation', base)
          : ctx.role === 'invitee' || ctx.approved
            ? t('email.subjectConfirmed', base)
            : t('email.subjectNewBooking', base);
      return ctx.seriesDates && ctx.seriesDates.length > 1
        ? t('email.subjectMoreDates', { subject, count: ctx.seriesDates.length - 1 })
        : subject;
    }
    case 'request':
      return ctx.role === 'invitee' ? t('email.subjectRequestReceived', base) : t('email.subjectPleaseConfirm', base);
    case 'declined':
      return t('email.subjectDeclined', base);
    case 'expired':
      return ctx.role === 'invitee' ? t('email.subjectNotConfirmed', base) : t('email.subjectExpired', base);
    case 'reschedule':
      return t('email.subjectRescheduled', base);
    case 'cancellation':
      return t('email.subjectCancelled', base);
    case 'reminder':
      return t('email.subjectReminder', { ...base, lead: leadTimeLabel(ctx.offsetMinutes ?? 0, t) });
    case 'host_move_conflict':
      return t('email.subjectNotMoved', base);
    case 'conference_link':
      return t('email.subjectConferenceLink', base);
  }
}

/** Where to join: the link once it exists, else the promise of a mail that brings it. */
function joinBlock(ctx: EmailContext, t: Translate): Block | null {
  if (ctx.conference) {
    const provider = PROVIDER_LABELS[ctx.conference.provider];
    return link(provider ? t('email.joinWith', { provider }) : t('email.joinWithVideo'), ctx.conference.joinUrl);
  }
  return ctx.conferencePending ? para(t('email.linkByEmail')) : null;
}

const answerLines = (answers: Record<string, unknown>) =>
  Object.entries(answers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);

const reasonLine = (ctx: EmailContext, t: Translate) =>
  ctx.reason?.trim() ? t('email.reason', { reason: ctx.reason.trim() }) : t('email.reasonNone');

function body(ctx: EmailContext, t: Translate): Block[] {
  if (ctx.kind === 'host_move_conflict') return hostMoveConflictBody(ctx, t);
  if (ctx.kind === 'request' || ctx.kind === 'declined' || ctx.kind === 'expired') return approvalBody(ctx, t);
  const blocks: Array<Block | null> = [para(t('email.hello', { name: ctx.recipientName }))];
  const who = withWhom(ctx);
  const args = { meeting: ctx.meetingName, who, invitee: ctx.inviteeName, email: ctx.inviteeEmail, role: ctx.role };
  switch (ctx.kind) {
    case 'confirmation':
      blocks.push(
        para(
          ctx.role === 'invitee'
            ? t('email.confirmedInvitee', args)
            : ctx.role === 'guest'
              ? t('email.confirmedGuest', { ...args, hosts: ctx.hostNames.join(', ') })
              : ctx.approved
                ? t('email.confirmedApproved', args)
                : t('email.confirmedHost', args),
        ),
      );
      blocks.push(list(t('email.when'), whenLines(ctx, ctx.start, ctx.end)));
      if (ctx.seriesDates) blocks.push(list(t('email.seriesAll', { count: ctx.seriesDates.length }), seriesLines(ctx, ctx.seriesDates)));
      break;
    case 'reschedule':
      blocks.push(para(t('email.moved', args)));
      if (ctx.previous) blocks.push(list(t('email.was'), whenLines(ctx, ctx.previous.start, ctx.previous.end)));
      blocks.push(list(t('email.now'), whenLines(ctx, ctx.start, ctx.end)));
      if (ctx.reason?.trim()) blocks.push(para(t('email.reason', { reason: ctx.reason.trim() })));
      if (ctx.pending) blocks.push(para(t('email.stillPending')));
      break;
    case 'cancellation':
      blocks.push(para(t('email.cancelled', { ...args, by: ctx.cancelledBy ?? '' })));
      if (ctx.seriesDates)
        blocks.push(list(t('email.cancelledSeries', { count: ctx.seriesDates.length }), seriesLines(ctx, ctx.seriesDates)));
      else blocks.push(list(t('email.plannedFor'), whenLines(ctx, ctx.start, ctx.end)));
      blocks.push(para(reasonLine(ctx, t)));
      break;
    case 'reminder':
      blocks.push(para(t('email.reminder', { ...args, lead: leadTimeLabel(ctx.offsetMinutes ?? 0, t) })));
      blocks.push(list(t('email.when'), whenLines(ctx, ctx.start, ctx.end)));
      break;
    case 'conference_link':
      blocks.push(para(t('email.conferenceReady', args)));
      blocks.push(list(t('email.when'), whenLines(ctx, ctx.start, ctx.end)));
      break;
  }
  if (ctx.role !== 'guest' && ctx.guests && ctx.guests.length > 0 && ctx.kind !== 'cancellation') {
    blocks.push(list(t('email.guests'), ctx.guests));
  }
  if (ctx.kind !== 'cancellation') blocks.push(joinBlock(ctx, t));
  if (ctx.role === 'host' && ctx.answers && Object.keys(ctx.answers).length > 0 && ctx.kind !== 'cancellation') {
    blocks.push(list(t('email.answers'), answerLines(ctx.answers)));
  }
  if (ctx.kind !== 'cancellation') {
    // A request is no meeting yet: nothing to add to a calendar until it is confirmed.
    if (!ctx.pending) blocks.push(link(t('email.addGoogle'), ctx.links.google), link(t('email.addOutlook'), ctx.links.outlook));
    blocks.push(link(t('email.reschedule'), ctx.links.reschedule), link(t('email.cancel'), ctx.links.cancel));
  }
  blocks.push(link(t('email.manage'), ctx.links.manage));
  return blocks.filter((b): b is Block => b !== null);
}

/**
 * Approval mails (requires_confirmation): the invitee's "request received", the host's "please confirm" with its
 * one-click links, and the outcome when it is not a confirmation (declined, expired). None carries an invitation.
 */
function approvalBody(ctx: EmailContext, t: Translate): Block[] {
  const who = withWhom(ctx);
  const args = { meeting: ctx.meetingName, who, invitee: ctx.inviteeName, email: ctx.inviteeEmail };
  const deadline = ctx.expiresAt ? formatInstant(ctx, ctx.expiresAt, ctx.recipientZone) : null;
  const blocks: Array<Block | null> = [para(t('email.hello', { name: ctx.recipientName }))];
  if (ctx.kind === 'request' && ctx.role === 'invitee') {
    blocks.push(
      para(t('email.requestInvitee', args)),
      list(t('email.requestedTime'), whenLines(ctx, ctx.start, ctx.end)),
      para(t('email.requestNotYet')),
      deadline ? para(t('email.requestDeadline', { deadline })) : null,
      link(t('email.reschedule'), ctx.links.reschedule),
      link(t('email.cancelRequest'), ctx.links.cancel),
      link(t('email.manage'), ctx.links.manage),
    );
  } else if (ctx.kind === 'request') {
    blocks.push(
      para(t('email.requestHost', args)),
      list(t('email.requestedTime'), whenLines(ctx, ctx.start, ctx.end)),
      ctx.answers && Object.keys(ctx.answers).length > 0 ? list(t('email.answers'), answerLines(ctx.answers)) : null,
      link(t('email.confirm'), ctx.links.confirm),
      link(t('email.decline'), ctx.links.decline),
      deadline ? para(t('email.requestDeadline', { deadline })) : null,
      link(t('email.openBooking'), ctx.links.manage),
    );
  } else if (ctx.kind === 'declined') {
    blocks.push(
      para(t('email.declinedBody', args)),
      list(t('email.requestedFor'), whenLines(ctx, ctx.start, ctx.end)),
      para(reasonLine(ctx, t)),
    );
  } else if (ctx.role === 'invitee') {
    blocks.push(para(t('email.expiredInvitee', args)), list(t('email.requestedFor'), whenLines(ctx, ctx.start, ctx.end)));
  } else {
    blocks.push(para(t('email.expiredHost', args)), list(t('email.requestedFor'), whenLines(ctx, ctx.start, ctx.end)));
  }
  return blocks.filter((b): b is Block => b !== null);
}

/** To the host: their calendar shows the meeting where the booking is not. What holds, what they did, why, what to do. */
function hostMoveConflictBody(ctx: EmailContext, t: Translate): Block[] {
  const blocks: Array<Block | null> = [
    para(t('email.hello', { name: ctx.recipientName })),
    para(t('email.hostMoveBody', { meeting: ctx.meetingName, who: withWhom(ctx) })),
    list(t('email.hostMoveStays'), whenLines(ctx, ctx.start, ctx.end)),
    ctx.movedTo ? list(t('email.hostMoveTo'), whenLines(ctx, ctx.movedTo.start, ctx.movedTo.end)) : null,
    para(ctx.reason?.trim() ? t('email.hostMoveWhy', { reason: ctx.reason.trim() }) : t('email.hostMoveWhyDefault')),
    para(t('email.hostMoveAdvice')),
    link(t('email.openBooking'), ctx.links.manage),
  ];
  return blocks.filter((b): b is Block => b !== null);
}

/** Renders one email in the recipient's language. Templates are plain functions over the message catalogs. */
export function renderEmail(ctx: EmailContext): RenderedEmail {
  const t = translatorFor(ctx.locale);
  const subj = subject(ctx, t);
  const blocks = body(ctx, t);
  const footer = t('email.footer');
  const text = `${blocks.map((b) => b.text).join('\n\n')}\n\n-- \n${footer}\n`;
  const html =
    `<!doctype html><html lang="${esc(ctx.locale ?? 'en')}"><head><meta charset="utf-8"><title>${esc(subj)}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2933">` +
    `${blocks.map((b) => b.html).join('\n')}<p style="color:#7b8794;font-size:12px">${esc(footer)}</p></body></html>`;
  return { subject: subj, text, html };
}

/** SMS text for a reminder (short, no links with tokens). */
export function renderSmsReminder(ctx: EmailContext): string {
  const t = translatorFor(ctx.locale);
  return t('email.sms', {
    meeting: ctx.meetingName,
    who: withWhom(ctx),
    lead: leadTimeLabel(ctx.offsetMinutes ?? 0, t),
    when: formatInstant(ctx, ctx.start, ctx.recipientZone),
  });
}
