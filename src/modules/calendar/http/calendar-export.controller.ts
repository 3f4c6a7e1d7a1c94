import { Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { notFound } from '../../../shared/http/domain-error.js';
import { noneMatchHits } from '../../../shared/http/request.js';
import { type AuthenticatedUser, CurrentUser, Public } from '../../../shared/http/authentication.js';
import { CalendarExportFeeds, type ExportFeedLink } from '../application/calendar-export.service.js';
import { ExportFeedDto } from './integrations.dto.js';

const toFeedDto = (link: ExportFeedLink): ExportFeedDto => ({ url: link.url, rotated_at: link.rotatedAt.toISOString() });

/**
 * The host's private ICS export feed: the URL (created on first ask, rotated on demand) and the feed itself at a
 * public, unguessable path. Registered before IntegrationsController so `export` is not taken for a connection id.
 */
@ApiTags('calendar integrations')
@Controller()
export class CalendarExportController {
  constructor(private readonly feeds: CalendarExportFeeds) {}

  @Get('api/integrations/export')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The caller's private iCalendar feed URL of their bookings (created on first call)" })
  @ApiOkResponse({ type: ExportFeedDto })
  @ApiErrors(401)
  async feedUrl(@CurrentUser() caller: AuthenticatedUser): Promise<ExportFeedDto> {
    return toFeedDto(await this.feeds.feedUrl(caller.id));
  }

  @Post('api/integrations/export/rotate')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Issue a new feed URL; the previous one stops working at once' })
  @ApiOkResponse({ type: ExportFeedDto })
  @ApiErrors(401)
  async rotate(@CurrentUser() caller: AuthenticatedUser): Promise<ExportFeedDto> {
    return toFeedDto(await this.feeds.rotate(caller.id));
  }

  /** The feed itself (text/calendar; ETag / If-None-Match → 304). Not in the API document: its URL is a capability. */
  @Public()
  @Get('feeds/:file')
  @ApiExcludeEndpoint()
  async feed(
    @Param('file') file: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const token = file.toLowerCase().endsWith('.ics') ? file.slice(0, -4) : null;
    const feed = token ? await this.feeds.render(token) : null;
    if (!feed) throw notFound('feed');
    res.header('ETag', feed.etag);
    // Private: the URL is a secret, so no shared cache may keep the body.
    res.header('Cache-Control', 'private, max-age=300');
    if (noneMatchHits(ifNoneMatch, feed.etag)) {
      res.status(304).send();
      return;
    }
    res.status(200).type('text/calendar; charset=utf-8').header('Content-Disposition', 'inline; filename="kairos-bookings.ics"');
    res.send(feed.body);
  }
}
