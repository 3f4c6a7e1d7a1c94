import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from '../../../shared/metrics/metrics.service.js';
import { DeliveryStore } from '../infrastructure/delivery-store.js';
import { DeliveryQueue } from './delivery-queue.js';

/** The queue label of notify's delivery queue (BullMQ's queue name when REDIS_URL is set). */
const QUEUE_LABEL = 'notify-deliveries';

/** Notify's gauges on /metrics: the delivery backlog in PostgreSQL and the delivery queue's depth, read at scrape time. */
@Injectable()
export class DeliveryMetrics {
  constructor(metrics: MetricsService, store: DeliveryStore, queue: DeliveryQueue) {
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
    metrics.register(
      new Gauge({
        name: 'kairos_queue_jobs',
        help: 'Jobs in a work queue by state: waiting, delayed, active (BullMQ with REDIS_URL; in process: active only)',
        labelNames: ['queue', 'state'],
        registers: [],
        async collect() {
          const depth = await queue.depth().catch(() => null);
          this.reset();
          if (!depth) return; // Redis away: no values rather than a failed scrape
          for (const state of ['waiting', 'delayed', 'active'] as const) this.set({ queue: QUEUE_LABEL, state }, depth[state]);
        },
      }),
    );
  }
}
