import { durationChoices, durationParam, occurrencesOf, pickedDuration, repeatChoice } from './booking-page-features.js';

const lengths = { durationMinutes: 30, durationOptions: [15, 30, 60] };
const weekly = { recurrence: { frequency: 'weekly' as const, maxOccurrences: 4 } };

describe('booking page features', () => {
  it('takes a length the type offers, anything else is the default', () => {
    expect(pickedDuration(lengths, '60')).toBe(60);
    expect(pickedDuration(lengths, ' 15 ')).toBe(15);
    for (const raw of ['45', '', 'abc', '60.0x', undefined, ['90']]) expect(pickedDuration(lengths, raw)).toBe(30);
    expect(pickedDuration({ durationMinutes: 30, durationOptions: null }, '60')).toBe(30);
  });

  it('links keep a length only when it is not the default, and a single length offers no choice', () => {
    expect(durationParam(lengths, 30)).toEqual({});
    expect(durationParam(lengths, 60)).toEqual({ duration: '60' });
    expect(durationChoices(lengths, 60, (m) => `?duration=${m}`)).toEqual([
      { minutes: 15, label: '15 min', href: '?duration=15', current: false },
      { minutes: 30, label: '30 min', href: '?duration=30', current: false },
      { minutes: 60, label: '60 min', href: '?duration=60', current: true },
    ]);
    expect(durationChoices({ durationMinutes: 30, durationOptions: [30] }, 30, () => '')).toBeNull();
  });

  it('offers 1..max occurrences, 1 (just this date) by default', () => {
    const choice = repeatChoice(weekly, undefined)!;
    expect(choice.label).toBe('Repeat weekly');
    expect(choice.options.map((o) => [o.value, o.selected])).toEqual([
      [1, true],
      [2, false],
      [3, false],
      [4, false],
    ]);
    expect(choice.options[0]!.label).toBe('1 (just this date)');
    expect(repeatChoice({ recurrence: null }, '3')).toBeNull();
    expect(occurrencesOf(weekly, '3')).toBe(3);
    expect(occurrencesOf(weekly, '9')).toBe(9); // out of range: the form says so beside the field
    expect(occurrencesOf(weekly, '2.5')).toBe(1);
    expect(occurrencesOf({ recurrence: null }, '3')).toBe(1);
  });
});
