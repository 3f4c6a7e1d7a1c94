import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config.js';
import { ApiKeysService } from './application/api-keys.service.js';
import { AuthService } from './application/auth.service.js';
import { JwtStrategy } from './application/jwt.strategy.js';
import { UsersService } from './application/users.service.js';
import { ApiKeysController } from './http/api-keys.controller.js';
import { HostAuthGuard } from './http/host-auth.guard.js';
import { UsersController } from './http/users.controller.js';
import { ApiKeyEntity } from './infrastructure/api-key.entity.js';
import { UserEntity } from './infrastructure/user.entity.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity, ApiKeyEntity]),
    PassportModule,
    JwtModule.registerAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => ({ secret: config.jwtSecret }) }),
  ],
  controllers: [UsersController, ApiKeysController],
  providers: [UsersService, AuthService, ApiKeysService, JwtStrategy, { provide: APP_GUARD, useClass: HostAuthGuard }],
  exports: [UsersService, AuthService, ApiKeysService],
})
export class IdentityModule {}
