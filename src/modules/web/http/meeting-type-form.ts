// The meeting type editor's form: its fields and the API fields they fill (TYPE_FORM_FIELDS, and the rows of
// questions and reminders), the request built from a post, and where the API's and the rules' problems are shown.
import type { MeetingKind, QuestionType, ReminderRecipient, ReminderSetting } from '../../meeting-types/domain/meeting-type.js';
import { type MessageKey, type Translate, translatorFor } from '../../../shared/i18n/i18n.js';
import { type Errors, type Form, type FormFields, type PlaceField, many, one, placedBy, rowCount } from './admin-forms.js';
import { LIMIT_FORM_FIELDS, limitsRequestOf } from './type-limits-form.js';
import { OPTION_FORM_FIELDS, optionsRequestOf, placeOptionProblem } from './type-options-form.js';

/** The editor's single fields → the meeting type API's fields (questions and reminders are rows, mapped below). */
export const TYPE_FORM_FIELDS = {
  name: 'name',
  slug: 'slug',
  description: 'description',
  location_type: 'location.type',
  location_value: 'location.value',
  kind: 'kind',
  seats: 'seats',
  duration_minutes: 'duration_minutes',
  slot_interval_minutes: 'slot_interval_minutes',
  buffer_before_minutes: 'buffer_before_minutes',
  buffer_after_minutes: 'buffer_after_minutes',
  minimum_notice_minutes: 'minimum_notice_minutes',
  booking_window_days: 'booking_window_days',
  max_bookings_per_day: 'max_bookings_per_day',
  team_id: 'team_id',
  host_ids: 'host_ids',
  schedule_id: 'schedule_id',
  is_active: 'is_active',
  is_secret: 'is_secret',
  ...LIMIT_FORM_FIELDS,
  ...OPTION_FORM_FIELDS,
} as const satisfies FormFields;
/** Question row N's fields (`q_label_N`, …) → the fields of the API's questions[i]. */
const QUESTION_ROW_FIELDS = { q_label: 'label', q_type: 'type', q_options: 'options', q_required: 'required', q_id: 'id' } as const;
/** Reminder row N's fields → the fields of the API's reminders[i] (the amount and unit make offset_minutes). */
const REMINDER_ROW_FIELDS = { r_amount: 'offset_minutes', r_channel: 'channel', r_to: 'recipients' } as const;

/** The editor's words are English unless the host's translator is passed (the unit tests read English). */
export const ENGLISH: Translate = translatorFor('en');

export const KIND_VALUES: MeetingKind[] = ['one_on_one', 'group', 'round_robin', 'collective'];
/** The kind select's options, in the host's language. */
export const kindOptions = (t: Translate = ENGLISH): { value: MeetingKind; label: string }[] =>
  KIND_VALUES.map((value) => ({ value, label: t(`admin.types.kind.${value}`) }));
export const TEAM_KINDS: MeetingKind[] = ['round_robin', 'collective'];
const QUESTION_TYPE_VALUES: { value: QuestionType; choice?: true }[] = [
  { value: 'text' },
  { value: 'long_text' },
  { value: 'single_choice', choice: true },
  { value: 'multi_choice', choice: true },
  { value: 'phone' },
];
/** The answer types of a question, in the host's language. */
export const questionTypes = (t: Translate = ENGLISH): { value: QuestionType; label: string; choice?: true }[] =>
  QUESTION_TYPE_VALUES.map((q) => ({ ...q, label: t(`admin.types.qtype.${q.value}`) }));

/** A question's choices: one per line (a choice may then hold a comma), or comma separated on one line. */
export function splitChoices(text: string): string[] {
  return text
    .split(/\r?\n/.test(text) ? /\r?\n/ : ',')
    .map((s) => s.trim())
    .filter(Boolean);
}
/** The number boxes; their limits are the API's. `nullable`: an empty box means "no value" rather than a mistake. */
export const NUMBER_FIELDS: { name: keyof typeof TYPE_FORM_FIELDS; label: MessageKey; nullable: boolean; hint?: MessageKey }[] = [
  { name: 'duration_minutes', label: 'admin.types.num.duration', nullable: false },
  { name: 'slot_interval_minutes', label: 'admin.types.num.interval', nullable: true, hint: 'admin.types.num.emptyDuration' },
  { name: 'buffer_before_minutes', label: 'admin.types.num.bufferBefore', nullable: false },
  { name: 'buffer_after_minutes', label: 'admin.types.num.bufferAfter', nullable: false },
  { name: 'minimum_notice_minutes', label: 'admin.types.num.notice', nullable: false },
  { name: 'booking_window_days', label: 'admin.types.num.window', nullable: true, hint: 'admin.types.num.emptyNoLimit' },
  { name: 'max_bookings_per_day', label: 'admin.types.num.perDay', nullable: true, hint: 'admin.types.num.emptyNoLimit' },
  { name: 'seats', label: 'admin.types.num.seats', nullable: true },
];

/** Which form row each questions[i] and reminders[i] of a request came from. */
export interface TypeFormRows {
  questions: number[];
  reminders: number[];
}

/**
 * The editor's post as a meeting type API request (the fields of TYPE_FORM_FIELDS and the rows), with the form's
 * own mistakes in `errors`: only what the API cannot see (a reminder's unit, a detail without a kind of place).
 */
export function typeRequestOf(
  body: Form,
  errors: Errors,
  t: Translate = ENGLISH,
): { request: Record<string, unknown>; rows: TypeFormRows } {
  const field = (name: keyof typeof TYPE_FORM_FIELDS) => one(body[name]);
  const kind = field('kind');
  const team = (TEAM_KINDS as string[]).includes(kind);
  const request: Record<string, unknown> = {
    name: field('name'),
    slug: field('slug').toLowerCase() || null, // empty: made from the name
    description: field('description') || null,
    location: locationRequest(body, errors, t),
    kind,
    team_id: team ? field('team_id') || null : null,
    // Hosts ticked in two teams' groups count once.
    host_ids: team ? [...new Set(many(body.host_ids))] : [],
    is_active: field('is_active') === '1',
    is_secret: field('is_secret') === '1',
  };
  // The schedule select is on the page only when there is a choice; empty means the default schedule.
  if (body.schedule_id !== undefined) request.schedule_id = field('schedule_id') || null;
  for (const f of NUMBER_FIELDS) {
    const raw = field(f.name);
    // An empty required box goes as sent, for the API to refuse; seats apply to group meetings only.
    if (f.name === 'seats' && kind !== 'group') request.seats = null;
    else request[TYPE_FORM_FIELDS[f.name]] = raw === '' ? (f.nullable ? null : raw) : Number(raw);
  }
  const questions: Record<string, unknown>[] = [];
  const questionRows: number[] = [];
  for (let i = 0; i < rowCount(body, 'q_label_'); i++) {
    const label = one(body[`q_label_${i}`]);
    if (!label) continue; // an empty question row is how a question is removed
    const type = one(body[`q_type_${i}`]);
    const id = one(body[`q_id_${i}`]);
    questions.push({
      label,
      type,
      required: one(body[`q_required_${i}`]) === '1',
      ...(id ? { id } : {}),
      ...(type === 'single_choice' || type === 'multi_choice'
        ? {
            options: splitChoices(one(body[`q_options_${i}`])),
          }
        : {}),
    });
    questionRows.push(i);
  }
  request.questions = questions;
  Object.assign(request, limitsRequestOf(body));
  Object.assign(request, optionsRequestOf(body));
  const { reminders, rowOf } = reminderRequests(body, errors, t);
  request.reminders = reminders;
  return { request, rows: { questions: questionRows, reminders: rowOf } };
}

/**
 * Where a problem about a meeting type API field is shown: "questions.2.options" beside the choices of the row
 * that question came from, "reminders.0.recipients" beside that row's recipients, the rest through TYPE_FORM_FIELDS.
 */
export function placeTypeProblem(rows: TypeFormRows, request: Record<string, unknown> = {}): PlaceField {
  const single = placedBy(TYPE_FORM_FIELDS);
  return (apiField) => {
    const parts: (string | undefined)[] = apiField.split('.');
    const [list, index, sub] = parts;
    if ((list === 'questions' || list === 'reminders') && index !== undefined && /^\d+$/.test(index)) {
      const row = rows[list].at(Number(index));
      const rowFields: Record<string, string> = list === 'questions' ? QUESTION_ROW_FIELDS : REMINDER_ROW_FIELDS;
      const prefix = Object.keys(rowFields).find((form) => rowFields[form] === sub);
      // A question's id is not on the page: its problems go beside the question's label.
      const shown = prefix === 'q_id' ? 'q_label' : prefix;
      return row !== undefined && shown ? `${shown}_${row}` : list;
    }
    if (list === 'questions' || list === 'reminders') return list;
    return single(apiField) ?? placeOptionProblem(apiField, request) ?? (apiField === 'location' ? 'location_type' : undefined);
  };
}

/** The API allows at most 10 reminders, each 1 minute to 30 days before the start. */
export const MAX_REMINDERS = 10;
const MAX_OFFSET_MINUTES = 43_200;
const REMINDER_ROWS_EXTRA = 2;

const UNITS = [
  { value: 'minutes', label: 'admin.types.unit.minutes', minutes: 1 },
  { value: 'hours', label: 'admin.types.unit.hours', minutes: 60 },
  { value: 'days', label: 'admin.types.unit.days', minutes: 1440 },
] as const;
type Unit = (typeof UNITS)[number]['value'];
const CHANNELS = [
  { value: 'email', label: 'admin.types.channel.email' },
  { value: 'sms', label: 'admin.types.channel.sms' },
] as const;
const RECIPIENTS: { value: ReminderRecipient; label: MessageKey }[] = [
  { value: 'invitee', label: 'admin.types.to.invitee' },
  { value: 'host', label: 'admin.types.to.host' },
];

/**
 * `conference`: a link is made for each booking (no detail to type); `connect`: what the host must connect first.
 * Brand names stay as they are; the other labels are message keys (`locationTypes(t)` gives them in words).
 */
const LOCATION_TYPE_VALUES: { value: string; label: { brand: string } | MessageKey; conference?: true; connect?: MessageKey }[] = [
  { value: 'google_meet', label: { brand: 'Google Meet' }, conference: true, connect: 'admin.types.connect.google' },
  { value: 'microsoft_teams', label: { brand: 'Microsoft Teams' }, conference: true, connect: 'admin.types.connect.microsoft' },
  { value: 'zoom', label: { brand: 'Zoom' }, conference: true, connect: 'admin.types.connect.zoom' },
  { value: 'jitsi', label: { brand: 'Jitsi Meet' }, conference: true },
  { value: 'video', label: 'admin.types.loc.video' },
  { value: 'phone', label: 'admin.types.loc.phone' },
  { value: 'in_person', label: 'admin.types.loc.in_person' },
  { value: 'custom', label: 'admin.types.loc.custom' },
];
/** The kinds of place, labelled in the host's language. */
export const locationTypes = (t: Translate = ENGLISH): { value: string; label: string; conference?: true; connect?: string }[] =>
  LOCATION_TYPE_VALUES.map((l) => ({
    ...l,
    label: typeof l.label === 'string' ? t(l.label) : l.label.brand,
    ...(l.connect ? { connect: t(l.connect) } : {}),
  }));
export const isConferenceType = (type: string): boolean => LOCATION_TYPE_VALUES.some((l) => l.value === type && l.conference);

/** 1440 reads as "24 hours" and 2880 as "2 days": days only from two days up, hours for whole hours. */
function splitOffset(minutes: number): { amount: number; unit: Unit } {
  if (minutes % 1440 === 0 && minutes >= 2880) return { amount: minutes / 1440, unit: 'days' };
  if (minutes % 60 === 0) return { amount: minutes / 60, unit: 'hours' };
  return { amount: minutes, unit: 'minutes' };
}

/**
 * The filled reminder rows as the API's reminders (a row without an amount is left out: that is how a reminder is
 * removed) and, for each reminder sent, the row it came from, so "reminders.N…" problems land beside that row.
 * The amount and its unit are the form's own (the API takes minutes): they are checked here, in the host's unit.
 */
function reminderRequests(body: Form, errors: Errors, t: Translate): { reminders: Record<string, unknown>[]; rowOf: number[] } {
  const reminders: Record<string, unknown>[] = [];
  const rowOf: number[] = [];
  for (let i = 0; i < reminderRowCount(body); i++) {
    const amountText = one(body[`r_amount_${i}`]);
    if (!amountText) continue;
    const unit = UNITS.find((u) => u.value === one(body[`r_unit_${i}`]));
    const amount = Number(amountText);
    const minutes = unit ? amount * unit.minutes : NaN;
    if (!unit) errors[`r_unit_${i}`] = t('admin.types.err.unit');
    else if (!Number.isInteger(amount) || minutes < 1 || minutes > MAX_OFFSET_MINUTES) {
      errors[`r_amount_${i}`] = t('admin.types.err.amount');
    }
    if (errors[`r_unit_${i}`] || errors[`r_amount_${i}`]) continue;
    // Channel and recipients go to the API as chosen (none, or SMS to the host, is the API's to refuse).
    reminders.push({ offset_minutes: minutes, channel: one(body[`r_channel_${i}`]), recipients: many(body[`r_to_${i}`]) });
    rowOf.push(i);
  }
  return { reminders, rowOf };
}

/** The rows the editor shows: what was posted, or the stored reminders plus a couple of blank rows to add more. */
export function reminderRows(stored: ReminderSetting[], body: Form | null, errors: Errors, t: Translate = ENGLISH) {
  const count = body ? Math.max(reminderRowCount(body), 1) : Math.min(stored.length + REMINDER_ROWS_EXTRA, MAX_REMINDERS);
  return Array.from({ length: count }, (_, i) => {
    const r = stored.at(i);
    const split = r ? splitOffset(r.offset_minutes) : null;
    const unit = body ? one(body[`r_unit_${i}`]) : (split?.unit ?? 'hours');
    const channel = body ? one(body[`r_channel_${i}`]) : (r?.channel ?? 'email');
    // A stored reminder without recipients goes to the invitee; so does a new row unless changed.
    const to = body ? many(body[`r_to_${i}`]) : (r?.recipients ?? ['invitee']);
    const toError = errors[`r_to_${i}`];
    return {
      i,
      n: i + 1,
      amount: body ? one(body[`r_amount_${i}`]) : split ? String(split.amount) : '',
      units: UNITS.map((u) => ({ value: u.value, label: t(u.label), selected: u.value === unit })),
      channels: CHANNELS.map((c) => ({ value: c.value, label: t(c.label), selected: c.value === channel })),
      recipients: RECIPIENTS.map((x) => ({ value: x.value, label: t(x.label), checked: to.includes(x.value), invalid: Boolean(toError) })),
      amountError: errors[`r_amount_${i}`],
      unitError: errors[`r_unit_${i}`],
      channelError: errors[`r_channel_${i}`],
      toError,
    };
  });
}

/**
 * location: null when "not set". A detail without a kind of place is the form's to refuse (the kind is a select);
 * which kinds exist and how long the detail may be are the API's.
 */
function locationRequest(body: Form, errors: Errors, t: Translate): Record<string, unknown> | null {
  const type = one(body.location_type);
  const value = one(body.location_value);
  if (!type) {
    if (value) errors.location_type = t('admin.types.err.locationKind');
    return null;
  }
  // Each booking gets its own link for these: a detail left in the (hidden) box is not theirs.
  if (isConferenceType(type)) return { type };
  return value ? { type, value } : { type };
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

/**
 * The team select offers only the host's teams: anything else is a forged post, refused in the select's words.
 * Whether the hosts belong to the chosen team is the service's rule; its problem lands beside the hosts.
 */
export function checkTeamChoice(teams: TeamChoice[], teamId: unknown, errors: Errors, t: Translate = ENGLISH): void {
  if (typeof teamId === 'string' && !teams.some((team) => team.id === teamId)) errors.team_id = t('admin.types.err.team');
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
      teamId: t.id,
      name: t.name,
      chosen: t.id === chosen?.id,
      members: t.members.map((m) => ({
        id: `host-${t.id}-${m.userId}`,
        value: m.userId,
        name: m.name,
        email: m.email,
        invalid: Boolean(hostsError),
        checked: ticked.includes(m.userId) && (t.id === chosen?.id || !inChosen.has(m.userId)),
      })),
    })),
  };
}
