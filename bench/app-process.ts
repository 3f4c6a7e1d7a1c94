// The app as its own process for the end-to-end benchmarks (history, round robin): built dist/, production mode,
// no rate limits, warnings only. One launcher so each bench states only what differs (its port, database, Redis).
import { spawn, type ChildProcess } from 'node:child_process';

export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef01234';
export const BENCH_APP_SECRET = 'bench-secret-0123456789abcdef0123456789';

export interface BenchApp {
  url: string;
  port: number;
  /** Idempotent: stopping an app that already exited resolves at once. */
  stop(): Promise<void>;
}

/** Every app process still running, for a bench's clean-up on failure or a signal. */
export const runningApps = new Set<ChildProcess>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts dist/src/main.js and waits (up to 120 s: the first start migrates the database) until it is ready. */
export async function startBenchApp(options: {
  port: number;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** Settings of this bench's own, over the ones above. */
  env?: Record<string, string>;
}): Promise<BenchApp> {
  const { port } = options;
  const child: ChildProcess = spawn(process.execPath, ['dist/src/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: options.redisPrefix,
      LOG_LEVEL: 'warn',
      APP_SECRET: BENCH_APP_SECRET,
      NODE_ENV: 'production',
      RATE_LIMIT_ENABLED: 'false',
      METRICS_TOKEN: BENCH_METRICS_TOKEN,
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  runningApps.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => runningApps.delete(child));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
  };
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`app exited during start-up (${child.exitCode ?? child.signalCode})`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return { url, port, stop };
    } catch {
      /* not up yet */
    }
    await sleep(200);
  }
  await stop();
  throw new Error('app not ready after 120 s');
}
