import type { Problem } from '../../../shared/http/domain-error.js';
import {
  durationProblem,
  normalizeDurationOptions,
  normalizeRecurrence,
  occurrencesProblem,
  offeredDurations,
  withDuration,
} from './meeting-type-options.js';

const codes = (run: (problems: Problem[]) => unknown) => {
  const problems: Problem[] = [];
  const value = run(problems);
  return { value, codes: problems.map((p) => `${p.field}:${p.code}`) };
};

describe('duration options', () => {
  it.each<[string, number[] | null, number, unknown, string[]]>([
    ['none', null, 30, null, []],
    ['empty list', [], 30, null, []],
    ['only the default', [30], 30, null, []],
    ['sorted, default kept', [60, 15, 30], 30, [15, 30, 60], []],
    ['default missing', [15, 60], 30, [15, 60], ['duration_options:default_missing']],
    ['repeat', [30, 30, 60], 30, [30, 60], ['duration_options:duplicate']],
    ['too short', [4, 30], 30, [4, 30], ['duration_options:out_of_range']],
    ['too long', [30, 721], 30, [30, 721], ['duration_options:out_of_range']],
    ['not whole', [30, 30.5], 30, [30, 30.5], ['duration_options:out_of_range']],
  ])('%s', (_, options, duration, stored, expected) => {
    const r = codes((p) => normalizeDurationOptions(options, duration, 'one_on_one', p));
    expect(r.value).toEqual(stored);
    expect(r.codes).toEqual(expected);
  });

  it('group types have one length', () => {
    expect(codes((p) => normalizeDurationOptions([30, 60], 30, 'group', p)).codes).toEqual(['duration_options:not_applicable']);
    expect(codes((p) => normalizeDurationOptions(null, 30, 'group', p)).codes).toEqual([]);
  });

  it('offers the default alone, checks a requested length, and gives the engine the length', () => {
    const type = { durationMinutes: 30, durationOptions: null };
    expect(offeredDurations(type)).toEqual([30]);
    expect(durationProblem(type, 30)).toBeNull();
    expect(durationProblem(type, 60)).toMatchObject({ field: 'duration_minutes', code: 'not_offered' });
    const offering = { durationMinutes: 30, durationOptions: [15, 30, 60] };
    expect(durationProblem(offering, 60)).toBeNull();
    expect(withDuration(offering, 60)).toEqual({ durationMinutes: 60, durationOptions: [15, 30, 60] });
    expect(withDuration(offering, undefined)).toBe(offering);
  });
});

describe('recurrence', () => {
  it('applies to one_on_one and collective; counts 2..52', () => {
    const weekly = { frequency: 'weekly' as const, maxOccurrences: 8 };
    expect(codes((p) => normalizeRecurrence(weekly, 'one_on_one', p))).toEqual({ value: weekly, codes: [] });
    expect(codes((p) => normalizeRecurrence(weekly, 'collective', p)).codes).toEqual([]);
    expect(codes((p) => normalizeRecurrence(weekly, 'round_robin', p)).codes).toEqual(['recurrence:not_applicable']);
    expect(codes((p) => normalizeRecurrence(weekly, 'group', p)).codes).toEqual(['recurrence:not_applicable']);
    expect(codes((p) => normalizeRecurrence({ ...weekly, maxOccurrences: 1 }, 'one_on_one', p)).codes).toEqual([
      'recurrence.max_occurrences:out_of_range',
    ]);
    expect(codes((p) => normalizeRecurrence({ ...weekly, maxOccurrences: 53 }, 'one_on_one', p)).codes).toEqual([
      'recurrence.max_occurrences:out_of_range',
    ]);
  });

  it('a booking asks for 1 always, more only up to the type maximum', () => {
    expect(occurrencesProblem({ recurrence: null }, 1)).toBeNull();
    expect(occurrencesProblem({ recurrence: null }, 2)).toMatchObject({ field: 'occurrences', code: 'not_recurring' });
    const type = { recurrence: { frequency: 'monthly' as const, maxOccurrences: 6 } };
    expect(occurrencesProblem(type, 6)).toBeNull();
    expect(occurrencesProblem(type, 7)).toMatchObject({ field: 'occurrences', code: 'out_of_range' });
    expect(occurrencesProblem(type, 0)).toMatchObject({ field: 'occurrences', code: 'out_of_range' });
  });
});
