import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PG_UNIQUE_VIOLATION, sqlState } from '../../../shared/database/pg-errors.js';

/** A transaction handle that calendar repositories accept; application services only pass it along. */
export type CalendarTx = EntityManager;

/** Runs several repository calls atomically (connecting an account, applying a sync, refreshing a token under its row lock). */
@Injectable()
export class CalendarTransactions {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: CalendarTx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * For an insert-or-update that two requests may run at once: the loser of the unique index runs `work` once more,
   * and then finds the winner's row to update.
   */
  async runAgainIfRaced<T>(work: (tx: CalendarTx) => Promise<T>): Promise<T> {
    try {
      return await this.run(work);
    } catch (error) {
      if (sqlState(error) === PG_UNIQUE_VIOLATION) return this.run(work);
      throw error;
    }
  }
}
