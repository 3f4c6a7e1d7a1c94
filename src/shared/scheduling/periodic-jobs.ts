import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { PeriodicJob } from './periodic-job.js';

/** The two integer keys of a PostgreSQL advisory lock (`pg_try_advisory_lock(a, b)`). */
export type AdvisoryLockKey = readonly [number, number];

export interface PeriodicJobSpec {
  /** Unique in the app; the interval's name in the SchedulerRegistry and in log lines. */
  name: string;
  /** Period in ms, from config; 0 or less leaves the job unscheduled (tests drive it by hand). */
  everyMs: number;
  run: () => Promise<unknown>;
  /**
   * One replica at a time: each tick first tries this session advisory lock on a connection of its own and is
   * skipped when another replica holds it. Leave it out when the job locks at a finer grain itself (per consumer, per
   * calendar connection, per listing), as today's jobs do.
   */
  lock?: AdvisoryLockKey;
}

/**
 * The one way to run periodic work: an interval per job in @nestjs/schedule's SchedulerRegistry (periods come from
 * config, so no static @Interval), ticks that never overlap, an optional cluster-wide advisory lock, and a shutdown
 * that waits for every running tick before the database and Redis close (beforeApplicationShutdown runs before any
 * onApplicationShutdown).
 */
@Injectable()
export class PeriodicJobs implements BeforeApplicationShutdown {
  private readonly logger = new Logger('PeriodicJobs');
  private readonly jobs = new Map<string, PeriodicJob>();

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly dataSource: DataSource,
  ) {}

  /** Schedules `spec.run` every `spec.everyMs` (first run one period from now). Returns the job, or null when off. */
  schedule(spec: PeriodicJobSpec): PeriodicJob | null {
    if (spec.everyMs <= 0) return null;
    if (this.jobs.has(spec.name)) throw new Error(`periodic job "${spec.name}" is already scheduled`);
    const logger = new Logger(spec.name);
    const { lock } = spec;
    const run = lock ? () => this.underLock(lock, spec.run) : spec.run;
    const job = new PeriodicJob(spec.name, run, (error) => logger.error(`${spec.name} failed: ${error.message}`));
    this.jobs.set(spec.name, job);
    this.registry.addInterval(
      spec.name,
      setInterval(() => void job.tick(), spec.everyMs),
    );
    return job;
  }

  /** Stops one job: no new tick, and the running one is awaited. */
  async stop(name: string): Promise<void> {
    const job = this.jobs.get(name);
    if (!job) return;
    this.jobs.delete(name);
    // The schedule module clears every interval on shutdown too; whichever comes first deletes it.
    if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
    await job.stop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.jobs.keys()].map((name) => this.stop(name)));
  }

  /**
   * Runs `run` while holding a session advisory lock on a dedicated connection, or skips it when another replica
   * holds the lock. A session lock (not a transaction one) so no transaction stays open while the job works.
   */
  private async underLock(key: AdvisoryLockKey, run: () => Promise<unknown>): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let locked = false;
    try {
      const [row] = (await runner.query(`SELECT pg_try_advisory_lock($1, $2) AS locked`, [...key])) as { locked: boolean }[];
      locked = row.locked;
      if (locked) await run();
    } finally {
      if (locked)
        await runner
          .query(`SELECT pg_advisory_unlock($1, $2)`, [...key])
          .catch((error: unknown) => this.logger.warn(`advisory unlock failed: ${(error as Error).message}`));
      await runner.release();
    }
  }
}
