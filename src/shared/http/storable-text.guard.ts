import { BadRequestException, type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { findUnstorableText } from '../validation/text.js';

/**
 * Refuses, before any handler or pipe runs, a request whose path parameters, query or body hold text PostgreSQL
 * cannot store (U+0000, lone surrogates): otherwise every query that carries it fails with a 500. A guard, not a
 * middleware, so the exception reaches the route's own filter (the pages answer with their HTML error page).
 */
@Injectable()
export class StorableTextGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    for (const [where, value] of [
      ['path', req.params],
      ['query', req.query],
      ['body', req.body],
    ] as const) {
      const found = findUnstorableText(value);
      if (found) {
        const field = found.length > 100 ? `${found.slice(0, 100)}…` : found; // keys are the client's: never echo a long one
        const message = `${field} (in the ${where}) contains a character that cannot be stored (NUL or an unpaired surrogate)`;
        throw new BadRequestException({ message, errors: [{ field, messages: ['contains a character that cannot be stored'] }] });
      }
    }
    return true;
  }
}
