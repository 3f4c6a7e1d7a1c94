// Pure rules for what an invitee may choose on a meeting type (issue #17 item 5): the meeting's length among
// `duration_options`, and how many occurrences of a recurring type to book at once. Problems name the API's fields.
import { invalidFields, type Problem } from '../../../shared/http/domain-error.js';
import type { MeetingKind, MeetingTypeSnapshot, RecurrenceFrequency, RecurrenceSetting } from './meeting-type.js';

export const DURATION_MIN = 5;
export const DURATION_MAX = 720;
export const MAX_DURATION_OPTIONS = 12;
export const RECURRENCE_FREQUENCIES: readonly RecurrenceFrequency[] = ['weekly', 'every_two_weeks', 'monthly'];
export const MAX_OCCURRENCES = 52;

/**
 * Kinds that may offer several lengths. A group meeting is one shared booking per start that later invitees join,
 * so its length is the type's.
 */
export const DURATION_OPTION_KINDS: readonly MeetingKind[] = ['one_on_one', 'round_robin', 'collective'];

/**
 * Kinds that may be booked as a series. Every occurrence must book the same hosts: one_on_one (the owner) and
 * collective (all hosts) do by construction; round robin would pick a host per occurrence (an invitee expects the
 * same person every week), and a group series would need a seat at each start.
 */
export const RECURRING_KINDS: readonly MeetingKind[] = ['one_on_one', 'collective'];

/**
 * The stored form of `duration_options`: ascending, without repeats. null or [] (or only the default) stores null,
 * "only the default". Problems: a length out of range, a repeat, the default missing, a kind that has one length.
 */
export function normalizeDurationOptions(
  options: number[] | null,
  durationMinutes: number,
  kind: MeetingKind,
  problems: Problem[],
): number[] | null {
  if (options === null || options.length === 0) return null;
  const field = 'duration_options';
  if (!DURATION_OPTION_KINDS.includes(kind)) {
    problems.push({ field, code: 'not_applicable', message: `duration_options does not apply to ${kind} meeting types` });
    return null;
  }
  const bad = options.filter((m) => !Number.isInteger(m) || m < DURATION_MIN || m > DURATION_MAX);
  if (bad.length) {
    problems.push({
      field,
      code: 'out_of_range',
      message: `each of duration_options must be whole minutes from ${DURATION_MIN} to ${DURATION_MAX}`,
    });
  }
  if (options.length > MAX_DURATION_OPTIONS) {
    problems.push({ field, code: 'too_many', message: `duration_options may list at most ${MAX_DURATION_OPTIONS} lengths` });
  }
  if (new Set(options).size !== options.length) {
    problems.push({ field, code: 'duplicate', message: 'duration_options must not repeat a length' });
  }
  if (durationMinutes && !options.includes(durationMinutes)) {
    problems.push({
      field,
      code: 'default_missing',
      message: `duration_options must contain duration_minutes (${durationMinutes}), the default length`,
    });
  }
  const sorted = [...new Set(options)].sort((a, b) => a - b);
  return sorted.length === 1 && sorted[0] === durationMinutes ? null : sorted;
}

/** The recurrence setting as stored, or null; problems for a kind that cannot repeat or a bad count. */
export function normalizeRecurrence(
  recurrence: RecurrenceSetting | null,
  kind: MeetingKind,
  problems: Problem[],
): RecurrenceSetting | null {
  if (recurrence === null) return null;
  if (!RECURRING_KINDS.includes(kind)) {
    problems.push({
      field: 'recurrence',
      code: 'not_applicable',
      message: `recurrence applies only to ${RECURRING_KINDS.join(' and ')} meeting types (every occurrence books the same hosts)`,
    });
    return null;
  }
  if (!RECURRENCE_FREQUENCIES.includes(recurrence.frequency)) {
    problems.push({
      field: 'recurrence.frequency',
      code: 'unknown',
      message: `recurrence.frequency must be one of ${RECURRENCE_FREQUENCIES.join(', ')}`,
    });
  }
  const max = recurrence.maxOccurrences;
  if (!Number.isInteger(max) || max < 2 || max > MAX_OCCURRENCES) {
    problems.push({
      field: 'recurrence.max_occurrences',
      code: 'out_of_range',
      message: `recurrence.max_occurrences must be an integer from 2 to ${MAX_OCCURRENCES}`,
    });
  }
  return { frequency: recurrence.frequency, maxOccurrences: max };
}

/** Every length an invitee may pick, ascending (the default alone when the type offers no choice). */
export function offeredDurations(type: Pick<MeetingTypeSnapshot, 'durationMinutes' | 'durationOptions'>): number[] {
  return type.durationOptions ?? [type.durationMinutes];
}

/** Why `minutes` is not a length this type offers (400 naming duration_minutes), or null when it is. */
export function durationProblem(type: Pick<MeetingTypeSnapshot, 'durationMinutes' | 'durationOptions'>, minutes: number): Problem | null {
  const offered = offeredDurations(type);
  if (offered.includes(minutes)) return null;
  return {
    field: 'duration_minutes',
    code: 'not_offered',
    message: `duration_minutes must be one of this meeting type's lengths: ${offered.join(', ')}`,
  };
}

/**
 * The type as the slot engine should see it for a meeting of `minutes` (already checked with durationProblem):
 * slots end `minutes` after their start and, unless the type sets slot_interval_minutes, step by that length too,
 * as Cal.com's variable-length event types do. Buffers, notice, window and caps stay the type's.
 */
export function withDuration<T extends Pick<MeetingTypeSnapshot, 'durationMinutes'>>(type: T, minutes: number | undefined): T {
  return minutes === undefined || minutes === type.durationMinutes ? type : { ...type, durationMinutes: minutes };
}

/**
 * The type at the length a request asks for (slots, bookings, holds): unchanged when it asks for none, else
 * withDuration after durationProblem, whose problem is thrown as a 400 naming duration_minutes.
 */
export function ofRequestedLength(type: MeetingTypeSnapshot, minutes: number | undefined): MeetingTypeSnapshot {
  if (minutes === undefined) return type;
  const problem = durationProblem(type, minutes);
  if (problem) throw invalidFields([problem]);
  return withDuration(type, minutes);
}

/** How many occurrences a booking asks for is valid: 1 always; more only on a recurring type, up to its maximum. */
export function occurrencesProblem(type: Pick<MeetingTypeSnapshot, 'recurrence'>, occurrences: number): Problem | null {
  if (occurrences === 1) return null;
  if (!type.recurrence) {
    return { field: 'occurrences', code: 'not_recurring', message: 'this meeting type is not recurring; occurrences must be 1' };
  }
  if (occurrences < 1 || occurrences > type.recurrence.maxOccurrences) {
    return {
      field: 'occurrences',
      code: 'out_of_range',
      message: `occurrences must be from 1 to ${type.recurrence.maxOccurrences} for this meeting type`,
    };
  }
  return null;
}
