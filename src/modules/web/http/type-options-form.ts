// The meeting type editor's sections for issue #17's meeting features: the invitee's choice of length
// (duration_options), recurring series (recurrence) and approval (requires_confirmation and its expiry). The request
// goes to the API as chosen; its limits, rules and messages are the API's, placed beside these fields.
import type { MeetingTypeSnapshot } from '../../meeting-types/domain/meeting-type.js';
import { type Translate, translatorFor } from '../../../shared/i18n/i18n.js';
import { type Errors, type Form, many, one } from './admin-forms.js';

/** English unless the host's translator is passed (the unit tests read English). */
const ENGLISH: Translate = translatorFor('en');

/** The sections' form fields → the meeting type API's fields. */
export const OPTION_FORM_FIELDS = {
  duration_options: 'duration_options',
  recurrence_frequency: 'recurrence.frequency',
  recurrence_max_occurrences: 'recurrence.max_occurrences',
  requires_confirmation: 'requires_confirmation',
  confirmation_expiry_minutes: 'confirmation_expiry_minutes',
} as const;

/** The lengths offered as checkboxes; the type's default and any stored length are added to them. */
const COMMON_LENGTHS = [15, 30, 45, 60, 90, 120];
const FREQUENCIES = [
  { value: '', label: 'admin.types.freq.none' },
  { value: 'weekly', label: 'admin.types.freq.weekly' },
  { value: 'every_two_weeks', label: 'admin.types.freq.everyTwoWeeks' },
  { value: 'monthly', label: 'admin.types.freq.monthly' },
] as const;
/** How long a request waits for the host; the API's default is one day. */
const EXPIRY_CHOICES = [60, 120, 240, 480, 720, 1440, 2880, 4320, 10_080, 20_160, 43_200];
const DEFAULT_EXPIRY = 1440;
const DEFAULT_MAX_OCCURRENCES = 4;

/** "90 minutes", "4 hours", "1 day", "2 weeks": how a length of time reads in the editor. */
export function minutesLabel(minutes: number): string {
  return spanLabel(minutes, ENGLISH);
}

/** The same in the host's language. */
export function spanLabel(minutes: number, t: Translate): string {
  if (minutes % 10_080 === 0) return t('admin.types.span.weeks', { count: minutes / 10_080 });
  if (minutes % 1440 === 0) return t('admin.types.span.days', { count: minutes / 1440 });
  if (minutes % 60 === 0) return t('admin.types.span.hours', { count: minutes / 60 });
  return t('admin.types.span.minutes', { count: minutes });
}

/**
 * The sections' part of the API request. Ticked lengths always include the default length (the API requires it, and
 * the box above says which it is); none ticked means "only the default". A series' count left empty goes as sent,
 * for the API to refuse beside the box.
 */
export function optionsRequestOf(body: Form): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  const ticked = many(body.duration_options).map(Number);
  const defaultLength = Number(one(body.duration_minutes));
  if (ticked.length > 0 && Number.isInteger(defaultLength) && !ticked.includes(defaultLength)) ticked.push(defaultLength);
  request.duration_options = ticked.length > 0 ? ticked : null;
  const frequency = one(body.recurrence_frequency);
  const max = one(body.recurrence_max_occurrences);
  request.recurrence = frequency ? { frequency, max_occurrences: max === '' ? null : Number(max) } : null;
  request.requires_confirmation = one(body.requires_confirmation) === '1';
  const expiry = one(body.confirmation_expiry_minutes);
  request.confirmation_expiry_minutes = expiry === '' ? null : Number(expiry);
  return request;
}

/**
 * Where the API's problems about these fields go. The rule "a recurring type cannot require confirmation" names
 * `recurrence`; when the host asked for both it is shown beside the approval checkbox, where the choice is made.
 */
export function placeOptionProblem(apiField: string, request: Record<string, unknown>): string | undefined {
  if (apiField.startsWith('duration_options')) return 'duration_options';
  if (apiField === 'recurrence')
    return request.recurrence && request.requires_confirmation === true ? 'requires_confirmation' : 'recurrence_frequency';
  return undefined;
}

/** The sections' view: posted values after a refusal, else the stored ones (a new type offers one length, no series). */
export function optionsView(t: MeetingTypeSnapshot | null, body: Form | null, errors: Errors, tr: Translate = ENGLISH) {
  const defaultLength = Number(body ? one(body.duration_minutes) : (t?.durationMinutes ?? 30));
  const ticked = body ? many(body.duration_options).map(Number) : (t?.durationOptions ?? []);
  const lengths = [...new Set([...COMMON_LENGTHS, ...ticked, ...(Number.isInteger(defaultLength) ? [defaultLength] : [])])]
    .filter((m) => Number.isInteger(m) && m > 0)
    .sort((a, b) => a - b);
  const frequency = body ? one(body.recurrence_frequency) : (t?.recurrence?.frequency ?? '');
  const expiry = body ? Number(one(body.confirmation_expiry_minutes)) : (t?.confirmationExpiryMinutes ?? DEFAULT_EXPIRY);
  const expiries =
    EXPIRY_CHOICES.includes(expiry) || !Number.isInteger(expiry) ? EXPIRY_CHOICES : [...EXPIRY_CHOICES, expiry].sort((a, b) => a - b);
  return {
    durations: lengths.map((m) => ({
      value: m,
      label: spanLabel(m, tr),
      checked: ticked.includes(m),
      isDefault: m === defaultLength,
      invalid: Boolean(errors.duration_options),
    })),
    durationsError: errors.duration_options,
    frequencies: FREQUENCIES.map((f) => ({ value: f.value, label: tr(f.label), selected: f.value === frequency })),
    frequencyError: errors.recurrence_frequency,
    maxOccurrences: body ? one(body.recurrence_max_occurrences) : String(t?.recurrence?.maxOccurrences ?? DEFAULT_MAX_OCCURRENCES),
    maxOccurrencesError: errors.recurrence_max_occurrences,
    requiresConfirmation: body ? one(body.requires_confirmation) === '1' : (t?.requiresConfirmation ?? false),
    requiresConfirmationError: errors.requires_confirmation,
    expiries: expiries.map((m) => ({ value: m, label: spanLabel(m, tr), selected: m === expiry })),
    expiryError: errors.confirmation_expiry_minutes,
  };
}

/**
 * The API's messages name its fields ("Max_occurrences must be …", "Duration_options does not apply …"); beside the
 * field they are about, the page says the same in the host's words.
 */
export function tidyOptionErrors(errors: Errors): void {
  const reword = (key: string, pairs: [RegExp, string][]) => {
    const text = errors[key];
    if (text) errors[key] = pairs.reduce((s, [from, to]) => s.replace(from, to), text);
  };
  reword('duration_options', [
    [/Each of duration_options/g, 'Each length'],
    [/Duration_options does not apply/g, 'Picking the length does not apply'],
    [/duration_options/g, 'the lengths'],
  ]);
  reword('recurrence_max_occurrences', [[/Max_occurrences must be/g, 'Must be']]);
  reword('recurrence_frequency', [[/Frequency must be/g, 'Must be']]);
  reword('confirmation_expiry_minutes', [[/Confirmation_expiry_minutes must be/g, 'Must be']]);
  reword('requires_confirmation', [
    [/; turn one of recurrence and requires_confirmation off/g, ': untick this box or choose “Does not repeat”'],
  ]);
}
