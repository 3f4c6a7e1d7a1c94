import { invalidFields, problemsAsFieldErrors } from './domain-error.js';
import { toErrorBody } from './http-exception.filter.js';

describe('domain problems', () => {
  const problems = [
    { field: 'name', code: 'required', message: 'Give the meeting type a name.' },
    { field: 'duration_minutes', code: 'out_of_range', message: 'Pick between 5 and 720 minutes.' },
    { field: 'name', code: 'too_long', message: 'Keep the name under 200 characters.' },
  ];

  it('groups problems per field in the order fields first appear', () => {
    expect(problemsAsFieldErrors(problems)).toEqual([
      {
        field: 'name',
        messages: ['Give the meeting type a name.', 'Keep the name under 200 characters.'],
        codes: ['required', 'too_long'],
      },
      { field: 'duration_minutes', messages: ['Pick between 5 and 720 minutes.'], codes: ['out_of_range'] },
    ]);
  });

  it('a 400 body lists every problem in its message and as errors, like the validation pipe', () => {
    const body = toErrorBody(invalidFields(problems));
    expect(body.status_code).toBe(400);
    expect(body.message).toBe(
      'name: Give the meeting type a name.; duration_minutes: Pick between 5 and 720 minutes.; name: Keep the name under 200 characters.',
    );
    expect(body.errors).toEqual(problemsAsFieldErrors(problems));
  });

  it('does not repeat a field its message already names', () => {
    const problems = [{ field: 'username', code: 'reserved', message: 'username "admin" is reserved; choose another' }];
    expect(invalidFields(problems).message).toBe('username "admin" is reserved; choose another');
  });
});
