import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';

/**
 * A redis-server of the test's own on a free loopback port, to stop, kill and restart under traffic.
 * `persist` keeps its data across restarts (append-only file, fsync on every write), like a Redis restarted from
 * its disk or a promoted replica: what it held before comes back, what it missed while down does not.
 */
export class RedisProcess {
  private child: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'kairos-redis-'));
  port = 0;

  constructor(private readonly options: { persist?: boolean } = {}) {}

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<this> {
    if (this.running) return this;
    if (!this.port) this.port = await freePort();
    const persistence = this.options.persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', this.dir],
      {
        stdio: 'ignore',
      },
    );
    const started = this.child;
    // Ready when it answers PING (bounded: a redis-server that cannot start fails the test, not hangs it).
    for (let i = 0; i < 200; i++) {
      if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode}`);
      const probe = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
        retryStrategy: () => null,
      });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') return this;
      } catch {
        /* not up yet */
      } finally {
        probe.disconnect();
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('redis-server did not start');
  }

  /** SIGSTOP: the process hangs with its connections open (a slow or stuck Redis); `resume` continues it. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Stops the server (SIGTERM, or SIGKILL for a crash) and waits until the process is gone. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
    this.child = null;
  }

  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
