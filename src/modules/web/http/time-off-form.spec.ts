import type { Errors } from './admin-forms.js';
import { timeOffLabel, timeOffRequestOf } from './time-off-form.js';

const iso = (d: Date | undefined) => d?.toISOString();

describe('timeOffRequestOf', () => {
  it('reads dates and times as wall clock in the host zone, across a DST change', () => {
    const errors: Errors = {};
    const r = timeOffRequestOf(
      { start_date: '2027-03-27', start_time: '12:00', end_date: '2027-03-28', end_time: '12:00' },
      'Europe/Berlin',
      errors,
    );
    expect(errors).toEqual({});
    expect(iso(r?.start)).toBe('2027-03-27T11:00:00.000Z'); // UTC+1
    expect(iso(r?.end)).toBe('2027-03-28T10:00:00.000Z'); // UTC+2: 23 hours later
  });

  it('empty times are whole days: the first midnight to the midnight after the last day', () => {
    const errors: Errors = {};
    const r = timeOffRequestOf(
      { start_date: '2027-08-02', end_date: '2027-08-06', reason: ' Summer ', redirect_to: '' },
      'Asia/Kathmandu',
      errors,
    );
    expect(iso(r?.start)).toBe('2027-08-01T18:15:00.000Z'); // UTC+5:45
    expect(iso(r?.end)).toBe('2027-08-06T18:15:00.000Z');
    expect(r?.reason).toBe('Summer');
    expect(r?.redirectToUserId).toBeNull();
  });

  it('a missing or unreal date and a malformed time are refused beside their boxes', () => {
    const errors: Errors = {};
    expect(timeOffRequestOf({ start_date: '2027-02-30', start_time: '9am', end_date: '' }, 'UTC', errors)).toBeNull();
    expect(errors).toEqual({
      start_date: 'Enter a real date, like 2027-08-02.',
      start_time: 'Enter a time like 09:00 (24-hour clock), or leave it empty.',
      end_date: 'Enter the last day of your time off.',
    });
  });
});

describe('timeOffLabel', () => {
  it('whole local days read as dates, anything else with times', () => {
    const zone = 'Europe/Berlin';
    expect(timeOffLabel(Date.parse('2027-03-25T23:00:00Z'), Date.parse('2027-03-29T22:00:00Z'), zone)).toBe(
      'Friday, 26 March 2027 – Monday, 29 March 2027',
    );
    expect(timeOffLabel(Date.parse('2027-03-25T23:00:00Z'), Date.parse('2027-03-26T23:00:00Z'), zone)).toBe(
      'Friday, 26 March 2027 (all day)',
    );
    expect(timeOffLabel(Date.parse('2027-04-06T11:00:00Z'), Date.parse('2027-04-06T15:30:00Z'), zone)).toBe(
      '6 Apr 2027, 13:00 – 6 Apr 2027, 17:30',
    );
  });
});
