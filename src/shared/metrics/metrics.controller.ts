import { Controller, Get, Header, NotFoundException, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config.js';
import { Public } from '../http/authentication.js';
import { metricsAccess } from './metrics-access.js';
import { MetricsService } from './metrics.service.js';
import { pathOf } from '../http/request.js';

/**
 * Prometheus scrape endpoint on the app's port. Not public: it answers only to `Authorization: Bearer
 * <METRICS_TOKEN>` and, without a configured token, like an unknown route (the METRICS_PORT listener serves it
 * instead). @Public only lets it past the host authentication guard, which knows nothing of this token.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply): Promise<string> {
    const access = metricsAccess(this.config.metrics.token, req.headers.authorization, 'app');
    if (access === 'disabled') throw new NotFoundException(`Cannot GET ${pathOf(req)}`);
    if (access === 'unauthorized') {
      res.header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedException('GET /metrics needs the METRICS_TOKEN as a bearer token');
    }
    res.header('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
