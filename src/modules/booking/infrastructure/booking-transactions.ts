import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { runSerializable, type SerializableOptions } from '../../../shared/database/run-serializable.js';

/**
 * Booking's transactions (ADR 0002): the application services say what runs together, the repositories' methods
 * run inside with the manager given here. One place owns the connection, so no application file touches it.
 */
@Injectable()
export class BookingTransactions {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A fresh SERIALIZABLE transaction per attempt, retried on 40001/40P01 (and `retryOn`), under `serializeOn` locks. */
  serializable<T>(work: (manager: EntityManager, attempt: number) => Promise<T>, options?: SerializableOptions): Promise<T> {
    return runSerializable(this.dataSource, work, options);
  }

  /** A plain (READ COMMITTED) transaction, for writes that need atomicity but no re-check. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
