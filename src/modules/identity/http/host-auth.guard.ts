import { type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { API_KEY_PREFIX, ApiKeysService } from '../application/api-keys.service.js';
import { type AuthenticatedRequest, IS_PUBLIC } from './auth.decorators.js';

/**
 * Global guard: every route needs a host's Bearer token (access token from login or a personal API key) unless it
 * is marked @Public(). Public routes still learn who the caller is when a valid token is sent.
 */
@Injectable()
export class HostAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (request.user) return true; // e.g. set by the admin's session middleware
    const header = request.headers.authorization;
    if (!header) {
      if (isPublic) return true;
      throw new UnauthorizedException('authentication required: send Authorization: Bearer <token>');
    }
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      if (isPublic) return true;
      throw new UnauthorizedException('Authorization header must be "Bearer <token>"');
    }
    if (token.startsWith(API_KEY_PREFIX)) {
      const userId = await this.apiKeys.authenticate(token);
      if (userId) {
        request.user = { id: userId, via: 'api_key' };
        return true;
      }
      if (isPublic) return true;
      throw new UnauthorizedException('API key is invalid or revoked');
    }
    try {
      return (await super.canActivate(context)) as boolean;
    } catch (error) {
      if (isPublic) return true;
      throw error;
    }
  }

  override handleRequest<T>(error: unknown, user: T): T {
    if (error || !user) throw new UnauthorizedException('access token is invalid or expired');
    return user;
  }
}
