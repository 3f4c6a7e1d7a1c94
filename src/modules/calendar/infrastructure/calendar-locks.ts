import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Session advisory locks, each on a connection of its own held only for the work: one sync per connection across
 * replicas, and one writer per host (so two booking events of a host never write its calendar at once).
 */
@Injectable()
export class CalendarLocks {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` holding the connection's sync lock; null when another replica holds it (after up to 60 s with `wait`). */
  async whileSyncing<T>(integrationId: string, wait: boolean, work: () => Promise<T>): Promise<T | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const key = `kairos:calendar-sync:${integrationId}`;
    try {
      const deadline = Date.now() + (wait ? 60_000 : 0);
      for (;;) {
        const [row] = (await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [key])) as Array<{ locked: boolean }>;
        if (row.locked) break;
        if (Date.now() >= deadline) return null;
        await new Promise((r) => setTimeout(r, 100));
      }
      try {
        return await work();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [key]);
      }
    } finally {
      await runner.release();
    }
  }

  /** Runs `work` holding the host's calendar-write lock, waiting for it as long as it takes. */
  async whileWritingFor(hostId: string, work: () => Promise<void>): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const key = `kairos:calendar-write:${hostId}`;
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtext($1))`, [key]);
      try {
        await work();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [key]);
      }
    } finally {
      await runner.release();
    }
  }
}
