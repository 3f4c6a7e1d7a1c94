/**
 * How long one queue command may wait for Redis. BullMQ's connections queue commands while Redis is away (they must:
 * its workers block on Redis), so without a bound an enqueue would wait for Redis to return and hold up its caller
 * (the outbox relay). Callers keep their truth in PostgreSQL and retry from there once Redis answers again.
 */
export const QUEUE_COMMAND_TIMEOUT_MS = 1_000;

export class QueueTimeoutError extends Error {
  override name = 'QueueTimeoutError';
}

/** `promise`, or a QueueTimeoutError after QUEUE_COMMAND_TIMEOUT_MS (the command itself is abandoned, not cancelled). */
export function withinQueueTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new QueueTimeoutError(`${what}: Redis did not answer within ${QUEUE_COMMAND_TIMEOUT_MS} ms`)),
      QUEUE_COMMAND_TIMEOUT_MS,
    );
  });
  promise.catch(() => undefined); // a late failure of an abandoned command is not an unhandled rejection
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
