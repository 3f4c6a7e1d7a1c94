import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** How long a fenced read waits for the replica to catch up (streaming lag is normally a few ms), and how often it looks. */
const CATCH_UP_WAIT_MS = 100;
const CATCH_UP_POLL_MS = 5;

export interface ReplicaRead<T> {
  value: T;
  /** The replica had replayed every write committed on the primary before the read began. */
  upToDate: boolean;
}

/**
 * Reads that may be served by the read replica (DATABASE_READ_URL). Callers opt in explicitly and get an
 * EntityManager bound to one replica connection; without a replica they get `undefined`, i.e. the primary pool, as
 * everywhere else. Transactions never come here: they always run on the primary.
 */
@Injectable()
export class ReadReplica {
  private readonly logger = new Logger('ReadReplica');
  private lastWarning = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get enabled(): boolean {
    return (this.dataSource.driver as { isReplicated?: boolean }).isReplicated === true;
  }

  read<T>(work: (manager: EntityManager | undefined) => Promise<T>): Promise<T> {
    return this.onReplica(async (runner) => work(runner?.manager));
  }

  /**
   * Like read(), after waiting (up to CATCH_UP_WAIT_MS) for the replica to replay the primary's WAL position taken
   * at the call, i.e. every write whose availability-version bump was read before it. `upToDate` says whether it
   * got there: only then may the result be cached under those versions. A lagging replica still answers (the
   * booking re-check on the primary has the last word). A server that is not a standby (the primary itself under a
   * read-only role) is always up to date.
   */
  readUpToDate<T>(work: (manager: EntityManager | undefined) => Promise<T>): Promise<ReplicaRead<T>> {
    return this.onReplica(async (runner, primaryLsn) => {
      if (!runner) return { value: await work(undefined), upToDate: true };
      const deadline = Date.now() + CATCH_UP_WAIT_MS;
      let upToDate: boolean;
      for (;;) {
        const [row] = (await runner.query('SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, true) AS replayed', [primaryLsn])) as {
          replayed: boolean;
        }[];
        upToDate = row.replayed;
        if (upToDate || Date.now() >= deadline) break;
        await new Promise((r) => setTimeout(r, CATCH_UP_POLL_MS));
      }
      return { value: await work(runner.manager), upToDate };
    }, true);
  }

  private async onReplica<T>(work: (runner: QueryRunner | undefined, primaryLsn?: string) => Promise<T>, fence = false): Promise<T> {
    if (!this.enabled) return work(undefined);
    // Insert (not flush) position: it covers commits made with synchronous_commit = off too.
    const primaryLsn = fence
      ? (await this.dataSource.query<{ lsn: string }[]>('SELECT pg_current_wal_insert_lsn()::text AS lsn'))[0].lsn
      : undefined;
    const runner = this.dataSource.createQueryRunner('slave');
    try {
      await runner.connect();
    } catch (error) {
      // A replica that cannot be reached must not take the slots endpoint down: the primary answers instead.
      await runner.release();
      if (Date.now() - this.lastWarning > 60_000) {
        this.lastWarning = Date.now();
        this.logger.warn(`read replica unreachable, reading from the primary: ${(error as Error).message}`);
      }
      return work(undefined, primaryLsn);
    }
    try {
      return await work(runner, primaryLsn);
    } finally {
      await runner.release();
    }
  }
}
