import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { uuidParam } from '../../../shared/http/params.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { WebhooksService } from '../application/webhooks.service.js';
import { CreatedWebhookDto, CreateWebhookDto, toCreatedWebhook, toWebhook, WebhookDto } from './notify.dto.js';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('api/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Subscribe a URL to booking events (invitee.created, invitee.canceled, invitee.rescheduled)',
    description:
      'Deliveries are POSTs signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) ' +
      'and with X-Kairos-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">. The secret is shown once. ' +
      'URLs resolving to loopback, private, link-local or metadata addresses are refused.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiErrors(400, 401)
  async create(@CurrentUser() caller: AuthenticatedUser, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    const { webhook, secret } = await this.webhooks.create(caller.id, dto.url, dto.events);
    return toCreatedWebhook(webhook, secret);
  }

  @Get()
  @ApiOperation({ summary: "List the caller's webhooks (secrets are never shown again)" })
  @ApiOkResponse({ type: [WebhookDto] })
  @ApiErrors(401)
  async list(@CurrentUser() caller: AuthenticatedUser): Promise<WebhookDto[]> {
    return (await this.webhooks.list(caller.id)).map(toWebhook);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a webhook; its pending deliveries are withdrawn' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiErrors(400, 401, 404)
  async remove(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<WebhookDto> {
    return toWebhook(await this.webhooks.remove(caller.id, id));
  }
}
