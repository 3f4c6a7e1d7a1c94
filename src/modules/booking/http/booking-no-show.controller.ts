import { Body, Controller, Delete, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { uuidParam } from '../../../shared/http/params.js';
import { BookingNoShows, type NoShowResult } from '../application/booking-no-show.service.js';
import { BookingDto } from './booking.dto.js';
import { presentBooking } from './booking.presenter.js';
import { ClearNoShowQueryDto, MarkNoShowDto } from './no-show.dto.js';

/** A host marks who did not turn up (issue #18); the insights count it. */
@ApiTags('bookings')
@ApiBearerAuth()
@Controller('api/bookings')
export class BookingNoShowController {
  constructor(private readonly noShows: BookingNoShows) {}

  @Post(':id/no-show')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mark an invitee as a no-show (hosts of the booking only; 404 for anyone else)',
    description:
      'Once the meeting has started: 409 before its start, and for a booking that is not confirmed or an invitee who ' +
      'cancelled. Without invitee_id every active invitee is marked. Marking twice keeps the first time; ' +
      '`{"no_show": false}` takes the mark back. The booking comes back with invitees[].no_show_at.',
  })
  @ApiBody({ type: MarkNoShowDto, required: false })
  @ApiOkResponse({ type: BookingDto })
  @ApiErrors(400, 401, 404, 409)
  async mark(
    @Param('id', uuidParam('id')) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto?: MarkNoShowDto, // the body is optional
  ): Promise<BookingDto> {
    return present(await this.noShows.set(id, user.id, { inviteeId: dto?.invitee_id ?? null, noShow: dto?.no_show ?? true }));
  }

  @Delete(':id/no-show')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take a no-show mark back (hosts of the booking only); ?invitee_id= for one invitee of a group' })
  @ApiOkResponse({ type: BookingDto })
  @ApiErrors(400, 401, 404, 409)
  async clear(
    @Param('id', uuidParam('id')) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ClearNoShowQueryDto,
  ): Promise<BookingDto> {
    return present(await this.noShows.set(id, user.id, { inviteeId: query.invitee_id ?? null, noShow: false }));
  }
}

const present = (r: NoShowResult): BookingDto => presentBooking(r.booking, r.hostIds, r.invitees, { kind: 'host' });
