import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { stdSerializers } from 'pino';
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
export const LoggingModule = LoggerModule.forRootAsync({
  inject: [AppConfig],
  useFactory: (config: AppConfig) => ({
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      hooks: {
        logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void) {
          method.apply(this, maskLogArguments(args));
        },
      },
      genReqId: (req: IncomingMessage, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ status_code: res.statusCode }),
        err: (err: Error) => maskErrorEmails(stdSerializers.err(err)),
      },
      autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
    },
  }),
});
