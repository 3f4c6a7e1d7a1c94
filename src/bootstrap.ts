import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { AppConfig } from './config/app-config.js';
import { finishOpenApiDocument } from './shared/http/openapi-document.js';
import { createValidationPipe } from './shared/http/validation.js';
import { HttpExceptionFilter } from './shared/http/http-exception.filter.js';
import { StorableTextGuard } from './shared/http/storable-text.guard.js';
import { applyHttpSecurity } from './shared/security/http-security.js';

export const BODY_LIMIT = '1mb';

/** Everything main.ts and the e2e tests share: parsers, pipes, filters, OpenAPI. */
export function configureApp(app: NestExpressApplication): void {
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  applyHttpSecurity(app); // helmet (CSP) and CORS from CORS_ORIGINS
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT }));
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

export async function createApp(overrides: Record<string, string | undefined> = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(overrides), {
    bodyParser: false,
    bufferLogs: true,
  });
  configureApp(app);
  return app;
}
