import { buildEngineInput } from './build-host-inputs.js';
import { computeSlots } from './compute-slots.js';
import { MAX_TIME_OFF_MS, type TimeOffRange, awayAt, matchingType, timeOffProblems } from './time-off.js';

const Z = (iso: string): number => Date.parse(iso);
const NOW = Z('2027-03-01T12:00:00Z');
const HOST = '11111111-1111-4111-8111-111111111111';

describe('timeOffProblems', () => {
  const ok = { start: Z('2027-03-10T00:00:00Z'), end: Z('2027-03-12T00:00:00Z') };

  it('accepts a future range, trims the reason and drops an empty one', () => {
    expect(timeOffProblems({ ...ok, reason: '  Ski trip ' }, HOST, NOW)).toEqual({ reason: 'Ski trip', problems: [] });
    expect(timeOffProblems({ ...ok, reason: '   ' }, HOST, NOW)).toEqual({ reason: null, problems: [] });
    // Already started but not ended: fine (the host is away from now on).
    expect(timeOffProblems({ start: NOW - 1000, end: NOW + 1000 }, HOST, NOW).problems).toEqual([]);
    expect(timeOffProblems({ start: ok.start, end: ok.start + MAX_TIME_OFF_MS }, HOST, NOW).problems).toEqual([]);
  });

  it.each([
    [{ start: ok.end, end: ok.start }, 'end_time', 'not_after_start'],
    [{ start: ok.start, end: ok.start }, 'end_time', 'not_after_start'],
    [{ start: ok.start, end: ok.start + MAX_TIME_OFF_MS + 1 }, 'end_time', 'too_long'],
    [{ start: NOW - 10_000, end: NOW }, 'end_time', 'in_past'],
    [{ ...ok, reason: 'line one\nline two' }, 'reason', 'not_single_line'],
    [{ ...ok, reason: 'x'.repeat(201) }, 'reason', 'too_long'],
    [{ ...ok, redirectToUserId: HOST }, 'redirect_to_user_id', 'self'],
  ])('%j: %s %s', (input, field, code) => {
    expect(timeOffProblems(input, HOST, NOW).problems).toEqual([expect.objectContaining({ field, code })]);
  });
});

describe('awayAt', () => {
  const range = (id: string, start: string, end: string, extra: Partial<TimeOffRange> = {}): TimeOffRange => ({
    id,
    start: Z(start),
    end: Z(end),
    reason: null,
    redirectToUserId: null,
    ...extra,
  });

  it('is null outside every range (the end is exclusive)', () => {
    const ranges = [range('a', '2027-03-01T13:00:00Z', '2027-03-02T00:00:00Z'), range('b', '2027-02-01T00:00:00Z', '2027-03-01T12:00:00Z')];
    expect(awayAt(ranges, NOW)).toBeNull();
  });

  it('follows back-to-back and overlapping ranges to the end, and speaks with the range containing now', () => {
    const current = range('a', '2027-02-28T00:00:00Z', '2027-03-03T00:00:00Z', { reason: 'Conference', redirectToUserId: 'mate' });
    const ranges = [
      range('gap', '2027-03-10T00:00:00Z', '2027-03-11T00:00:00Z'),
      range('c', '2027-03-04T12:00:00Z', '2027-03-06T00:00:00Z'),
      range('b', '2027-03-03T00:00:00Z', '2027-03-05T00:00:00Z'),
      current,
    ];
    expect(awayAt(ranges, NOW)).toEqual({ until: Z('2027-03-06T00:00:00Z'), range: current });
  });

  it('of two ranges containing now, the one ending last speaks', () => {
    const long = range('long', '2027-02-01T00:00:00Z', '2027-04-01T00:00:00Z', { reason: 'Parental leave' });
    const short = range('short', '2027-03-01T00:00:00Z', '2027-03-02T00:00:00Z', { reason: 'Dentist' });
    expect(awayAt([short, long], NOW)).toEqual({ until: long.end, range: long });
  });
});

describe('matchingType', () => {
  const types = [
    { slug: 'demo', durationMinutes: 45 },
    { slug: 'chat', durationMinutes: 30 },
    { slug: 'intro-call', durationMinutes: 60 },
  ];
  it('prefers the same slug, then the same duration, else none', () => {
    expect(matchingType({ slug: 'intro-call', durationMinutes: 30 }, types)).toBe(types[2]);
    expect(matchingType({ slug: 'other', durationMinutes: 30 }, types)).toBe(types[1]);
    expect(matchingType({ slug: 'other', durationMinutes: 15 }, types)).toBeNull();
  });
});

describe('the engine with time off', () => {
  it('removes the slots a time-off row overlaps, with no buffers of its own', () => {
    const type = {
      id: 't1',
      kind: 'one_on_one' as const,
      seats: null,
      durationMinutes: 60,
      slotIntervalMinutes: null,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minimumNoticeMinutes: 0,
      bookingWindowDays: null,
      maxBookingsPerDay: null,
    };
    const rules = [{ dayOfWeek: 3, startMinute: 9 * 60, endMinute: 13 * 60 }];
    const schedules = new Map([['h1', { timeZone: 'UTC', rules, overrides: [] }]]);
    const off = {
      userId: 'h1',
      startMs: Z('2027-03-10T10:30:00Z'),
      endMs: Z('2027-03-10T12:00:00Z'),
      source: 'time_off' as const,
      bookingId: null,
      holdId: null,
      meetingTypeId: null,
      bufferBefore: 30,
      bufferAfter: 30,
      inviteeCount: 0,
    };
    const range = { start: Z('2027-03-10T00:00:00Z'), end: Z('2027-03-11T00:00:00Z') };
    const { hosts, query } = buildEngineInput(type, ['h1'], schedules, [off], range, NOW);
    expect(computeSlots(hosts, query).map((s) => new Date(s.start).toISOString())).toEqual([
      '2027-03-10T09:00:00.000Z',
      '2027-03-10T12:00:00.000Z',
    ]);
  });
});
