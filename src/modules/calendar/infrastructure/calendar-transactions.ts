import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** A transaction handle that calendar repositories accept; application services only pass it along. */
export type CalendarTx = EntityManager;

/** Runs several repository calls atomically (connecting an account, applying a sync, refreshing a token under its row lock). */
@Injectable()
export class CalendarTransactions {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: CalendarTx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
