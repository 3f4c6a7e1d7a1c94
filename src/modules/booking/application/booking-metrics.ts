import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '../../../shared/metrics/metrics.service.js';

/**
 * Booking outcome counters. In-process numbers that the benchmark reads for retries, registered with /metrics
 * (Prometheus) as counters read at scrape time, so booking pays nothing per request for them.
 */
@Injectable()
export class BookingMetrics {
  readonly outcomes = { created: 0, conflict: 0, error: 0 };
  retries = 0;

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
  }

  outcome(kind: 'created' | 'conflict' | 'error') {
    this.outcomes[kind] += 1;
  }

  retried() {
    this.retries += 1;
  }
}
