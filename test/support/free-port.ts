import { createServer } from 'node:net';

// Ports handed out for servers a test starts later (Radicale, PostgreSQL, nginx, replicas) are picked below Linux's
// ephemeral range (32768-60999): there, the many outgoing connections of the tests running in parallel could take a
// port between the pick and the bind.
const LOW = 20_000;
const HIGH = 32_000;

/** Whether `port` can be bound on loopback now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `count` consecutive loopback ports free at the time of the call; returns the first. */
export async function freePorts(count: number): Promise<number> {
  for (;;) {
    const first = LOW + Math.floor(Math.random() * (HIGH - LOW - count));
    let free = true;
    for (let p = first; p < first + count && free; p++) free = await portIsFree(p);
    if (free) return first;
  }
}

/** A loopback port free at the time of the call, for a server a test starts. */
export function freePort(): Promise<number> {
  return freePorts(1);
}
