import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config.js';
import { AccountMails } from './infrastructure/account-mails.js';

import { hkdfSync } from 'node:crypto';
import { OutboundHttp } from '../../shared/outbound/outbound-http.js';
import { ApiKeysService } from './application/api-keys.service.js';
import { GoogleSignIn } from './application/google-sign-in.service.js';
import { AuthService } from './application/auth.service.js';
import { PasswordResetMailer, PasswordResetService } from './application/password-reset.service.js';
import { EmailVerificationMailer, EmailVerificationService } from './application/email-verification.service.js';
import { UserSessions } from './application/user-sessions.service.js';
import { UsersService } from './application/users.service.js';
import { ApiKeysController } from './http/api-keys.controller.js';
import { HostAuthGuard } from './http/host-auth.guard.js';
import { UsersController } from './http/users.controller.js';
import { ApiKeyEntity } from './infrastructure/api-key.entity.js';
import { ApiKeysRepository } from './infrastructure/api-keys.repository.js';
import { CredentialsRepository, EmailVerificationsRepository } from './infrastructure/credentials.repository.js';
import { GOOGLE_CALLBACK_PATH, GoogleOAuthStrategy } from './infrastructure/google-oauth.strategy.js';
import { UserEntity } from './infrastructure/user.entity.js';
import { UsersRepository } from './infrastructure/users.repository.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity, ApiKeyEntity]),
    JwtModule.registerAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => ({ secret: config.jwtSecret }) }),
  ],
  controllers: [UsersController, ApiKeysController],
  providers: [
    AccountMails,
    UsersService,
    AuthService,
    ApiKeysService,
    UsersRepository,
    ApiKeysRepository,
    CredentialsRepository,
    UserSessions,
    PasswordResetService,
    { provide: PasswordResetMailer, useExisting: AccountMails },
    EmailVerificationsRepository,
    EmailVerificationService,
    { provide: EmailVerificationMailer, useExisting: AccountMails },
    GoogleSignIn,
    {
      // One strategy per app, from this app's configuration; null (sign-in off) without a Google OAuth client.
      provide: GoogleOAuthStrategy,
      inject: [AppConfig, OutboundHttp],
      useFactory: (config: AppConfig, outbound: OutboundHttp) => {
        const google = config.googleSignIn;
        if (!google) return null;
        const stateKey = Buffer.from(hkdfSync('sha256', config.appSecret, 'kairos', 'google-signin-state', 32));
        return new GoogleOAuthStrategy(
          {
            ...google,
            callbackUrl: () => `${config.publicUrl}${GOOGLE_CALLBACK_PATH}`,
            stateKey,
            secureCookies: config.publicUrl.startsWith('https://'),
          },
          outbound,
        );
      },
    },
    { provide: APP_GUARD, useClass: HostAuthGuard },
  ],
  exports: [UsersService, AuthService, ApiKeysService, UserSessions, PasswordResetService, GoogleSignIn, EmailVerificationService],
})
export class IdentityModule {}
