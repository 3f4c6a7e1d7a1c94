import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { queryOf } from '../../../shared/http/request.js';
import { formatDateTimeIn } from '../../../shared/i18n/format.js';
import type { MessageKey } from '../../../shared/i18n/i18n.js';
import { UsersService } from '../../identity/application/users.service.js';
import { Waitlists } from '../../booking/application/waitlist.service.js';
import { WAITLIST_CLAIM_RANGE } from '../../booking/domain/waitlist.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { AdminPages, adminLocale } from '../application/admin-pages.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { type Errors, expectDomainError, hasErrors, one } from './admin-forms.js';
import { WebExceptionFilter } from './web-exception.filter.js';

type Form = Record<string, string | string[] | undefined>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES = new Set(['waiting', 'promoted', 'booked', 'expired', 'left']);

/**
 * The host's waitlists (issue #19 part 2): pick a meeting type, switch its waitlist on or off with the claim minutes,
 * and read the line per time (GET /api/waitlist as a table). Forms post and redirect; the type picker is a GET.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/waitlist')
export class AdminWaitlistController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly waitlists: Waitlists,
    private readonly meetingTypes: MeetingTypesService,
    private readonly users: UsersService,
  ) {}

  @Get()
  async show(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply) {
    const query = queryOf(req);
    const loc = adminLocale((await this.users.getById(caller.id)).locale);
    await this.page(
      caller,
      req,
      res,
      one(query.meeting_type_id),
      {},
      null,
      one(query.done) === 'saved' ? loc.t('admin.waitlist.saved') : null,
    );
  }

  @Post()
  async save(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    const typeId = one(body.meeting_type_id);
    const minutes = Number(one(body.waitlist_claim_minutes));
    const errors: Errors = {};
    const loc = adminLocale((await this.users.getById(caller.id)).locale);
    if (!Number.isInteger(minutes) || minutes < WAITLIST_CLAIM_RANGE.min || minutes > WAITLIST_CLAIM_RANGE.max) {
      errors.waitlist_claim_minutes = loc.t('admin.waitlist.minutesRange', {
        min: WAITLIST_CLAIM_RANGE.min,
        max: WAITLIST_CLAIM_RANGE.max,
      });
    }
    if (!hasErrors(errors) && UUID.test(typeId)) {
      try {
        await this.waitlists.saveSettings(typeId, caller.id, one(body.waitlist_enabled) === 'on', minutes);
        res.redirect(`/admin/waitlist?meeting_type_id=${typeId}&done=saved`, 303);
        return;
      } catch (error) {
        const refused = expectDomainError(error, 'forbidden', 'not_found');
        errors.waitlist_enabled = refused.code === 'forbidden' ? loc.t('admin.waitlist.ownerOnly') : loc.t('admin.waitlist.chooseType');
      }
    }
    await this.page(caller, req, res, typeId, errors, {
      enabled: one(body.waitlist_enabled) === 'on',
      minutes: one(body.waitlist_claim_minutes),
    });
  }

  private async page(
    caller: AuthenticatedUser,
    req: WebRequest,
    res: FastifyReply,
    typeId: string,
    errors: Errors,
    sent: { enabled: boolean; minutes: string } | null,
    notice: string | null = null,
  ) {
    const context = await this.pages.context(caller, req, res, (t) => t('admin.waitlist.title'), 'types');
    const { loc } = context;
    // Every kind has a waitlist (a group type's lines wait for a seat of a full session).
    const { items: types } = await this.meetingTypes.list(caller.id, 100, 0);
    const chosen = types.find((t) => t.snapshot.id === typeId) ?? (typeId ? undefined : types.at(0));
    if (typeId && !chosen) errors.meeting_type_id = loc.t('admin.waitlist.chooseType');
    let settings: { enabled: boolean; minutes: string } | null = sent;
    let times: { when: string; entries: unknown[] }[] = [];
    if (chosen) {
      const s = await this.waitlists.settingsOf(chosen.snapshot.id, caller.id);
      settings ??= { enabled: s.enabled, minutes: String(s.claimMinutes) };
      const zone = context.me.zone;
      const byTime = new Map<string, unknown[]>();
      for (const e of await this.waitlists.list(chosen.snapshot.id, caller.id, null)) {
        const when = formatDateTimeIn(new Date(e.start_time), zone, loc.h12Default, loc.formatLocale);
        const line = byTime.get(when) ?? [];
        line.push({
          place: line.length + 1,
          name: e.name,
          email: e.email,
          status: e.status,
          statusLabel: STATUSES.has(e.status) ? loc.t(`admin.waitlist.status.${e.status}` as MessageKey) : e.status,
          claimUntil:
            e.status === 'promoted' && e.claim_expires_at
              ? formatDateTimeIn(new Date(e.claim_expires_at), zone, loc.h12Default, loc.formatLocale)
              : null,
        });
        byTime.set(when, line);
      }
      times = [...byTime.entries()].map(([when, entries]) => ({ when, entries }));
    }
    res
      .status(hasErrors(errors) ? 400 : 200)
      .type('text/html; charset=utf-8')
      .send(
        this.views.render('admin/waitlist', {
          ...context,
          notice,
          errors,
          errorSummary: hasErrors(errors) ? loc.t('admin.waitlist.errorSummary') : null,
          types: types.map((t) => ({ id: t.snapshot.id, name: t.snapshot.name, selected: t === chosen })),
          chosen: chosen ? { id: chosen.snapshot.id, name: chosen.snapshot.name } : null,
          settings,
          times,
          zone: context.me.zone,
        }),
      );
  }
}
