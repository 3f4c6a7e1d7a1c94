import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { type AuthenticatedUser, CurrentUser, Public } from '../../../shared/http/authentication.js';
import { negotiateLocale } from '../../../shared/i18n/locales.js';
import { localizeReasons } from '../application/explain-messages.js';
import { SlotExplainService } from '../application/slot-explain.service.js';
import { utcIso, zonedIso } from '../domain/wall-clock.js';
import { ExplainQueryDto, ExplainResponseDto } from './explain.dto.js';

@ApiTags('availability')
@Controller('api/availability')
export class ExplainController {
  constructor(private readonly explainer: SlotExplainService) {}

  @Public()
  @Get('explain')
  @ApiOperation({
    summary: 'Why a start is (not) bookable',
    description:
      'The slot engine on the booking re-check inputs: `bookable` is true exactly when booking that start would ' +
      'succeed now (a per-invitee cap aside, which needs the invitee). `reasons` name every rule in the way: ' +
      'outside_hours, override, not_on_grid, time_off, holiday, busy_booking, busy_calendar, pending_approval, held, ' +
      'buffer_before, buffer_after, minimum_notice, booking_window, seats_full, daily_limit or the other cap reached ' +
      '(max_bookings_per_week, ...). Anonymous callers (the booking page) get codes and generic messages; the ' +
      "type's owner and hosts also get host_id, the interval in the way and the calendar's name. Messages are in " +
      '`lang`, else the Accept-Language, else English (Content-Language says which).',
  })
  @ApiHeader({ name: 'Accept-Language', required: false, description: 'the language of the messages when `lang` is absent' })
  @ApiOkResponse({ type: ExplainResponseDto })
  @ApiErrors(400, 404)
  async explain(
    @Query() q: ExplainQueryDto,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentUser() user?: AuthenticatedUser,
  ): Promise<ExplainResponseDto> {
    const start = new Date(q.start_time);
    const { locale } = negotiateLocale({ query: q.lang, acceptLanguage });
    const explained = await this.explainer.explain(q.meeting_type_id, start, user?.id);
    const { bookable, durationMinutes } = explained;
    const reasons = localizeReasons(explained.reasons, locale);
    res.header('Content-Language', locale).header('Vary', 'Accept-Language');
    const at = start.getTime();
    return {
      bookable,
      start_time: utcIso(at),
      end_time: utcIso(at + durationMinutes * 60_000),
      local_start_time: zonedIso(at, q.timezone ?? 'UTC'),
      reasons: reasons.map((r) => ({
        code: r.code,
        message: r.message,
        ...(r.hostId ? { host_id: r.hostId } : {}),
        ...(r.interval ? { interval: { start: utcIso(r.interval.start), end: utcIso(r.interval.end) } } : {}),
        ...(r.detail ? { detail: r.detail } : {}),
      })),
    };
  }
}
