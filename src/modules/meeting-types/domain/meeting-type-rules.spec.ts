import { DEFAULT_REMINDERS, locationProblems, type MeetingTypeFields, normalizeQuestions, resolveMeetingType, slugify } from './meeting-type-rules.js';

describe('slugify', () => {
  it.each([
    ['Intro Call', 'intro-call'],
    ['  30 min -- Chat!  ', '30-min-chat'],
    ['Café Crème', 'cafe-creme'],
    ['???', 'meeting'],
    ['a'.repeat(150), 'a'.repeat(100)],
    [`${'a'.repeat(99)} b`, 'a'.repeat(99)],
  ])('%s -> %s', (input, expected) => {
    expect(slugify(input)).toBe(expected);
  });
});

describe('normalizeQuestions', () => {
  it('derives unique ids from labels, never reusing a given id', () => {
    const problems: string[] = [];
    const out = normalizeQuestions(
      [
        { label: 'Email', type: 'text' },
        { id: 'email-2', label: 'Other', type: 'text' },
        { label: 'Email', type: 'text' },
        { label: '!!!', type: 'phone', required: true },
      ],
      problems,
    );
    expect(problems).toEqual([]);
    expect(out.map((q) => q.id)).toEqual(['email', 'email-2', 'email-3', 'question']);
    expect(out[3]).toEqual({ id: 'question', label: '!!!', type: 'phone', required: true });
  });
});

describe('resolveMeetingType', () => {
  const base = (over: Partial<MeetingTypeFields> = {}): MeetingTypeFields => ({
    ...resolveMeetingType(null, { name: 'Call', durationMinutes: 30 }).value,
    ...over,
  });

  it('fills defaults on create', () => {
    const { value, problems } = resolveMeetingType(null, { name: ' Call ', durationMinutes: 30 });
    expect(problems).toEqual([]);
    expect(value).toMatchObject({
      name: 'Call', slug: 'call', kind: 'one_on_one', seats: null, teamId: null, hostIds: [], bufferBeforeMinutes: 0,
      slotIntervalMinutes: null, minimumNoticeMinutes: 0, bookingWindowDays: null, maxBookingsPerDay: null,
      reminders: DEFAULT_REMINDERS, isActive: true, isSecret: false,
    });
  });

  it('keeps unsent fields on update and clears nullable ones sent as null', () => {
    const current = base({ description: 'x', bookingWindowDays: 30, slug: 'custom' });
    const { value, problems } = resolveMeetingType(current, { name: 'Renamed', bookingWindowDays: null });
    expect(problems).toEqual([]);
    expect(value).toMatchObject({ name: 'Renamed', slug: 'custom', description: 'x', bookingWindowDays: null });
  });

  it('drops inherited fields that no longer apply after a kind change, and rejects sent ones', () => {
    const team = base({ kind: 'round_robin', teamId: 't', hostIds: ['a', 'b'] });
    expect(resolveMeetingType(team, { kind: 'collective' }).value).toMatchObject({ teamId: 't', hostIds: ['a', 'b'] });
    expect(resolveMeetingType(team, { kind: 'one_on_one' })).toMatchObject({ value: { teamId: null, hostIds: [] }, problems: [] });
    expect(resolveMeetingType(team, { kind: 'group', seats: 3, hostIds: ['a'] }).problems).toEqual([
      'host_ids applies only to round_robin and collective meeting types (the owner hosts the others)',
    ]);
    const group = base({ kind: 'group', seats: 4 });
    expect(resolveMeetingType(group, { kind: 'one_on_one' }).value.seats).toBeNull();
    expect(resolveMeetingType(group, { name: 'x' }).value.seats).toBe(4);
  });

  it('reports every problem at once', () => {
    const { problems } = resolveMeetingType(null, { name: '', kind: 'collective', seats: 3 });
    expect(problems).toEqual([
      'name is required',
      'duration_minutes is required (5-720)',
      'seats applies only to group meeting types',
      'team_id is required for collective meeting types',
      'host_ids is required for collective meeting types: name at least one member of team_id',
    ]);
  });

  it('reminder recipients: kept in a fixed order when sent, left out when not, SMS for invitees only', () => {
    const ok = resolveMeetingType(null, {
      name: 'Call', durationMinutes: 30,
      reminders: [
        { offset_minutes: 1440, channel: 'email' },
        { offset_minutes: 60, channel: 'email', recipients: ['host', 'invitee'] },
        { offset_minutes: 30, channel: 'sms', recipients: ['invitee'] },
      ],
    });
    expect(ok.problems).toEqual([]);
    expect(ok.value.reminders).toEqual([
      { offset_minutes: 1440, channel: 'email' },
      { offset_minutes: 60, channel: 'email', recipients: ['invitee', 'host'] },
      { offset_minutes: 30, channel: 'sms', recipients: ['invitee'] },
    ]);
    const bad = resolveMeetingType(null, {
      name: 'Call', durationMinutes: 30,
      reminders: [
        { offset_minutes: 60, channel: 'sms', recipients: ['invitee', 'host'] },
        { offset_minutes: 30, channel: 'email', recipients: [] },
        { offset_minutes: 15, channel: 'email', recipients: ['host', 'host'] },
      ],
    });
    expect(bad.problems).toEqual([
      'reminders.0.recipients: SMS reminders go to invitees only; hosts get reminders by email (add an email reminder for the host)',
      'reminders.1.recipients: name at least one of invitee, host (leave it out for the invitee only)',
      'reminders.2.recipients must not repeat a recipient',
    ]);
  });
});


describe('locationProblems and text rules', () => {
  const strict = { allowHttp: false };
  it.each([
    [{ type: 'video', value: 'https://meet.example.com/ada' }, strict, 0],
    [{ type: 'video', value: 'http://meet.example.com/ada' }, strict, 1],
    [{ type: 'video', value: 'http://meet.example.com/ada' }, { allowHttp: true }, 0],
    [{ type: 'video', value: 'javascript:alert(1)' }, { allowHttp: true }, 1],
    [{ type: 'video', value: 'ftp://files.example.com' }, { allowHttp: true }, 1],
    [{ type: 'video' }, strict, 0],
    [{ type: 'phone', value: '+44 20 7946 0000' }, strict, 0],
    [{ type: 'custom', value: 'Ring twice\nthen wait' }, strict, 1],
  ])('%j (%j): %i problem(s)', (location, policy, count) => {
    expect(locationProblems(location, policy)).toHaveLength(count);
  });

  it('names and question labels are one line; descriptions may have line breaks', () => {
    const { problems } = resolveMeetingType(null, {
      name: 'Intro\r\ncall', durationMinutes: 30, description: 'Line 1\nLine 2\tTab',
      questions: [{ label: 'Topic\n', type: 'text' }],
    });
    expect(problems).toEqual([
      'name must be a single line without control characters',
      'questions.0.label: label must be a single line without control characters',
    ]);
  });
});
