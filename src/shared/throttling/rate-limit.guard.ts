import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pathOf } from '../http/request.js';
import type { AuthenticatedRequest } from '../http/authentication.js';

export const THROTTLER_STORAGE = Symbol('THROTTLER_STORAGE');
export const RATE_LIMITS = Symbol('RATE_LIMITS');

/** One fixed-window limit. `applies` picks the requests it counts (all of them when absent). */
export interface RateLimit {
  name: string;
  limit: number;
  ttlMs: number;
  blockMs?: number;
  applies?: (route: string) => boolean;
}

export interface RateLimits {
  enabled: boolean;
  limits: RateLimit[];
}

/** Paths never limited: probes and scrapes come from the infrastructure, not from users. */
const UNLIMITED = /^\/(health|metrics)(\/|$)/;

/** `METHOD /route/pattern` of the matched route (the pattern, so ids do not create separate buckets). */
export function routeOf(req: FastifyRequest): string {
  return `${req.method} ${req.routeOptions.url ?? pathOf(req)}`;
}

/**
 * Who a request counts against: the authenticated host (JWT or API key, resolved by HostAuthGuard, which runs
 * first) or, for anonymous callers, the client IP (`trust proxy` loopback makes this the X-Forwarded-For address
 * that nginx sets).
 */
export function trackerOf(req: AuthenticatedRequest): string {
  return req.user ? `user:${req.user.id}` : `ip:${req.ip}`;
}

/**
 * Global rate-limit guard over a `@nestjs/throttler` ThrottlerStorage (Redis-backed across replicas). It follows
 * ThrottlerGuard's semantics (fixed windows, X-RateLimit-* headers, 429 with Retry-After) but is our own class:
 * @nestjs/throttler 6 is CommonJS requiring the ESM-only @nestjs/common 12, which the test runner cannot load.
 * One bucket per caller across all routes (not per route), plus stricter buckets on named routes.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    @Inject(THROTTLER_STORAGE) private readonly storage: ThrottlerStorage,
    @Inject(RATE_LIMITS) private readonly config: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.config.enabled || context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (UNLIMITED.test(pathOf(req))) return true;
    const res = context.switchToHttp().getResponse<FastifyReply>();
    const route = routeOf(req);
    const tracker = trackerOf(req);
    for (const rule of this.config.limits) {
      if (rule.applies && !rule.applies(route)) continue;
      const blockMs = rule.blockMs ?? rule.ttlMs;
      const r = await this.storage.increment(tracker, rule.ttlMs, rule.limit, blockMs, rule.name);
      const suffix = rule.applies ? `-${rule.name}` : '';
      res.header(`X-RateLimit-Limit${suffix}`, String(rule.limit));
      res.header(`X-RateLimit-Remaining${suffix}`, String(Math.max(0, rule.limit - r.totalHits)));
      res.header(`X-RateLimit-Reset${suffix}`, String(r.timeToExpire));
      if (r.isBlocked) {
        const seconds = Math.max(1, r.timeToBlockExpire);
        res.header('Retry-After', String(seconds));
        throw new HttpException(
          `Too many requests: the limit is ${rule.limit} per ${Math.round(rule.ttlMs / 1000)} s${rule.applies ? ` for ${route}` : ''}. Retry after ${seconds} s.`,
          HttpStatus.TOO_MANY_REQUESTS,
        );
      }
    }
    return true;
  }
}
