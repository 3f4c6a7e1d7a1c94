import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../../config/app-config.js';
import { Clock } from '../../../shared/clock/clock.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { zonedIso } from '../../availability/domain/wall-clock.js';
import { BookingQueries } from '../../booking/application/booking-queries.service.js';
import type { BookingView } from '../../booking/domain/booking-views.js';
import { UsersService } from '../../identity/application/users.service.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { locationText } from '../../notify/application/ics.service.js';
import Handlebars from 'handlebars';
import { AdminPages, adminLocale } from '../application/admin-pages.js';
import { formatRangeIn } from '../../../shared/i18n/format.js';
import { listFilterWords, listStatusLabel, statusBadge } from '../application/booking-words.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { answerLines } from '../domain/booking-details-view.js';
import {
  type BookingListFilter,
  type BookingListQuery,
  LIST_STATUSES,
  MAX_RANGE_DAYS,
  PAGE_SIZE,
  bookingListFilterOf,
  filterQuery,
} from '../domain/booking-list-filter.js';
import { toCsv } from '../domain/csv.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/** The CSV's column headers stay English: a data format read by programs, the same file for every host. */

/** The most rows one CSV export holds; a wider filter is asked to narrow (never a silently cut file). */
export const MAX_EXPORT_ROWS = 5000;
const EXPORT_BATCH = 500;

const CSV_HEADER = [
  'Booking ID',
  'Start',
  'End',
  'Time zone',
  'Duration (min)',
  'Meeting type',
  'Status',
  'Invitees',
  'Invitee emails',
  'Invitee time zones',
  'Guests',
  'Location',
  'Join link',
  'Answers',
  'Cancellation reason',
] as const;

/**
 * The admin's bookings list (issue #18): the host's bookings in a date range of their zone, by status, searched by
 * invitee name or email, a page at a time in a stable order, and the same list as a CSV file.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin')
export class AdminBookingListController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly users: UsersService,
    private readonly queries: BookingQueries,
    private readonly meetingTypes: MeetingTypesService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Get('bookings')
  async list(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply, @Query() query: BookingListQuery) {
    const me = await this.users.getById(caller.id);
    const { filter, errors } = bookingListFilterOf(query, this.clock.now(), me.timeZone, listFilterWords(adminLocale(me.locale).t));
    await this.render(caller, req, res, me.timeZone, filter, errors);
  }

  @Get('bookings.csv')
  async exportCsv(
    @CurrentUser() caller: AuthenticatedUser,
    @Req() req: WebRequest,
    @Res() res: FastifyReply,
    @Query() query: BookingListQuery,
  ) {
    const me = await this.users.getById(caller.id);
    const { t } = adminLocale(me.locale);
    const { filter, errors } = bookingListFilterOf(query, this.clock.now(), me.timeZone, listFilterWords(t));
    const first = Object.keys(errors).length
      ? null
      : await this.queries.searchForHost(me.id, { ...filter.search, limit: EXPORT_BATCH, offset: 0 });
    if (!first || first.total > MAX_EXPORT_ROWS) {
      if (first) errors.to = t('admin.bookings.list.error.export', { max: MAX_EXPORT_ROWS, count: first.total });
      await this.render(caller, req, res, me.timeZone, filter, errors);
      return;
    }
    const rows = [...first.rows];
    for (let offset = EXPORT_BATCH; offset < first.total; offset += EXPORT_BATCH) {
      rows.push(...(await this.queries.searchForHost(me.id, { ...filter.search, limit: EXPORT_BATCH, offset })).rows);
    }
    const views: BookingView[] = [];
    for (let i = 0; i < rows.length; i += EXPORT_BATCH)
      views.push(...(await this.queries.getViews(rows.slice(i, i + EXPORT_BATCH).map((r) => r.id))));
    const questionsOf = new Map<string, Array<{ id: string; label: string }>>();
    for (const typeId of new Set(views.map((v) => v.meetingType.id))) {
      questionsOf.set(typeId, (await this.meetingTypes.findSnapshot(typeId))?.questions ?? []);
    }
    const zone = me.timeZone;
    const csv = toCsv(
      CSV_HEADER,
      views.map((v) => {
        const people = v.invitees.filter((i) => i.status === 'active' || v.status !== 'confirmed');
        return [
          v.id,
          zonedIso(v.startTime.getTime(), zone),
          zonedIso(v.endTime.getTime(), zone),
          zone,
          v.meetingType.durationMinutes,
          v.meetingType.name,
          v.status,
          people.map((i) => i.name).join('; '),
          people.map((i) => i.email).join('; '),
          people.map((i) => i.timeZone).join('; '),
          [...new Set(people.flatMap((i) => i.guests))].join('; '),
          locationText(v.location),
          v.conference?.joinUrl ?? '',
          people
            .flatMap((i) => answerLines(i.answers, questionsOf.get(v.meetingType.id) ?? []).map((a) => `${a.label}: ${a.value}`))
            .join('; '),
          v.status === 'cancelled' || v.status === 'declined' ? v.cancellationReason : '',
        ];
      }),
    );
    res
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="kairos-bookings-${filter.status}-${filter.from}-to-${filter.to}.csv"`)
      .header('cache-control', 'no-store')
      // The byte order mark tells spreadsheet programs the file is UTF-8 (names with accents, Japanese).
      .send(`\uFEFF${csv}`);
  }

  private async render(
    caller: AuthenticatedUser,
    req: WebRequest,
    res: FastifyReply,
    zone: string,
    filter: BookingListFilter,
    errors: Record<string, string>,
  ) {
    const invalid = Object.keys(errors).length > 0;
    const context = await this.pages.context(caller, req, res, (t) => t('admin.bookings.list.title'), 'booking-list');
    const { t, formatLocale } = context.loc;
    // The list reads live bookings; those that ended before the archive cutoff are in the archive (ADR 0014).
    const archiveCutoff = this.clock.now().getTime() - this.config.archiveAfterDays * 86_400_000;
    const found = invalid
      ? { rows: [], total: 0 }
      : await this.queries.searchForHost(caller.id, { ...filter.search, limit: PAGE_SIZE, offset: (filter.page - 1) * PAGE_SIZE });
    const views = await this.queries.getViews(found.rows.map((r) => r.id));
    const rows = views.map((v) => ({
      id: v.id,
      type: v.meetingType.name,
      status: v.status,
      statusBadge: statusBadge(v.status, t),
      when: formatRangeIn(v.startTime, v.endTime, zone, false, formatLocale),
      invitees: v.invitees.filter((i) => i.status === 'active' || v.status !== 'confirmed').map((i) => ({ name: i.name, email: i.email })),
      guests: [...new Set(v.invitees.flatMap((i) => i.guests))].length,
      href: `/admin/bookings/${v.id}?${new URLSearchParams({ back: filterQuery(filter, filter.page) }).toString()}`,
    }));
    const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE));
    const first = found.total === 0 ? 0 : (filter.page - 1) * PAGE_SIZE + 1;
    res
      .status(invalid ? 400 : 200)
      .type('text/html; charset=utf-8')
      .send(
        this.views.render('admin/bookings', {
          ...context,
          zone,
          overviewLink: t('admin.bookings.list.overviewLink'),
          profileLink: t('admin.bookings.list.profileLink'),
          apiCode: new Handlebars.SafeString('<code>GET /api/bookings</code>'),
          filter,
          statuses: LIST_STATUSES.map((s) => ({ value: s, label: listStatusLabel(s, t), selected: s === filter.status })),
          errors,
          errorList: Object.entries(errors).map(([field, message]) => ({ field, message })),
          maxDays: MAX_RANGE_DAYS,
          archiveDays: this.config.archiveAfterDays,
          reachesArchive: !invalid && filter.search.startFrom.getTime() < archiveCutoff,
          rows,
          total: found.total,
          shown: rows.length ? t('admin.bookings.list.resultsShown', { first, last: first + rows.length - 1, total: found.total }) : null,
          page: filter.page,
          pages,
          beyond: !invalid && rows.length === 0 && found.total > 0,
          firstHref: `/admin/bookings?${filterQuery(filter)}`,
          prevHref: filter.page > 1 && !invalid ? `/admin/bookings?${filterQuery(filter, Math.min(filter.page - 1, pages))}` : null,
          nextHref: filter.page < pages && !invalid ? `/admin/bookings?${filterQuery(filter, filter.page + 1)}` : null,
          csvHref: invalid ? null : `/admin/bookings.csv?${filterQuery(filter)}`,
        }),
      );
  }
}
