import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from '../../../shared/metrics/metrics.service.js';
import { DeliveryStore } from '../infrastructure/delivery-store.js';

/** Notify's gauge on /metrics: the delivery backlog, counted at scrape time. */
@Injectable()
export class DeliveryMetrics {
  constructor(metrics: MetricsService, store: DeliveryStore) {
    metrics.register(
      new Gauge({
        name: 'kairos_notification_deliveries',
        help: 'Notification/webhook deliveries by state: pending (queued), due (pending and past due: the backlog), failed',
        labelNames: ['state'],
        registers: [],
        async collect() {
          const counts = await store.countByState().catch(() => null);
          this.reset();
          if (!counts) return; // database away: the scrape still answers, without this gauge's values
          for (const state of ['pending', 'due', 'failed'] as const) this.set({ state }, counts[state]);
        },
      }),
    );
  }
}
