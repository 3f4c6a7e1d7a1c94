// Pure rules for a meeting type's fields: defaults, slugs, question ids and the checks that span several fields.
// Problems name the API's JSON fields (snake_case, dotted paths into arrays) with a stable code.
import type { Problem } from '../../../shared/http/domain-error.js';
import { multiLineProblem, singleLineProblem } from '../../../shared/validation/text.js';
import type {
  BookingQuestion,
  MeetingKind,
  MeetingTypeSnapshot,
  QuestionType,
  ReminderRecipient,
  ReminderSetting,
} from './meeting-type.js';
import { type LimitChanges, resolveLimits } from './meeting-type-limits.js';
import { DURATION_OPTION_KINDS, RECURRING_KINDS, normalizeDurationOptions, normalizeRecurrence } from './meeting-type-options.js';

export const TEAM_KINDS: readonly MeetingKind[] = ['round_robin', 'collective'];
export const CHOICE_TYPES: readonly QuestionType[] = ['single_choice', 'multi_choice'];
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX_LENGTH = 100;

/** Priority and weight of a host nobody ranked (every host today: the columns are for round-robin tuning). */
export const DEFAULT_HOST = { priority: 0, weight: 100, fallback: false, maxBookingsPerPeriod: null } as const;

export const REMINDER_RECIPIENTS: readonly ReminderRecipient[] = ['invitee', 'host'];

export const DEFAULT_REMINDERS: ReminderSetting[] = [
  { offset_minutes: 1440, channel: 'email' },
  { offset_minutes: 60, channel: 'email' },
];

/** Everything a meeting type stores, in the service's terms: the snapshot's fields, with host ids instead of hosts. */
/** The round-robin period is set with the type's hosts (PUT /api/meeting-types/:id/round-robin), not with its fields. */
export type MeetingTypeFields = Omit<MeetingTypeSnapshot, 'id' | 'ownerId' | 'hosts' | 'roundRobinPeriod'> & {
  /** Team kinds only (the owner is implied for one_on_one/group). */
  hostIds: string[];
};

export type QuestionInput = Omit<BookingQuestion, 'id' | 'required'> & { id?: string; required?: boolean };

type FieldKey = Exclude<keyof MeetingTypeFields, 'questions' | 'limits'>;
type FieldChanges = { [K in FieldKey]?: MeetingTypeFields[K] | null };

/** A request's fields: undefined = not sent (keep), null = clear. */
export type MeetingTypeChanges = FieldChanges & { questions?: QuestionInput[] | null; limits?: LimitChanges };

/** "Intro Call (30 min)" -> "intro-call-30-min". */
export function slugify(text: string): string {
  return slugPart(text, SLUG_MAX_LENGTH) || 'meeting';
}

function slugPart(text: string, maxLength: number): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
}

/** Gives every question a stable id (from its label when missing, made unique) and checks ids and options. */
export function normalizeQuestions(questions: QuestionInput[], problems: Problem[]): BookingQuestion[] {
  const given = new Set<string>();
  questions.forEach((q, i) => {
    if (q.id === undefined) return;
    if (given.has(q.id))
      problems.push({
        field: `questions.${i}.id`,
        code: 'duplicate',
        message: `"${q.id}" is used by another question; question ids must be unique`,
      });
    given.add(q.id);
  });
  const used = new Set(given);
  return questions.map((q, i) => {
    const isChoice = CHOICE_TYPES.includes(q.type);
    const options = q.options ?? [];
    if (isChoice && options.length === 0) {
      problems.push({ field: `questions.${i}.options`, code: 'required', message: `a ${q.type} question needs at least one option` });
    }
    if (!isChoice && q.options !== undefined) {
      problems.push({
        field: `questions.${i}.options`,
        code: 'not_applicable',
        message: 'only single_choice and multi_choice questions take options',
      });
    }
    if (new Set(options).size !== options.length) {
      problems.push({ field: `questions.${i}.options`, code: 'duplicate', message: 'options must be unique' });
    }
    const labelProblem = singleLineProblem(q.label);
    if (labelProblem) problems.push({ field: `questions.${i}.label`, code: textCode(labelProblem), message: `label ${labelProblem}` });
    const optionProblem = options.map((o) => singleLineProblem(o)).find((p) => p !== null);
    if (optionProblem !== undefined) {
      problems.push({ field: `questions.${i}.options`, code: textCode(optionProblem), message: `each option ${optionProblem}` });
    }
    let id = q.id;
    if (id === undefined) {
      const base = slugPart(q.label, 56) || 'question';
      id = base;
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
      used.add(id);
    }
    return { id, label: q.label.trim(), type: q.type, required: q.required ?? false, ...(isChoice ? { options } : {}) };
  });
}

/**
 * The meeting type a create (current = null) or an update would produce, and every problem with it. Fields that no
 * longer apply after a kind change (seats, team and hosts) are dropped when the request did not send them, and
 * rejected when it did.
 */
export function resolveMeetingType(
  current: MeetingTypeFields | null,
  changes: MeetingTypeChanges,
  policy: LocationPolicy = { allowHttp: false },
): { value: MeetingTypeFields; problems: Problem[] } {
  const problems: Problem[] = [];
  // null when the request clears the field: callers give the default a cleared field takes.
  const fields: FieldChanges = changes;
  const pick = <K extends FieldKey>(key: K, fallback: MeetingTypeFields[K]): MeetingTypeFields[K] | null => {
    const sent: MeetingTypeFields[K] | null | undefined = fields[key];
    if (sent !== undefined) return sent;
    return current ? current[key] : fallback;
  };

  const name = (pick('name', '') ?? '').trim();
  if (!name) problems.push({ field: 'name', code: 'required', message: 'name is required' });
  const nameProblem = singleLineProblem(name);
  if (nameProblem) problems.push({ field: 'name', code: textCode(nameProblem), message: `name ${nameProblem}` });
  if (typeof changes.description === 'string') {
    const descriptionProblem = multiLineProblem(changes.description);
    if (descriptionProblem) {
      problems.push({ field: 'description', code: textCode(descriptionProblem), message: `description ${descriptionProblem}` });
    }
  }
  if (changes.location) problems.push(...locationProblems(changes.location, policy));
  const durationMinutes = pick('durationMinutes', 0);
  if (!durationMinutes) {
    problems.push({ field: 'duration_minutes', code: 'required', message: 'duration_minutes is required (5-720)' });
  }

  let slug = changes.slug ?? current?.slug ?? slugify(name);
  if (changes.slug === null) slug = slugify(name);

  const kind = pick('kind', 'one_on_one') ?? 'one_on_one';
  const kindChanged = current !== null && current.kind !== kind;
  const keepUnlessSent = <K extends 'seats' | 'teamId' | 'hostIds'>(key: K, applies: boolean, empty: MeetingTypeFields[K]) => {
    const sent: MeetingTypeFields[K] | null | undefined = fields[key];
    const isEmpty = sent === undefined || sent === null || (Array.isArray(sent) && sent.length === 0);
    if (!applies) return { value: empty, sentWhenInapplicable: !isEmpty };
    if (sent !== undefined) return { value: sent ?? empty, sentWhenInapplicable: false };
    if (current === null) return { value: empty, sentWhenInapplicable: false };
    const stillApplies = !kindChanged || appliesTo(key, current.kind);
    return { value: stillApplies ? current[key] : empty, sentWhenInapplicable: false };
  };

  const isGroup = kind === 'group';
  const isTeam = TEAM_KINDS.includes(kind);
  const seats = keepUnlessSent('seats', isGroup, null);
  if (seats.sentWhenInapplicable) {
    problems.push({ field: 'seats', code: 'not_applicable', message: 'seats applies only to group meeting types' });
  }
  if (isGroup && seats.value === null) {
    problems.push({ field: 'seats', code: 'required', message: 'seats is required for group meeting types (2-1000 invitees per slot)' });
  }
  const teamId = keepUnlessSent('teamId', isTeam, null);
  if (teamId.sentWhenInapplicable) {
    problems.push({
      field: 'team_id',
      code: 'not_applicable',
      message: 'team_id applies only to round_robin and collective meeting types',
    });
  }
  if (isTeam && teamId.value === null) {
    problems.push({ field: 'team_id', code: 'required', message: `team_id is required for ${kind} meeting types` });
  }
  const hostIds = keepUnlessSent('hostIds', isTeam, []);
  if (hostIds.sentWhenInapplicable) {
    problems.push({
      field: 'host_ids',
      code: 'not_applicable',
      message: 'host_ids applies only to round_robin and collective meeting types (the owner hosts the others)',
    });
  }
  if (isTeam && hostIds.value.length === 0) {
    problems.push({
      field: 'host_ids',
      code: 'required',
      message: `host_ids is required for ${kind} meeting types: name at least one member of team_id`,
    });
  }
  if (new Set(hostIds.value).size !== hostIds.value.length) {
    problems.push({ field: 'host_ids', code: 'duplicate', message: 'host_ids must not repeat a host' });
  }

  // Not sent: kept, unless the kind no longer offers them (then dropped, like seats). Sent: checked (options.ts).
  const durationOptions = normalizeDurationOptions(
    changes.durationOptions !== undefined
      ? changes.durationOptions
      : DURATION_OPTION_KINDS.includes(kind)
        ? (current?.durationOptions ?? null)
        : null,
    durationMinutes ?? 0,
    kind,
    problems,
  );
  const recurrence = normalizeRecurrence(
    changes.recurrence !== undefined ? changes.recurrence : RECURRING_KINDS.includes(kind) ? (current?.recurrence ?? null) : null,
    kind,
    problems,
  );

  const questions = changes.questions !== undefined ? normalizeQuestions(changes.questions ?? [], problems) : (current?.questions ?? []);

  // null restores the default reminders; [] means none.
  const reminders =
    changes.reminders !== undefined
      ? normalizeReminders(changes.reminders ?? DEFAULT_REMINDERS, problems)
      : (current?.reminders ?? DEFAULT_REMINDERS);
  const reminderKeys = new Set(reminders.map((r) => `${r.channel}:${r.offset_minutes}`));
  if (reminderKeys.size !== reminders.length) {
    problems.push({ field: 'reminders', code: 'duplicate', message: 'reminders must not repeat the same offset_minutes and channel' });
  }

  const value: MeetingTypeFields = {
    name,
    slug,
    description: pick('description', null),
    location: pick('location', null),
    kind,
    seats: seats.value,
    durationMinutes: durationMinutes ?? 0,
    durationOptions,
    recurrence,
    bufferBeforeMinutes: pick('bufferBeforeMinutes', 0) ?? 0,
    bufferAfterMinutes: pick('bufferAfterMinutes', 0) ?? 0,
    slotIntervalMinutes: pick('slotIntervalMinutes', null),
    minimumNoticeMinutes: pick('minimumNoticeMinutes', 0) ?? 0,
    bookingWindowDays: pick('bookingWindowDays', null),
    maxBookingsPerDay: pick('maxBookingsPerDay', null),
    limits: resolveLimits(current?.limits ?? null, changes.limits, pick('maxBookingsPerDay', null), durationMinutes ?? 0, problems),
    questions,
    reminders,
    scheduleId: pick('scheduleId', null),
    teamId: teamId.value,
    hostIds: hostIds.value,
    isActive: pick('isActive', true) ?? true,
    isSecret: pick('isSecret', false) ?? false,
    ...resolveApproval(
      kind,
      pick('requiresConfirmation', false),
      pick('confirmationExpiryMinutes', DEFAULT_CONFIRMATION_EXPIRY_MINUTES),
      problems,
    ),
  };
  // A series is booked all or none and confirmed at once; a request per occurrence, each answered on its own, would
  // break that promise. Until series requests exist, a type is one or the other.
  if (value.recurrence && value.requiresConfirmation) {
    problems.push({
      field: 'recurrence',
      code: 'not_applicable',
      message: 'a recurring meeting type cannot require confirmation; turn one of recurrence and requires_confirmation off',
    });
  }
  return { value, problems };
}

/**
 * Checks each reminder's recipients and puts them in a fixed order. A reminder sent without recipients stays without
 * them (it means the invitee only), so types stored before host reminders read back exactly as they were written.
 */
export function normalizeReminders(reminders: ReminderSetting[], problems: Problem[]): ReminderSetting[] {
  return reminders.map((r, i) => {
    if (r.recipients === undefined) return { offset_minutes: r.offset_minutes, channel: r.channel };
    const recipients = r.recipients;
    const field = `reminders.${i}.recipients`;
    const unknown = recipients.filter((x) => !REMINDER_RECIPIENTS.includes(x));
    if (recipients.length === 0) {
      problems.push({ field, code: 'required', message: 'name at least one of invitee, host (leave it out for the invitee only)' });
    }
    if (unknown.length) {
      problems.push({ field, code: 'unknown_recipient', message: `unknown recipient ${unknown.join(', ')}; use invitee and/or host` });
    }
    if (new Set(recipients).size !== recipients.length) {
      problems.push({ field, code: 'duplicate', message: 'must not repeat a recipient' });
    }
    if (r.channel === 'sms' && recipients.includes('host')) {
      problems.push({
        field,
        code: 'sms_to_host',
        message: 'SMS reminders go to invitees only; hosts get reminders by email (add an email reminder for the host)',
      });
    }
    return { offset_minutes: r.offset_minutes, channel: r.channel, recipients: REMINDER_RECIPIENTS.filter((x) => recipients.includes(x)) };
  });
}

/** Whether plain http:// meeting links are allowed (ALLOW_HTTP_LOCATIONS, for intranets); https:// always is. */
export interface LocationPolicy {
  allowHttp: boolean;
}

/** Location kinds whose value is a link the invitee opens. */
export const LINK_LOCATION_TYPES: readonly string[] = ['video'];

/** Location kinds that make a link per booking (issue #17): a value would be ignored, so it is refused. */
export const CONFERENCE_LOCATION_TYPES: readonly string[] = ['google_meet', 'microsoft_teams', 'zoom', 'jitsi'];

/**
 * A location's value is one line; a video location's value is a link the invitee clicks in emails and pages, so it
 * must be an absolute https:// URL (http:// only where configured): never javascript:, data: or a relative path.
 */
export function locationProblems(location: Record<string, unknown>, policy: LocationPolicy): Problem[] {
  const value = location.value;
  if (CONFERENCE_LOCATION_TYPES.includes(String(location.type)) && value !== undefined && value !== null && value !== '') {
    return [
      {
        field: 'location.value',
        code: 'not_allowed',
        message: `location.value must be empty for ${String(location.type)}: each booking gets its own link`,
      },
    ];
  }
  if (typeof value !== 'string' || value === '') return [];
  const lineProblem = singleLineProblem(value);
  if (lineProblem) return [{ field: 'location.value', code: textCode(lineProblem), message: `location.value ${lineProblem}` }];
  if (!LINK_LOCATION_TYPES.includes(String(location.type))) return [];
  const schemes = policy.allowHttp ? ['https:', 'http:'] : ['https:'];
  let url: URL | null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (!url || !schemes.includes(url.protocol) || !url.hostname) {
    return [
      {
        field: 'location.value',
        code: 'not_a_meeting_link',
        message: `location.value must be a meeting link starting with ${policy.allowHttp ? 'https:// (or http://)' : 'https://'}`,
      },
    ];
  }
  return [];
}

function appliesTo(key: 'seats' | 'teamId' | 'hostIds', kind: MeetingKind): boolean {
  return key === 'seats' ? kind === 'group' : TEAM_KINDS.includes(kind);
}

/** A pending booking waits this long for its host unless the type says otherwise (and never past its start). */
export const DEFAULT_CONFIRMATION_EXPIRY_MINUTES = 1440;
export const CONFIRMATION_EXPIRY_RANGE = { min: 5, max: 43_200 } as const;

/**
 * requires_confirmation (null: back to false) and confirmation_expiry_minutes (null: back to the default, one day).
 * A group meeting shares one booking among its invitees, so a seat cannot wait for approval on its own: refused there.
 */
function resolveApproval(
  kind: MeetingKind,
  requiresConfirmation: boolean | null,
  expiryMinutes: number | null,
  problems: Problem[],
): { requiresConfirmation: boolean; confirmationExpiryMinutes: number } {
  const requires = requiresConfirmation ?? false;
  if (requires && kind === 'group') {
    problems.push({
      field: 'requires_confirmation',
      code: 'not_applicable',
      message: 'requires_confirmation is not available for group meeting types (invitees share one booking)',
    });
  }
  return { requiresConfirmation: requires, confirmationExpiryMinutes: expiryMinutes ?? DEFAULT_CONFIRMATION_EXPIRY_MINUTES };
}

/** The code for a text problem from shared/validation/text. */
function textCode(problem: string): string {
  return problem.includes('bidirectional') ? 'bidi_control' : 'control_characters';
}
