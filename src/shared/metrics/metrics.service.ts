import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, type Metric, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { SlotCacheCounter } from './slot-cache-counter.js';

/** Seconds; fine-grained below 200 ms, the spec's availability latency target. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 1, 2.5, 5, 10];

/**
 * Prometheus metrics of one app instance, in its own registry (two in-process instances in a test must not
 * collide). Counters that modules already keep (SlotCacheCounter here; a context's own through `register`) and
 * database state (queue depth, outbox lag, pool) are read at scrape time by collect callbacks, so no hot path pays
 * for them. Nothing here knows a context: contexts register their metrics (booking: BookingMetrics).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly calendarApiErrors: Counter<'provider' | 'kind'>;
  readonly calendarApiDuration: Histogram<'provider' | 'operation'>;

  constructor(
    private readonly dataSource: DataSource,
    slotCacheCounter: SlotCacheCounter,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'kairos_' });
    // prom-client's defaults include three gauges named *_total, a suffix reserved for counters (`promtool check
    // metrics` flags them). The same counts stay available by type: sum(kairos_nodejs_active_handles) etc.
    for (const name of ['active_handles_total', 'active_requests_total', 'active_resources_total']) {
      this.registry.removeSingleMetric(`kairos_nodejs_${name}`);
    }

    this.httpDuration = new Histogram({
      name: 'kairos_http_request_duration_seconds',
      help: 'HTTP request latency by route pattern',
      labelNames: ['method', 'route', 'status_code'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.calendarApiErrors = new Counter({
      name: 'kairos_calendar_api_errors_total',
      help: 'Failed calls to calendar providers (incremented through MetricsService.calendarApiError)',
      labelNames: ['provider', 'kind'],
      registers,
    });

    this.calendarApiDuration = new Histogram({
      name: 'kairos_calendar_api_duration_seconds',
      help: 'Latency of calendar provider calls (failed ones included) by provider and operation (open, read, upsert, delete)',
      labelNames: ['provider', 'operation'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });

    const slotCache = slotCacheCounter;
    new Counter({
      name: 'kairos_slot_cache_requests_total',
      help: 'Slot lookups served from the cache (hit) or computed (miss)',
      labelNames: ['result'],
      registers,
      collect() {
        this.reset();
        this.inc({ result: 'hit' }, slotCache.hits);
        this.inc({ result: 'miss' }, slotCache.misses);
      },
    });

    const db = this.dataSource;
    new Gauge({
      name: 'kairos_outbox_lag_seconds',
      help: 'Age of the oldest outbox event a consumer has not processed yet (0 when caught up)',
      labelNames: ['consumer'],
      registers,
      async collect() {
        const rows = await db
          .query<Array<{ consumer: string; lag: number | null }>>(
            `SELECT c.consumer,
                  (SELECT EXTRACT(EPOCH FROM now() - e.occurred_at)::float8 FROM outbox_events e
                    WHERE (e.txid, e.id) > (c.last_txid, c.last_event_id) ORDER BY e.txid, e.id LIMIT 1) AS lag
             FROM outbox_consumer_offsets c`,
          )
          .catch(() => []);
        this.reset();
        for (const r of rows) this.set({ consumer: r.consumer }, Math.max(0, r.lag ?? 0));
      },
    });
    new Gauge({
      name: 'kairos_db_pool_connections',
      help: 'PostgreSQL pool connections of this instance: total, idle, waiting (clients queued for a connection)',
      labelNames: ['state'],
      registers,
      collect() {
        const pool = (db.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
        this.reset();
        if (!pool || typeof pool.totalCount !== 'number') return;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  /** For calendar adapters: count a failed provider call (kind: auth, rate_limited, server, network). */
  calendarApiError(provider: string, kind: string): void {
    this.calendarApiErrors.inc({ provider, kind });
  }

  /** For calendar sources: how long one provider call took, whatever its outcome. */
  observeCalendarCall(provider: string, operation: string, seconds: number): void {
    this.calendarApiDuration.observe({ provider, operation }, seconds);
  }

  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  /**
   * For contexts: adds a metric they define (typically with a collect callback over counts they keep) to this
   * instance's registry. Create it with `registers: []`, so it lands in no global registry.
   */
  register(metric: Metric): void {
    this.registry.registerMetric(metric);
  }
}
