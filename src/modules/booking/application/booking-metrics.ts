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
    const counts = this;
    metrics.register(new Counter({
      name: 'kairos_booking_outcomes_total',
      help: 'Booking attempts by outcome: created, conflict (409: the time was taken), error',
      labelNames: ['outcome'],
      registers: [],
      collect() {
        this.reset();
        for (const [outcome, n] of Object.entries(counts.outcomes)) this.inc({ outcome }, n);
      },
    }));
    metrics.register(new Counter({
      name: 'kairos_booking_serialization_retries_total',
      help: 'Serializable booking transactions retried after 40001/40P01/23P01',
      registers: [],
      collect() {
        this.reset();
        this.inc(counts.retries);
      },
    }));
  }

  outcome(kind: 'created' | 'conflict' | 'error') {
    this.outcomes[kind] += 1;
  }

  retried() {
    this.retries += 1;
  }
}
