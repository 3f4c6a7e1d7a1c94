import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { uuidParam } from '../../../shared/http/params.js';
import { type ApprovalResult, BookingApprovals } from '../application/booking-approval.service.js';
import { BookingQueries } from '../application/booking-queries.service.js';
import { BookingDto, DeclineBookingDto } from './booking.dto.js';
import { presentBooking } from './booking.presenter.js';

/** A host's answer to a pending booking (meeting types with requires_confirmation). */
@ApiTags('bookings')
@ApiBearerAuth()
@Controller('api/bookings')
export class BookingApprovalController {
  constructor(
    private readonly approvals: BookingApprovals,
    private readonly queries: BookingQueries,
  ) {}

  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm a pending booking (its hosts only): status confirmed, the invitee gets the invitation',
    description:
      'Confirming a confirmed booking answers it again unchanged. 409 when the request was declined, cancelled, ' +
      'rescheduled or has expired (the time is free again then).',
  })
  @ApiOkResponse({ type: BookingDto })
  @ApiErrors(400, 401, 404, 409)
  async confirm(@Param('id', uuidParam('id')) id: string, @CurrentUser() user: AuthenticatedUser): Promise<BookingDto> {
    return this.present(await this.approvals.confirm(id, user.id));
  }

  @Post(':id/decline')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Decline a pending booking (its hosts only): status declined, the time is free, the invitee is told (with the reason)',
    description:
      'Declining a declined booking answers it again unchanged. 409 when it was confirmed, cancelled, rescheduled or has expired.',
  })
  @ApiBody({ type: DeclineBookingDto, required: false })
  @ApiOkResponse({ type: BookingDto })
  @ApiErrors(400, 401, 404, 409)
  async decline(
    @Param('id', uuidParam('id')) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto?: DeclineBookingDto, // the body is optional
  ): Promise<BookingDto> {
    return this.present(await this.approvals.decline(id, user.id, dto?.reason?.trim() || null));
  }

  private async present(result: ApprovalResult): Promise<BookingDto> {
    const invitees = await this.queries.inviteesOf(result.booking.id);
    return presentBooking(result.booking, result.hostIds, invitees, { kind: 'host' });
  }
}
