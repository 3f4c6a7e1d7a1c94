import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { conflict, DomainError } from '../../../shared/http/domain-error.js';
import { isIdempotencyKeyTaken } from '../infrastructure/booking.repository.js';
import { afterCommit } from './after-commit.js';
import type { BookingMetrics } from './booking-metrics.js';

/**
 * A create (a booking, a series) under an optional Idempotency-Key. `write` runs the serializable transaction and
 * returns null only when a retry found the winner's key row; two requests racing with one key make the loser answer
 * with the winner's result (`replay`). Outcomes are counted; once committed, the hosts' cached slots are bumped, and
 * the answer is the created result whatever those side effects do.
 */
export async function createOnce<T>(
  deps: { metrics: BookingMetrics; versions: AvailabilityVersions },
  idempotency: { key: string | undefined; replay: () => Promise<T | null> },
  write: () => Promise<T | null>,
  hostIdsOf: (result: T) => Iterable<string>,
): Promise<T> {
  let result: T | null;
  try {
    result = await write();
  } catch (error) {
    if (idempotency.key && isIdempotencyKeyTaken(error)) {
      const replay = await idempotency.replay();
      if (replay) return replay;
    }
    deps.metrics.outcome(error instanceof DomainError && error.code === 'conflict' ? 'conflict' : 'error');
    throw error;
  }
  if (!result) {
    const replay = idempotency.key ? await idempotency.replay() : null;
    if (!replay) throw conflict('the booking for this Idempotency-Key is no longer available');
    return replay;
  }
  const created = result;
  await afterCommit('booking metrics', () => deps.metrics.outcome('created'));
  await afterCommit('slot cache version bump', () => deps.versions.bump(hostIdsOf(created)));
  return created;
}
