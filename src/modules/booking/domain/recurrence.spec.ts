import { occurrenceStarts, rruleOf, seriesView } from './recurrence.js';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('occurrenceStarts: the same wall-clock time in the booking zone', () => {
  it('weekly across the US spring-forward (14 March 2027): 09:00 New York is 14:00 UTC, then 13:00 UTC', () => {
    expect(iso(occurrenceStarts(new Date('2027-03-02T14:00:00Z'), 'America/New_York', 'weekly', 4))).toEqual([
      '2027-03-02T14:00:00.000Z',
      '2027-03-09T14:00:00.000Z',
      '2027-03-16T13:00:00.000Z',
      '2027-03-23T13:00:00.000Z',
    ]);
  });

  it('every two weeks across the European fall-back (31 October 2027)', () => {
    expect(iso(occurrenceStarts(new Date('2027-10-19T08:30:00Z'), 'Europe/Berlin', 'every_two_weeks', 3))).toEqual([
      '2027-10-19T08:30:00.000Z', // 10:30 CEST
      '2027-11-02T09:30:00.000Z', // 10:30 CET
      '2027-11-16T09:30:00.000Z',
    ]);
  });

  it('the same instant pattern in UTC for a UTC booking, whatever the host', () => {
    expect(iso(occurrenceStarts(new Date('2027-03-02T14:00:00Z'), 'UTC', 'weekly', 3))).toEqual([
      '2027-03-02T14:00:00.000Z',
      '2027-03-09T14:00:00.000Z',
      '2027-03-16T14:00:00.000Z',
    ]);
  });

  it('monthly keeps the day of the month and skips months without it (RFC 5545)', () => {
    expect(iso(occurrenceStarts(new Date('2027-01-31T15:00:00Z'), 'Europe/London', 'monthly', 4))).toEqual([
      '2027-01-31T15:00:00.000Z',
      '2027-03-31T14:00:00.000Z', // BST from 28 March
      '2027-05-31T14:00:00.000Z',
      '2027-07-31T14:00:00.000Z',
    ]);
    expect(iso(occurrenceStarts(new Date('2027-11-15T10:00:00Z'), 'Asia/Kolkata', 'monthly', 3))).toEqual([
      '2027-11-15T10:00:00.000Z',
      '2027-12-15T10:00:00.000Z',
      '2028-01-15T10:00:00.000Z',
    ]);
  });

  it('a wall time in the spring-forward gap moves forward by the gap; an ambiguous one is the earlier instant', () => {
    // 02:30 New York on 7 March 2027 (EST), then 14 March: 02:30 does not exist -> 03:30 EDT = 07:30 UTC.
    expect(iso(occurrenceStarts(new Date('2027-03-07T07:30:00Z'), 'America/New_York', 'weekly', 2))).toEqual([
      '2027-03-07T07:30:00.000Z',
      '2027-03-14T07:30:00.000Z',
    ]);
    // 01:30 New York on 31 October 2027 (EDT, 05:30 UTC); 7 November 01:30 happens twice: the first, EDT, 05:30 UTC.
    expect(iso(occurrenceStarts(new Date('2027-10-31T05:30:00Z'), 'America/New_York', 'weekly', 2))).toEqual([
      '2027-10-31T05:30:00.000Z',
      '2027-11-07T05:30:00.000Z',
    ]);
  });

  it('writes the RRULE for each frequency', () => {
    expect(rruleOf('weekly', 4)).toBe('FREQ=WEEKLY;INTERVAL=1;COUNT=4');
    expect(rruleOf('every_two_weeks', 6)).toBe('FREQ=WEEKLY;INTERVAL=2;COUNT=6');
    expect(rruleOf('monthly', 3)).toBe('FREQ=MONTHLY;INTERVAL=1;COUNT=3');
  });
});

describe('seriesView: the series as it stands', () => {
  const at = (iso: string) => new Date(iso);
  const facts = {
    id: 's1',
    icalUid: 'u@kairos',
    frequency: 'weekly' as const,
    count: 3,
    timeZone: 'America/New_York',
    durationMinutes: 30,
    firstStart: at('2027-03-09T14:00:00Z'),
    members: [
      {
        bookingId: 'b0',
        position: 0,
        status: 'confirmed' as const,
        start: at('2027-03-09T14:00:00Z'),
        end: at('2027-03-09T14:30:00Z'),
        sequence: 0,
      },
      {
        bookingId: 'b1',
        position: 1,
        status: 'rescheduled' as const,
        start: at('2027-03-16T13:00:00Z'),
        end: at('2027-03-16T13:30:00Z'),
        sequence: 0,
      },
      {
        bookingId: 'b1b',
        position: 1,
        status: 'confirmed' as const,
        start: at('2027-03-17T15:00:00Z'),
        end: at('2027-03-17T15:30:00Z'),
        sequence: 1,
      },
      {
        bookingId: 'b2',
        position: 2,
        status: 'cancelled' as const,
        start: at('2027-03-23T13:00:00Z'),
        end: at('2027-03-23T13:30:00Z'),
        sequence: 1,
      },
    ],
  };

  it('takes the moved occurrence in its place, keeps where the rule put it, and sums the sequences', () => {
    const view = seriesView(facts);
    expect(view.occurrences.map((o) => [o.bookingId, o.status, o.start.toISOString(), o.originalStart.toISOString()])).toEqual([
      ['b0', 'confirmed', '2027-03-09T14:00:00.000Z', '2027-03-09T14:00:00.000Z'],
      ['b1b', 'confirmed', '2027-03-17T15:00:00.000Z', '2027-03-16T13:00:00.000Z'],
      ['b2', 'cancelled', '2027-03-23T13:00:00.000Z', '2027-03-23T13:00:00.000Z'],
    ]);
    expect(view.sequence).toBe(2);
    // Members listed in any order give the same view.
    expect(seriesView({ ...facts, members: [...facts.members].reverse() })).toEqual(view);
  });
});
