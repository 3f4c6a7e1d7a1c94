import { aggregateInsights, type InsightsBookingRow, weekOfInstant } from './aggregate-insights.js';
import { type InsightsRange, resolveRange, weeksOf } from './insights-range.js';

const BERLIN = 'Europe/Berlin';
const MONDAY = 1;
const SUNDAY = 0;
const ms = (iso: string) => new Date(iso).getTime();

function range(from: string, to: string, weekStart = MONDAY, timeZone = BERLIN): InsightsRange {
  const r = resolveRange({ from, to }, { now: new Date('2027-06-01T00:00:00Z'), timeZone, weekStart });
  if (!('range' in r)) throw new Error(JSON.stringify(r.problems));
  return r.range;
}

const row = (start: string, extra: Partial<InsightsBookingRow> = {}): InsightsBookingRow => ({
  startMs: ms(start),
  createdMs: ms(start) - 86_400_000,
  status: 'confirmed',
  rescheduledFrom: false,
  noShows: 0,
  ...extra,
});

describe('resolveRange', () => {
  it('defaults to the last 12 whole weeks in the host zone, the current week last', () => {
    // Wednesday 31 March 2027, 01:30 in Berlin (CEST), still Tuesday 30 March in UTC.
    const r = resolveRange({}, { now: new Date('2027-03-30T23:30:00Z'), timeZone: BERLIN, weekStart: MONDAY });
    expect(r).toMatchObject({ range: { from: '2027-01-11', to: '2027-03-31' } });
    if ('range' in r) expect(weeksOf(r.range)).toHaveLength(12);
  });

  it('takes the host week start for the default', () => {
    const r = resolveRange({ to: '2027-03-31' }, { now: new Date(), timeZone: BERLIN, weekStart: SUNDAY });
    expect(r).toMatchObject({ range: { from: '2027-01-10', to: '2027-03-31' } });
  });

  it('bounds the range by local midnights across a DST change', () => {
    const r = range('2027-03-22', '2027-04-04');
    expect(new Date(r.startMs).toISOString()).toBe('2027-03-21T23:00:00.000Z'); // CET
    expect(new Date(r.endMs).toISOString()).toBe('2027-04-04T22:00:00.000Z'); // CEST
  });

  it.each([
    [{ from: '2027-02-30' }, 'from', 'invalid_date'],
    [{ from: '27-02-01' }, 'from', 'invalid_date'],
    [{ to: 'tomorrow' }, 'to', 'invalid_date'],
    [{ from: '2027-03-02', to: '2027-03-01' }, 'from', 'after_to'],
    [{ from: '2027-01-01', to: '2028-01-02' }, 'to', 'too_long'],
  ])('refuses %j', (query, field, code) => {
    expect(resolveRange(query, { now: new Date('2027-06-01T00:00:00Z'), timeZone: BERLIN, weekStart: MONDAY })).toEqual({
      problems: [expect.objectContaining({ field, code })],
    });
  });

  it('accepts 366 days', () => {
    expect('range' in resolveRange({ from: '2027-01-01', to: '2028-01-01' }, { now: new Date(), timeZone: 'UTC', weekStart: 1 })).toBe(
      true,
    );
  });
});

describe('weeks in the host zone', () => {
  it.each([
    // Sunday 28 March 2027, 23:30 CEST (21:30Z): still the week of Monday 22 March; Monday 00:30 CEST is the next.
    ['2027-03-28T21:30:00Z', MONDAY, '2027-03-22'],
    ['2027-03-28T22:30:00Z', MONDAY, '2027-03-29'],
    // With Sunday starts, Sunday 28 March opens its own week.
    ['2027-03-28T21:30:00Z', SUNDAY, '2027-03-28'],
    ['2027-03-27T22:59:00Z', SUNDAY, '2027-03-21'], // Saturday 23:59 CET
  ])('%s (week start %i) is in the week of %s', (instant, weekStart, week) => {
    expect(weekOfInstant(ms(instant), BERLIN, weekStart)).toBe(week);
  });

  it('lists every week that overlaps the range, from the week start', () => {
    expect(weeksOf(range('2027-03-24', '2027-04-05'))).toEqual(['2027-03-22', '2027-03-29', '2027-04-05']);
  });
});

describe('aggregateInsights', () => {
  it('counts created by booking week, cancelled and no-shows by meeting week, rates over the range', () => {
    const r = range('2027-03-22', '2027-04-04');
    const bookings: InsightsBookingRow[] = [
      // Made Friday 19 March (before the range), meets Monday 22 March: a meeting, not created in range.
      row('2027-03-22T09:00:00Z', { createdMs: ms('2027-03-19T09:00:00Z') }),
      // Made and cancelled in week 1.
      row('2027-03-25T09:00:00Z', { status: 'cancelled' }),
      // Moved once: the original (made in week 1, rescheduled) and its successor (made in week 2).
      row('2027-03-26T09:00:00Z', { status: 'rescheduled' }),
      row('2027-03-30T09:00:00Z', { rescheduledFrom: true, createdMs: ms('2027-03-29T10:00:00Z'), noShows: 1 }),
      // A group meeting in week 2 with two no-shows.
      row('2027-04-01T12:00:00Z', { noShows: 2 }),
      // Declined request: created, not a meeting.
      row('2027-04-02T12:00:00Z', { status: 'declined' }),
      // Made in week 2, meets after the range: created only.
      row('2027-04-20T12:00:00Z', { createdMs: ms('2027-04-01T12:00:00Z') }),
    ];
    const result = aggregateInsights({
      range: r,
      bookings,
      pageViews: [
        { day: '2027-03-21', views: 100 }, // before the range
        { day: '2027-03-22', views: 6 },
        { day: '2027-04-04', views: 4 },
      ],
      roundRobin: [],
    });
    expect(result.weeks).toEqual([
      { weekStart: '2027-03-22', created: 2, cancelled: 1, noShows: 0 },
      { weekStart: '2027-03-29', created: 3, cancelled: 0, noShows: 3 },
    ]);
    expect(result.totals).toEqual({
      created: 5,
      meetings: 4,
      cancelled: 1,
      rescheduled: 1,
      noShows: 3,
      pageViews: 10,
      conversionRate: 0.5,
      cancellationRate: 0.25,
      rescheduleRate: 0.25,
    });
  });

  it('places the heatmap in local wall time across both DST changes, rows from the week start', () => {
    const bookings = [
      row('2027-03-28T00:30:00Z'), // Sunday 01:30 CET
      row('2027-03-28T01:30:00Z'), // Sunday 03:30 CEST (02:00-03:00 does not exist)
      row('2027-10-31T00:30:00Z'), // Sunday 02:30 CEST
      row('2027-10-31T01:30:00Z'), // Sunday 02:30 CET: the hour that happens twice
      row('2027-03-29T07:00:00Z', { status: 'cancelled' }), // cancelled: not on the map
    ];
    const result = aggregateInsights({ range: range('2027-03-01', '2027-12-31'), bookings, pageViews: [], roundRobin: [] });
    expect(result.heatmap.map((d) => d.weekday)).toEqual([1, 2, 3, 4, 5, 6, 0]);
    const sunday = result.heatmap[6].hours;
    expect([sunday[1], sunday[2], sunday[3]]).toEqual([1, 2, 1]);
    expect(result.heatmap[0].hours.every((n) => n === 0)).toBe(true);
    expect(result.heatmapMax).toBe(2);
  });

  it('answers null rates without a denominator, and host shares for round robin', () => {
    const result = aggregateInsights({
      range: range('2027-03-01', '2027-03-07'),
      bookings: [],
      pageViews: [],
      roundRobin: [
        {
          meetingTypeId: 't',
          meetingTypeName: 'Demo',
          teamId: 'team',
          teamName: 'Sales',
          hosts: [
            { userId: 'a', name: 'Ann', bookings: 3 },
            { userId: 'b', name: 'Bo', bookings: 1 },
            { userId: 'c', name: 'Cy', bookings: 0 },
          ],
        },
      ],
    });
    expect(result.totals).toMatchObject({ conversionRate: null, cancellationRate: null, rescheduleRate: null });
    expect(result.weeks).toEqual([{ weekStart: '2027-03-01', created: 0, cancelled: 0, noShows: 0 }]);
    expect(result.roundRobin[0]).toMatchObject({ total: 4, hosts: [{ share: 0.75 }, { share: 0.25 }, { share: 0 }] });
  });
});
