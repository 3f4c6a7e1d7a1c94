import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../../../config/app-config.js';
import type { AuthenticatedUser } from '../http/auth.decorators.js';
import { type AccessTokenClaims, AuthService } from './auth.service.js';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /** A valid signature is not enough: the account must still exist and the token's generation be current. */
  async validate(payload: AccessTokenClaims): Promise<AuthenticatedUser | false> {
    return (await this.auth.isCurrent(payload)) ? { id: payload.sub, via: 'jwt' } : false;
  }
}
