import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../shared/http/api-errors.decorator.js';
import { uuidParam } from '../../../shared/http/params.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { NotificationsService } from '../application/notifications.service.js';
import { ListNotificationsQuery, NotificationDto, toNotification } from './notify.dto.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: "Emails, SMS and webhook deliveries of the caller's bookings, with status, attempts and last error" })
  @ApiOkResponse({ type: [NotificationDto] })
  @ApiErrors(400, 401, 404)
  async list(@CurrentUser() caller: AuthenticatedUser, @Query() q: ListNotificationsQuery): Promise<NotificationDto[]> {
    const rows = await this.notifications.list(caller.id, { bookingId: q.booking_id, status: q.status, kind: q.kind, limit: q.limit });
    return rows.map(toNotification);
  }

  @Post(':id/redeliver')
  @HttpCode(200)
  @ApiOperation({ summary: 'Try a failed delivery (or a delivered webhook) again, with fresh attempts' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiErrors(400, 401, 404)
  async redeliver(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string): Promise<NotificationDto> {
    return toNotification(await this.notifications.redeliver(caller.id, id));
  }
}
