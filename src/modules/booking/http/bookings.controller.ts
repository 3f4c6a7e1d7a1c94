import { Body, Controller, Delete, Get, Headers, HttpCode, Ip, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { invalid, notFound } from '../../../shared/http/domain-error.js';
import { uuidParam } from '../../../shared/http/params.js';
import { type AuthenticatedUser, CurrentUser, Public } from '../../../shared/http/authentication.js';
import { BookingCommands, type BookingResult } from '../application/booking-commands.service.js';
import { BookingQueries } from '../application/booking-queries.service.js';
import { BookingSeries } from '../application/booking-series.service.js';
import { ManagementTokens } from '../application/management-tokens.js';
import { HoldRefusedError, type HoldResult, SlotHolds } from '../application/slot-holds.service.js';
import {
  BookingDto,
  BookingListDto,
  CancelBookingDto,
  CreateBookingDto,
  CreateHoldDto,
  HoldDto,
  ListBookingsQueryDto,
  RescheduleBookingDto,
  TokenQueryDto,
} from './booking.dto.js';
import { presentBooking } from './booking.presenter.js';
import { presentSeriesBooking } from './booking-series.presenter.js';
import { utmFrom } from '../domain/utm.js';

const IDEMPOTENCY_KEY = /^[\w.:-]{1,255}$/;

@ApiTags('bookings')
@Controller('api')
export class BookingsController {
  constructor(
    private readonly commands: BookingCommands,
    private readonly queries: BookingQueries,
    private readonly tokens: ManagementTokens,
    private readonly holds: SlotHolds,
    private readonly series: BookingSeries,
  ) {}

  @Public()
  @Post('bookings')
  @ApiOperation({ summary: 'Book a slot (anonymous). 409 when the time is not a free slot at that moment.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'retries with the same key return the first booking' })
  @ApiCreatedResponse({ type: BookingDto })
  @ApiErrors(400, 404, 409, 410, 413, 422)
  async create(
    @Body() dto: CreateBookingDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<BookingDto> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw invalid('Idempotency-Key must be 1-255 letters, digits, ".", ":", "_" or "-"');
    }
    const input = {
      meetingTypeId: dto.meeting_type_id,
      start: new Date(dto.start_time),
      inviteeName: dto.invitee_name.trim(),
      inviteeEmail: dto.invitee_email.trim(),
      timeZone: dto.time_zone,
      phone: dto.invitee_phone ?? null,
      guests: dto.guests,
      utm: dto.utm ? utmFrom(dto.utm) : null,
      answers: dto.answers,
      holdToken: dto.hold_token,
      idempotencyKey,
      durationMinutes: dto.duration_minutes,
      locale: dto.locale,
    };
    if ((dto.occurrences ?? 1) > 1) {
      // A recurring series: all or none (BookingSeries); the answer describes the first occurrence and lists them all.
      const series = await this.series.create({ ...input, occurrences: dto.occurrences ?? 1 });
      if (series.replayed) res.header('Idempotent-Replayed', 'true');
      return presentSeriesBooking(await this.presentForInvitee(series.occurrences[0]), series, this.tokens);
    }
    const result = await this.commands.create(input);
    if (result.replayed) res.header('Idempotent-Replayed', 'true');
    // A new booking's link is on its record when made with it (Jitsi); a replay shows the one it has now.
    return this.presentForInvitee(result.replayed ? await this.withConference(result) : result);
  }

  @Public()
  @Get('bookings/:id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'A booking: for its host, or for the invitee with ?token=' })
  @ApiOkResponse({ type: BookingDto })
  @ApiErrors(400, 401, 404)
  async get(
    @Param('id', uuidParam('id')) id: string,
    @Query() q: TokenQueryDto,
    @CurrentUser() user?: AuthenticatedUser,
  ): Promise<BookingDto> {
    const { booking, actor } = await this.queries.authorize(id, { userId: user?.id, token: q.token });
    const [hostIds, invitees, seriesId, conference] = await Promise.all([
      this.queries.hostIdsOf(id),
      this.queries.inviteesOf(id),
      this.series.seriesIdOf(id),
      this.queries.conferenceOf(booking),
    ]);
    const view = presentBooking(
      { ...booking, conference },
      hostIds,
      invitees,
      actor.kind === 'host' ? { kind: 'host' } : { kind: 'invitee', inviteeId: actor.invitee.id },
    );
    return Object.assign(view, { recurring_booking_id: seriesId });
  }

  @Public()
  @Put('bookings/:id/reschedule')
  @ApiBearerAuth()
  @ApiQuery({ name: 'token', required: false })
  @ApiOperation({ summary: 'Move a booking to a new free time (host, or invitee with ?token=); the old time is freed' })
  @ApiOkResponse({ type: BookingDto })
  @ApiErrors(400, 401, 404, 409)
  async reschedule(
    @Param('id', uuidParam('id')) id: string,
    @Query() q: TokenQueryDto,
    @Body() dto: RescheduleBookingDto,
    @CurrentUser() user?: AuthenticatedUser,
  ): Promise<BookingDto> {
    const { actor } = await this.queries.authorize(id, { userId: user?.id, token: q.token });
    const result = await this.withConference(
      await this.commands.reschedule(id, actor, new Date(dto.start_time), dto.reason ?? null, dto.duration_minutes),
    );
    return actor.kind === 'invitee' ? this.presentForInvitee(result) : this.presentForHost(result);
  }

  @Public()
  @Delete('bookings/:id')
  @ApiBearerAuth()
  @ApiQuery({ name: 'token', required: false })
  @ApiOperation({ summary: 'Cancel a booking (host, or invitee with ?token=); the time is freed' })
  @ApiBody({ type: CancelBookingDto, required: false, description: 'optional: a reason shown to the other side' })
  @ApiOkResponse({ type: BookingDto })
  @ApiErrors(400, 401, 404, 409)
  async cancel(
    @Param('id', uuidParam('id')) id: string,
    @Query() q: TokenQueryDto,
    @Body() dto?: CancelBookingDto, // the body is optional
    @CurrentUser() user?: AuthenticatedUser,
  ): Promise<BookingDto> {
    const { actor } = await this.queries.authorize(id, { userId: user?.id, token: q.token });
    const result = await this.commands.cancel(id, actor, dto?.reason ?? null);
    return actor.kind === 'invitee' ? this.presentForInvitee(result, false) : this.presentForHost(result);
  }

  @Get('users/:id/bookings')
  @ApiBearerAuth()
  @ApiOperation({ summary: "A host's bookings, newest first (that host only)" })
  @ApiOkResponse({ type: BookingListDto })
  @ApiErrors(400, 401, 404)
  async listForUser(
    @Param('id', uuidParam('id')) userId: string,
    @Query() q: ListBookingsQueryDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<BookingListDto> {
    if (user.id !== userId) throw notFound('user');
    return this.list(userId, q);
  }

  @Get('bookings')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The caller's bookings, newest first" })
  @ApiOkResponse({ type: BookingListDto })
  @ApiErrors(400, 401)
  listMine(@Query() q: ListBookingsQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<BookingListDto> {
    return this.list(user.id, q);
  }

  @Public()
  @Post('slots/holds')
  @ApiOperation({
    summary: 'Hold a slot for a few minutes (HOLD_TTL_SECONDS) while the invitee fills in the form',
    description:
      'Live holds are capped per client address, per invitee_email, per host and per meeting type; past a cap ' +
      'the answer is 429 with Retry-After and nothing is stored. A client may not hold a time again right after its ' +
      'hold on it ended (429); it can still book it.',
  })
  @ApiCreatedResponse({ type: HoldDto })
  @ApiErrors(400, 404, 409, 429)
  async hold(@Body() dto: CreateHoldDto, @Ip() ip: string, @Res({ passthrough: true }) res: FastifyReply): Promise<HoldDto> {
    const hold = await withRetryAfter(
      res,
      this.holds.hold({
        meetingTypeId: dto.meeting_type_id,
        start: new Date(dto.start_time),
        clientAddress: ip,
        email: dto.invitee_email ?? null,
        durationMinutes: dto.duration_minutes,
      }),
    );
    return presentHold(hold);
  }

  @Public()
  @Patch('slots/holds/:token')
  @ApiOperation({
    summary: 'Extend a live hold by one TTL from now, never past HOLD_MAX_LIFETIME_SECONDS after it was made (409 once there)',
  })
  @ApiOkResponse({ type: HoldDto })
  @ApiErrors(404, 409, 410)
  async extendHold(@Param('token') token: string): Promise<HoldDto> {
    return presentHold(await this.holds.extend(token));
  }

  @Public()
  @Delete('slots/holds/:token')
  @HttpCode(204)
  @ApiOperation({ summary: 'Release a hold early (the time is free at once)' })
  @ApiNoContentResponse({ description: 'Released' })
  @ApiErrors(404)
  async releaseHold(@Param('token') token: string): Promise<void> {
    await this.holds.release(token);
  }

  private async list(hostId: string, q: ListBookingsQueryDto): Promise<BookingListDto> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const { entries, total } = await this.queries.pageForHost(hostId, {
      status: q.status,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      limit,
      offset,
      includeArchived: q.include_archived !== 'false',
    });
    const data = entries.map((e) => presentBooking(e.booking, e.hostIds, e.invitees, { kind: 'host' }));
    return { data, total, limit, offset };
  }

  private async presentForInvitee(result: BookingResult, withLinks = true): Promise<BookingDto> {
    // The invitee sees only their own row, which the command returns: no re-read then (a read of invitees by booking
    // is the one read of booking_invitees left on this path). Otherwise it runs after COMMIT: if the re-read fails
    // (database gone a moment later) the answer is still the committed one.
    const invitees = result.invitee ? [result.invitee] : await this.queries.inviteesOf(result.booking.id).catch(() => []);
    const inviteeId = result.invitee?.id ?? '';
    const links = withLinks && result.invitee ? this.tokens.links(result.booking.id, inviteeId) : undefined;
    return presentBooking(
      result.booking,
      result.hostIds,
      invitees.length ? invitees : result.invitee ? [result.invitee] : [],
      { kind: 'invitee', inviteeId },
      links,
    );
  }

  /** The booking's video link as it is now (a moved booking keeps its predecessor's); read after COMMIT. */
  private async withConference(result: BookingResult): Promise<BookingResult> {
    const conference = await this.queries.conferenceOf(result.booking).catch(() => null);
    return { ...result, booking: { ...result.booking, conference } };
  }

  private async presentForHost(result: BookingResult): Promise<BookingDto> {
    const invitees = await this.queries.inviteesOf(result.booking.id);
    return presentBooking(result.booking, result.hostIds, invitees, { kind: 'host' });
  }
}

const presentHold = (h: HoldResult): HoldDto => ({
  hold_token: h.token,
  start_time: h.start.toISOString(),
  expires_at: h.expiresAt.toISOString(),
  max_expires_at: h.maxExpiresAt.toISOString(),
});

/** A refused hold answers 429 with Retry-After (the error filter writes the body). */
export async function withRetryAfter<T>(res: FastifyReply, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof HoldRefusedError) res.header('Retry-After', String(error.refusal.retryAfterSeconds));
    throw error;
  }
}
