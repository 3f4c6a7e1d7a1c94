import { Body, Controller, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../../shared/http/authentication.js';
import { DomainError, notFound } from '../../../shared/http/domain-error.js';
import { canonicalTimeZone } from '../../../shared/validation/time-zone.js';
import { Waitlists } from '../../booking/application/waitlist.service.js';
import { UsersService } from '../../identity/application/users.service.js';
import { isReservedUsername } from '../../identity/domain/username.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { WebViews } from '../application/web-views.js';
import { carriedParams, withCarried } from '../application/embed-mode.js';
import { parseStart } from '../domain/web-time.js';
import { formatRangeIn } from '../../../shared/i18n/format.js';
import { matchLocale } from '../../../shared/i18n/locales.js';
import { clockOf, i18nView, langParam, pageLocale } from './page-locale.js';
import { EMAIL } from './admin-forms.js';
import { WebExceptionFilter } from './web-exception.filter.js';

type Form = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();

/**
 * "Join the waitlist" from the booking page (issue #19 part 2): the taken time's form posts here; the answer is a
 * page saying the place in line, or why not (the same rules as POST /api/waitlist). Works without JavaScript.
 */
@ApiExcludeController()
@Public()
@UseFilters(WebExceptionFilter)
@Controller()
export class PublicWaitlistController {
  constructor(
    private readonly users: UsersService,
    private readonly meetingTypes: MeetingTypesService,
    private readonly waitlists: Waitlists,
    private readonly views: WebViews,
  ) {}

  @Post(':username/:slug/waitlist')
  async join(
    @Param('username') username: string,
    @Param('slug') slug: string,
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ) {
    if (isReservedUsername(username)) throw notFound('page');
    const host = await this.users.findByUsername(username);
    const type = host ? await this.meetingTypes.findPublicSnapshot(username, slug) : null;
    if (!host || !type) throw notFound('meeting type');
    const start = parseStart(one(body.start));
    const name = one(body.name);
    const email = one(body.email);
    const tz = canonicalTimeZone(one(body.tz)) ?? host.timeZone;
    const loc = pageLocale(req, res);
    const { t } = loc;
    const backHref = withCarried(`/${host.username}/${type.slug}`, { ...carriedParams(body), ...langParam(loc) });
    const page = (status: number, data: Record<string, unknown>): void => {
      void res
        .status(status)
        .type('text/html; charset=utf-8')
        .send(
          this.views.render('waitlist-joined', {
            title: t('waitlist.pageTitle', { type: type.name }),
            i18n: i18nView(req, loc, false),
            host: { name: host.name },
            type: { name: type.name },
            backHref,
            ...data,
          }),
        );
    };
    let problem: string | null = null;
    if (!start) problem = t('waitlist.pickTime');
    else if (!name || name.length > 200) problem = t('waitlist.nameInvalid');
    else if (!EMAIL.test(email) || email.length > 255) problem = t('waitlist.emailInvalid');
    if (problem || !start) {
      page(400, { heading: t('waitlist.failedHeading'), message: problem });
      return;
    }
    try {
      // The page's language, sent by the form like the booking form's (else the request's).
      const locale = matchLocale(one(body.locale)) ?? loc.locale;
      const joined = await this.waitlists.join({ meetingTypeId: type.id, start, name, email, locale, timeZone: tz });
      const end = new Date(start.getTime() + type.durationMinutes * 60_000);
      const when = `${formatRangeIn(start, end, tz, clockOf(body.h12, loc), loc.formatLocale)} (${tz})`;
      page(200, { heading: t('waitlist.joinedHeading'), position: joined.place, when, email });
    } catch (error) {
      if (!(error instanceof DomainError) || !['conflict', 'unprocessable', 'not_found'].includes(error.code)) throw error;
      const status = error.code === 'conflict' ? 409 : error.code === 'not_found' ? 404 : 422;
      const message = /free: book it/.test(error.message)
        ? t('waitlist.freeAgain')
        : /already on the waitlist/.test(error.message)
          ? t('waitlist.already')
          : t('waitlist.refused', { reason: error.message });
      page(status, { heading: t('waitlist.failedHeading'), message });
    }
  }
}
