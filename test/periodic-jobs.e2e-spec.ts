import { SchedulerRegistry } from '@nestjs/schedule';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { type AdvisoryLockKey, PeriodicJobs } from '../src/shared/scheduling/periodic-jobs.js';
import { TEST_ADMIN_DATABASE_URL, USE_EMBEDDED_DB } from './support/test-env.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * PeriodicJobs on a real SchedulerRegistry and a real PostgreSQL: two instances with their own connection pools are
 * two replicas. Advisory locks need no tables, so the admin database serves (locks are per database; the key is
 * random so parallel runs never share one). The embedded database has one session for every connection, so it
 * cannot show two replicas apart: server only.
 */
(USE_EMBEDDED_DB ? describe.skip : describe)('PeriodicJobs (SchedulerRegistry intervals, advisory lock, shutdown)', () => {
  const sources: DataSource[] = [];
  const replica = async () => {
    const dataSource = await new DataSource({ type: 'postgres', url: TEST_ADMIN_DATABASE_URL, poolSize: 3 }).initialize();
    sources.push(dataSource);
    const registry = new SchedulerRegistry();
    return { jobs: new PeriodicJobs(registry, dataSource), registry };
  };
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.destroy()));
  });

  it('runs every N ms as a named interval; a period of 0 schedules nothing; a name is scheduled once', async () => {
    const { jobs, registry } = await replica();
    let runs = 0;
    expect(
      jobs.schedule({
        name: 'off',
        everyMs: 0,
        run: async () => {
          runs++;
        },
      }),
    ).toBeNull();
    expect(registry.getIntervals()).toEqual([]);

    jobs.schedule({
      name: 'counter',
      everyMs: 20,
      run: async () => {
        runs++;
      },
    });
    expect(registry.getIntervals()).toEqual(['counter']);
    expect(() => jobs.schedule({ name: 'counter', everyMs: 20, run: async () => undefined })).toThrow(/already scheduled/);
    await sleep(200);
    await jobs.beforeApplicationShutdown();
    expect(registry.getIntervals()).toEqual([]);
    const after = runs;
    expect(after).toBeGreaterThanOrEqual(3);
    await sleep(60);
    expect(runs).toBe(after); // stopped: no more ticks
  });

  it('with a lock, one replica at a time runs the job; the other skips while it is held', async () => {
    const lock: AdvisoryLockKey = [0x746573, randomInt(1, 2 ** 31 - 1)]; // "tes", random
    const runs: Array<{ replica: string; start: number; end: number }> = [];
    const [a, b] = [await replica(), await replica()];
    for (const [name, { jobs }] of [
      ['a', a],
      ['b', b],
    ] as const) {
      jobs.schedule({
        name: 'exclusive',
        everyMs: 10,
        lock,
        run: async () => {
          const start = Date.now();
          await sleep(40);
          runs.push({ replica: name, start, end: Date.now() });
        },
      });
    }
    await sleep(600);
    await Promise.all([a.jobs.beforeApplicationShutdown(), b.jobs.beforeApplicationShutdown()]);
    expect(runs.length).toBeGreaterThanOrEqual(4);
    const sorted = [...runs].sort((x, y) => x.start - y.start);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i].start).toBeGreaterThanOrEqual(sorted[i - 1].end);
    // The lock was released after each run: it is free now.
    const [row] = await sources[0].query(`SELECT pg_try_advisory_lock($1, $2) AS locked`, [...lock]);
    expect(row.locked).toBe(true);
    await sources[0].query(`SELECT pg_advisory_unlock($1, $2)`, [...lock]);
  });

  it('shutdown waits for the running tick; a failing tick does not stop the schedule', async () => {
    const { jobs } = await replica();
    const events: string[] = [];
    let n = 0;
    jobs.schedule({
      name: 'slow',
      everyMs: 15,
      run: async () => {
        n++;
        if (n === 1) throw new Error('first tick fails');
        if (n === 3) {
          events.push('long run started');
          await sleep(150);
          events.push('long run finished');
        }
      },
    });
    while (!events.includes('long run started')) await sleep(5);
    await jobs.beforeApplicationShutdown();
    events.push('shut down');
    expect(events).toEqual(['long run started', 'long run finished', 'shut down']);
    expect(n).toBe(3);
  });
});
