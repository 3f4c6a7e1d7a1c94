import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { uuidParam } from '../../../shared/http/params.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { type DeliveryRecord, NotificationsService } from '../../notify/application/notifications.service.js';
import { WebhooksService } from '../../notify/application/webhooks.service.js';
import { WEBHOOK_EVENTS } from '../../notify/domain/plan-deliveries.js';
import { AdminPages } from '../application/admin-pages.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { formatDateTimeIn } from '../../../shared/i18n/format.js';
import type { MessageKey } from '../../../shared/i18n/i18n.js';
import { accountErrorsIn } from './account-form.js';
import {
  type Errors,
  type Form,
  type FormFields,
  expectDomainError,
  hasErrors,
  many,
  one,
  placeProblems,
  placedBy,
} from './admin-forms.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const EVENT_LABELS: Record<string, MessageKey> = {
  'invitee.created': 'admin.webhooks.ev.created',
  'invitee.canceled': 'admin.webhooks.ev.canceled',
  'invitee.rescheduled': 'admin.webhooks.ev.rescheduled',
  'invitee.pending': 'admin.webhooks.ev.pending',
  'invitee.confirmed': 'admin.webhooks.ev.confirmed',
  'invitee.declined': 'admin.webhooks.ev.declined',
  'invitee.expired': 'admin.webhooks.ev.expired',
  'invitee.conference_ready': 'admin.webhooks.ev.conferenceReady',
  'invitee.no_show': 'admin.webhooks.ev.noShow',
  'invitee.no_show_deleted': 'admin.webhooks.ev.noShowDeleted',
  'waitlist.joined': 'admin.webhooks.ev.waitlistJoined',
  'waitlist.promoted': 'admin.webhooks.ev.waitlistPromoted',
  'waitlist.expired': 'admin.webhooks.ev.waitlistExpired',
};
/** The new webhook form's fields → the webhook API's fields. */
const WEBHOOK_FORM_FIELDS = { url: 'url', events: 'events' } as const satisfies FormFields;
const DELIVERIES_PER_WEBHOOK = 10;

/** What a host reads from a delivery row: delivered, failed (and why), still retrying, pending or withdrawn. */
function deliveryState(d: DeliveryRecord): { state: DeliveryState; tone: 'ok' | 'warn' | 'error' | '' } {
  if (d.status === 'sent') return { state: 'delivered', tone: 'ok' };
  if (d.status === 'failed') return { state: 'failed', tone: 'error' };
  if (d.status === 'cancelled') return { state: 'withdrawn', tone: '' };
  return d.attempts > 0 ? { state: 'retrying', tone: 'warn' } : { state: 'pending', tone: '' };
}
type DeliveryState = 'delivered' | 'failed' | 'withdrawn' | 'retrying' | 'pending';

/** Webhook subscriptions in the admin: create (secret shown once), pause, delete, and recent deliveries per hook. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/webhooks')
export class AdminWebhooksController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly webhooks: WebhooksService,
    private readonly notifications: NotificationsService,
  ) {}

  @Get()
  async list(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply, @Query('done') done?: string) {
    const notices: Record<string, MessageKey> = {
      deleted: 'admin.webhooks.done.deleted',
      disabled: 'admin.webhooks.done.disabled',
      enabled: 'admin.webhooks.done.enabled',
      redelivered: 'admin.webhooks.done.redelivered',
    };
    const key = one(done);
    const notice = Object.hasOwn(notices, key) ? notices[key] : null;
    res.type('text/html; charset=utf-8').send(await this.page(caller, req, res, { events: [...WEBHOOK_EVENTS] }, {}, null, notice ?? null));
  }

  @Post()
  async create(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const url = one(body.url);
    const events = many(body.events);
    const errors: Errors = {};
    if (!/^https?:\/\/\S+$/i.test(url) || url.length > 2048) errors.url = 'admin.webhooks.err.url';
    if (events.length === 0) errors.events = 'admin.webhooks.err.noEvent';
    else if (events.some((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e))) errors.events = 'admin.webhooks.err.badEvent';
    if (!hasErrors(errors)) {
      try {
        const { secret } = await this.webhooks.create(caller.id, url, events);
        res
          .status(201)
          .type('text/html; charset=utf-8')
          .send(await this.page(caller, req, res, { events: [...WEBHOOK_EVENTS] }, {}, null, null, secret));
        return;
      } catch (error) {
        placeProblems(expectDomainError(error, 'invalid'), placedBy(WEBHOOK_FORM_FIELDS), errors, { words: { url: 'the address' } });
      }
    }
    res
      .status(400)
      .type('text/html; charset=utf-8')
      .send(await this.page(caller, req, res, { url, events }, errors, errors.form ?? 'admin.account.summary', null));
  }

  @Post(':id/disable')
  async disable(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Res() res: FastifyReply) {
    await this.webhooks.setEnabled(caller.id, id, false);
    res.redirect('/admin/webhooks?done=disabled', 303);
  }

  @Post(':id/enable')
  async enable(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Res() res: FastifyReply) {
    await this.webhooks.setEnabled(caller.id, id, true);
    res.redirect('/admin/webhooks?done=enabled', 303);
  }

  @Post(':id/delete')
  async remove(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Res() res: FastifyReply) {
    await this.webhooks.remove(caller.id, id);
    res.redirect('/admin/webhooks?done=deleted', 303);
  }

  @Post('deliveries/:id/redeliver')
  async redeliver(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Res() res: FastifyReply) {
    await this.notifications.redeliver(caller.id, id);
    res.redirect('/admin/webhooks?done=redelivered', 303);
  }

  private async page(
    caller: AuthenticatedUser,
    req: WebRequest,
    res: FastifyReply,
    values: { url?: string; events: string[] },
    errors: Errors,
    summary: string | null,
    notice: MessageKey | null,
    secret: string | null = null,
  ) {
    const ctx = await this.pages.context(caller, req, res, (t) => t('admin.webhooks.title'), 'webhooks');
    const { loc } = ctx;
    const zone = ctx.me.zone;
    const hooks = await this.webhooks.list(caller.id);
    const deliveries = await this.notifications.list(caller.id, { kind: 'webhook', limit: 200 });
    return this.views.render('admin/webhooks', {
      ...ctx,
      secret,
      eventChoices: WEBHOOK_EVENTS.map((e, i) => ({
        i,
        value: e,
        label: Object.hasOwn(EVENT_LABELS, e) ? loc.t(EVENT_LABELS[e]) : e,
        checked: values.events.includes(e),
      })),
      values: { url: values.url ?? '' },
      hooks: hooks.map((h) => ({
        id: h.id,
        url: h.url,
        events: h.events.join(', '),
        enabled: h.disabledAt === null,
        deliveries: deliveries
          .filter((d) => d.recipientId === h.id)
          .slice(0, DELIVERIES_PER_WEBHOOK)
          .map((d) => ({
            id: d.id,
            event: d.eventType,
            ...deliveryState(d),
            label: loc.t(`admin.webhooks.state.${deliveryState(d).state}`),
            attempts: d.attempts,
            maxAttempts: d.maxAttempts,
            when: formatDateTimeIn(d.sentAt ?? d.updatedAt, zone, loc.h12Default, loc.formatLocale),
            lastError: d.status === 'sent' ? null : d.lastError,
            redeliverable: d.status === 'failed',
          })),
      })),
      errors: accountErrorsIn(loc, errors),
      errorSummary: hasErrors(errors) && summary ? (accountErrorsIn(loc, { summary }).summary ?? summary) : null,
      notice: notice ? loc.t(notice) : null,
    });
  }
}
