import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { MetricsServer } from './metrics-server.js';
import { MetricsService } from './metrics.service.js';
import { SlotCacheCounter } from './slot-cache-counter.js';

/** `/metrics` (Prometheus; behind METRICS_TOKEN, or on METRICS_PORT) and the request timer (metrics.hook.ts, registered by configureApp). Global so any module can count into MetricsService. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, SlotCacheCounter, MetricsServer],
  exports: [MetricsService, SlotCacheCounter],
})
export class MetricsModule {}
