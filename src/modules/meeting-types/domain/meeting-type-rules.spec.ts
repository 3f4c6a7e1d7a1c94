import type { Problem } from '../../../shared/http/domain-error.js';
import {
  DEFAULT_REMINDERS,
  type MeetingTypeChanges,
  type MeetingTypeFields,
  locationProblems,
  normalizeQuestions,
  resolveMeetingType,
  slugify,
} from './meeting-type-rules.js';

/** "field code" pairs: what programs (and the admin) rely on. */
const fieldCodes = (problems: Problem[]) => problems.map((p) => `${p.field} ${p.code}`);

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
    const problems: Problem[] = [];
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
      name: 'Call',
      slug: 'call',
      kind: 'one_on_one',
      seats: null,
      teamId: null,
      hostIds: [],
      bufferBeforeMinutes: 0,
      slotIntervalMinutes: null,
      minimumNoticeMinutes: 0,
      bookingWindowDays: null,
      maxBookingsPerDay: null,
      reminders: DEFAULT_REMINDERS,
      isActive: true,
      isSecret: false,
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
      {
        field: 'host_ids',
        code: 'not_applicable',
        message: 'host_ids applies only to round_robin and collective meeting types (the owner hosts the others)',
      },
    ]);
    const group = base({ kind: 'group', seats: 4 });
    expect(resolveMeetingType(group, { kind: 'one_on_one' }).value.seats).toBeNull();
    expect(resolveMeetingType(group, { name: 'x' }).value.seats).toBe(4);
  });

  it('reports every problem at once', () => {
    const { problems } = resolveMeetingType(null, { name: '', kind: 'collective', seats: 3 });
    expect(problems.map((p) => [p.field, p.code, p.message])).toEqual([
      ['name', 'required', 'name is required'],
      ['duration_minutes', 'required', 'duration_minutes is required (5-720)'],
      ['seats', 'not_applicable', 'seats applies only to group meeting types'],
      ['team_id', 'required', 'team_id is required for collective meeting types'],
      ['host_ids', 'required', 'host_ids is required for collective meeting types: name at least one member of team_id'],
    ]);
  });

  it('reminder recipients: kept in a fixed order when sent, left out when not, SMS for invitees only', () => {
    const ok = resolveMeetingType(null, {
      name: 'Call',
      durationMinutes: 30,
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
      name: 'Call',
      durationMinutes: 30,
      reminders: [
        { offset_minutes: 60, channel: 'sms', recipients: ['invitee', 'host'] },
        { offset_minutes: 30, channel: 'email', recipients: [] },
        { offset_minutes: 15, channel: 'email', recipients: ['host', 'host'] },
      ],
    });
    expect(bad.problems).toEqual([
      {
        field: 'reminders.0.recipients',
        code: 'sms_to_host',
        message: 'SMS reminders go to invitees only; hosts get reminders by email (add an email reminder for the host)',
      },
      {
        field: 'reminders.1.recipients',
        code: 'required',
        message: 'name at least one of invitee, host (leave it out for the invitee only)',
      },
      { field: 'reminders.2.recipients', code: 'duplicate', message: 'must not repeat a recipient' },
    ]);
  });
});

describe('locationProblems and text rules', () => {
  const strict = { allowHttp: false };
  it.each([
    [{ type: 'video', value: 'https://meet.example.com/ada' }, strict, []],
    [{ type: 'video', value: 'http://meet.example.com/ada' }, strict, ['location.value not_a_meeting_link']],
    [{ type: 'video', value: 'http://meet.example.com/ada' }, { allowHttp: true }, []],
    [{ type: 'video', value: 'javascript:alert(1)' }, { allowHttp: true }, ['location.value not_a_meeting_link']],
    [{ type: 'video', value: 'ftp://files.example.com' }, { allowHttp: true }, ['location.value not_a_meeting_link']],
    [{ type: 'video' }, strict, []],
    [{ type: 'phone', value: '+44 20 7946 0000' }, strict, []],
    [{ type: 'custom', value: 'Ring twice\nthen wait' }, strict, ['location.value control_characters']],
  ])('%j (%j): %j', (location, policy, codes) => {
    expect(fieldCodes(locationProblems(location, policy))).toEqual(codes);
  });

  it('names and question labels are one line; descriptions may have line breaks', () => {
    const { problems } = resolveMeetingType(null, {
      name: 'Intro\r\ncall',
      durationMinutes: 30,
      description: 'Line 1\nLine 2\tTab',
      questions: [{ label: 'Topic\n', type: 'text' }],
    });
    expect(problems).toEqual([
      { field: 'name', code: 'control_characters', message: 'name must be a single line without control characters' },
      { field: 'questions.0.label', code: 'control_characters', message: 'label must be a single line without control characters' },
    ]);
  });
});

describe('resolveMeetingType problems, field by field', () => {
  const valid: MeetingTypeChanges = { name: 'Call', durationMinutes: 30 };
  const id = '00000000-0000-4000-8000-000000000001';
  it.each<[string, MeetingTypeChanges, string[]]>([
    ['a valid one-on-one', {}, []],
    ['a blank name', { name: '  ' }, ['name required']],
    ['a name with a bidi override', { name: 'Call \u202E' }, ['name bidi_control']],
    ['a description with a control character', { description: 'a\u0007b' }, ['description control_characters']],
    ['no duration', { durationMinutes: null }, ['duration_minutes required']],
    ['a video link that is not https', { location: { type: 'video', value: 'http://x.example' } }, ['location.value not_a_meeting_link']],
    ['seats on a one-on-one', { seats: 3 }, ['seats not_applicable']],
    ['a group without seats', { kind: 'group' }, ['seats required']],
    ['team_id on a group', { kind: 'group', seats: 3, teamId: id }, ['team_id not_applicable']],
    ['a round robin without team or hosts', { kind: 'round_robin' }, ['team_id required', 'host_ids required']],
    ['hosts on a one-on-one', { hostIds: [id] }, ['host_ids not_applicable']],
    ['a repeated host', { kind: 'collective', teamId: id, hostIds: [id, id] }, ['host_ids duplicate']],
    [
      'a repeated question id',
      {
        questions: [
          { id: 'q', label: 'A', type: 'text' },
          { id: 'q', label: 'B', type: 'text' },
        ],
      },
      ['questions.1.id duplicate'],
    ],
    ['a choice question without options', { questions: [{ label: 'Q', type: 'single_choice' }] }, ['questions.0.options required']],
    ['options on a text question', { questions: [{ label: 'Q', type: 'text', options: ['a'] }] }, ['questions.0.options not_applicable']],
    ['repeated options', { questions: [{ label: 'Q', type: 'multi_choice', options: ['a', 'a'] }] }, ['questions.0.options duplicate']],
    [
      'an option on two lines',
      { questions: [{ label: 'Q', type: 'multi_choice', options: ['a\nb'] }] },
      ['questions.0.options control_characters'],
    ],
    [
      'a repeated reminder',
      {
        reminders: [
          { offset_minutes: 60, channel: 'email' },
          { offset_minutes: 60, channel: 'email' },
        ],
      },
      ['reminders duplicate'],
    ],
    [
      'an unknown recipient',
      { reminders: [{ offset_minutes: 60, channel: 'email', recipients: ['boss' as never] }] },
      ['reminders.0.recipients unknown_recipient'],
    ],
  ])('%s', (_name, changes, expected) => {
    expect(fieldCodes(resolveMeetingType(null, { ...valid, ...changes }).problems)).toEqual(expected);
  });
});
