import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';

export const IS_PUBLIC = 'kairos:isPublic';

/** Marks a route as open to anonymous callers. A valid token, if sent, still identifies the caller. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export interface AuthenticatedUser {
  id: string;
  via: 'jwt' | 'api_key' | 'session';
}

export type AuthenticatedRequest = Request & { user?: AuthenticatedUser };

/** The authenticated host (undefined on a public route called anonymously). */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthenticatedUser | undefined => ctx.switchToHttp().getRequest<AuthenticatedRequest>().user,
);
