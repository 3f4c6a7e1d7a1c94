import { Body, Controller, Param, Post, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { uuidParam } from '../../../shared/http/params.js';
import { BookingNoShows } from '../../booking/application/booking-no-show.service.js';
import { type Form, one } from './admin-forms.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/**
 * "Mark as no-show" and its undo from a booking row (views/partials/no-show-button.hbs): the API's rules (hosts only,
 * after the start), then back to the row. A refusal (409: not started, cancelled meanwhile) renders its reason.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/bookings')
export class AdminNoShowController {
  constructor(private readonly noShows: BookingNoShows) {}

  @Post(':id/no-show')
  async mark(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: Form,
    @Res() res: FastifyReply,
  ) {
    const undo = one(body.undo) === '1';
    await this.noShows.set(id, caller.id, { inviteeId: null, noShow: !undo });
    const back = one(body.back).startsWith('/admin') ? one(body.back).split('#')[0] : '/admin';
    const flag = undo ? 'no_show_undone=1' : 'no_show=1';
    res.redirect(`${back}${back.includes('?') ? '&' : '?'}${flag}#booking-${id}`, 303);
  }
}
