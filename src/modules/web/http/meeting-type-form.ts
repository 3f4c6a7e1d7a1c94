// The meeting type editor's repeated rows (reminders) and location, and where the service's messages are shown.
import type { ReminderRecipient, ReminderSetting } from '../../meeting-types/domain/meeting-type.js';
import { type Errors, type Form, many, one, sentence } from './admin-forms.js';

/** The API allows at most 10 reminders, each 1 minute to 30 days before the start. */
export const MAX_REMINDERS = 10;
const MAX_OFFSET_MINUTES = 43_200;
const REMINDER_ROWS_EXTRA = 2;

const UNITS = [
  { value: 'minutes', label: 'minutes', minutes: 1 },
  { value: 'hours', label: 'hours', minutes: 60 },
  { value: 'days', label: 'days', minutes: 1440 },
] as const;
type Unit = (typeof UNITS)[number]['value'];
const CHANNELS = [{ value: 'email', label: 'Email' }, { value: 'sms', label: 'Text message (SMS)' }] as const;
const RECIPIENTS: { value: ReminderRecipient; label: string }[] = [
  { value: 'invitee', label: 'Invitee' }, { value: 'host', label: 'Host (email only)' },
];

export const LOCATION_TYPES = [
  { value: 'video', label: 'Video call' }, { value: 'phone', label: 'Phone' },
  { value: 'in_person', label: 'In person' }, { value: 'custom', label: 'Something else' },
] as const;

/** The meeting type's DTO field names: a service message starting with one of them belongs beside that field. */
const TYPE_FIELDS = [
  'name', 'slug', 'description', 'location', 'kind', 'seats', 'duration_minutes', 'team_id', 'host_ids', 'buffer_before_minutes',
  'buffer_after_minutes', 'slot_interval_minutes', 'minimum_notice_minutes', 'booking_window_days', 'max_bookings_per_day',
  'questions', 'reminders', 'schedule_id', 'is_active', 'is_secret',
];

/** 1440 reads as "24 hours" and 2880 as "2 days": days only from two days up, hours for whole hours. */
function splitOffset(minutes: number): { amount: number; unit: Unit } {
  if (minutes % 1440 === 0 && minutes >= 2880) return { amount: minutes / 1440, unit: 'days' };
  if (minutes % 60 === 0) return { amount: minutes / 60, unit: 'hours' };
  return { amount: minutes, unit: 'minutes' };
}

/**
 * The filled reminder rows (a row without an amount is left out: that is how a reminder is removed) and, for each
 * reminder sent, the row it came from, so the service's "reminders.N…" messages land beside that row.
 */
export function parseReminderRows(body: Form, errors: Errors): { reminders: ReminderSetting[]; rowOf: number[] } {
  const reminders: ReminderSetting[] = [];
  const rowOf: number[] = [];
  for (let i = 0; i < reminderRowCount(body); i++) {
    const amountText = one(body[`r_amount_${i}`]);
    if (!amountText) continue;
    const unit = UNITS.find((u) => u.value === one(body[`r_unit_${i}`]));
    const amount = Number(amountText);
    const minutes = unit ? amount * unit.minutes : NaN;
    if (!unit) errors[`r_unit_${i}`] = 'Choose minutes, hours or days.';
    else if (!Number.isInteger(amount) || minutes < 1 || minutes > MAX_OFFSET_MINUTES) {
      errors[`r_amount_${i}`] = 'Enter a whole number; reminders go from 1 minute to 30 days before the start.';
    }
    const channel = one(body[`r_channel_${i}`]);
    if (channel !== 'email' && channel !== 'sms') errors[`r_channel_${i}`] = 'Choose email or text message.';
    if (errors[`r_unit_${i}`] || errors[`r_amount_${i}`] || errors[`r_channel_${i}`]) continue;
    // Recipients go to the meeting type rules as ticked (none, or SMS to the host, is theirs to refuse).
    reminders.push({ offset_minutes: minutes, channel: channel as 'email' | 'sms', recipients: many(body[`r_to_${i}`]) as ReminderRecipient[] });
    rowOf.push(i);
  }
  if (reminders.length > MAX_REMINDERS) errors.reminders = `A meeting type can have at most ${MAX_REMINDERS} reminders.`;
  return { reminders, rowOf };
}

/** The rows the editor shows: what was posted, or the stored reminders plus a couple of blank rows to add more. */
export function reminderRows(stored: ReminderSetting[], body: Form | null, errors: Errors) {
  const count = body ? Math.max(reminderRowCount(body), 1) : Math.min(stored.length + REMINDER_ROWS_EXTRA, MAX_REMINDERS);
  return Array.from({ length: count }, (_, i) => {
    const r = stored[i];
    const split = r ? splitOffset(r.offset_minutes) : null;
    const unit = body ? one(body[`r_unit_${i}`]) : split?.unit ?? 'hours';
    const channel = body ? one(body[`r_channel_${i}`]) : r?.channel ?? 'email';
    // A stored reminder without recipients goes to the invitee; so does a new row unless changed.
    const to = body ? many(body[`r_to_${i}`]) : r?.recipients ?? ['invitee'];
    const toError = errors[`r_to_${i}`];
    return {
      i, n: i + 1,
      amount: body ? one(body[`r_amount_${i}`]) : split ? String(split.amount) : '',
      units: UNITS.map((u) => ({ value: u.value, label: u.label, selected: u.value === unit })),
      channels: CHANNELS.map((c) => ({ ...c, selected: c.value === channel })),
      recipients: RECIPIENTS.map((x) => ({ ...x, checked: to.includes(x.value), invalid: Boolean(toError) })),
      amountError: errors[`r_amount_${i}`], unitError: errors[`r_unit_${i}`], channelError: errors[`r_channel_${i}`], toError,
    };
  });
}

/** location: null when "not set"; the type must be one of the API's, the value at most 1000 characters. */
export function parseLocation(body: Form, errors: Errors): Record<string, unknown> | null {
  const type = one(body.location_type);
  const value = one(body.location_value);
  if (!type) {
    if (value) errors.location_type = 'Choose what kind of place this is, or clear the details.';
    return null;
  }
  if (!LOCATION_TYPES.some((l) => l.value === type)) { errors.location_type = 'Choose one of the listed kinds of place.'; return null; }
  if (value.length > 1000) errors.location_value = 'Keep the details under 1000 characters.';
  return value ? { type, value } : { type };
}

/**
 * Puts each of the service's messages (joined with "; ") beside its field. "reminders.N.recipients: …" goes beside
 * row rowOf[N]'s recipients; "questions.N.options: …" beside question row N's choices. A piece that does not start
 * with a field name continues the message before it (a message may itself contain "; ").
 */
export function routeTypeProblems(
  message: string, errors: Errors, rows: { reminders: number[]; questions: number[] }, isConflict: boolean,
): void {
  const messages: string[] = [];
  for (const piece of message.split('; ')) {
    const field = /^([a-z_]+)/.exec(piece)?.[1] ?? '';
    if (messages.length && !TYPE_FIELDS.includes(field)) messages[messages.length - 1] += `; ${piece}`;
    else messages.push(piece);
  }
  for (const m of messages) {
    const indexed = /^(reminders|questions)\.(\d+)\.?([a-z_]+)?:?\s*(.*)$/.exec(m);
    if (indexed) {
      const [, list, index, field, rest] = indexed;
      const row = (list === 'reminders' ? rows.reminders : rows.questions)[Number(index)];
      const key = list === 'reminders'
        ? { recipients: 'r_to', offset_minutes: 'r_amount', channel: 'r_channel' }[field ?? '']
        : { options: 'q_options', id: 'q_label', label: 'q_label', type: 'q_type' }[field ?? ''];
      const text = sentence(rest && field && !m.includes(`${field}:`) ? `${field} ${rest}` : rest || m);
      if (row !== undefined && key) { errors[`${key}_${row}`] = text; continue; }
      errors[list!] = sentence(m);
      continue;
    }
    const field = /^([a-z_]+)/.exec(m)?.[1] ?? 'form';
    const location = m.startsWith('location.value') ? 'location_value' : 'location_type';
    const key = TYPE_FIELDS.includes(field) ? (field === 'location' ? location : field) : 'form';
    // Several messages for one field are all shown.
    errors[key] = errors[key] ? `${errors[key]} ${sentence(m)}` : sentence(m);
  }
  if (isConflict && !errors.slug && /slug/.test(message)) errors.slug = sentence(message);
}

function reminderRowCount(body: Form): number {
  let n = 0;
  for (const key of Object.keys(body)) {
    const m = key.startsWith('r_amount_') ? Number(key.slice('r_amount_'.length)) : NaN;
    if (Number.isInteger(m) && m + 1 > n) n = m + 1;
  }
  return Math.min(n, MAX_REMINDERS + REMINDER_ROWS_EXTRA);
}

/** One of the host's teams with the members who accepted (the people a team type may name as hosts). */
export interface TeamChoice {
  id: string;
  name: string;
  members: { userId: string; name: string; email: string }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The team select and host checkboxes, checked before the service sees them: the team must be one of the host's
 * (anything else is a forged post), hosts must be user ids. Whether the hosts belong to the chosen team is the
 * service's rule; its message lands beside the hosts. Hosts ticked in two teams' groups count once.
 */
export function checkTeamFields(teams: TeamChoice[], teamId: string | null, hostIds: string[], errors: Errors): string[] {
  if (teamId !== null && !teams.some((t) => t.id === teamId)) errors.team_id = 'Choose one of your teams.';
  if (hostIds.some((id) => !UUID.test(id))) errors.host_ids = 'Tick the hosts from the lists of team members.';
  return [...new Set(hostIds)];
}

/** The service names outsiders by id; the page names the ones it knows ("Grace Hopper <grace@…>"). */
export function nameHosts(message: string, teams: TeamChoice[]): string {
  const people = new Map(teams.flatMap((t) => t.members).map((m) => [m.userId, `${m.name} <${m.email}>`]));
  return message.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, (id) => people.get(id.toLowerCase()) ?? id);
}

/**
 * The editor's team select and one group of host checkboxes per team, so it works without a script (which shows
 * only the chosen team's group). A ticked member of the chosen team is shown ticked in that team's group only,
 * so unticking them there removes them; anyone else ticked stays visible where they were listed.
 */
export function teamHostView(teams: TeamChoice[], teamId: string, ticked: string[], hostsError: string | undefined) {
  const chosen = teams.find((t) => t.id === teamId);
  const inChosen = new Set(chosen?.members.map((m) => m.userId) ?? []);
  return {
    teamOptions: teams.map((t) => ({ value: t.id, label: t.name, selected: t.id === chosen?.id })),
    noTeam: !chosen,
    hostGroups: teams.map((t) => ({
      teamId: t.id, name: t.name, chosen: t.id === chosen?.id,
      members: t.members.map((m) => ({
        id: `host-${t.id}-${m.userId}`, value: m.userId, name: m.name, email: m.email, invalid: Boolean(hostsError),
        checked: ticked.includes(m.userId) && (t.id === chosen?.id || !inChosen.has(m.userId)),
      })),
    })),
  };
}
