import {
  addMonths,
  formatClock,
  formatDateTime,
  isRealDate,
  lastDayOfMonth,
  localDate,
  monthGrid,
  offsetLabel,
  parseStart,
} from './web-time.js';

describe('web-time', () => {
  it('gives the local date and clock of an instant in a zone', () => {
    const instant = Date.parse('2027-03-09T15:30:00Z');
    expect(localDate(instant, 'Asia/Tokyo')).toBe('2027-03-10');
    expect(localDate(instant, 'America/Los_Angeles')).toBe('2027-03-09');
    expect(formatClock(instant, 'Asia/Tokyo', false)).toBe('00:30');
    expect(formatClock(instant, 'Asia/Tokyo', true)).toBe('12:30 AM');
    expect(formatClock(instant, 'Europe/London', true)).toBe('3:30 PM');
  });

  it("formats a short date and time in the zone, not the server's", () => {
    expect(formatDateTime(Date.parse('2027-03-09T23:30:00Z'), 'Asia/Tokyo')).toBe('10 Mar 2027, 08:30');
    expect(formatDateTime(Date.parse('2027-03-09T23:30:00Z'), 'America/New_York')).toBe('9 Mar 2027, 18:30');
  });

  it('labels offsets', () => {
    expect(offsetLabel(Date.parse('2027-03-09T00:00:00Z'), 'Asia/Tokyo')).toBe('UTC+09:00');
    expect(offsetLabel(Date.parse('2027-03-09T00:00:00Z'), 'UTC')).toBe('UTC+00:00');
    expect(offsetLabel(Date.parse('2027-07-01T00:00:00Z'), 'Europe/London')).toBe('UTC+01:00');
  });

  it('does month arithmetic and grids starting on Monday', () => {
    expect(addMonths('2027-12', 1)).toBe('2028-01');
    expect(addMonths('2027-01', -1)).toBe('2026-12');
    expect(lastDayOfMonth('2028-02')).toBe('2028-02-29');
    const grid = monthGrid('2027-03'); // 1 March 2027 is a Monday
    expect(grid[0]![0]).toEqual({ date: '2027-03-01', day: 1, inMonth: true });
    expect(grid.flat().filter((d) => d.inMonth)).toHaveLength(31);
    expect(grid.every((w) => w.length === 7)).toBe(true);
    expect(monthGrid('2027-05')[0]![0]!.date).toBe('2027-04-26');
    // Weeks starting on Sunday (en-US, ja, pt-BR): 1 March 2027 is the second day of its week.
    const sunday = monthGrid('2027-03', 7);
    expect(sunday[0]![0]).toEqual({ date: '2027-02-28', day: 28, inMonth: false });
    expect(sunday[0]![1]!.date).toBe('2027-03-01');
    expect(monthGrid('2027-08', 7)[0]![0]!.date).toBe('2027-08-01'); // a Sunday: no padding
    expect(sunday.flat().filter((d) => d.inMonth)).toHaveLength(31);
  });

  it('checks real dates', () => {
    expect(isRealDate('2027-02-29')).toBe(false);
    expect(isRealDate('2028-02-29')).toBe(true);
    expect(isRealDate('2027-3-1')).toBe(false);
  });
});

describe('parseStart', () => {
  it.each([
    ['2027-03-02T10:00:00Z', '2027-03-02T10:00:00.000Z'],
    ['9999-12-31T10:00:00Z', '9999-12-31T10:00:00.000Z'],
    ['+275760-09-13T00:00:00Z', null],
    ['1969-12-31T23:59:59Z', null],
    ['not a date', null],
    ['', null],
  ])('%s -> %s', (text, expected) => {
    expect(parseStart(text)?.toISOString() ?? null).toBe(expected);
  });
});
