import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, type SchemaObject } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthIndicatorFunction,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { Public } from '../../../shared/http/authentication.js';
import { type OptionalRedis, REDIS } from '../../../shared/redis/redis.module.js';

/** Terminus's report: `status`, and per check `info` / `error` / `details` (documented loosely: checks vary). */
const HEALTH_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', example: 'ok' } },
  additionalProperties: true,
};

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: OptionalRedis,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up' })
  @ApiOkResponse({ description: 'Up', schema: HEALTH_SCHEMA })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOkResponse({ description: 'Ready', schema: HEALTH_SCHEMA })
  @ApiServiceUnavailableResponse({ description: 'Not ready: the failing check is under `error`', schema: HEALTH_SCHEMA })
  @HealthCheck()
  @ApiOperation({
    summary:
      'Readiness: 503 only when PostgreSQL does not answer. Redis (when configured) is reported as "degraded" ' +
      '(200) when it does not: slots are then computed uncached, rate limits counted per process, deliveries wait in PostgreSQL.',
  })
  ready() {
    const checks: HealthIndicatorFunction[] = [() => this.db.pingCheck('database').withTimeout(2000)];
    const redis = this.redis;
    if (redis) checks.push(() => this.redisCheck(redis));
    return this.health.check(checks);
  }

  /**
   * Redis is a cache and a queue, not the source of truth: without it the instance still answers correctly, so it is
   * reported as degraded and the instance stays in the load balancer (a Redis outage must not empty the fleet).
   */
  private async redisCheck(redis: Redis) {
    const indicator = this.indicators.check('redis');
    try {
      await redis.ping();
      return indicator.up();
    } catch (error) {
      return indicator.degraded({
        message: (error as Error).message,
        impact: 'slots computed without cache; rate limits per instance; deliveries wait in PostgreSQL until Redis returns',
      });
    }
  }
}
