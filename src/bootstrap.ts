import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { AppConfig } from './config/app-config.js';
import { AppConfigModule } from './config/config.module.js';
import { registerAdminSessions } from './modules/web/application/web-session.js';
import { requestLogging } from './shared/logging/logging.module.js';
import { finishOpenApiDocument } from './shared/http/openapi-document.js';
import { createValidationPipe } from './shared/http/validation.js';
import { HttpExceptionFilter, toErrorBody } from './shared/http/http-exception.filter.js';
import { StorableTextGuard } from './shared/http/storable-text.guard.js';
import { registerRequestMetrics } from './shared/metrics/metrics.hook.js';
import { applyHttpSecurity } from './shared/security/http-security.js';

/** 1 MiB for JSON and urlencoded form bodies (what Express's `limit: '1mb'` meant); larger is a 413. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * The Fastify adapter, configured like the Express app it replaced (ADR 0015): `trust proxy` loopback (nginx sets
 * X-Forwarded-For, which rate limiting keys on), case-insensitive paths that ignore a trailing slash, and route
 * parameters as long as a client sends (validation answers a bad one with 400, not the router with 414). pino is
 * Fastify's own logger at the app's LOG_LEVEL (logging.module.ts). `overrides` are the app's (AppModule.forRoot), which
 * must have been built first: it loads `.env`.
 */
export function createAdapter(overrides: Record<string, string | undefined> = {}): FastifyAdapter {
  const logging = requestLogging(AppConfigModule.logLevel(overrides));
  const adapter = new FastifyAdapter({
    ...logging.serverOptions,
    bodyLimit: BODY_LIMIT,
    trustProxy: 'loopback',
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 2048 },
    // The router refuses a URL it cannot decode before any hook or Nest's error handling runs: answer in our shape.
    frameworkErrors: (error: Error, _request: FastifyRequest, reply: FastifyReply) => {
      const body = toErrorBody(error);
      void reply.code(body.status_code).type('application/json; charset=utf-8').send(body);
    },
  });
  logging.register(adapter.getInstance());
  return adapter;
}

/** Everything main.ts and the e2e tests share: security, sessions, pipes, filters, metrics, OpenAPI. */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  app.useLogger(app.get(Logger));
  await applyHttpSecurity(app); // helmet (CSP), no-store where a credential is involved, CORS from CORS_ORIGINS
  await registerAdminSessions(app); // /admin: signed session cookie, CSRF on every form post
  registerRequestMetrics(app);
  app.useGlobalGuards(new StorableTextGuard()); // NUL / lone surrogates: 400 before any handler reaches the database
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
  setupOpenApi(app);
}

export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Kairos API')
    .setDescription(
      'Meeting scheduling: hosts publish availability, invitees book slots. JSON in snake_case; instants in UTC. ' +
        'Errors: {status_code, error, message}.',
    )
    .setVersion('1.0')
    .setLicense('Proprietary', 'https://kairos.example.com/license')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Access token from /api/auth/login or a personal API key' })
    .build();
  // PUBLIC_URL when set; else relative, so the document is right behind any proxy and on any port.
  const publicUrl = app.get(AppConfig, { strict: false }).env.PUBLIC_URL;
  const document = finishOpenApiDocument(SwaggerModule.createDocument(app, config), publicUrl);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json', yamlDocumentUrl: 'api/openapi.yaml' });
}

export async function createApp(overrides: Record<string, string | undefined> = {}): Promise<NestFastifyApplication> {
  const module = AppModule.forRoot(overrides); // first: it loads `.env`, which createAdapter reads LOG_LEVEL from
  const app = await NestFactory.create<NestFastifyApplication>(module, createAdapter(overrides), { bufferLogs: true });
  await configureApp(app);
  return app;
}
