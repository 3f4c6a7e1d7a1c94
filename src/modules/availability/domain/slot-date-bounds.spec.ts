import { slotDateBounds, slotDateRangeProblem } from './slot-date-bounds.js';

describe('slot date bounds', () => {
  const now = new Date('2027-03-01T23:30:00Z');

  it('spans 366 days back and 3660 ahead of the UTC day', () => {
    expect(slotDateBounds(now)).toEqual({ first: '2026-02-28', last: '2037-03-08' });
  });

  it.each([
    ['2027-03-02', '2027-03-05', null],
    ['2026-02-28', '2026-02-28', null],
    ['2037-03-08', '2037-03-08', null],
    ['9999-12-31', '9999-12-31', 'date'],
    ['0050-01-01', '0050-01-01', 'date'],
    ['2027-03-02', '9999-01-01', 'end_date'],
    ['2037-03-09', '2037-03-09', 'date'],
  ])('%s..%s -> %s', (date, end, field) => {
    expect(slotDateRangeProblem(date, end, now)?.field ?? null).toBe(field);
  });
});
