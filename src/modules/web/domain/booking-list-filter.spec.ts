import { bookingListFilterOf, filterQuery } from './booking-list-filter.js';
import { csvCell, toCsv } from './csv.js';
import { answerLines, historyLines } from './booking-details-view.js';

const NOW = new Date('2027-03-01T12:00:00Z');

describe('bookingListFilterOf', () => {
  it('defaults to upcoming: today to 60 days on, in the host zone, ending after now', () => {
    const { filter, errors } = bookingListFilterOf({}, NOW, 'Asia/Tokyo');
    expect(errors).toEqual({});
    expect(filter).toMatchObject({ status: 'upcoming', from: '2027-03-01', to: '2027-04-30', page: 1, q: '' });
    expect(filter.search.startFrom.toISOString()).toBe('2027-02-28T15:00:00.000Z'); // Tokyo midnight
    expect(filter.search.startTo.toISOString()).toBe('2027-04-30T15:00:00.000Z'); // the end of the last day
    expect(filter.search).toMatchObject({ statuses: ['confirmed', 'pending'], endAfter: NOW, descending: false });
  });

  it('reads the range as whole days across a DST change, past newest first', () => {
    const { filter, errors } = bookingListFilterOf({ status: 'past', from: '2027-03-27', to: '2027-03-28' }, NOW, 'Europe/Berlin');
    expect(errors).toEqual({});
    expect(filter.search.startFrom.toISOString()).toBe('2027-03-26T23:00:00.000Z');
    expect(filter.search.startTo.toISOString()).toBe('2027-03-28T22:00:00.000Z'); // 47 hours later
    expect(filter.search).toMatchObject({ statuses: ['confirmed'], endAtOrBefore: NOW, descending: true });
  });

  it('refuses what it cannot read, never silently widening the range', () => {
    const bad = (q: Record<string, string>) => bookingListFilterOf(q, NOW, 'UTC').errors;
    expect(bad({ from: '2027-02-30' })).toEqual({ from: 'Enter a date as YYYY-MM-DD.' });
    expect(bad({ from: '2027-03-10', to: '2027-03-09' })).toEqual({ to: 'The end date must be on or after the start date.' });
    expect(bad({ from: '2027-01-01', to: '2027-12-31' })).toEqual({});
    expect(bad({ from: '2027-01-01', to: '2028-01-02' })).toEqual({ to: 'Choose a range of at most 366 days.' });
    expect(bad({ status: 'nope' })).toEqual({ status: 'Choose one of the listed statuses.' });
    expect(bad({ page: '0' })).toEqual({ page: 'That page does not exist.' });
    expect(bad({ page: '2x' })).toEqual({ page: 'That page does not exist.' });
    expect(bad({ q: 'x'.repeat(201) })).toEqual({ q: 'Search for at most 200 characters.' });
    expect(bad({ q: 'a\u0000b' })).toEqual({ q: 'Search for plain text.' });
  });

  it('keeps a search and status in the links it makes; only "from" given spans the default after it', () => {
    const { filter } = bookingListFilterOf({ status: 'all', from: '2027-06-01', q: '  Ada   L ' }, NOW, 'UTC');
    expect(filter).toMatchObject({ from: '2027-06-01', to: '2027-07-31', q: 'Ada L' });
    expect(filterQuery(filter, 3)).toBe('status=all&from=2027-06-01&to=2027-07-31&q=Ada+L&page=3');
    expect(filter.search.statuses).not.toContain('rescheduled');
  });
});

describe('csv', () => {
  it('quotes per RFC 4180 and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    for (const s of ['+1', '-2', '@SUM(A1)', '\tx']) expect(csvCell(s)).toBe(`'${s}`);
    expect(csvCell(null)).toBe('');
    expect(csvCell(30)).toBe('30');
    expect(toCsv(['a', 'b'], [['1', 'x,y']])).toBe('a,b\r\n1,"x,y"\r\n');
  });
});

describe('booking details', () => {
  it('tells the history oldest first with names, moves and reasons', () => {
    const at = new Date('2027-03-01T10:00:00Z');
    const lines = historyLines(
      [
        {
          id: '12',
          occurred_at: at,
          actor_type: 'host',
          actor_id: 'h1',
          action: 'booking.cancelled',
          booking_id: 'b2',
          details: { has_reason: true },
        },
        {
          id: '10',
          occurred_at: at,
          actor_type: 'host',
          actor_id: 'h1',
          action: 'booking.rescheduled',
          booking_id: 'b2',
          details: {
            previous_start_time: '2027-03-02T09:00:00Z',
            previous_end_time: '2027-03-02T09:30:00Z',
            start_time: '2027-03-03T09:00:00Z',
            end_time: '2027-03-03T09:30:00Z',
          },
        },
        { id: '9', occurred_at: at, actor_type: 'invitee', actor_id: 'i1', action: 'booking.created', booking_id: 'b1', details: {} },
        { id: '9', occurred_at: at, actor_type: 'invitee', actor_id: 'i1', action: 'booking.created', booking_id: 'b1', details: {} },
      ],
      new Map([
        ['h1', 'Ada'],
        ['i1', 'Grace'],
      ]),
      (id) => (id === 'b2' ? 'Ill' : null),
    );
    expect(lines.map((l) => [l.what, l.by, l.reason ?? null])).toEqual([
      ['Booked', 'Grace (invitee)', null],
      ['Rescheduled', 'Ada (host)', null],
      ['Cancelled', 'Ada (host)', 'Ill'],
    ]);
    expect(lines[1].from?.start.toISOString()).toBe('2027-03-02T09:00:00.000Z');
    expect(lines[1].to?.start.toISOString()).toBe('2027-03-03T09:00:00.000Z');
  });

  it('shows answers under their question labels, in the questions order', () => {
    expect(
      answerLines({ b: ['x', 'y'], a: 'Hi', gone: 'old', c: true, d: '' }, [
        { id: 'a', label: 'Topic' },
        { id: 'b', label: 'Pick' },
        { id: 'c', label: 'Agree' },
        { id: 'd', label: 'Empty' },
      ]),
    ).toEqual([
      { label: 'Topic', value: 'Hi' },
      { label: 'Pick', value: 'x, y' },
      { label: 'Agree', value: 'Yes' },
      { label: 'gone', value: 'old' },
    ]);
  });
});
