const MAX_DELAY_SECONDS = 6 * 60 * 60;

/**
 * Delay before the next attempt after `failedAttempts` failures: base, 2·base, 4·base, ... capped at 6 hours.
 * No jitter: retries are spread by the sweep interval already, and tests can predict the schedule.
 */
export function retryDelaySeconds(failedAttempts: number, baseSeconds: number): number {
  if (failedAttempts < 1) return 0;
  return Math.min(MAX_DELAY_SECONDS, baseSeconds * 2 ** Math.min(failedAttempts - 1, 30));
}

/** What to do after a failed attempt: try again at `retryAt`, or give up. */
export function afterFailure(
  attempts: number,
  maxAttempts: number,
  now: Date,
  baseSeconds: number,
): { status: 'pending'; retryAt: Date } | { status: 'failed' } {
  if (attempts >= maxAttempts) return { status: 'failed' };
  return { status: 'pending', retryAt: new Date(now.getTime() + retryDelaySeconds(attempts, baseSeconds) * 1000) };
}

/** A failure no retry can fix: the provider refused the message itself (invalid number, wrong credentials). */
export class PermanentDeliveryError extends Error {}
