import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config.js';
import { AccountMails } from '../notify/application/account-mails.js';
import { MailModule } from '../notify/mail.module.js';
import { ApiKeysService } from './application/api-keys.service.js';
import { AuthService } from './application/auth.service.js';
import { PasswordResetMailer, PasswordResetService } from './application/password-reset.service.js';
import { UserSessions } from './application/user-sessions.service.js';
import { UsersService } from './application/users.service.js';
import { ApiKeysController } from './http/api-keys.controller.js';
import { HostAuthGuard } from './http/host-auth.guard.js';
import { UsersController } from './http/users.controller.js';
import { ApiKeyEntity } from './infrastructure/api-key.entity.js';
import { CredentialsRepository } from './infrastructure/credentials.repository.js';
import { UserEntity } from './infrastructure/user.entity.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity, ApiKeyEntity]),
    JwtModule.registerAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => ({ secret: config.jwtSecret }) }),
    MailModule, // notify's AccountMails sends the password-reset mails (identity's PasswordResetMailer port)
  ],
  controllers: [UsersController, ApiKeysController],
  providers: [
    UsersService, AuthService, ApiKeysService, CredentialsRepository, UserSessions, PasswordResetService,
    { provide: PasswordResetMailer, useExisting: AccountMails },
    { provide: APP_GUARD, useClass: HostAuthGuard },
  ],
  exports: [UsersService, AuthService, ApiKeysService, UserSessions, PasswordResetService],
})
export class IdentityModule {}
