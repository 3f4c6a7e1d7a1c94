import { routeTypeProblems } from './meeting-type-form.js';

describe("the meeting type editor places the rules' messages beside their fields", () => {
  it('a location link problem goes beside the link, a location kind problem beside the kind', () => {
    const errors: Record<string, string> = {};
    routeTypeProblems(
      'location.value must be a meeting link starting with https://; name must be a single line without control characters',
      errors, { reminders: [], questions: [] }, false,
    );
    expect(errors.location_value).toMatch(/meeting link starting with https:\/\//);
    expect(errors.location_type).toBeUndefined();
    expect(errors.name).toMatch(/single line/);
  });
});
