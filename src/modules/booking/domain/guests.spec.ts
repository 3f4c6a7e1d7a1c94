import { MAX_GUESTS, guestsProblem, normalizeGuests } from './guests.js';

describe('normalizeGuests', () => {
  it('trims, drops blanks and keeps the first spelling of each address', () => {
    expect(normalizeGuests([' a@x.test ', 'B@x.test', 'A@X.test', '', 'b@x.TEST', 'c@x.test'], 'me@x.test')).toEqual([
      'a@x.test',
      'B@x.test',
      'c@x.test',
    ]);
  });

  it("drops the invitee's own address, whatever its case", () => {
    expect(normalizeGuests(['Me@X.test', 'other@x.test'], ' me@x.test')).toEqual(['other@x.test']);
  });
});

describe('guestsProblem', () => {
  it('accepts no guests for any kind, and guests for one-on-one and team meetings', () => {
    expect(guestsProblem('group', [])).toBeNull();
    expect(guestsProblem('one_on_one', ['a@x.test'])).toBeNull();
    expect(guestsProblem('round_robin', ['a@x.test'])).toBeNull();
    expect(guestsProblem('collective', ['a@x.test'])).toBeNull();
  });

  it('refuses guests on a group meeting and more than the cap', () => {
    expect(guestsProblem('group', ['a@x.test'])).toMatchObject({ field: 'guests', code: 'not_applicable' });
    const many = Array.from({ length: MAX_GUESTS + 1 }, (_, i) => `g${i}@x.test`);
    expect(guestsProblem('one_on_one', many)).toMatchObject({ field: 'guests', code: 'too_many' });
    expect(guestsProblem('one_on_one', many.slice(1))).toBeNull();
  });
});
