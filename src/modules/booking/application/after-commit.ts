import { Logger } from '@nestjs/common';

const logger = new Logger('AfterCommit');

/**
 * Runs a side effect of a committed change (cache version bump, metrics). The transaction decided the answer, so a
 * failing effect is logged and swallowed: telling the client "failed" about a committed booking would be a lie, and
 * its retry would book twice. Effects that matter for delivery are rows in the same transaction (the outbox), not
 * these.
 */
export async function afterCommit(what: string, effect: () => unknown): Promise<void> {
  try {
    await effect();
  } catch (error) {
    logger.warn(`${what} failed after commit (the change stands): ${(error as Error).message}`);
  }
}
