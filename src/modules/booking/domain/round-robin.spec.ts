import { rankRoundRobinHosts, type RoundRobinCandidate } from './round-robin.js';

const c = (userId: string, o: Partial<RoundRobinCandidate> = {}): RoundRobinCandidate => ({
  userId,
  priority: 0,
  weight: 100,
  bookingsInPeriod: 0,
  lastBookedAt: null,
  ...o,
});

describe('rankRoundRobinHosts', () => {
  it.each([
    ['fewest bookings first', [c('a', { bookingsInPeriod: 2 }), c('b', { bookingsInPeriod: 1 })], ['b', 'a'], 'fewest_bookings_in_period'],
    ['then higher priority', [c('a'), c('b', { priority: 5 })], ['b', 'a'], 'priority'],
    ['then higher weight', [c('a', { weight: 50 }), c('b', { weight: 80 })], ['b', 'a'], 'weight'],
    ['then least recently booked', [c('a', { lastBookedAt: 2000 }), c('b', { lastBookedAt: 1000 })], ['b', 'a'], 'least_recently_booked'],
    ['never booked before booked', [c('a', { lastBookedAt: 1 }), c('b')], ['b', 'a'], 'least_recently_booked'],
    ['then host id', [c('b'), c('a')], ['a', 'b'], 'host_id'],
  ])('%s', (_name, candidates, order, rule) => {
    const ranked = rankRoundRobinHosts(candidates);
    expect(ranked.map((r) => r.userId)).toEqual(order);
    expect(ranked[0].reason.rule).toBe(rule);
  });

  it('is deterministic whatever the input order', () => {
    const hosts = [c('x', { bookingsInPeriod: 1 }), c('y'), c('z', { priority: 1 })];
    const a = rankRoundRobinHosts(hosts).map((r) => r.userId);
    const b = rankRoundRobinHosts([...hosts].reverse()).map((r) => r.userId);
    expect(a).toEqual(b);
    expect(a).toEqual(['z', 'y', 'x']);
  });

  it('says when there was only one candidate', () => {
    expect(rankRoundRobinHosts([c('a')])[0].reason.rule).toBe('only_candidate');
  });
});
