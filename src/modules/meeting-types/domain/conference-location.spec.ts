import { locationProblems } from './meeting-type-rules.js';

describe('per-booking video locations', () => {
  const policy = { allowHttp: false };

  it.each(['google_meet', 'microsoft_teams', 'zoom', 'jitsi'])('%s takes no value', (type) => {
    expect(locationProblems({ type }, policy)).toEqual([]);
    expect(locationProblems({ type, value: '' }, policy)).toEqual([]);
    expect(locationProblems({ type, value: 'https://meet.example.com/x' }, policy)).toEqual([
      { field: 'location.value', code: 'not_allowed', message: `location.value must be empty for ${type}: each booking gets its own link` },
    ]);
  });

  it('a fixed video link still needs https', () => {
    expect(locationProblems({ type: 'video', value: 'javascript:alert(1)' }, policy)).toEqual([
      expect.objectContaining({ field: 'location.value', code: 'not_a_meeting_link' }),
    ]);
  });
});
