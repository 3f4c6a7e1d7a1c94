import { seatsToPromote } from './waitlist-seats.js';

describe('seatsToPromote (group waitlists: one promotion per free seat)', () => {
  it('one number per free seat while people wait, the lowest untaken first', () => {
    expect(seatsToPromote({ seats: 5, seatsRemaining: 3, waiting: 10, takenNumbers: [] })).toEqual([1, 2, 3]);
    expect(seatsToPromote({ seats: 5, seatsRemaining: 2, waiting: 10, takenNumbers: [1, 3] })).toEqual([2, 4]);
  });

  it('never more than the people waiting or the free seats', () => {
    expect(seatsToPromote({ seats: 5, seatsRemaining: 3, waiting: 1, takenNumbers: [] })).toEqual([1]);
    expect(seatsToPromote({ seats: 5, seatsRemaining: 0, waiting: 4, takenNumbers: [] })).toEqual([]);
    expect(seatsToPromote({ seats: 5, seatsRemaining: -1, waiting: 4, takenNumbers: [] })).toEqual([]);
    expect(seatsToPromote({ seats: 5, seatsRemaining: 3, waiting: 0, takenNumbers: [] })).toEqual([]);
  });

  it('fewer when the numbers run out (a lapsed hold keeps its number until it is ended); never past the seats', () => {
    expect(seatsToPromote({ seats: 3, seatsRemaining: 2, waiting: 5, takenNumbers: [1, 2] })).toEqual([3]);
    expect(seatsToPromote({ seats: 3, seatsRemaining: 3, waiting: 5, takenNumbers: [1, 2, 3] })).toEqual([]);
  });
});
