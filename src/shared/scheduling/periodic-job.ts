/** What a periodic job does when its tick fails: log it; the schedule goes on. */
export type TickErrorHandler = (error: Error) => void;

/**
 * "Run every N ms, never overlapping itself, stop cleanly": one job's tick logic, free of Nest so it is tested on
 * its own. The timer that calls `tick` belongs to the caller (PeriodicJobs hands it to @nestjs/schedule's
 * SchedulerRegistry).
 *
 * - A tick while the previous one still runs does not start a second run: it waits for the running one.
 * - A failing run is reported to `onError` and the next tick runs as usual.
 * - `stop` refuses new ticks and resolves once the running one has finished, so shutdown never cuts a run in half.
 */
export class PeriodicJob {
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    readonly name: string,
    private readonly run: () => Promise<unknown>,
    private readonly onError: TickErrorHandler,
  ) {}

  /** True while a run is in progress. */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Starts a run unless one is in progress or the job is stopped; resolves when that run (or the current one) ends. */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) return this.running;
    // Started on the next microtask, so even a job that throws synchronously is caught and `running` is cleared after it is set.
    const run = Promise.resolve()
      .then(() => this.run())
      .then(
        () => undefined,
        (error: unknown) => {
          this.onError(error instanceof Error ? error : new Error(String(error)));
        },
      )
      .finally(() => {
        this.running = null;
      });
    this.running = run;
    return run;
  }

  /** No tick starts after this; resolves when the run in progress (if any) has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}
