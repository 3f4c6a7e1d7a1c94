import { DomainError, invalid, invalidFields } from '../../../shared/http/domain-error.js';
import { CreateMeetingTypeDto } from '../../meeting-types/public.js';
import { type Errors, asApiRequest, placeProblems, placedBy } from './admin-forms.js';

describe('admin forms place refusals through their form-field mapping', () => {
  const place = placedBy({ caldav_server: 'server_url', caldav_password: 'password' });

  it('names a field in the words of the page, and puts what has no field beside `otherwise`', () => {
    const errors: Errors = {};
    placeProblems(
      invalidFields([
        { field: 'server_url', code: 'unsafe', message: 'server_url is not allowed: a private address' },
        { field: 'account', code: 'rejected', message: 'the server rejected the username or password' },
      ]),
      place,
      errors,
      { words: { server_url: 'the server address' }, otherwise: 'caldav' },
    );
    expect(errors).toEqual({
      caldav_server: 'The server address is not allowed: a private address.',
      caldav: 'The server rejected the username or password.',
    });
  });

  it('shows every message for one field, and a refusal naming no field for the whole form', () => {
    const errors: Errors = {};
    placeProblems(
      invalidFields([
        { field: 'password', code: 'too_short', message: 'too short' },
        { field: 'password', code: 'common', message: 'too common' },
      ]),
      place,
      errors,
    );
    placeProblems(invalid('connecting to the CalDAV server failed: timeout'), place, errors);
    expect(errors).toEqual({ caldav_password: 'Too short. Too common.', form: 'Connecting to the CalDAV server failed: timeout.' });
  });

  it("checks a request against the API's request class and answers its refusals as field problems", async () => {
    const refused = await asApiRequest(CreateMeetingTypeDto, {
      name: 'Intro',
      duration_minutes: 3,
      reminders: [{ offset_minutes: 60, channel: 'fax' }],
    });
    expect(refused).toBeInstanceOf(DomainError);
    const errors: Errors = {};
    placeProblems(
      refused as DomainError,
      (field) => ({ duration_minutes: 'duration_minutes', 'reminders.0.channel': 'r_channel_0' })[field],
      errors,
    );
    expect(errors).toEqual({
      duration_minutes: 'Duration_minutes must be an integer from 5 to 720.',
      r_channel_0: 'Reminder channel must be email or sms.',
    });
    await expect(asApiRequest(CreateMeetingTypeDto, { name: 'Intro', duration_minutes: 30 })).resolves.toBeInstanceOf(CreateMeetingTypeDto);
  });
});
