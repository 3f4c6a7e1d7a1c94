import { formatInstant, formatRange, leadTimeLabel } from '../domain/format-time.js';

export type EmailKind = 'confirmation' | 'reschedule' | 'cancellation' | 'reminder' | 'host_move_conflict' | 'conference_link';

export interface EmailContext {
  kind: EmailKind;
  role: 'invitee' | 'host';
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
  links: { manage?: string; cancel?: string; reschedule?: string; google?: string; outlook?: string };
  answers?: Record<string, unknown>;
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

const withWhom = (ctx: EmailContext) => (ctx.role === 'invitee' ? ctx.hostNames.join(', ') : ctx.inviteeName);

/** Subject lines say what happened and when, in the recipient's zone. */
function subject(ctx: EmailContext): string {
  const when = formatInstant(ctx.start, ctx.recipientZone);
  switch (ctx.kind) {
    case 'confirmation':
      return ctx.role === 'invitee'
        ? `Confirmed: ${ctx.meetingName} with ${withWhom(ctx)} on ${when}`
        : `New booking: ${ctx.meetingName} with ${ctx.inviteeName} on ${when}`;
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
  const blocks: Array<Block | null> = [para(`Hello ${ctx.recipientName},`)];
  const who = withWhom(ctx);
  switch (ctx.kind) {
    case 'confirmation':
      blocks.push(
        para(
          ctx.role === 'invitee'
            ? `Your ${ctx.meetingName} with ${who} is confirmed.`
            : `${ctx.inviteeName} (${ctx.inviteeEmail}) booked ${ctx.meetingName} with you.`,
        ),
      );
      blocks.push(list('When:', whenLines(ctx, ctx.start, ctx.end)));
      break;
    case 'reschedule':
      blocks.push(para(`Your ${ctx.meetingName} with ${who} has moved.`));
      if (ctx.previous) blocks.push(list('Was:', whenLines(ctx, ctx.previous.start, ctx.previous.end)));
      blocks.push(list('Now:', whenLines(ctx, ctx.start, ctx.end)));
      break;
    case 'cancellation':
      blocks.push(para(`Your ${ctx.meetingName} with ${who} has been cancelled${ctx.cancelledBy ? ` by the ${ctx.cancelledBy}` : ''}.`));
      blocks.push(list('It was planned for:', whenLines(ctx, ctx.start, ctx.end)));
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
    blocks.push(link('Add to Google Calendar', ctx.links.google), link('Add to Outlook', ctx.links.outlook));
    blocks.push(link('Reschedule', ctx.links.reschedule), link('Cancel', ctx.links.cancel));
  }
  blocks.push(link('Manage this booking', ctx.links.manage));
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
