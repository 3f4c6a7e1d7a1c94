import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { AppConfig } from '../../config/app-config.js';

/**
 * Security headers and CORS. The server-rendered pages load only their own /static script and stylesheet, so the
 * CSP allows 'self' and nothing inline for scripts; the OpenAPI UI (/api/docs) needs inline styles. `form-action`
 * is left open because calendar "connect" forms redirect to the providers' OAuth pages.
 * CORS: only the origins listed in CORS_ORIGINS (none by default: the API is used server to server and by our own
 * same-origin pages); Authorization is a header, not a cookie, so credentials are not allowed cross-origin.
 */
export function applyHttpSecurity(app: NestExpressApplication): void {
  const config = app.get(AppConfig);
  app.use(
    helmet({
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
    }),
  );
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
