import type { BookingQuestion } from '../../meeting-types/domain/meeting-type.js';

export interface AnswerProblem {
  field: string;
  messages: string[];
}

/** A phone number as the API takes it (answers to phone questions, invitee_phone): digits, an optional +, separators. */
export const PHONE = /^\+?[0-9 ().-]{6,24}$/;

/**
 * Checks booking answers against the meeting type's custom questions: required ones present, choices among the
 * options, no unknown keys. Returns the cleaned answers, or the problems per field.
 */
export function validateAnswers(
  questions: BookingQuestion[],
  answers: Record<string, unknown> | undefined,
): { ok: true; answers: Record<string, string | string[]> } | { ok: false; problems: AnswerProblem[] } {
  const given = answers ?? {};
  const problems: AnswerProblem[] = [];
  const clean: Record<string, string | string[]> = {};
  const known = new Set(questions.map((q) => q.id));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) problems.push({ field: `answers.${key}`, messages: [`answers.${key} is not a question of this meeting type`] });
  }
  for (const q of questions) {
    const field = `answers.${q.id}`;
    const value = given[q.id];
    const empty = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
    if (empty) {
      if (q.required) problems.push({ field, messages: [`"${q.label}" is required`] });
      continue;
    }
    if (q.type === 'multi_choice') {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        problems.push({ field, messages: [`"${q.label}" must be a list of choices`] });
      } else if (!value.every((v) => q.options?.includes(v))) {
        problems.push({ field, messages: [`"${q.label}" must be among: ${(q.options ?? []).join(', ')}`] });
      } else clean[q.id] = value;
      continue;
    }
    if (typeof value !== 'string') {
      problems.push({ field, messages: [`"${q.label}" must be text`] });
      continue;
    }
    const max = q.type === 'long_text' ? 5000 : 500;
    if (value.length > max) problems.push({ field, messages: [`"${q.label}" must be at most ${max} characters`] });
    else if (q.type === 'single_choice' && !q.options?.includes(value)) {
      problems.push({ field, messages: [`"${q.label}" must be one of: ${(q.options ?? []).join(', ')}`] });
    } else if (q.type === 'phone' && !PHONE.test(value)) {
      problems.push({ field, messages: [`"${q.label}" must be a phone number`] });
    } else clean[q.id] = value.trim();
  }
  return problems.length ? { ok: false, problems } : { ok: true, answers: clean };
}
