import { Body, Controller, Delete, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { type AuthenticatedUser, CurrentUser, Public } from '../../../shared/http/authentication.js';
import { uuidParam } from '../../../shared/http/params.js';
import { BookingQueries } from '../application/booking-queries.service.js';
import { BookingSeries } from '../application/booking-series.service.js';
import { CancelBookingDto, SeriesDto, TokenQueryDto } from './booking.dto.js';
import { presentSeries, presentSingle } from './booking-series.presenter.js';

/**
 * A recurring series, named by any of its occurrences' booking ids, for its host or its invitee (`?token=` of that
 * occurrence). One occurrence is cancelled or moved with the ordinary booking endpoints.
 */
@ApiTags('bookings')
@Controller('api/bookings')
export class BookingSeriesController {
  constructor(
    private readonly queries: BookingQueries,
    private readonly series: BookingSeries,
  ) {}

  @Public()
  @Get(':id/series')
  @ApiBearerAuth()
  @ApiQuery({ name: 'token', required: false })
  @ApiOperation({
    summary: 'The recurring series of a booking, every occurrence as it is now (host, or invitee with ?token=)',
    description: 'A booking that is not part of a series answers as its only occurrence, with recurring_booking_id null.',
  })
  @ApiOkResponse({ type: SeriesDto })
  @ApiErrors(400, 401, 404)
  async get(
    @Param('id', uuidParam('id')) id: string,
    @Query() q: TokenQueryDto,
    @CurrentUser() user?: AuthenticatedUser,
  ): Promise<SeriesDto> {
    const { booking } = await this.queries.authorize(id, { userId: user?.id, token: q.token });
    const view = await this.series.seriesOf(id);
    // A booking outside any series reads as one occurrence of its own (recurring_booking_id null).
    return view ? presentSeries(view) : presentSingle(booking);
  }

  @Public()
  @Delete(':id/series')
  @ApiBearerAuth()
  @ApiQuery({ name: 'token', required: false })
  @ApiOperation({
    summary: 'Cancel every remaining occurrence of the series (host, or invitee with ?token=)',
    description:
      'One transaction: every occurrence that has not started and still stands is cancelled and its time freed; past, ' +
      'cancelled and moved-away occurrences stay. One cancellation mail for the series. 400 when the booking is not part of a series.',
  })
  @ApiBody({ type: CancelBookingDto, required: false, description: 'optional: a reason shown to the other side' })
  @ApiOkResponse({ type: SeriesDto })
  @ApiErrors(400, 401, 404, 409)
  async cancel(
    @Param('id', uuidParam('id')) id: string,
    @Query() q: TokenQueryDto,
    @Body() dto?: CancelBookingDto,
    @CurrentUser() user?: AuthenticatedUser,
  ): Promise<SeriesDto> {
    const { actor } = await this.queries.authorize(id, { userId: user?.id, token: q.token });
    return presentSeries(await this.series.cancelSeries(id, actor, dto?.reason ?? null));
  }
}
