import { Global, Module } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { LogController } from 'fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { pino, stdSerializers, type Logger as Pino, type LoggerOptions } from 'pino';
import { AppConfig } from '../../config/app-config.js';
import { maskErrorEmails, maskLogArguments, redactUrl } from './redaction.js';

export { redactUrl };

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.password_hash',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.management_token',
  '*.secret',
  '*.key',
];

/**
 * Structured JSON logs with a request id (taken from X-Request-Id when sent) and secrets redacted: request URLs
 * through redactUrl (tokens in every query shape and secret path segments, emails in query values), no request or
 * response headers at all (Authorization, cookies, Idempotency-Key, Set-Cookie), the fields below in logged objects,
 * and email addresses masked in every message and error at every level (redaction.ts).
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    hooks: {
      logMethod(this: Pino, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, maskLogArguments(args));
      },
    },
    serializers: {
      // A Fastify request on the completion line; its id is the line's `reqId`, as on every line logged during it.
      req: (req: { method: string; url: string }) => ({ method: req.method, url: redactUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ status_code: res.statusCode }),
      err: (err: Error) => maskErrorEmails(stdSerializers.err(err)),
    },
  };
}

/**
 * One pino logger per level for the process, shared by Fastify (request logs, `request.log`) and Nest's Logger, so
 * there is one destination. Keyed by level because the tests build several apps in one process.
 */
const roots = new Map<string, Pino>();
export function rootLogger(level: string): Pino {
  let root = roots.get(level);
  if (!root) {
    root = pino(loggerOptions(level));
    roots.set(level, root);
  }
  return root;
}

/** The request's logger (Fastify's child carrying `reqId`) while a request is handled; see requestLogging. */
const requestLog = new AsyncLocalStorage<Pino>();

const VALID_REQUEST_ID = /^[\w.-]{1,128}$/;

/** The client's X-Request-Id when it is a sane token (so it cannot forge log lines), else a fresh UUID. */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Routes whose successful answers are summed up in one `requests summary` line per route every
 * SUMMARY_INTERVAL_MS instead of one line each: the hot read path, where a line per request cost about a fifth of a
 * warm request's CPU (docs/performance.md). Their client and server errors are still logged one by one.
 */
const SUMMARISED_ROUTES = new Set(['/api/availability/slots']);
export const SUMMARY_INTERVAL_MS = 10_000;

interface RouteSummary {
  requests: number;
  totalMs: number;
  maxMs: number;
  statuses: Partial<Record<number, number>>;
}

/**
 * One completion line per request (`request completed`: reqId, method, redacted URL, status, response time), none on
 * arrival and none for /health (probes); SUMMARISED_ROUTES' successes in a summary instead. Fastify calls this from
 * its own `finish` listener; with the level above info nothing is built.
 */
class RequestLogController extends LogController {
  private summaries = new Map<string, RouteSummary>();
  private since = Date.now();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly log: Pino) {
    super();
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (!this.log.isLevelEnabled('info') || request.url.startsWith('/health')) return;
    const ms = reply.elapsedTime;
    const route = request.routeOptions.url;
    if (!error && reply.statusCode < 400 && route !== undefined && SUMMARISED_ROUTES.has(route)) {
      this.summarise(`${request.method} ${route}`, reply.statusCode, ms);
      return;
    }
    const responseTime = Math.round(ms * 10) / 10;
    if (error) reply.log.info({ req: request, res: reply, err: error, responseTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime }, 'request completed');
  }

  private summarise(key: string, status: number, ms: number): void {
    let summary = this.summaries.get(key);
    if (!summary) {
      summary = { requests: 0, totalMs: 0, maxMs: 0, statuses: {} };
      this.summaries.set(key, summary);
    }
    summary.requests += 1;
    summary.totalMs += ms;
    if (ms > summary.maxMs) summary.maxMs = ms;
    summary.statuses[status] = (summary.statuses[status] ?? 0) + 1;
    this.timer ??= setInterval(() => this.flush(), SUMMARY_INTERVAL_MS).unref();
  }

  /** Logs and resets the summaries (every SUMMARY_INTERVAL_MS, and when the server closes). */
  flush(): void {
    const now = Date.now();
    for (const [route, s] of this.summaries) {
      if (s.requests === 0) continue;
      const responseTimeMs = { mean: Math.round((s.totalMs / s.requests) * 10) / 10, max: Math.round(s.maxMs * 10) / 10 };
      this.log.info(
        {
          route,
          requests: s.requests,
          status: s.statuses,
          response_time_ms: responseTimeMs,
          window_s: Math.round((now - this.since) / 1000),
        },
        'requests summary',
      );
    }
    this.summaries = new Map();
    this.since = now;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.flush();
  }
}

export interface RequestLogging {
  /** Fastify's server options: its logger, request ids, the log controller. */
  serverOptions: Pick<FastifyServerOptions, 'loggerInstance' | 'genReqId' | 'logController'>;
  /** Hooks on the Fastify instance built with serverOptions. */
  register(instance: FastifyInstance): void;
}

/**
 * Request logging with pino as Fastify's own logger (no pino-http middleware, no middie layer): request ids from
 * X-Request-Id or a UUID, echoed on every response; when anything can be logged, the rest of each request runs with its
 * logger as the logging context, so Nest's Logger calls made while handling it (the error filter's included) carry
 * its `reqId`. At LOG_LEVEL=silent Fastify gets no logger at all: no per-request child logger, no completion line, no
 * logging context.
 */
export function requestLogging(level: string): RequestLogging {
  const echoId = (request: FastifyRequest, reply: FastifyReply) => void reply.header('X-Request-Id', request.id);
  if (level === 'silent') {
    return {
      serverOptions: { genReqId: requestId },
      register: (instance) =>
        instance.addHook('onRequest', (request, reply, done) => {
          echoId(request, reply);
          done();
        }),
    };
  }
  const root = rootLogger(level);
  const controller = new RequestLogController(root);
  return {
    serverOptions: { loggerInstance: root, genReqId: requestId, logController: controller },
    register(instance) {
      instance.addHook('onRequest', (request, reply, done) => {
        echoId(request, reply);
        requestLog.run(request.log as Pino, done);
      });
      instance.addHook('onClose', (_instance, done) => {
        controller.close();
        done();
      });
    },
  };
}

/** nestjs-pino's PinoLogger, writing through the request's logger when there is one, else the root logger. */
class RequestContextPinoLogger extends PinoLogger {
  constructor(private readonly root: Pino) {
    super({ pinoHttp: { logger: root }, useExisting: true });
  }

  override get logger(): Pino {
    return requestLog.getStore() ?? this.root;
  }
}

/**
 * Nest's logger (`app.useLogger(app.get(Logger))`): nestjs-pino's Logger over the same pino instance Fastify logs
 * with. nestjs-pino's LoggerModule is not imported: its context comes from a Nest middleware, which on Fastify runs
 * every request through the middie layer; requestLogging sets the context in a Fastify hook instead.
 */
@Global()
@Module({
  providers: [
    {
      provide: Logger,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new Logger(new RequestContextPinoLogger(rootLogger(config.logLevel)), {}),
    },
  ],
  exports: [Logger],
})
export class LoggingModule {}
