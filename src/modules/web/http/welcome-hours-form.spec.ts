import { END_TIMES, START_TIMES, dayChoices, welcomeHoursFrom, welcomeHoursOf } from './welcome-hours-form.js';
import type { Errors } from './admin-forms.js';

describe('the welcome hours form', () => {
  it('offers 15-minute steps: starts 00:00-23:45, ends 00:15-24:00', () => {
    expect(START_TIMES).toHaveLength(96);
    expect([START_TIMES[0], START_TIMES[1], START_TIMES.at(-1)]).toEqual(['00:00', '00:15', '23:45']);
    expect([END_TIMES[0], END_TIMES.at(-1)]).toEqual(['00:15', '24:00']);
  });

  it('shows a schedule as its days, earliest start and latest end; none as weekdays 09:00-17:00', () => {
    expect(welcomeHoursOf('UTC', [])).toEqual({ timeZone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' });
    const rules = [
      { dayOfWeek: 2, startTime: '10:00', endTime: '12:00' },
      { dayOfWeek: 2, startTime: '13:00', endTime: '18:30' },
      { dayOfWeek: 0, startTime: '08:45', endTime: '11:00' },
    ];
    expect(welcomeHoursOf('Asia/Tokyo', rules)).toEqual({ timeZone: 'Asia/Tokyo', days: [2, 0], start: '08:45', end: '18:30' });
    expect(dayChoices([2, 0]).map((d) => [d.name, d.checked])).toEqual([
      ['Monday', false],
      ['Tuesday', true],
      ['Wednesday', false],
      ['Thursday', false],
      ['Friday', false],
      ['Saturday', false],
      ['Sunday', true],
    ]);
  });

  it('turns the posted choices into one interval per chosen day, in the canonical zone', () => {
    const errors: Errors = {};
    const { hours, rules } = welcomeHoursFrom(
      { time_zone: 'asia/calcutta', days: ['1', '3', '3', '6'], start: '08:15', end: '24:00' },
      errors,
    );
    expect(errors).toEqual({});
    expect(hours.timeZone).toBe('Asia/Kolkata');
    expect(rules).toEqual([1, 3, 6].map((dayOfWeek) => ({ dayOfWeek, startTime: '08:15', endTime: '24:00' })));
  });

  it('refuses values not in the lists, no day, and an end not after the start, each beside its field', () => {
    const errors: Errors = {};
    welcomeHoursFrom({ time_zone: 'Mars/Olympus', days: ['8', 'x'], start: '09:10', end: '25:00' }, errors);
    expect(Object.keys(errors).sort()).toEqual(['days', 'end', 'start', 'time_zone']);
    const order: Errors = {};
    welcomeHoursFrom({ time_zone: 'UTC', days: '1', start: '17:00', end: '17:00' }, order);
    expect(order).toEqual({ end: 'The end must be after the start.' });
  });
});
