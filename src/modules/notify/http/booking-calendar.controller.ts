import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { uuidParam } from '../../../shared/http/params.js';
import { type AuthenticatedUser, CurrentUser, Public } from '../../../shared/http/authentication.js';
import { BookingQueries } from '../../booking/application/booking-queries.service.js';
import { BookingInvitations } from '../application/booking-invitations.js';
import { BookingIcsQueryDto } from './notify.dto.js';

/** The booking as an invitation file: notify renders it (the same .ics its mails attach), booking authorizes. */
@ApiTags('bookings')
@Controller('api/bookings')
export class BookingCalendarController {
  constructor(
    private readonly queries: BookingQueries,
    private readonly invitations: BookingInvitations,
  ) {}

  @Public()
  @Get(':id/ics')
  @ApiOperation({ summary: 'The booking as an RFC 5545 invitation (host, or invitee with ?token=: only themself as attendee)' })
  @ApiOkResponse({
    description: 'An iCalendar file (METHOD:REQUEST, or CANCEL once cancelled, declined or expired); 409 while the booking is pending',
    content: { 'text/calendar': { schema: { type: 'string' } } },
  })
  @ApiErrors(400, 401, 404, 409)
  async download(
    @Param('id', uuidParam('id')) id: string,
    @Query() q: BookingIcsQueryDto,
    @Res() res: FastifyReply,
    @CurrentUser() user?: AuthenticatedUser,
  ): Promise<void> {
    const { actor } = await this.queries.authorize(id, { userId: user?.id, token: q.token });
    const ics = await this.invitations.icsFor(id, actor);
    res.type('text/calendar; charset=utf-8').header('Content-Disposition', `attachment; filename="booking-${id}.ics"`);
    res.send(ics);
  }
}
