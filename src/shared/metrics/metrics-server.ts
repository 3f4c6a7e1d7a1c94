import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppConfig } from '../../config/app-config.js';
import { metricsAccess } from './metrics-access.js';
import { MetricsService } from './metrics.service.js';

/**
 * The optional METRICS_PORT listener: a plain HTTP server on METRICS_HOST (loopback by default) that serves only
 * GET /metrics, so Prometheus can scrape each replica on a private address that the load balancer never exposes.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { port, host, token } = this.config.metrics;
    if (port === null) {
      if (!token && this.config.isProduction) this.logger.warn('metrics are off: set METRICS_TOKEN or METRICS_PORT (SECURITY.md)');
      return;
    }
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`metrics served on http://${host}:${this.address()?.port ?? port}/metrics`);
  }

  /** Where the listener is bound (METRICS_PORT=0 picks a free port), or null without one. */
  address(): AddressInfo | null {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address : null;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      sendError(res, 404, `Cannot ${req.method} ${path}`);
      return;
    }
    if (metricsAccess(this.config.metrics.token, req.headers.authorization, 'metrics-port') !== 'granted') {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      sendError(res, 401, 'GET /metrics needs the METRICS_TOKEN as a bearer token');
      return;
    }
    try {
      const text = await this.metrics.registry.metrics();
      res.writeHead(200, { 'Content-Type': this.metrics.registry.contentType, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    } catch (error) {
      this.logger.error(`metrics collection failed: ${(error as Error).message}`);
      sendError(res, 500, 'Internal server error');
    }
  }
}

function sendError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify({ status_code: status, error: STATUS_CODES[status] ?? 'Error', message }));
}
