import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Clock } from '../../../shared/clock/clock.js';
import { formatDateStringIn } from '../../../shared/i18n/format.js';
import type { MessageKey } from '../../../shared/i18n/i18n.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { queryOf } from '../../../shared/http/request.js';
import { localizeReasons } from '../../availability/application/explain-messages.js';
import { SlotExplainService } from '../../availability/application/slot-explain.service.js';
import { addDays, dateOfDayNumber, dayNumberOf, wallTimeToInstant } from '../../availability/domain/wall-clock.js';
import { UsersService } from '../../identity/application/users.service.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { AdminPages, adminLocale } from '../application/admin-pages.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { localDate } from '../domain/web-time.js';
import { whyBands } from '../domain/why-day.js';
import { type Errors, one } from './admin-forms.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const MINUTE = 60_000;
const TEAM_KINDS = new Set(['round_robin', 'collective']);

function validDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  try {
    return dateOfDayNumber(dayNumberOf(date)) === date;
  } catch {
    return false;
  }
}

/**
 * "Why am I unavailable on Tuesday?": one day of a meeting type, start by start on its grid (or every 15 minutes),
 * explained by the slot engine (SlotExplainService, as GET /api/availability/explain with host detail) and painted
 * as bands per host, with a table that says the same in words. A GET form; works without JavaScript.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/availability/why')
export class AdminWhyController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly explainer: SlotExplainService,
    private readonly meetingTypes: MeetingTypesService,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async show(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply) {
    const q = queryOf(req);
    const me = await this.users.getById(caller.id);
    const zone = me.timeZone;
    const loc = adminLocale(me.locale);
    // The caller's own active types, then the team types they host for someone else (owner or host only: the same
    // people the explain API gives full detail to).
    const { items } = await this.meetingTypes.list(caller.id, 200, 0);
    const hosted = await this.meetingTypes.listActiveHostedByOthers(caller.id);
    const choices = [
      ...items.filter((v) => v.snapshot.isActive).map((v) => ({ type: v.snapshot, label: v.snapshot.name })),
      ...hosted.map((v) => ({ type: v.snapshot, label: loc.t('admin.why.hostedType', { name: v.snapshot.name, owner: v.ownerUsername }) })),
    ];
    const types = choices.map((c) => c.type);
    const errors: Errors = {};
    const date = one(q.date) || localDate(this.clock.now(), zone);
    if (!validDate(date)) errors.date = loc.t('admin.why.dateInvalid');
    const wanted = one(q.meeting_type_id);
    const type = wanted ? types.find((t) => t.id === wanted) : types[0];
    if (wanted && !type) errors.meeting_type_id = loc.t('admin.why.typeInvalid');
    const bad = Object.keys(errors).length > 0;

    let view: Record<string, unknown> | null = null;
    if (type && !bad) {
      const step = type.slotIntervalMinutes ?? type.durationMinutes;
      const stepMinutes = step >= 5 && step <= 60 && 60 % step === 0 ? step : 15;
      const from = wallTimeToInstant(date, 0, zone);
      const to = wallTimeToInstant(addDays(date, 1), 0, zone);
      const starts: number[] = [];
      for (let s = from; s < to; s += stepMinutes * MINUTE) starts.push(s);
      // The reasons' sentences in the host's language (the codes pick the bands' tones and labels).
      const explanations = (await this.explainer.explainMany(type, starts, true)).map((e) => ({
        ...e,
        reasons: localizeReasons(e.reasons, loc.locale),
      }));
      const team = TEAM_KINDS.has(type.kind);
      const ids = type.hosts.map((h) => h.userId);
      const people = team ? new Map((await this.users.findByIds(ids)).map((u) => [u.id, u.name || u.username])) : null;
      const name = (id: string) => people?.get(id) ?? loc.t('admin.why.formerHost');
      const hostIds: (string | null)[] = team ? ids.sort((a, b) => name(a).localeCompare(name(b))) : [null];
      const bands = whyBands(starts, explanations, hostIds, zone, stepMinutes * MINUTE, (n, v) =>
        loc.t(`admin.why.reason.${n}` as MessageKey, v),
      );
      view = {
        typeName: type.name,
        dateLabel: loc.locale === 'en' ? date : formatDateStringIn(date, loc.formatLocale),
        stepMinutes,
        bookableCount: explanations.filter((e) => e.bookable).length,
        hosts: hostIds.map((h, i) => ({
          name: h === null ? loc.t('admin.why.you') : name(h),
          segments: bands.map((b) => ({ ...b.cells[i], from: b.from, to: b.to, width: b.width })),
        })),
        bands: bands.map((b) => ({ from: b.from, to: b.to, cells: b.cells })),
        prev: addDays(date, -1),
        next: addDays(date, 1),
      };
    }
    const html = this.views.render('admin/availability-why', {
      ...(await this.pages.context(caller, req, res, (t) => t('admin.why.title'), 'availability')),
      zone,
      date,
      typeId: type?.id ?? '',
      types: choices.map((c) => ({ value: c.type.id, label: c.label, selected: c.type.id === type?.id })),
      errors,
      errorSummary: bad ? loc.t('admin.why.errorSummary') : null,
      view,
    });
    res
      .status(bad ? 400 : 200)
      .type('text/html; charset=utf-8')
      .send(html);
  }
}
