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

/** The request's logger (Fastify's child carrying `reqId`) while a request is handled; see registerRequestLogging. */
const requestLog = new AsyncLocalStorage<Pino>();

const VALID_REQUEST_ID = /^[\w.-]{1,128}$/;

/** The client's X-Request-Id when it is a sane token (so it cannot forge log lines), else a fresh UUID. */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * One completion line per request (`request completed`: id, method, redacted URL, status, response time), none on
 * arrival and none for /health (probes). Fastify calls this from its own `finish` listener; with the level above
 * info the line is never built.
 */
class RequestLogController extends LogController {
  constructor(private readonly infoEnabled: boolean) {
    super();
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (!this.infoEnabled || request.url.startsWith('/health')) return;
    const responseTime = Math.round(reply.elapsedTime * 10) / 10;
    if (error) reply.log.info({ req: request, res: reply, err: error, responseTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime }, 'request completed');
  }
}

/**
 * Fastify's server options for logging: pino as Fastify's own logger (no pino-http middleware, no middie layer),
 * request ids from X-Request-Id or a UUID. At LOG_LEVEL=silent Fastify gets no logger at all: no per-request child
 * logger, no completion line, no logging context (registerRequestLogging).
 */
export function fastifyLoggingOptions(level: string): Pick<FastifyServerOptions, 'loggerInstance' | 'genReqId' | 'logController'> {
  if (level === 'silent') return { genReqId: requestId };
  const root = rootLogger(level);
  return { loggerInstance: root, genReqId: requestId, logController: new RequestLogController(root.isLevelEnabled('info')) };
}

/**
 * Echoes the request id (X-Request-Id) on every response and, when anything can be logged, runs the rest of the
 * request with its logger as the logging context, so Nest's Logger calls made while handling it (the error filter's
 * included) carry its `reqId`.
 */
export function registerRequestLogging(instance: FastifyInstance, level: string): void {
  if (level === 'silent') {
    instance.addHook('onRequest', (request, reply, done) => {
      void reply.header('X-Request-Id', request.id);
      done();
    });
    return;
  }
  instance.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Request-Id', request.id);
    requestLog.run(request.log as Pino, done);
  });
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
 * every request through the middie layer; registerRequestLogging sets the context in a Fastify hook instead.
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
