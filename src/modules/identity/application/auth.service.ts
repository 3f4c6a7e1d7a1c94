import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../../../config/app-config.js';
import { DomainError } from '../../../shared/http/domain-error.js';
import { UsersService } from './users.service.js';

export interface AccessToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** Claims of an access token. `gen` is the user's session_version at issue: a credential change bumps it. */
export interface AccessTokenClaims {
  sub: string;
  typ?: string;
  gen?: number;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  /** `address`: the client's, for the credential limiter (per account and per address). */
  async login(email: string, password: string, address?: string | null): Promise<AccessToken> {
    const user = await this.users.verifyPassword(email, password, address);
    if (!user) throw new DomainError('unauthorized', 'email or password is incorrect');
    return this.issue(user.id);
  }

  async issue(userId: string): Promise<AccessToken> {
    const gen = await this.users.sessionVersionOf(userId);
    if (gen === null) throw new DomainError('unauthorized', 'this account no longer exists');
    const expiresIn = this.config.jwtExpiresInSeconds;
    const claims: AccessTokenClaims = { sub: userId, typ: 'access', gen };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn, algorithm: 'HS256' });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn };
  }

  /**
   * The user an access token speaks for, or null. The signature and expiry are checked (HS256 only), then the
   * account must still exist and the token's generation be current (a token from before generations existed carries
   * none and counts as 0). Read from the database on every request, so a revocation holds at once on every replica;
   * one primary-key lookup. Verified with this app's own JwtService rather than a passport strategy: passport keeps
   * strategies in a process-wide registry, where a second app instance in the same process would replace ours.
   */
  async userOfAccessToken(token: string): Promise<string | null> {
    const claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] }).catch(() => null);
    if (!claims || claims.typ !== 'access' || typeof claims.sub !== 'string') return null;
    const gen = await this.users.sessionVersionOf(claims.sub);
    return gen !== null && (claims.gen ?? 0) === gen ? claims.sub : null;
  }
}
