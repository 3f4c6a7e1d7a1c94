/** After this many failed attempts a calendar write stops retrying (the failure stays visible on the link). */
export const MAX_WRITE_ATTEMPTS = 12;

/**
 * When to retry a calendar write that failed for the `attempts`-th time: exponential from one minute, capped at six
 * hours; null once the attempts are spent.
 */
export function nextWriteRetry(attempts: number, now: Date): Date | null {
  if (attempts >= MAX_WRITE_ATTEMPTS) return null;
  const backoffMs = Math.min(6 * 3600_000, 60_000 * 2 ** Math.min(attempts - 1, 10));
  return new Date(now.getTime() + backoffMs);
}
