import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { uuidParam } from '../../../shared/http/params.js';
import { ApiKeysService } from '../application/api-keys.service.js';
import { type AuthenticatedUser, CurrentUser, refuseApiKey } from '../../../shared/http/authentication.js';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto, toApiKey, toCreatedApiKey } from './identity.dto.js';

@ApiTags('identity')
@ApiBearerAuth()
@Controller('api/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a personal API key (the secret is shown once); needs an access token or an admin session, not an API key',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiErrors(400, 401, 403)
  async create(@CurrentUser() caller: AuthenticatedUser, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    // A leaked key must not be able to mint its own successors (docs/adr/0006-sessions-and-api-keys.md).
    refuseApiKey(caller, 'create API keys');
    const { key, secret } = await this.apiKeys.create(caller.id, dto.name);
    return toCreatedApiKey(key, secret);
  }

  @Get()
  @ApiOperation({ summary: "List the caller's API keys" })
  @ApiOkResponse({ type: [ApiKeyDto] })
  @ApiErrors(401)
  async list(@CurrentUser() caller: AuthenticatedUser): Promise<ApiKeyDto[]> {
    return (await this.apiKeys.list(caller.id)).map(toApiKey);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API key' })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiErrors(400, 401, 404)
  async revoke(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<ApiKeyDto> {
    return toApiKey(await this.apiKeys.revoke(caller.id, id));
  }
}
