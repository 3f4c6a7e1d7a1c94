import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { uuidParam } from '../../../shared/http/params.js';
import { AuthService } from '../application/auth.service.js';
import { UsersService } from '../application/users.service.js';
import { type AuthenticatedUser, CurrentUser, Public } from './auth.decorators.js';
import {
  AccessTokenDto, CreateUserDto, LoginDto, PublicUserDto, UpdateUserDto, UserDto, toPublicUser, toUser,
} from './identity.dto.js';

@ApiTags('identity')
@Controller('api')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
  ) {}

  @Public()
  @Post('users')
  @ApiOperation({ summary: 'Create a host account' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiErrors(400, 409)
  async create(@Body() dto: CreateUserDto): Promise<UserDto> {
    const user = await this.users.create({
      email: dto.email, name: dto.name, password: dto.password, timeZone: dto.time_zone, username: dto.username,
    });
    return toUser(user);
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for an access token' })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiErrors(400, 401)
  login(@Body() dto: LoginDto): Promise<AccessTokenDto> {
    return this.auth.login(dto.email, dto.password);
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
  @ApiOperation({ summary: 'Update the authenticated host\'s name or time zone' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 401)
  async updateMe(@CurrentUser() caller: AuthenticatedUser, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return toUser(await this.users.update(caller.id, { name: dto.name, timeZone: dto.time_zone }));
  }

  @Public()
  @Get('users/:id')
  @ApiOperation({ summary: 'A user: every field for the user themself, public fields for anyone else' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 404)
  async get(
    @Param('id', uuidParam('id')) id: string,
    @CurrentUser() caller?: AuthenticatedUser,
  ): Promise<UserDto | PublicUserDto> {
    const user = await this.users.getById(id);
    return caller?.id === user.id ? toUser(user) : toPublicUser(user);
  }
}
