import { PeriodicJob } from './periodic-job.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise the test resolves by hand, to hold a run open. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('PeriodicJob', () => {
  it('never overlaps itself: a tick while a run is in progress joins it instead of starting another', async () => {
    let started = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const hold = gate();
    const job = new PeriodicJob(
      't',
      async () => {
        started++;
        maxConcurrent = Math.max(maxConcurrent, ++concurrent);
        await hold.opened;
        concurrent--;
      },
      () => undefined,
    );

    const first = job.tick();
    const second = job.tick();
    await sleep(10);
    expect(job.busy).toBe(true);
    expect(started).toBe(1);
    hold.open();
    await Promise.all([first, second]);
    expect(job.busy).toBe(false);
    await job.tick(); // the next tick after the run ended starts a new one
    expect(started).toBe(2);
    expect(maxConcurrent).toBe(1);
  });

  it('never overlaps itself on a real interval shorter than the run', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let runs = 0;
    const job = new PeriodicJob(
      't',
      async () => {
        runs++;
        maxConcurrent = Math.max(maxConcurrent, ++concurrent);
        await sleep(30);
        concurrent--;
      },
      () => undefined,
    );
    const timer = setInterval(() => void job.tick(), 5);
    await sleep(200);
    clearInterval(timer);
    await job.stop();
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(maxConcurrent).toBe(1);
  });

  it('stop waits for the running tick, and no tick starts afterwards', async () => {
    const events: string[] = [];
    const hold = gate();
    const job = new PeriodicJob(
      't',
      async () => {
        events.push('run started');
        await hold.opened;
        events.push('run finished');
      },
      () => undefined,
    );
    void job.tick();
    await sleep(5);
    const stopped = job.stop().then(() => events.push('stopped'));
    await sleep(20);
    expect(events).toEqual(['run started']); // stop is still waiting
    hold.open();
    await stopped;
    expect(events).toEqual(['run started', 'run finished', 'stopped']);
    await job.tick();
    expect(events).toEqual(['run started', 'run finished', 'stopped']);
  });

  it('a failing run is reported and the schedule goes on', async () => {
    const errors: string[] = [];
    let runs = 0;
    const job = new PeriodicJob(
      't',
      async () => {
        runs++;
        if (runs === 1) throw new Error('database away');
        if (runs === 2) throw 'not an Error';
      },
      (error) => errors.push(error.message),
    );
    await expect(job.tick()).resolves.toBeUndefined();
    await expect(job.tick()).resolves.toBeUndefined();
    await job.tick();
    expect(runs).toBe(3);
    expect(errors).toEqual(['database away', 'not an Error']);
  });

  it('a run that throws synchronously does not leave the job stuck as busy', async () => {
    let runs = 0;
    const errors: string[] = [];
    const job = new PeriodicJob(
      't',
      (() => {
        runs++;
        throw new Error('sync');
      }) as () => Promise<void>,
      (error) => errors.push(error.message),
    );
    await job.tick();
    expect(job.busy).toBe(false);
    await job.tick();
    expect(runs).toBe(2);
    expect(errors).toEqual(['sync', 'sync']);
  });
});
