import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MetricsService } from './metrics.service.js';

/**
 * Times every request in Fastify's onResponse hook (no middleware, no per-request closure) and labels it with the
 * matched route pattern (`/api/bookings/:id`), never the raw URL, so ids and tokens neither leak into metrics nor
 * explode their cardinality. Unmatched paths share one label. Fastify's reply.elapsedTime is the time since the
 * request arrived.
 */
export function registerRequestMetrics(app: NestFastifyApplication): void {
  const metrics = app.get(MetricsService);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (req, reply, done) => {
      const route = req.is404 ? 'unmatched' : (req.routeOptions.url ?? 'unmatched');
      metrics.observeRequest(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
}
