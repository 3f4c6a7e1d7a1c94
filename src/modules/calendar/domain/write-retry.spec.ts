import { MAX_WRITE_ATTEMPTS, nextWriteRetry } from './write-retry.js';

describe('nextWriteRetry', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const minutesLater = (attempts: number) => (nextWriteRetry(attempts, now)!.getTime() - now.getTime()) / 60_000;

  it.each([
    [1, 1],
    [2, 2],
    [3, 4],
    [6, 32],
    [9, 256],
    [10, 360],
    [11, 360],
  ])('after attempt %i waits %i minutes (doubling, capped at six hours)', (attempts, minutes) => {
    expect(minutesLater(attempts)).toBe(minutes);
  });

  it('gives up once the attempts are spent', () => {
    expect(nextWriteRetry(MAX_WRITE_ATTEMPTS, now)).toBeNull();
    expect(nextWriteRetry(MAX_WRITE_ATTEMPTS - 1, now)).not.toBeNull();
  });
});
