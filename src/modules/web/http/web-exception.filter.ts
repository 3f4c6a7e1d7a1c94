import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorBody } from '../../../shared/http/http-exception.filter.js';
import { pathOf, replySent } from '../../../shared/http/request.js';
import { WebViews } from '../application/web-views.js';
import { translatorFor } from '../../../shared/i18n/i18n.js';
import { i18nView, pageLocale } from './page-locale.js';

/**
 * Whether a booking or reschedule failed because the time was taken meanwhile: whatever the API answers with 409
 * (a conflict, a lost race after retries, the database's no-overlap constraint). The page shows fresh times then.
 */
export const isTakenError = (error: unknown): boolean => toErrorBody(error).status_code === 409;

/** Errors on pages become pages: 401 in the admin sends the host to log in; the rest render a short explanation. */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('WebExceptionFilter');

  constructor(private readonly views: WebViews) {}

  catch(exception: unknown, host: ArgumentsHost) {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const res = host.switchToHttp().getResponse<FastifyReply>();
    if (replySent(res)) return;
    const path = pathOf(req);
    const body = toErrorBody(exception);
    if (typeof body.retry_after_seconds === 'number') res.header('Retry-After', String(body.retry_after_seconds));
    if (path.startsWith('/api/')) {
      res.status(body.status_code).type('application/json; charset=utf-8').send(body); // an unknown API path matched a page route: keep the JSON contract
      return;
    }
    if (body.status_code === 401 && path.startsWith('/admin')) {
      res.redirect(`/admin/login?next=${encodeURIComponent(req.url)}`, 303);
      return;
    }
    if (body.status_code >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const notFound = body.status_code === 404 || (exception instanceof HttpException && exception.getStatus() === 404);
    // The invitee's pages answer in the request's language; the admin stays English until it is translated.
    const admin = path.startsWith('/admin');
    const loc = pageLocale(req);
    const t = admin ? translatorFor('en') : loc.t;
    const html = this.views.render('error', {
      title: notFound ? t('error.notFoundTitle') : t('error.failedTitle'),
      ...(admin ? {} : { i18n: i18nView(req, loc, false) }),
      heading: notFound ? t('error.notFoundHeading') : t('error.failedTitle'),
      message: notFound ? t('error.notFoundMessage') : body.status_code >= 500 ? t('error.tryAgain') : body.message,
      backHref: admin ? '/admin' : '/',
      backLabel: admin ? 'Back to the admin' : t('common.back'),
    });
    res.status(body.status_code).type('text/html; charset=utf-8').send(html);
  }
}
