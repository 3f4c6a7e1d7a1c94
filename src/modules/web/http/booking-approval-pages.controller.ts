import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '../../../shared/clock/clock.js';
import { DomainError, notFound } from '../../../shared/http/domain-error.js';
import { Public } from '../../../shared/http/authentication.js';
import { uuidParam } from '../../../shared/http/params.js';
import { singleLineProblem } from '../../../shared/validation/text.js';
import { type ApprovalGrant, type ApprovalLinkQuery, ApprovalLinks } from '../../booking/application/approval-links.js';
import { BookingApprovals } from '../../booking/application/booking-approval.service.js';
import { BookingQueries } from '../../booking/application/booking-queries.service.js';
import type { BookingView } from '../../booking/domain/booking-views.js';
import { WebViews } from '../application/web-views.js';
import { formatDateTimeIn, formatRangeIn } from '../../../shared/i18n/format.js';
import type { MessageKey } from '../../../shared/i18n/i18n.js';
import { i18nView, pageLocale, type PageLocale } from './page-locale.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const one = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').trim();

const STATUS_LABELS: Record<BookingView['status'], MessageKey> = {
  pending: 'approval.statusPending',
  confirmed: 'approval.statusConfirmed',
  declined: 'approval.statusDeclined',
  expired: 'approval.statusExpired',
  cancelled: 'approval.statusCancelled',
  rescheduled: 'approval.statusRescheduled',
};

/**
 * The one-click Confirm / Decline links of a host's "new request" email (ApprovalLinks). GET only shows the request
 * and a button: mail scanners and link prefetchers follow links, and must not answer for the host. The button's POST
 * carries the signed grant back and acts. The signature is the credential (no sign-in): it names the booking, the
 * action and the host, and expires with the request.
 */
@ApiExcludeController()
@Public()
@UseFilters(WebExceptionFilter)
@Controller('booking')
export class BookingApprovalPagesController {
  constructor(
    private readonly links: ApprovalLinks,
    private readonly approvals: BookingApprovals,
    private readonly queries: BookingQueries,
    private readonly views: WebViews,
    private readonly clock: Clock,
  ) {}

  @Get(':id/approval')
  async show(
    @Param('id', uuidParam('id')) id: string,
    @Query() query: ApprovalLinkQuery,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ) {
    const loc = pageLocale(req, res);
    const grant = this.grantOf(id, query, loc);
    const view = await this.load(grant);
    res.type('text/html; charset=utf-8').send(this.page(view, grant, query, { done: false, message: null, error: null }, loc, req));
  }

  @Post(':id/approval')
  @HttpCode(200)
  async act(
    @Param('id', uuidParam('id')) id: string,
    @Body() body: ApprovalLinkQuery & { reason?: unknown },
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ) {
    const loc = pageLocale(req, res);
    const { t } = loc;
    const grant = this.grantOf(id, body, loc);
    const reason = grant.action === 'decline' ? one(body.reason).replace(/\s*[\r\n]+\s*/g, ' ') : '';
    const lineProblem = singleLineProblem(reason);
    const problem =
      reason.length > 1000
        ? t('cancel.reasonTooLong')
        : lineProblem
          ? t(lineProblem.includes('bidirectional') ? 'cancel.reasonBidi' : 'cancel.reasonControl')
          : null;
    if (problem) {
      const view = await this.load(grant);
      res
        .status(400)
        .type('text/html; charset=utf-8')
        .send(this.page(view, grant, body, { done: false, message: null, error: problem }, loc, req));
      return;
    }
    try {
      const result = await this.approvals.answerWithLink(grant, reason || null);
      const view = await this.load(grant);
      const message =
        grant.action === 'confirm'
          ? t(result.changed ? 'approval.confirmedNow' : 'approval.confirmedAlready')
          : t(result.changed ? 'approval.declinedNow' : 'approval.declinedAlready');
      res.type('text/html; charset=utf-8').send(this.page(view, grant, body, { done: true, message, error: null }, loc, req));
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
      const view = await this.load(grant);
      res
        .status(409)
        .type('text/html; charset=utf-8')
        .send(this.page(view, grant, body, { done: true, message: null, error: error.message }, loc, req));
    }
  }

  /** A valid signature for this booking, else 403 (altered, or made for something else) or 410 (expired). */
  private grantOf(id: string, query: ApprovalLinkQuery, loc: PageLocale): ApprovalGrant {
    const checked = this.links.verify(id, query, this.clock.now());
    if (checked.ok) return checked.grant;
    if (checked.reason === 'expired') throw new DomainError('gone', loc.t('approval.linkExpired'));
    throw new DomainError('forbidden', loc.t('approval.linkInvalid'));
  }

  /** The booking, while the grant's host still manages it (a host removed since the mail loses the link's power). */
  private async load(grant: ApprovalGrant): Promise<BookingView> {
    await this.queries.authorize(grant.bookingId, { userId: grant.hostId });
    const view = await this.queries.getView(grant.bookingId);
    if (!view) throw notFound('booking');
    return view;
  }

  private page(
    view: BookingView,
    grant: ApprovalGrant,
    query: ApprovalLinkQuery,
    state: { done: boolean; message: string | null; error: string | null },
    loc: PageLocale,
    req: FastifyRequest,
  ): string {
    const { t } = loc;
    const zone = view.hosts.find((h) => h.id === grant.hostId)?.timeZone ?? view.hosts.at(0)?.timeZone ?? 'UTC';
    const pending = view.status === 'pending';
    const heading = state.done
      ? state.error
        ? t('approval.headingFailed')
        : grant.action === 'confirm'
          ? t('approval.headingConfirmed')
          : t('approval.headingDeclined')
      : pending
        ? grant.action === 'confirm'
          ? t('approval.headingConfirm')
          : t('approval.headingDecline')
        : t('approval.headingStatus', {
            status: loc.locale === 'en' ? t(STATUS_LABELS[view.status]).toLowerCase() : t(STATUS_LABELS[view.status]),
          });
    return this.views.render('approval', {
      title: heading,
      i18n: i18nView(req, loc, false),
      heading,
      done: state.done,
      view,
      inviteeNames:
        view.invitees
          .filter((i) => i.status === 'active')
          .map((i) => `${i.name} <${i.email}>`)
          .join(', ') || 'the invitee',
      when: formatRangeIn(view.startTime, view.endTime, zone, loc.h12Default, loc.formatLocale),
      zone,
      statusLabel: t(STATUS_LABELS[view.status]),
      deadline:
        pending && view.confirmationExpiresAt
          ? `${formatDateTimeIn(view.confirmationExpiresAt, zone, loc.h12Default, loc.formatLocale)} (${zone})`
          : null,
      ended: ['cancelled', 'declined', 'expired'].includes(view.status),
      message: state.message,
      errorSummary: state.error,
      canAct: pending && !state.done,
      decline: grant.action === 'decline',
      action: `/booking/${view.id}/approval`,
      grant: { action: grant.action, host: grant.hostId, expires: one(query.expires), sig: one(query.sig) },
      bookingHref: `/admin/bookings/${view.id}`,
    });
  }
}
