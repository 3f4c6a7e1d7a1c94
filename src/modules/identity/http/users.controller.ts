import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { uuidParam } from '../../../shared/http/params.js';
import { AuthService } from '../application/auth.service.js';
import { PasswordResetService } from '../application/password-reset.service.js';
import { UsersService, wrongCurrentPassword } from '../application/users.service.js';
import { type AuthenticatedUser, CurrentUser, Public, refuseApiKey } from '../../../shared/http/authentication.js';
import {
  AccessTokenDto,
  ChangePasswordDto,
  CreateUserDto,
  LoginDto,
  PasswordResetAcceptedDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  PublicUserDto,
  UpdateUserDto,
  UserDto,
  toPublicUser,
  toUser,
} from './identity.dto.js';

const RESET_ACCEPTED = 'If an account exists for this email, a link to reset its password has been sent.';

@ApiTags('identity')
@Controller('api')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly resets: PasswordResetService,
  ) {}

  @Public()
  @Post('users')
  @ApiOperation({ summary: 'Create a host account' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiErrors(400, 409)
  async create(@Body() dto: CreateUserDto): Promise<UserDto> {
    const user = await this.users.create({
      email: dto.email,
      name: dto.name,
      password: dto.password,
      timeZone: dto.time_zone,
      username: dto.username,
    });
    return toUser(user);
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for an access token' })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiErrors(400, 401, 429)
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<AccessTokenDto> {
    return this.auth.login(dto.email, dto.password, req.ip);
  }

  @Public()
  @Post('auth/password-reset')
  @HttpCode(202)
  @ApiOperation({ summary: 'Email a one-time password reset link; the answer is the same whether or not the account exists' })
  @ApiAcceptedResponse({ type: PasswordResetAcceptedDto })
  @ApiErrors(400, 429)
  async requestPasswordReset(@Body() dto: PasswordResetRequestDto, @Req() req: FastifyRequest): Promise<PasswordResetAcceptedDto> {
    await this.resets.request(dto.email, req.ip);
    return { message: RESET_ACCEPTED };
  }

  @Public()
  @Post('auth/password-reset/confirm')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password with the emailed token (once, before it expires); every session and access token is revoked',
  })
  @ApiNoContentResponse({ description: 'Password set; log in again' })
  @ApiErrors(400)
  async confirmPasswordReset(@Body() dto: PasswordResetConfirmDto): Promise<void> {
    await this.resets.confirm(dto.token, dto.new_password);
  }

  @Post('users/me/password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change the password (access token, not an API key); every access token and admin session issued before stops working',
  })
  @ApiNoContentResponse({ description: 'Changed; log in again for a new access token' })
  @ApiErrors(400, 401, 403, 429)
  async changePassword(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() dto: ChangePasswordDto,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    refuseApiKey(caller, 'change the password');
    if (!(await this.users.changePassword(caller.id, dto.current_password, dto.new_password, req.ip)))
      throw wrongCurrentPassword('current_password');
  }

  @Get('users/me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The authenticated host' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(401)
  async me(@CurrentUser() caller: AuthenticatedUser): Promise<UserDto> {
    return toUser(await this.users.getById(caller.id));
  }

  @Patch('users/me')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Update the authenticated host's name, time zone, language or embed origins" })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 401)
  async updateMe(@CurrentUser() caller: AuthenticatedUser, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return toUser(
      await this.users.update(caller.id, { name: dto.name, timeZone: dto.time_zone, embedOrigins: dto.embed_origins, locale: dto.locale }),
    );
  }

  @Public()
  @Get('users/:id')
  @ApiOperation({ summary: 'A user: every field for the user themself, public fields for anyone else' })
  @ApiExtraModels(PublicUserDto)
  @ApiOkResponse({ schema: { anyOf: [{ $ref: getSchemaPath(UserDto) }, { $ref: getSchemaPath(PublicUserDto) }] } })
  @ApiErrors(400, 404)
  async get(@Param('id', uuidParam('id')) id: string, @CurrentUser() caller?: AuthenticatedUser): Promise<UserDto | PublicUserDto> {
    const user = await this.users.getById(id);
    return caller?.id === user.id ? toUser(user) : toPublicUser(user);
  }
}
