import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { SerializationRetriesExhaustedError } from '../../../shared/database/run-serializable.js';
import { DomainError } from '../../../shared/http/domain-error.js';
import { MetricsService } from '../../../shared/metrics/metrics.service.js';
import { isHostTaken } from '../infrastructure/booking.repository.js';

/** Why a booking, reschedule or hold answered 409: a closed set, so the `cause` label stays bounded. */
export type ConflictCause =
  | 'slot_taken' // the in-transaction re-check found the time taken (or no longer offered)
  | 'hold_conflict' // only another invitee's live hold stood in the way
  | 'all_hosts_taken' // round robin: every candidate host lost the race
  | 'limit_reached' // a meeting type's or host's cap (bookings or minutes per period, per invitee) is reached
  | 'exclusion_constraint' // the database constraint refused a write the re-check allowed (the re-check missed)
  | 'retries_exhausted' // serialization failures on every attempt
  | 'other'; // a 409 about state (meeting type inactive, booking cancelled, idempotency)

export type BookingOperation = 'create' | 'reschedule' | 'cancel' | 'hold';

/** A 409 from the double-booking checks, carrying which check refused. */
export class BookingConflictError extends DomainError {
  constructor(
    readonly reason: Exclude<ConflictCause, 'exclusion_constraint' | 'retries_exhausted' | 'other'>,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super('conflict', message, details);
  }
}

/** The cause of a 409 (null when the error is no conflict). Mirrors how the HTTP filter maps these errors to 409. */
export function conflictCause(error: unknown): ConflictCause | null {
  if (error instanceof BookingConflictError) return error.reason;
  if (error instanceof SerializationRetriesExhaustedError)
    return isHostTaken(error.lastError) ? 'exclusion_constraint' : 'retries_exhausted';
  if (isHostTaken(error)) return 'exclusion_constraint';
  if (error instanceof DomainError && error.code === 'conflict') return 'other';
  return null;
}

/** Seconds; bookings take a serializable transaction and may wait on a host's advisory lock. */
const BOOKING_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 1, 2, 5, 10];

/**
 * Booking outcome counters. In-process numbers that the benchmark reads for retries, registered with /metrics
 * (Prometheus) as counters read at scrape time, so booking pays nothing per request for them. Latency and 409
 * causes are prom-client metrics observed as they happen.
 */
@Injectable()
export class BookingMetrics {
  readonly outcomes = { created: 0, conflict: 0, error: 0 };
  retries = 0;
  private readonly duration: Histogram<'operation' | 'result'>;
  private readonly conflicts: Counter<'operation' | 'cause'>;

  constructor(metrics: MetricsService) {
    // collect() runs with the Counter as `this`; these arrows read this object's counts at scrape time.
    const outcomes = () => this.outcomes;
    const retries = () => this.retries;
    metrics.register(
      new Counter({
        name: 'kairos_booking_outcomes_total',
        help: 'Booking attempts by outcome: created, conflict (409: the time was taken), error',
        labelNames: ['outcome'],
        registers: [],
        collect() {
          this.reset();
          for (const [outcome, n] of Object.entries(outcomes())) this.inc({ outcome }, n);
        },
      }),
    );
    metrics.register(
      new Counter({
        name: 'kairos_booking_serialization_retries_total',
        help: 'Serializable booking transactions retried after 40001/40P01/23P01',
        registers: [],
        collect() {
          this.reset();
          this.inc(retries());
        },
      }),
    );
    this.duration = new Histogram({
      name: 'kairos_booking_duration_seconds',
      help: 'Latency of booking commands (create, reschedule, cancel, hold) by result: ok, conflict (409), error',
      labelNames: ['operation', 'result'],
      buckets: BOOKING_BUCKETS,
      registers: [],
    });
    this.conflicts = new Counter({
      name: 'kairos_booking_conflicts_total',
      help: 'Double-booking prevention: booking commands answered 409, by operation and cause',
      labelNames: ['operation', 'cause'],
      registers: [],
    });
    metrics.register(this.duration);
    metrics.register(this.conflicts);
  }

  outcome(kind: 'created' | 'conflict' | 'error') {
    this.outcomes[kind] += 1;
  }

  retried() {
    this.retries += 1;
  }

  /** Runs one booking command, timing it and counting a 409 by its cause. */
  async timed<T>(operation: BookingOperation, work: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    let result = 'ok';
    try {
      return await work();
    } catch (error) {
      const cause = conflictCause(error);
      result = cause ? 'conflict' : 'error';
      if (cause) this.conflicts.inc({ operation, cause });
      throw error;
    } finally {
      this.duration.observe({ operation, result }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }
}
