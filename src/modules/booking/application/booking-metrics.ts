import { Injectable } from '@nestjs/common';

/**
 * Booking outcome counters. In-process numbers that the metrics endpoint exports (Prometheus), and that the
 * benchmark reads for retries.
 */
@Injectable()
export class BookingMetrics {
  readonly outcomes = { created: 0, conflict: 0, error: 0 };
  retries = 0;

  outcome(kind: 'created' | 'conflict' | 'error') {
    this.outcomes[kind] += 1;
  }

  retried() {
    this.retries += 1;
  }
}
