import { DomainError, invalid, invalidFields } from '../../../shared/http/domain-error.js';
import { type Errors, placeProblems } from './admin-forms.js';
import { placeTypeProblem, typeRequestOf } from './meeting-type-form.js';

describe("the meeting type editor places the rules' problems beside their fields", () => {
  // Question rows 0 and 2 were filled (row 1 was left empty); reminder rows 1 and 3 were sent.
  const rows = { questions: [0, 2], reminders: [1, 3] };

  it('places problems through the form-field mapping, questions and reminders beside the row they came from', () => {
    const errors: Errors = {};
    placeProblems(
      invalidFields([
        { field: 'location.value', code: 'not_https', message: 'must be a meeting link starting with https://' },
        { field: 'duration_minutes', code: 'out_of_range', message: 'must be from 5 to 720' },
        { field: 'questions.1.options', code: 'required', message: 'a single_choice question needs at least one option' },
        { field: 'reminders.0.recipients', code: 'sms_to_host', message: 'SMS reminders go to invitees only' },
        { field: 'reminders', code: 'repeated', message: 'must not repeat the same offset_minutes and channel' },
        { field: 'owner_quota', code: 'exceeded', message: 'you have too many meeting types' },
      ]),
      placeTypeProblem(rows),
      errors,
    );
    expect(errors).toEqual({
      location_value: 'Must be a meeting link starting with https://.',
      duration_minutes: 'Must be from 5 to 720.',
      q_options_2: 'A single_choice question needs at least one option.',
      r_to_1: 'SMS reminders go to invitees only.',
      reminders: 'Must not repeat the same offset_minutes and channel.',
      form: 'You have too many meeting types.',
    });
  });

  it('reads the field errors of a refused request the same way', () => {
    const errors: Errors = {};
    placeProblems(
      new DomainError('invalid', 'questions.0.label: label must not be empty', {
        errors: [{ field: 'questions.0.label', messages: ['questions.0.label: label must not be empty'] }],
      }),
      placeTypeProblem(rows),
      errors,
    );
    expect(errors).toEqual({ q_label_0: 'Label must not be empty.' });
  });

  it('until every rule returns problems, reads the fields a joined message names (a piece naming none continues the one before)', () => {
    const errors: Errors = {};
    placeProblems(
      invalid(
        'location.value must be a meeting link starting with https://; name must be a single line without control characters; ' +
          'reminders.1.recipients: SMS reminders go to invitees only; hosts get reminders by email',
      ),
      placeTypeProblem(rows),
      errors,
    );
    expect(errors.location_value).toMatch(/^Value must be a meeting link starting with https:\/\//);
    expect(errors.location_type).toBeUndefined();
    expect(errors.name).toBe('Name must be a single line without control characters.');
    expect(errors.r_to_3).toBe('SMS reminders go to invitees only; hosts get reminders by email.');
  });

  it('builds the API request from the form: empty optional numbers are null, seats only for groups, reminders in minutes', () => {
    const errors: Errors = {};
    const { request, rows: sent } = typeRequestOf(
      {
        name: 'Intro',
        slug: 'Intro-Call',
        kind: 'one_on_one',
        duration_minutes: '30',
        seats: '4',
        booking_window_days: '',
        buffer_before_minutes: '',
        q_label_0: '',
        q_label_1: 'Topic',
        q_type_1: 'single_choice',
        q_options_1: 'a, b',
        r_amount_0: '2',
        r_unit_0: 'hours',
        r_channel_0: 'email',
        r_to_0: ['invitee', 'host'],
        r_amount_1: '1',
        r_unit_1: 'fortnights',
      },
      errors,
    );
    expect(request).toMatchObject({
      name: 'Intro',
      slug: 'intro-call',
      duration_minutes: 30,
      seats: null,
      booking_window_days: null,
      buffer_before_minutes: '',
      questions: [{ label: 'Topic', type: 'single_choice', required: false, options: ['a', 'b'] }],
      reminders: [{ offset_minutes: 120, channel: 'email', recipients: ['invitee', 'host'] }],
    });
    expect(sent).toEqual({ questions: [1], reminders: [0] });
    expect(errors).toEqual({ r_unit_1: 'Choose minutes, hours or days.' });
  });
});
