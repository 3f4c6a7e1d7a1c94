import { expandRuleDates, occurrencesOf, parseVEvents } from './ical.js';
import { allDayRange } from './occurrence.js';

const cal = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR'].join('\r\n');
const from = new Date('2027-01-01T00:00:00Z');
const to = new Date('2027-12-31T00:00:00Z');
const starts = (text: string, zone = 'UTC') =>
  occurrencesOf(parseVEvents(text), zone, from, to, (e) => e.uid)
    .map((o) => o.start.toISOString())
    .sort();

describe('iCalendar reading', () => {
  it('unfolds lines, skips alarms and keeps no titles', () => {
    const events = parseVEvents(
      cal(
        'BEGIN:VEVENT',
        'UID:a@x',
        'SUMMARY:Very secret',
        'DTSTART:20270302T090000Z',
        'DTEND:20270302T1',
        ' 00000Z',
        'BEGIN:VALARM',
        'TRIGGER:-PT15M',
        'DTSTART:20990101T000000Z',
        'END:VALARM',
        'END:VEVENT',
      ),
    );
    expect(events).toHaveLength(1);
    expect(events[0].end).toEqual({ kind: 'utc', date: '2027-03-02', time: '10:00:00' });
    expect(JSON.stringify(events)).not.toContain('secret');
  });

  it('keeps a weekly wall time across a DST change (New York, 14 March 2027)', () => {
    expect(
      starts(
        cal(
          'BEGIN:VEVENT',
          'UID:w',
          'DTSTART;TZID=America/New_York:20270308T090000',
          'DURATION:PT30M',
          'RRULE:FREQ=WEEKLY;COUNT=3',
          'END:VEVENT',
        ),
      ),
    ).toEqual(['2027-03-08T14:00:00.000Z', '2027-03-15T13:00:00.000Z', '2027-03-22T13:00:00.000Z']);
  });

  it.each([
    ['FREQ=MONTHLY;BYDAY=-1FR;COUNT=3', '20270101', ['2027-01-29', '2027-02-26', '2027-03-26']],
    ['FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3', '20270131', ['2027-01-31', '2027-03-31', '2027-05-31']],
    ['FREQ=MONTHLY;BYDAY=2TU;COUNT=2', '20270101', ['2027-01-12', '2027-02-09']],
    ['FREQ=DAILY;INTERVAL=2;UNTIL=20270107T235959Z', '20270101', ['2027-01-01', '2027-01-03', '2027-01-05', '2027-01-07']],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=4', '20270104', ['2027-01-04', '2027-01-06', '2027-01-18', '2027-01-20']],
    ['FREQ=YEARLY;COUNT=2', '20270301', ['2027-03-01']], // the second is outside the window
  ])('expands %s', (rule, start, dates) => {
    const text = cal('BEGIN:VEVENT', 'UID:r', `DTSTART:${start}T100000Z`, 'DURATION:PT1H', `RRULE:${rule}`, 'END:VEVENT');
    expect(starts(text).map((s) => s.slice(0, 10))).toEqual(dates);
  });

  it('applies EXDATE and RECURRENCE-ID overrides, drops cancelled and marks transparent as free', () => {
    const occ = occurrencesOf(
      parseVEvents(
        cal(
          'BEGIN:VEVENT',
          'UID:s',
          'DTSTART:20270301T100000Z',
          'DTEND:20270301T110000Z',
          'RRULE:FREQ=DAILY;COUNT=4',
          'EXDATE:20270302T100000Z',
          'END:VEVENT',
          'BEGIN:VEVENT',
          'UID:s',
          'RECURRENCE-ID:20270303T100000Z',
          'DTSTART:20270303T150000Z',
          'DTEND:20270303T160000Z',
          'END:VEVENT',
          'BEGIN:VEVENT',
          'UID:s',
          'RECURRENCE-ID:20270304T100000Z',
          'DTSTART:20270304T100000Z',
          'DTEND:20270304T110000Z',
          'STATUS:CANCELLED',
          'END:VEVENT',
          'BEGIN:VEVENT',
          'UID:t',
          'DTSTART:20270305T100000Z',
          'DTEND:20270305T110000Z',
          'TRANSP:TRANSPARENT',
          'END:VEVENT',
        ),
      ),
      'UTC',
      from,
      to,
      (e) => e.uid,
    );
    expect(occ.map((o) => [o.externalEventId, o.start.toISOString(), o.busy])).toEqual([
      ['s', '2027-03-01T10:00:00.000Z', true],
      ['t', '2027-03-05T10:00:00.000Z', false],
      ['s', '2027-03-03T15:00:00.000Z', true],
    ]);
  });

  it("all-day events are the host's local days, including across DST", () => {
    expect(allDayRange('2027-03-14', '2027-03-15', 'America/New_York')).toEqual({
      start: new Date('2027-03-14T05:00:00Z'),
      end: new Date('2027-03-15T04:00:00Z'),
    });
    const occ = occurrencesOf(
      parseVEvents(cal('BEGIN:VEVENT', 'UID:d', 'DTSTART;VALUE=DATE:20270701', 'END:VEVENT')),
      'Asia/Tokyo',
      from,
      to,
      (e) => e.uid,
    );
    expect([occ[0].start.toISOString(), occ[0].end.toISOString(), occ[0].allDay]).toEqual([
      '2027-06-30T15:00:00.000Z',
      '2027-07-01T15:00:00.000Z',
      true,
    ]);
  });

  it('stops at COUNT even for series that started long ago, and bounds work for endless ones', () => {
    expect(expandRuleDates('2000-01-01', { FREQ: 'DAILY' }, '2000-01-05', () => false)).toHaveLength(5);
    const endless = starts(cal('BEGIN:VEVENT', 'UID:e', 'DTSTART:20170101T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY', 'END:VEVENT'));
    expect(endless[0]).toBe('2027-01-01T09:00:00.000Z');
    expect(endless).toHaveLength(364);
  });
});
