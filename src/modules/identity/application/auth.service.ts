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

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  async login(email: string, password: string): Promise<AccessToken> {
    const user = await this.users.verifyPassword(email, password);
    if (!user) throw new DomainError('unauthorized', 'email or password is incorrect');
    return this.issue(user.id);
  }

  async issue(userId: string): Promise<AccessToken> {
    const expiresIn = this.config.jwtExpiresInSeconds;
    const accessToken = await this.jwt.signAsync({ sub: userId, typ: 'access' }, { expiresIn, algorithm: 'HS256' });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn };
  }
}
