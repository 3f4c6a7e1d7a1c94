import { formatInstant, formatRange, leadTimeLabel } from '../domain/format-time.js';

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

function whenLines(ctx: EmailContext, start: Date, end: Date): string[] {
  const zones = [ctx.recipientZone, ...ctx.otherZones.filter((z) => z !== ctx.recipientZone)];
  return [...new Set(zones)].map((z) => formatRange(start, end, z));
}

/** A series' dates, one line each, in the recipient's zone. */
const seriesLines = (ctx: EmailContext, dates: Array<{ start: Date; end: Date }>) =>
  dates.map((d) => formatRange(d.start, d.end, ctx.recipientZone));

/** The other side: the hosts for an invitee, the invitee for a host, both for a guest. */
const withWhom = (ctx: EmailContext) =>
  ctx.role === 'invitee'
    ? ctx.hostNames.join(', ')
    : ctx.role === 'guest'
      ? [...ctx.hostNames, ctx.inviteeName].join(', ')
      : ctx.inviteeName;

/** Subject lines say what happened and when, in the recipient's zone. */
function subject(ctx: EmailContext): string {
  const when = formatInstant(ctx.start, ctx.recipientZone);
  switch (ctx.kind) {
    case 'confirmation': {
      const more = ctx.seriesDates && ctx.seriesDates.length > 1 ? ` and ${ctx.seriesDates.length - 1} more dates` : '';
      if (ctx.role === 'guest') return `Invitation: ${ctx.meetingName} with ${withWhom(ctx)} on ${when}${more}`;
      return ctx.role === 'invitee' || ctx.approved
        ? `Confirmed: ${ctx.meetingName} with ${withWhom(ctx)} on ${when}${more}`
        : `New booking: ${ctx.meetingName} with ${ctx.inviteeName} on ${when}${more}`;
    }
    case 'request':
      return ctx.role === 'invitee'
        ? `Request received: ${ctx.meetingName} with ${withWhom(ctx)} on ${when}`
        : `Please confirm: ${ctx.meetingName} with ${ctx.inviteeName} on ${when}`;
    case 'declined':
      return `Declined: ${ctx.meetingName} with ${withWhom(ctx)} on ${when}`;
    case 'expired':
      return ctx.role === 'invitee'
        ? `Not confirmed: ${ctx.meetingName} with ${withWhom(ctx)} on ${when}`
        : `Expired: request from ${ctx.inviteeName} for ${ctx.meetingName} on ${when}`;
    case 'reschedule':
      return `Rescheduled: ${ctx.meetingName} with ${withWhom(ctx)} is now on ${when}`;
    case 'cancellation':
      return `Cancelled: ${ctx.meetingName} with ${withWhom(ctx)} on ${when}`;
    case 'reminder':
      return `Reminder: ${ctx.meetingName} with ${withWhom(ctx)} ${leadTimeLabel(ctx.offsetMinutes ?? 0)}, ${when}`;
    case 'host_move_conflict':
      return `Not moved: ${ctx.meetingName} with ${withWhom(ctx)} stays on ${when}`;
    case 'conference_link':
      return `Your meeting link: ${ctx.meetingName} with ${withWhom(ctx)} on ${when}`;
  }
}

/** Where to join: the link once it exists, else the promise of a mail that brings it. */
function joinBlock(ctx: EmailContext): Block | null {
  if (ctx.conference) return link(`Join with ${PROVIDER_LABELS[ctx.conference.provider] ?? 'video'}`, ctx.conference.joinUrl);
  return ctx.conferencePending ? para('The video link will be sent by email.') : null;
}

function body(ctx: EmailContext): Block[] {
  if (ctx.kind === 'host_move_conflict') return hostMoveConflictBody(ctx);
  if (ctx.kind === 'request' || ctx.kind === 'declined' || ctx.kind === 'expired') return approvalBody(ctx);
  const blocks: Array<Block | null> = [para(`Hello ${ctx.recipientName},`)];
  const who = withWhom(ctx);
  switch (ctx.kind) {
    case 'confirmation':
      blocks.push(
        para(
          ctx.role === 'invitee'
            ? `Your ${ctx.meetingName} with ${who} is confirmed.`
            : ctx.role === 'guest'
              ? `${ctx.inviteeName} (${ctx.inviteeEmail}) invited you to ${ctx.meetingName} with ${ctx.hostNames.join(', ')}.`
              : ctx.approved
                ? `You confirmed ${ctx.meetingName} with ${ctx.inviteeName} (${ctx.inviteeEmail}).`
                : `${ctx.inviteeName} (${ctx.inviteeEmail}) booked ${ctx.meetingName} with you.`,
        ),
      );
      blocks.push(list('When:', whenLines(ctx, ctx.start, ctx.end)));
      if (ctx.seriesDates) blocks.push(list(`All ${ctx.seriesDates.length} dates (recurring):`, seriesLines(ctx, ctx.seriesDates)));
      break;
    case 'reschedule':
      blocks.push(para(`${ctx.role === 'guest' ? 'The' : 'Your'} ${ctx.meetingName} with ${who} has moved.`));
      if (ctx.previous) blocks.push(list('Was:', whenLines(ctx, ctx.previous.start, ctx.previous.end)));
      blocks.push(list('Now:', whenLines(ctx, ctx.start, ctx.end)));
      if (ctx.reason?.trim()) blocks.push(para(`Reason: ${ctx.reason.trim()}`));
      if (ctx.pending) blocks.push(para('It still waits for the host to confirm it; you will get an email when they answer.'));
      break;
    case 'cancellation':
      blocks.push(
        para(
          `${ctx.role === 'guest' ? 'The' : 'Your'} ${ctx.meetingName} with ${who} has been cancelled${ctx.cancelledBy ? ` by the ${ctx.cancelledBy}` : ''}.`,
        ),
      );
      if (ctx.seriesDates)
        blocks.push(list(`Cancelled dates of the series (${ctx.seriesDates.length}):`, seriesLines(ctx, ctx.seriesDates)));
      else blocks.push(list('It was planned for:', whenLines(ctx, ctx.start, ctx.end)));
      blocks.push(para(`Reason: ${ctx.reason?.trim() ? ctx.reason.trim() : 'none given'}`));
      break;
    case 'reminder':
      blocks.push(para(`This is a reminder: your ${ctx.meetingName} with ${who} starts ${leadTimeLabel(ctx.offsetMinutes ?? 0)}.`));
      blocks.push(list('When:', whenLines(ctx, ctx.start, ctx.end)));
      break;
    case 'conference_link':
      blocks.push(para(`The video link for your ${ctx.meetingName} with ${who} is ready.`));
      blocks.push(list('When:', whenLines(ctx, ctx.start, ctx.end)));
      break;
  }
  if (ctx.role !== 'guest' && ctx.guests && ctx.guests.length > 0 && ctx.kind !== 'cancellation') {
    blocks.push(list('Guests:', ctx.guests));
  }
  if (ctx.kind !== 'cancellation') blocks.push(joinBlock(ctx));
  if (ctx.role === 'host' && ctx.answers && Object.keys(ctx.answers).length > 0 && ctx.kind !== 'cancellation') {
    blocks.push(
      list(
        'Answers:',
        Object.entries(ctx.answers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`),
      ),
    );
  }
  if (ctx.kind !== 'cancellation') {
    // A request is no meeting yet: nothing to add to a calendar until it is confirmed.
    if (!ctx.pending) blocks.push(link('Add to Google Calendar', ctx.links.google), link('Add to Outlook', ctx.links.outlook));
    blocks.push(link('Reschedule', ctx.links.reschedule), link('Cancel', ctx.links.cancel));
  }
  blocks.push(link('Manage this booking', ctx.links.manage));
  return blocks.filter((b): b is Block => b !== null);
}

/**
 * Approval mails (requires_confirmation): the invitee's "request received", the host's "please confirm" with its
 * one-click links, and the outcome when it is not a confirmation (declined, expired). None carries an invitation.
 */
function approvalBody(ctx: EmailContext): Block[] {
  const who = withWhom(ctx);
  const deadline = ctx.expiresAt ? formatInstant(ctx.expiresAt, ctx.recipientZone) : null;
  const blocks: Array<Block | null> = [para(`Hello ${ctx.recipientName},`)];
  if (ctx.kind === 'request' && ctx.role === 'invitee') {
    blocks.push(
      para(`Your request for ${ctx.meetingName} with ${who} was received. The time is held for you until ${who} confirms or declines it.`),
      list('Requested time:', whenLines(ctx, ctx.start, ctx.end)),
      para('You will get another email when they answer. This is not a confirmation yet.'),
      deadline ? para(`Without an answer by ${deadline}, the request expires and the time is free again.`) : null,
      link('Reschedule', ctx.links.reschedule),
      link('Cancel the request', ctx.links.cancel),
      link('Manage this booking', ctx.links.manage),
    );
  } else if (ctx.kind === 'request') {
    blocks.push(
      para(
        `${ctx.inviteeName} (${ctx.inviteeEmail}) asks to book ${ctx.meetingName} with you. The time is held for them until you answer.`,
      ),
      list('Requested time:', whenLines(ctx, ctx.start, ctx.end)),
      ctx.answers && Object.keys(ctx.answers).length > 0
        ? list(
            'Answers:',
            Object.entries(ctx.answers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`),
          )
        : null,
      link('Confirm', ctx.links.confirm),
      link('Decline', ctx.links.decline),
      deadline ? para(`Without an answer by ${deadline}, the request expires and the time is free again.`) : null,
      link('Open the booking', ctx.links.manage),
    );
  } else if (ctx.kind === 'declined') {
    blocks.push(
      para(`${who} declined your request for ${ctx.meetingName}.`),
      list('It was requested for:', whenLines(ctx, ctx.start, ctx.end)),
      para(`Reason: ${ctx.reason?.trim() ? ctx.reason.trim() : 'none given'}`),
    );
  } else if (ctx.role === 'invitee') {
    blocks.push(
      para(
        `Your request for ${ctx.meetingName} with ${who} was not confirmed in time, so it has expired. You are welcome to book another time.`,
      ),
      list('It was requested for:', whenLines(ctx, ctx.start, ctx.end)),
    );
  } else {
    blocks.push(
      para(
        `The request from ${ctx.inviteeName} (${ctx.inviteeEmail}) for ${ctx.meetingName} expired without an answer; the time is free again.`,
      ),
      list('It was requested for:', whenLines(ctx, ctx.start, ctx.end)),
    );
  }
  return blocks.filter((b): b is Block => b !== null);
}

/** To the host: their calendar shows the meeting where the booking is not. What holds, what they did, why, what to do. */
function hostMoveConflictBody(ctx: EmailContext): Block[] {
  const blocks: Array<Block | null> = [
    para(`Hello ${ctx.recipientName},`),
    para(`You moved ${ctx.meetingName} with ${withWhom(ctx)} in your calendar, but the booking could not follow: it keeps its time.`),
    list('It stays at:', whenLines(ctx, ctx.start, ctx.end)),
    ctx.movedTo ? list('You moved it to:', whenLines(ctx, ctx.movedTo.start, ctx.movedTo.end)) : null,
    para(`Why: ${ctx.reason?.trim() ? ctx.reason.trim() : 'the new time is not free'}`),
    para('Move the event back in your calendar, or reschedule the booking to a free time.'),
    link('Open the booking', ctx.links.manage),
  ];
  return blocks.filter((b): b is Block => b !== null);
}

/** Renders one email. Templates are plain functions: compiled once with the app, no runtime template parsing. */
export function renderEmail(ctx: EmailContext): RenderedEmail {
  const subj = subject(ctx);
  const blocks = body(ctx);
  const text = `${blocks.map((b) => b.text).join('\n\n')}\n\n-- \nSent by Kairos\n`;
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><title>${esc(subj)}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2933">` +
    `${blocks.map((b) => b.html).join('\n')}<p style="color:#7b8794;font-size:12px">Sent by Kairos</p></body></html>`;
  return { subject: subj, text, html };
}

/** SMS text for a reminder (short, no links with tokens). */
export function renderSmsReminder(ctx: EmailContext): string {
  return `Reminder: ${ctx.meetingName} with ${withWhom(ctx)} ${leadTimeLabel(ctx.offsetMinutes ?? 0)}, ${formatInstant(ctx.start, ctx.recipientZone)}.`;
}
