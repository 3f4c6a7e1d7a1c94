// The meeting type editor's layout (issue #18): its sections and which form fields each holds (for the section nav's
// "has a problem" flags), the question rows, and the preview of the booking page built from the form as it stands.
import type { BookingQuestion } from '../../meeting-types/domain/meeting-type.js';
import type { MessageKey, Translate } from '../../../shared/i18n/i18n.js';
import { lengthLabel } from '../application/booking-page-features.js';
import { type Errors, type Form, one } from './admin-forms.js';
import { ENGLISH, locationTypes, questionTypes } from './meeting-type-form.js';

/** The sections in page order; `fields`: the form fields (or prefixes of row fields) whose problems flag the section. */
const SECTIONS: { id: string; label: MessageKey; fields: string[] }[] = [
  {
    id: 'basics',
    label: 'admin.types.section.basics',
    fields: ['name', 'slug', 'description', 'duration_minutes', 'kind', 'duration_options', 'location_'],
  },
  {
    id: 'availability',
    label: 'admin.types.section.availability',
    fields: ['schedule_id', 'slot_interval_minutes', 'minimum_notice_minutes', 'buffer_', 'booking_window_'],
  },
  { id: 'limits', label: 'admin.types.section.limits', fields: ['max_', 'cancellation_cutoff_minutes', 'reschedule_cutoff_minutes'] },
  { id: 'questions', label: 'admin.types.section.questions', fields: ['questions', 'q_'] },
  { id: 'notifications', label: 'admin.types.section.notifications', fields: ['reminders', 'r_', 'destination'] },
  {
    id: 'advanced',
    label: 'admin.types.section.advanced',
    fields: ['is_', 'requires_confirmation', 'confirmation_expiry_minutes', 'recurrence_', 'seats', 'team_id', 'host_ids'],
  },
];

/** The section nav: each section with whether one of its fields has a problem. */
export function sectionsView(errors: Errors, t: Translate = ENGLISH) {
  const keys = Object.keys(errors).filter((k) => errors[k]);
  return SECTIONS.map(({ id, label, fields }) => ({
    id,
    label: t(label),
    hasError: keys.some((k) => fields.some((f) => (f.endsWith('_') ? k.startsWith(f) : k === f))),
  }));
}

const QUESTION_ROWS_EXTRA = 2;

/** The question rows: what was posted, or the stored questions plus two blank rows to add more without a script. */
export function questionRows(stored: BookingQuestion[], body: Form | null, rows: number, errors: Errors, t: Translate = ENGLISH) {
  const count = body ? rows : stored.length + QUESTION_ROWS_EXTRA;
  return Array.from({ length: count }, (_, i) => {
    const q = stored.at(i);
    const type = body ? one(body[`q_type_${i}`]) : (q?.type ?? 'text');
    return {
      i,
      n: i + 1,
      id: body ? one(body[`q_id_${i}`]) : (q?.id ?? ''),
      label: body ? one(body[`q_label_${i}`]) : (q?.label ?? ''),
      required: body ? one(body[`q_required_${i}`]) === '1' : (q?.required ?? false),
      options: body ? one(body[`q_options_${i}`]) : (q?.options ?? []).join('\n'),
      types: questionTypes(t).map((qt) => ({ ...qt, selected: qt.value === type })),
      labelError: errors[`q_label_${i}`],
      typeError: errors[`q_type_${i}`],
      optionsError: errors[`q_options_${i}`],
    };
  });
}

/** The blank row public/type-editor.js copies for "Add a question" (`__i__` and `__n__` replaced there). */
export const questionTemplate = (t: Translate = ENGLISH) => ({
  i: '__i__',
  n: '__n__',
  id: '',
  label: '',
  required: false,
  options: '',
  types: questionTypes(t).map((qt) => ({ ...qt, selected: qt.value === 'text' })),
});

/**
 * The preview of the booking page from the values the editor shows (posted or stored): its heading, lengths, place,
 * notes and the questions invitees answer. public/type-editor.js rebuilds the same from the live form.
 */
export function previewView(
  input: {
    hostName: string;
    name: string;
    description: string;
    durationMinutes: number;
    durations: { value: number; checked: boolean; isDefault: boolean }[];
    locationType: string;
    locationValue: string;
    requiresConfirmation: boolean;
    active: boolean;
    secret: boolean;
    questions: { label: string; types: { label: string; selected: boolean }[]; required: boolean }[];
    savedHref: string | null;
  },
  loc: { locale: string; formatLocale: string; t: Translate } = { locale: 'en', formatLocale: 'en-GB', t: ENGLISH },
) {
  const place = locationTypes(loc.t).find((l) => l.value === input.locationType);
  const ticked = input.durations.filter((d) => d.checked || d.isDefault);
  return {
    hostName: input.hostName,
    name: input.name || loc.t('admin.types.untitled'),
    length: Number.isInteger(input.durationMinutes) && input.durationMinutes > 0 ? lengthLabel(input.durationMinutes, loc) : '',
    place: place ? (place.conference || !input.locationValue ? place.label : `${place.label}: ${input.locationValue}`) : '',
    description: input.description,
    lengths: ticked.length > 1 ? ticked.map((d) => ({ label: lengthLabel(d.value, loc), isDefault: d.isDefault })) : [],
    requiresConfirmation: input.requiresConfirmation,
    active: input.active,
    secret: input.secret,
    questions: input.questions
      .filter((q) => q.label)
      .map((q) => ({ label: q.label, typeLabel: q.types.find((t) => t.selected)?.label ?? '', required: q.required })),
    savedHref: input.savedHref,
  };
}
