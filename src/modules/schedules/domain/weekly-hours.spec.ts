import { type OverrideInput, type RuleInput, isRealDate, minuteOfDay, sortedIntervals, weeklyHoursProblems } from './weekly-hours.js';

const rule = (dayOfWeek: number, startTime: string, endTime: string): RuleInput => ({ dayOfWeek, startTime, endTime });
const override = (date: string, ...intervals: [string, string][]): OverrideInput => ({
  date,
  intervals: intervals.map(([startTime, endTime]) => ({ startTime, endTime })),
});

describe('weeklyHoursProblems', () => {
  it.each<[string, RuleInput[], OverrideInput[], [string, string, string][]]>([
    ['weekdays 9-5', [1, 2, 3, 4, 5].map((d) => rule(d, '09:00', '17:00')), [], []],
    ['a day ending at midnight', [rule(5, '18:00', '24:00')], [], []],
    ['touching intervals', [rule(1, '09:00', '12:00'), rule(1, '12:00', '17:00')], [], []],
    ['the same hours on two days', [rule(1, '09:00', '12:00'), rule(2, '09:00', '12:00')], [], []],
    [
      'an interval ending before it starts',
      [rule(1, '10:00', '09:00')],
      [],
      [['rules.0', 'start_not_before_end', 'start_time 10:00 must be before end_time 09:00']],
    ],
    [
      'an empty interval',
      [rule(1, '09:00', '09:00')],
      [],
      [['rules.0', 'start_not_before_end', 'start_time 09:00 must be before end_time 09:00']],
    ],
    [
      'overlapping rules, reported on the later one',
      [rule(2, '11:00', '13:00'), rule(2, '09:00', '12:00')],
      [],
      [['rules.0', 'overlaps', 'intervals overlap on Tuesday: 09:00-12:00 and 11:00-13:00']],
    ],
    ['malformed times (the DTO reports them)', [rule(1, '9am', '17:00')], [], []],
    ['a day off', [], [override('2027-03-05')], []],
    [
      'a date that does not exist',
      [],
      [override('2027-02-30')],
      [['overrides.0.date', 'not_a_date', '2027-02-30 is not a real calendar date (YYYY-MM-DD)']],
    ],
    [
      'the same date twice',
      [],
      [override('2027-03-05'), override('2027-03-05')],
      [['overrides.1.date', 'duplicate_date', '2027-03-05 appears more than once; give each date one override']],
    ],
    [
      'an override interval ending before it starts',
      [],
      [override('2027-03-05', ['12:00', '10:00'])],
      [['overrides.0.intervals.0', 'start_not_before_end', 'start_time 12:00 must be before end_time 10:00']],
    ],
    [
      'overlapping override intervals',
      [],
      [override('2027-03-05', ['10:00', '12:00'], ['11:30', '13:00'])],
      [['overrides.0.intervals.1', 'overlaps', 'intervals overlap on 2027-03-05: 10:00-12:00 and 11:30-13:00']],
    ],
    [
      'every problem at once, rules first',
      [rule(1, '10:00', '09:00'), rule(2, '09:00', '12:00'), rule(2, '11:00', '13:00')],
      [override('2027-02-30')],
      [
        ['rules.0', 'start_not_before_end', 'start_time 10:00 must be before end_time 09:00'],
        ['rules.2', 'overlaps', 'intervals overlap on Tuesday: 09:00-12:00 and 11:00-13:00'],
        ['overrides.0.date', 'not_a_date', '2027-02-30 is not a real calendar date (YYYY-MM-DD)'],
      ],
    ],
  ])('%s', (_name, rules, overrides, expected) => {
    expect(weeklyHoursProblems(rules, overrides).map((p) => [p.field, p.code, p.message])).toEqual(expected);
  });
});

describe('isRealDate', () => {
  it.each([
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2027-04-31', false],
    ['2027-3-1', false],
    ['1899-12-31', false],
    ['9999-12-31', true],
  ])('%s -> %s', (value, expected) => {
    expect(isRealDate(value)).toBe(expected);
  });
});

describe('minuteOfDay and sortedIntervals', () => {
  it.each([
    ['00:00', 0],
    ['09:30', 570],
    ['24:00', 1440],
  ])('%s is minute %i', (time, minute) => {
    expect(minuteOfDay(time)).toBe(minute);
  });

  it('orders intervals by start without changing the input', () => {
    const given = [
      { startTime: '13:00', endTime: '14:00' },
      { startTime: '09:00', endTime: '10:00' },
    ];
    expect(sortedIntervals(given).map((i) => i.startTime)).toEqual(['09:00', '13:00']);
    expect(given[0]!.startTime).toBe('13:00');
  });
});
