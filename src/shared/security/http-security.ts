import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config.js';
import { queryHasSecret } from './secret-params.js';

/**
 * Security headers and CORS. The server-rendered pages load only their own /static script and stylesheet, so the
 * CSP allows 'self' and nothing inline for scripts; the OpenAPI UI (/api/docs) needs inline styles. `form-action`
 * is left open because calendar "connect" forms redirect to the providers' OAuth pages.
 * CORS: only the origins listed in CORS_ORIGINS (none by default: the API is used server to server and by our own
 * same-origin pages); Authorization is a header, not a cookie, so credentials are not allowed cross-origin.
 */
export async function applyHttpSecurity(app: NestFastifyApplication): Promise<void> {
  const config = app.get(AppConfig);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        ...(config.isProduction ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS only where TLS terminates in front of us in production; on plain-http dev it would pin localhost.
    strictTransportSecurity: config.isProduction ? { maxAge: 15_552_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    // Nothing is framed unless a page says so: the booking pages with ?embed=1 (framing.ts allowFramingBy) only.
    xFrameOptions: { action: 'deny' },
  });
  app.getHttpAdapter().getInstance().addHook('onRequest', noStoreWhereSecret);
  const origins = config.corsOrigins;
  app.enableCors({
    origin: origins.length > 0 ? origins : false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: ['Retry-After', 'X-Request-Id', 'Location'],
    credentials: false,
    maxAge: 600,
  });
}

/** Pages whose every response is one person's: the host admin, the invitee's manage pages, login and key issue. */
const PRIVATE_PATHS = /^\/(admin|booking|api\/auth)(\/|$)/i;

/**
 * `Cache-Control: no-store` on every response that carries or was reached with a credential, so no browser history
 * cache, shared proxy or CDN keeps a management token, session page, access token or new API key:
 * - any non-GET (booking creation returns the management token, login the access token, POST /api/api-keys the key,
 *   form posts redirect to token links; all of it is per caller);
 * - any request with an Authorization header (per-account data);
 * - /admin (and its redirects), the invitee's /booking pages and .ics, /api/auth;
 * - any URL with a secret query parameter (`?token=` in any spelling: GET /api/bookings/:id?token=, the .ics).
 * Set in an onRequest hook, before any handler, so a handler that deliberately allows caching (the static files, the private feed) still
 * decides for itself; nothing that matches here sets its own.
 */
export function noStoreWhereSecret(req: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const url = req.url;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (
    (req.method !== 'GET' && req.method !== 'HEAD') ||
    req.headers.authorization !== undefined ||
    PRIVATE_PATHS.test(path) ||
    (q !== -1 && queryHasSecret(url.slice(q + 1)))
  ) {
    reply.header('Cache-Control', 'no-store');
  }
  done();
}
