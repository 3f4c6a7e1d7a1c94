import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError } from './domain-error.js';
import { PUBLIC_OPERATION_EXTENSION } from './openapi-document.js';

// What every controller, guard and the metrics endpoint need to know about the caller. Identity's HostAuthGuard
// authenticates and fills `request.user`; the contract lives here so that shared code and every context can read
// it without importing the identity context.

export const IS_PUBLIC = 'kairos:isPublic';

/**
 * Marks a route as open to anonymous callers. A valid token, if sent, still identifies the caller. The OpenAPI
 * document says `security: []` for it (see finishOpenApiDocument), from this one mark.
 */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_OPERATION_EXTENSION, true));

export interface AuthenticatedUser {
  id: string;
  via: 'jwt' | 'api_key' | 'session';
}

export type AuthenticatedRequest = FastifyRequest & { user?: AuthenticatedUser };

/** The authenticated host (undefined on a public route called anonymously). */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthenticatedUser | undefined => ctx.switchToHttp().getRequest<AuthenticatedRequest>().user,
);

/**
 * Sensitive account changes (password, deletion, minting API keys) need the password holder: an access token or an
 * admin session, not an API key (a key is for automation, and a leaked one must not take the account over).
 */
export function refuseApiKey(caller: AuthenticatedUser, action: string): void {
  if (caller.via === 'api_key') {
    throw new DomainError('forbidden', `an API key cannot ${action}: log in with your password and use the access token`);
  }
}
