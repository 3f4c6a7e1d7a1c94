import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CredentialLimiter } from '../../../shared/throttling/credential-limiter.js';
import { API_KEY_PREFIX, ApiKeysService } from '../application/api-keys.service.js';
import { AuthService } from '../application/auth.service.js';
import { type AuthenticatedRequest, IS_PUBLIC } from '../../../shared/http/authentication.js';

/**
 * Global guard: every route needs a host's Bearer token (access token from login or a personal API key) unless it
 * is marked @Public(). Public routes still learn who the caller is when a valid token is sent. Access tokens are
 * checked against the account's current generation (AuthService.userOfAccessToken), so a revoked or orphaned token
 * is a 401.
 */
@Injectable()
export class HostAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    private readonly auth: AuthService,
    private readonly limiter: CredentialLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
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
    if (scheme.toLowerCase() !== 'bearer' || !token) {
      if (isPublic) return true;
      throw new UnauthorizedException('Authorization header must be "Bearer <token>"');
    }
    if (token.startsWith(API_KEY_PREFIX)) {
      const userId = await this.apiKeys.authenticate(token);
      if (userId) {
        request.user = { id: userId, via: 'api_key' };
        return true;
      }
      // A wrong key is a failed credential check like a wrong password: counted per address (429 past the limit).
      await this.limiter.assertOpen({ address: request.ip });
      await this.limiter.recordFailure({ address: request.ip });
      if (isPublic) return true;
      throw new UnauthorizedException('API key is invalid or revoked');
    }
    const userId = await this.auth.userOfAccessToken(token);
    if (userId) {
      request.user = { id: userId, via: 'jwt' };
      return true;
    }
    if (isPublic) return true;
    throw new UnauthorizedException('access token is invalid or expired');
  }
}
