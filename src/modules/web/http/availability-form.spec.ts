import { DomainError } from '../../../shared/http/domain-error.js';
import { translatorFor } from '../../../shared/i18n/i18n.js';
import type { Errors } from './admin-forms.js';
import {
  applyOverrideRowEdit,
  applyRowEdit,
  dayNamesIn,
  nextRow,
  overrideOf,
  parseTime,
  placeHoursProblems,
  postedOverride,
  postedWeek,
  rulesOf,
  weekSummary,
} from './availability-form.js';

describe('parseTime', () => {
  it.each([
    ['9', '09:00'],
    ['9:10', '09:10'],
    ['09:45', '09:45'],
    ['0930', '09:30'],
    ['17.30', '17:30'],
    ['9 am', '09:00'],
    ['12:15 pm', '12:15'],
    ['12 am', '00:00'],
    ['5:30pm', '17:30'],
  ])('reads %s as %s', (text, time) => expect(parseTime(text)).toBe(time));

  it('takes 24:00 only as an end, and refuses what is no time', () => {
    expect(parseTime('24:00', true)).toBe('24:00');
    expect(parseTime('24:00')).toBeNull();
    for (const bad of ['', 'soon', '25:00', '9:60', '13 pm', '9 to 5', '24:15']) expect(parseTime(bad, true)).toBeNull();
  });
});

describe('nextRow', () => {
  it('continues an hour after the last interval, within the day', () => {
    expect(nextRow([])).toEqual({ start: '09:00', end: '17:00' });
    expect(nextRow([{ start: '09:00', end: '12:00' }])).toEqual({ start: '12:00', end: '13:00' });
    expect(nextRow([{ start: '22:00', end: '23:30' }])).toEqual({ start: '23:30', end: '24:00' });
    expect(nextRow([{ start: '22:00', end: '24:00' }])).toEqual({ start: '', end: '' });
  });
});

describe('the weekly form', () => {
  const body = {
    avail_1: '1',
    d1_start_0: '09:00',
    d1_end_0: '12:00',
    d1_start_1: '',
    d1_end_1: '',
    d1_start_2: '1pm',
    d1_end_2: '17:00',
    avail_2: '1',
    d2_start_0: '10:00',
    d2_end_0: '11:00',
    d3_start_0: '09:00', // not ticked: not sent as hours
    d3_end_0: '17:00',
  };

  it('reads ticked days, drops empty rows and keeps unticked rows for the page', () => {
    const week = postedWeek(body);
    expect(week[1]).toEqual({
      available: true,
      rows: [
        { start: '09:00', end: '12:00' },
        { start: '1pm', end: '17:00' },
      ],
    });
    expect(week[3].available).toBe(false);
    expect(week[0]).toEqual({ available: false, rows: [{ start: '09:00', end: '17:00' }] });
    const errors: Errors = {};
    const { rules, rows } = rulesOf(week, errors);
    expect(errors).toEqual({});
    expect(rules).toEqual([
      { dayOfWeek: 1, startTime: '09:00', endTime: '12:00' },
      { dayOfWeek: 1, startTime: '13:00', endTime: '17:00' },
      { dayOfWeek: 2, startTime: '10:00', endTime: '11:00' },
    ]);
    expect(rows).toEqual(['d1_0', 'd1_1', 'd2_0']);
  });

  it('add, remove and copy to weekdays edit the rows without saving', () => {
    const week = postedWeek(body);
    expect(applyRowEdit({ add: '1' }, week)).toMatch(/Added/);
    expect(week[1].rows.at(-1)).toEqual({ start: '17:00', end: '18:00' });
    expect(applyRowEdit({ remove: '2_0' }, week)).toMatch(/Removed/);
    expect(week[2]).toEqual({ available: false, rows: [{ start: '09:00', end: '17:00' }] }); // the last one: a day off
    expect(applyRowEdit({ copy: '1' }, week)).toMatch(/Copied Monday's hours/);
    for (const d of [2, 3, 4, 5]) expect(week[d]).toEqual(week[1]);
    expect(week[6].available).toBe(false);
    expect(applyRowEdit({ save: '1' }, week)).toBeNull();
  });

  it('places unreadable times beside their box and the rules’ problems beside the row', () => {
    const errors: Errors = {};
    rulesOf(postedWeek({ ...body, d2_end_0: 'noon' }), errors);
    expect(errors).toEqual({ d2_end_0: '“noon” is not a time; write it like 17:00 or 24:00.' });

    const placed: Errors = {};
    const refusal = new DomainError('invalid', 'invalid hours', undefined, [
      { field: 'rules.1', code: 'start_not_before_end', message: 'start_time 13:00 must be before end_time 12:00' },
      { field: 'rules.2', code: 'overlaps', message: 'intervals overlap on Tuesday: 10:00-11:00 and 10:30-12:00' },
    ]);
    placeHoursProblems(refusal, placed, ['d1_0', 'd1_1', 'd2_0']);
    expect(placed).toEqual({
      d1_end_1: 'The end must be after the start.',
      d2_start_0: 'Intervals overlap on Tuesday: 10:00-11:00 and 10:30-12:00.',
    });
  });
});

describe('the override form', () => {
  it('is a day off unless "hours" is chosen, and refuses past or missing dates', () => {
    const off = postedOverride({ ov_date: '2027-03-10', ov_kind: 'off', ov_start_0: '10:00', ov_end_0: '11:00' });
    expect(overrideOf(off, {}, '2027-03-01')).toEqual({ date: '2027-03-10', intervals: [] });
    const hours = postedOverride({ ov_date: '2027-03-10', ov_kind: 'hours', ov_start_0: '10:00', ov_end_0: '11:00' });
    expect(overrideOf(hours, {}, '2027-03-01')).toEqual({ date: '2027-03-10', intervals: [{ startTime: '10:00', endTime: '11:00' }] });
    const errors: Errors = {};
    expect(overrideOf(postedOverride({ ov_date: '2027-02-28' }), errors, '2027-03-01')).toBeNull();
    expect(errors.ov_date).toMatch(/today \(2027-03-01\) or a later date/);
    const none: Errors = {};
    overrideOf(postedOverride({}), none, '2027-03-01');
    expect(none.ov_date).toMatch(/pick a date/);
  });

  it('adds and removes interval rows', () => {
    const form = postedOverride({ ov_date: '2027-03-10', ov_kind: 'off' });
    expect(applyOverrideRowEdit({ ov_add: '1' }, form)).toBe(true);
    expect(form).toEqual({
      date: '2027-03-10',
      off: false,
      rows: [
        { start: '09:00', end: '17:00' },
        { start: '17:00', end: '18:00' },
      ],
    });
    expect(applyOverrideRowEdit({ ov_remove: '0' }, form)).toBe(true);
    expect(form.rows).toEqual([{ start: '17:00', end: '18:00' }]);
    expect(applyOverrideRowEdit({ save: '1' }, form)).toBe(false);
  });
});

describe('weekSummary', () => {
  const rule = (dayOfWeek: number, startTime: string, endTime: string) => ({ dayOfWeek, startTime, endTime });
  it('names runs of days and their common hours in one line', () => {
    expect(weekSummary([])).toBe('No weekly hours');
    expect(weekSummary([1, 2, 3, 4, 5].map((d) => rule(d, '09:00', '17:00')))).toBe('Mon–Fri 09:00–17:00');
    expect(weekSummary([1, 2, 4].flatMap((d) => [rule(d, '13:00', '17:30'), rule(d, '09:00', '12:00')]))).toBe(
      'Mon, Tue, Thu 09:00–12:00, 13:00–17:30',
    );
    expect(weekSummary([rule(6, '10:00', '12:00'), rule(0, '10:00', '11:00'), rule(1, '09:00', '17:00')])).toBe(
      'Mon, Sat, Sun (hours vary)',
    );
  });
});

describe("in the host's language", () => {
  const de = translatorFor('de');
  const names = dayNamesIn('de');
  const rule = (dayOfWeek: number, startTime: string, endTime: string) => ({ dayOfWeek, startTime, endTime });

  it('names the days in German, Sunday first as the form numbers them; English keeps its own', () => {
    expect(names.long[1]).toBe('Montag');
    expect(names.short[0]).toBe('So');
    expect(dayNamesIn('en-GB').short[1]).toBe('Mon');
  });

  it('summarizes a week, edits rows and refuses times in German', () => {
    expect(weekSummary([], de, names)).toBe('Keine wöchentlichen Zeiten');
    expect(
      weekSummary(
        [1, 2, 3].map((d) => rule(d, '09:00', '17:00')),
        de,
        names,
      ),
    ).toBe('Mo–Mi 09:00–17:00');
    const week = postedWeek({ avail_1: '1', d1_start_0: '9', d1_end_0: 'later' });
    expect(applyRowEdit({ add: '3' }, week, de, names)).toBe('Zeitraum am Mittwoch hinzugefügt. Speichern Sie, um ihn zu behalten.');
    const errors: Errors = {};
    rulesOf(week, errors, de);
    expect(errors.d1_end_0).toBe('„later“ ist keine Uhrzeit; schreiben Sie sie etwa als 17:00 oder 24:00.');
  });
});
