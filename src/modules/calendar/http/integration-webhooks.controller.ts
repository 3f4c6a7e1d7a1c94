import { Body, Controller, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { notFound } from '../../../shared/http/domain-error.js';
import { Public } from '../../../shared/http/authentication.js';
import { CalendarPush } from '../application/calendar-push.service.js';

/** Provider push notifications (Google watch channels, Graph subscriptions): each only triggers a sync. */
@Controller('api/integrations')
export class IntegrationWebhooksController {
  constructor(private readonly push: CalendarPush) {}

  @Public()
  @Post('google/webhook')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  async googleWebhook(
    @Headers('x-goog-channel-id') channelId: string | undefined,
    @Headers('x-goog-channel-token') token: string | undefined,
    @Headers('x-goog-resource-state') state: string | undefined,
  ) {
    if (!(await this.push.googleNotification(channelId, token, state))) throw notFound('channel');
    return { ok: true };
  }

  @Public()
  @Post('microsoft/webhook')
  @ApiExcludeEndpoint()
  async graphWebhook(@Query('validationToken') validationToken: string | undefined, @Body() body: unknown, @Res() res: FastifyReply) {
    // Subscription handshake: echo the token as text/plain within 10 s.
    if (typeof validationToken === 'string') {
      res.status(200).type('text/plain; charset=utf-8').send(validationToken);
      return;
    }
    const items =
      body && typeof body === 'object' && 'value' in body && Array.isArray(body.value) ? (body.value as Array<Record<string, string>>) : [];
    await this.push.graphNotifications(items);
    res.status(202).send();
  }
}
