import { invalidFields } from '../../../shared/http/domain-error.js';
import { type Errors, placeProblems } from './admin-forms.js';
import { placeTypeProblem, typeRequestOf } from './meeting-type-form.js';
import { minutesLabel, optionsRequestOf } from './type-options-form.js';

describe("the meeting type editor's lengths, series and approval", () => {
  it('sends the ticked lengths with the default among them; none ticked is "only the default"', () => {
    expect(optionsRequestOf({ duration_minutes: '30', duration_options: ['15', '60'] }).duration_options).toEqual([15, 60, 30]);
    expect(optionsRequestOf({ duration_minutes: '30', duration_options: '30' }).duration_options).toEqual([30]);
    expect(optionsRequestOf({ duration_minutes: '30' }).duration_options).toBeNull();
    // A default the API will refuse is not added: its own problem shows beside the duration.
    expect(optionsRequestOf({ duration_minutes: 'half', duration_options: ['15'] }).duration_options).toEqual([15]);
  });

  it('sends a series only when it repeats, an empty count as null for the API to refuse, and approval as chosen', () => {
    expect(optionsRequestOf({}).recurrence).toBeNull();
    expect(optionsRequestOf({ recurrence_frequency: 'weekly', recurrence_max_occurrences: '4' }).recurrence).toEqual({
      frequency: 'weekly',
      max_occurrences: 4,
    });
    expect(optionsRequestOf({ recurrence_frequency: 'monthly', recurrence_max_occurrences: '' }).recurrence).toEqual({
      frequency: 'monthly',
      max_occurrences: null,
    });
    expect(optionsRequestOf({ requires_confirmation: '1', confirmation_expiry_minutes: '2880' })).toMatchObject({
      requires_confirmation: true,
      confirmation_expiry_minutes: 2880,
    });
    expect(optionsRequestOf({})).toMatchObject({ requires_confirmation: false, confirmation_expiry_minutes: null });
  });

  it('leaves no detail on video places that make a link per booking', () => {
    const errors: Errors = {};
    const { request } = typeRequestOf({ name: 'x', kind: 'one_on_one', location_type: 'zoom', location_value: 'https://x.test/' }, errors);
    expect(request.location).toEqual({ type: 'zoom' });
    expect(
      typeRequestOf({ name: 'x', kind: 'one_on_one', location_type: 'video', location_value: 'https://x.test/' }, errors).request.location,
    ).toEqual({
      type: 'video',
      value: 'https://x.test/',
    });
  });

  it('places the rule "a recurring type cannot require confirmation" beside the checkbox when both were asked for', () => {
    const rows = { questions: [], reminders: [] };
    const problems = invalidFields([
      { field: 'recurrence', code: 'not_applicable', message: 'a recurring meeting type cannot require confirmation' },
      { field: 'duration_options.1', code: 'out_of_range', message: 'each of duration_options must be whole minutes' },
      { field: 'recurrence.max_occurrences', code: 'out_of_range', message: 'must be from 2 to 52' },
    ]);
    const both: Errors = {};
    placeProblems(problems, placeTypeProblem(rows, { recurrence: { frequency: 'weekly' }, requires_confirmation: true }), both);
    expect(Object.keys(both).sort()).toEqual(['duration_options', 'recurrence_max_occurrences', 'requires_confirmation']);
    const seriesOnly: Errors = {};
    placeProblems(problems, placeTypeProblem(rows, { recurrence: { frequency: 'weekly' }, requires_confirmation: false }), seriesOnly);
    expect(seriesOnly.recurrence_frequency).toMatch(/cannot require confirmation/);
  });

  it('reads lengths of time the way people say them', () => {
    expect([45, 60, 90, 1440, 2880, 10_080, 43_200].map(minutesLabel)).toEqual([
      '45 minutes',
      '1 hour',
      '90 minutes',
      '1 day',
      '2 days',
      '1 week',
      '30 days',
    ]);
  });
});
