import { Body, Controller, Get, Ip, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InsightsService } from '../../insights/application/insights.service.js';
import { isCountedView } from './page-views.js';
import { DomainError, notFound } from '../../../shared/http/domain-error.js';
import { canonicalTimeZone } from '../../../shared/validation/time-zone.js';
import { singleLineProblem } from '../../../shared/validation/text.js';
import { BookingCommands } from '../../booking/application/booking-commands.service.js';
import { BookingSeries } from '../../booking/application/booking-series.service.js';
import { Waitlists } from '../../booking/application/waitlist.service.js';
import { ManagementTokens } from '../../booking/application/management-tokens.js';
import { HoldRefusedError, HoldUnusableError, SlotHolds } from '../../booking/application/slot-holds.service.js';
import { TimeOffService } from '../../availability/application/time-off.service.js';
import { UsersService } from '../../identity/application/users.service.js';
import { Public } from '../../../shared/http/authentication.js';
import { isReservedUsername } from '../../identity/domain/username.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import type { BookingQuestion, MeetingTypeSnapshot } from '../../meeting-types/domain/meeting-type.js';
import { BookingPicker, type PickerQuery } from '../application/booking-picker.js';
import { WebViews } from '../application/web-views.js';
import {
  durationChoices,
  durationParam,
  lengthLabel,
  occurrencesOf,
  pickedDuration,
  repeatChoice,
} from '../application/booking-page-features.js';
import { formatClockIn, formatDateTimeIn, formatRangeIn } from '../../../shared/i18n/format.js';
import { localDate, offsetLabel, parseStart } from '../domain/web-time.js';
import { matchLocale } from '../../../shared/i18n/locales.js';
import { clockOf, clockParam, i18nView, langParam, pageLocale, withLang, type PageLocale } from './page-locale.js';
import { EMAIL, type Errors, placeProblems } from './admin-forms.js';
import { asksForPhone, parseGuestList, placeBookingProblem, takesGuests } from './booking-form.js';
import { PHONE } from '../../booking/domain/answers.js';
import { MAX_GUESTS } from '../../booking/domain/guests.js';
import { WebExceptionFilter, isTakenError } from './web-exception.filter.js';
import { allowFramingBy } from '../../../shared/security/framing.js';
import { utmFrom } from '../../booking/domain/utm.js';
import {
  type Carried,
  type EmbedEvent,
  carriedParams,
  embedView,
  hiddenInputs,
  isEmbed,
  prefilledForm,
  withCarried,
} from '../application/embed-mode.js';

/** What the invitee's pages show of the host. */
interface HostView {
  id: string;
  name: string;
  username: string;
  timeZone: string;
  /** Who may frame the pages with ?embed=1 (issue #18). */
  embedOrigins: readonly string[];
}

type Form = Record<string, string | string[] | undefined>;
type HoldView = { token: string; expiresAt: Date } | { ended: true } | { refused: true };

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();

/** The invitee's pages: a host's meeting types, the calendar with times, the booking form. */
@ApiExcludeController()
@Public()
@UseFilters(WebExceptionFilter)
@Controller()
export class PublicPagesController {
  constructor(
    private readonly users: UsersService,
    private readonly meetingTypes: MeetingTypesService,
    private readonly picker: BookingPicker,
    private readonly commands: BookingCommands,
    private readonly holds: SlotHolds,
    private readonly tokens: ManagementTokens,
    private readonly views: WebViews,
    private readonly timeOff: TimeOffService,
    private readonly series: BookingSeries,
    private readonly insights: InsightsService,
    private readonly waitlists: Waitlists,
  ) {}

  @Get(':username')
  async host(@Param('username') username: string, @Query() query: Form, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const host = await this.host_(username);
    const types = await this.meetingTypes.listPublic(host.username);
    const loc = pageLocale(req, res);
    const carry = carriedParams(query);
    res.type('text/html; charset=utf-8').send(
      this.views.render('host', {
        title: host.name,
        i18n: i18nView(req, loc),
        host: { name: host.name, username: host.username },
        away: await this.awayNotice(host, null, query.tz, loc),
        types: types.map(({ snapshot: t }) => ({
          name: t.name,
          duration: t.durationMinutes,
          description: t.description,
          href: withCarried(withLang(`/${host.username}/${t.slug}`, loc), carry),
        })),
        embed: this.embedding(res, host, query, [{ type: 'kairos:page_loaded', payload: { page: 'host' } }]),
      }),
    );
  }

  @Get(':username/:slug')
  async calendar(
    @Param('username') username: string,
    @Param('slug') slug: string,
    @Query() query: Form,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ) {
    const { host, type } = await this.resolve(username, slug);
    const loc = pageLocale(req, res);
    // Insights' page views (never fails the page; the slots JSON endpoint is not counted).
    if (isCountedView(req, query)) {
      await this.insights.countPageView({ meetingTypeId: type.id, hostId: host.id, hostTimeZone: host.timeZone });
    }
    res.type('text/html; charset=utf-8').send(await this.calendarPage(res, host, type, query, false, loc, req, carriedParams(query)));
  }

  @Get(':username/:slug/book')
  async form(
    @Param('username') username: string,
    @Param('slug') slug: string,
    @Query() query: Form,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ) {
    const { host, type } = await this.resolve(username, slug);
    const loc = pageLocale(req, res);
    const start = parseStart(one(query.start));
    if (!start) {
      res.redirect(withCarried(withLang(`/${host.username}/${type.slug}`, loc), carriedParams(query)), 303);
      return;
    }
    // A prefill (name, email, guests, answers[<question id>]) fills the fields it names.
    const values = { ...query, ...prefilledForm(query, type.questions) };
    const end = new Date(start.getTime() + pickedDuration(type, query.duration) * 60_000);
    const tz = canonicalTimeZone(one(query.tz)) ?? host.timeZone;
    const picked: EmbedEvent = {
      type: 'kairos:date_selected',
      payload: { meeting_type: type.slug, start_time: start.toISOString(), end_time: end.toISOString(), time_zone: tz },
    };
    const hold = await this.holdView(type, query);
    res
      .type('text/html; charset=utf-8')
      .send(this.formPage(res, host, type, values, {}, null, hold, loc, req, [picked], carriedParams(query)));
  }

  /**
   * Picking a time reserves it while the invitee fills the form: the same SlotHolds.hold as POST /api/slots/holds,
   * counted against the same caps for this client's address. A POST (not the form's GET), so link prefetchers and
   * crawlers hold nothing. Past a cap nothing is reserved (429), but the form still books the time if it is free.
   */
  @Post(':username/:slug/hold')
  async hold(
    @Param('username') username: string,
    @Param('slug') slug: string,
    @Body() body: Form,
    @Ip() ip: string,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ) {
    const { host, type } = await this.resolve(username, slug);
    const loc = pageLocale(req, res);
    const start = parseStart(one(body.start));
    const tz = canonicalTimeZone(one(body.tz)) ?? host.timeZone;
    const h12 = clockOf(body.h12, loc);
    const path = `/${host.username}/${type.slug}`;
    const carry = carriedParams(body);
    if (!start) {
      res.redirect(withCarried(withLang(path, loc), carry), 303);
      return;
    }
    const duration = pickedDuration(type, body.duration);
    const form: Record<string, string> = {
      start: start.toISOString(),
      tz,
      ...clockParam(h12, loc),
      ...durationParam(type, duration),
      ...langParam(loc),
    };
    try {
      const held = await this.holds.hold({ meetingTypeId: type.id, start, clientAddress: ip, durationMinutes: duration });
      res.redirect(withCarried(`${path}/book?${new URLSearchParams({ ...form, hold: held.token }).toString()}`, carry), 303);
    } catch (error) {
      if (error instanceof HoldRefusedError) {
        res.header('Retry-After', String(error.refusal.retryAfterSeconds));
        res
          .status(429)
          .type('text/html; charset=utf-8')
          .send(
            this.formPage(
              res,
              host,
              type,
              { ...carry, ...prefilledForm(body, type.questions), ...form },
              {},
              null,
              { refused: true },
              loc,
              req,
            ),
          );
        return;
      }
      if (isTakenError(error)) {
        res
          .status(409)
          .type('text/html; charset=utf-8')
          .send(
            await this.calendarPage(
              res,
              host,
              type,
              { tz, date: localDate(start, tz), h12: form.h12, duration: form.duration },
              true,
              loc,
              req,
              carry,
            ),
          );
        return;
      }
      throw error;
    }
  }

  @Post(':username/:slug/book')
  async submit(
    @Param('username') username: string,
    @Param('slug') slug: string,
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ) {
    const { host, type } = await this.resolve(username, slug);
    const loc = pageLocale(req, res);
    const { t } = loc;
    const start = parseStart(one(body.start));
    const tz = canonicalTimeZone(one(body.tz)) ?? host.timeZone;
    if (!start) {
      res.redirect(withCarried(withLang(`/${host.username}/${type.slug}`, loc), carriedParams(body)), 303);
      return;
    }
    const errors: Record<string, string> = {};
    const name = one(body.name);
    const email = one(body.email);
    if (!name) errors.name = t('form.nameMissing');
    else if (name.length > 200) errors.name = t('form.nameTooLong');
    else if (singleLineProblem(name)?.includes('bidirectional')) errors.name = t('form.nameBidi');
    else if (singleLineProblem(name)) errors.name = t('form.nameControl');
    if (!email) errors.email = t('form.emailMissing');
    else if (!EMAIL.test(email) || email.length > 255) errors.email = t('form.emailInvalid');
    const phone = asksForPhone(type) ? one(body.phone) : '';
    if (phone && !PHONE.test(phone)) errors.phone = t('form.phoneInvalid');
    const guests = takesGuests(type) ? parseGuestList(one(body.guests)) : { emails: [], invalid: [] };
    if (guests.invalid.length > 0) {
      errors.guests = t('form.guestsInvalid', {
        list: `${guests.invalid.slice(0, 3).join(', ')}${guests.invalid.length > 3 ? ', …' : ''}`,
      });
    } else if (guests.emails.length > MAX_GUESTS) errors.guests = t('form.guestsTooMany', { max: MAX_GUESTS });
    const repeats = type.recurrence && occurrencesOf(type, body.occurrences);
    if (type.recurrence && repeats !== null && (repeats < 1 || repeats > type.recurrence.maxOccurrences)) {
      errors.occurrences = t('form.occurrencesRange', { max: type.recurrence.maxOccurrences });
    }
    const answers: Record<string, unknown> = {};
    for (const q of type.questions) {
      const value = body[`q_${q.id}`];
      if (q.type === 'multi_choice') answers[q.id] = value === undefined ? [] : Array.isArray(value) ? value : [value];
      else if (one(value) !== '') answers[q.id] = one(value);
      if (q.required && (answers[q.id] === undefined || (Array.isArray(answers[q.id]) && (answers[q.id] as unknown[]).length === 0))) {
        errors[`q_${q.id}`] = t('form.answerRequired', { label: q.label });
      }
    }
    if (Object.keys(errors).length > 0) {
      res
        .status(400)
        .type('text/html; charset=utf-8')
        .send(this.formPage(res, host, type, body, errors, t('form.fixFields'), await this.holdView(type, body), loc, req));
      return;
    }
    const holdToken = one(body.hold) || undefined;
    const duration = pickedDuration(type, body.duration);
    const occurrences = occurrencesOf(type, body.occurrences);
    const input = (withHold: string | undefined) => ({
      meetingTypeId: type.id,
      start,
      inviteeName: name,
      inviteeEmail: email,
      timeZone: tz,
      phone: phone || null,
      guests: guests.emails,
      answers,
      holdToken: withHold,
      durationMinutes: duration,
      // The campaign of the page's URL (utm_*), carried through the calendar and the form (issue #18).
      utm: utmFrom(body),
      // The page's language: the invitee's emails are written in it (issue #18).
      locale: matchLocale(one(body.locale)) ?? loc.locale,
    });
    // Several dates of a recurring type go through BookingSeries: all or none, the first one taken named beside the field.
    const book = async (withHold: string | undefined) =>
      occurrences !== 1
        ? (await this.series.create({ ...input(withHold), occurrences })).occurrences[0]
        : this.commands.create(input(withHold));
    try {
      // A hold that ended meanwhile is no reason to refuse: the time may still be free for anyone.
      const result = await book(holdToken).catch((error: unknown) => {
        if (holdToken && error instanceof HoldUnusableError) return book(undefined);
        throw error;
      });
      if (!result.invitee) throw new Error('a new booking comes back with its invitee');
      const token = this.tokens.tokenFor(result.invitee.id);
      const extra = new URLSearchParams({
        ...clockParam(clockOf(body.h12, loc), loc),
        ...langParam(loc),
        ...(isEmbed(body) ? { embed: '1' } : {}),
      }).toString();
      res.redirect(`/booking/${result.booking.id}?token=${encodeURIComponent(token)}&booked=1${extra ? `&${extra}` : ''}`, 303);
    } catch (error) {
      const takenDate = takenOccurrence(error);
      if (takenDate !== null) {
        const when = formatRangeIn(
          takenDate,
          new Date(takenDate.getTime() + duration * 60_000),
          tz,
          clockOf(body.h12, loc),
          loc.formatLocale,
        );
        res
          .status(409)
          .type('text/html; charset=utf-8')
          .send(
            this.formPage(
              res,
              host,
              type,
              body,
              { occurrences: t('form.dateTaken', { when }) },
              t('form.oneDateTaken'),
              await this.holdView(type, body),
              loc,
              req,
            ),
          );
        return;
      }
      if (isTakenError(error)) {
        const query = { tz, date: localDate(start, tz), h12: one(body.h12), duration: one(body.duration) };
        res
          .status(409)
          .type('text/html; charset=utf-8')
          .send(
            await this.calendarPage(res, host, type, query, true, loc, req, carriedParams(body), {
              start: start.toISOString(),
              name: one(body.name),
              email: one(body.email),
            }),
          );
        return;
      }
      if (error instanceof DomainError && error.code === 'invalid') {
        const fieldErrors: Errors = {};
        placeProblems(error, placeBookingProblem, fieldErrors);
        res
          .status(400)
          .type('text/html; charset=utf-8')
          .send(
            this.formPage(
              res,
              host,
              type,
              body,
              fieldErrors,
              fieldErrors.form ?? t('form.fixFields'),
              await this.holdView(type, body),
              loc,
              req,
            ),
          );
        return;
      }
      throw error;
    }
  }

  private async calendarPage(
    res: FastifyReply,
    host: HostView,
    type: MeetingTypeSnapshot,
    query: PickerQuery,
    taken: boolean,
    loc: PageLocale,
    req: FastifyRequest,
    carry: Carried = {},
    /** The taken time the invitee tried to book: offered to join its waitlist when the type has one. */
    missed: { start: string; name: string; email: string } | null = null,
  ): Promise<string> {
    const path = `/${host.username}/${type.slug}`;
    const duration = pickedDuration(type, query.duration);
    const lengthParam = durationParam(type, duration);
    const picker = await this.picker.build({
      type,
      fallbackZone: host.timeZone,
      query,
      path,
      keep: { ...carry, ...lengthParam },
      locale: loc,
      ...(lengthParam.duration ? { durationMinutes: duration } : {}),
      slotHref: (iso, tz, h12) =>
        withCarried(
          `${path}/book?${new URLSearchParams({ start: iso, tz, ...(h12 ? { h12 } : {}), ...lengthParam, ...langParam(loc) }).toString()}`,
          carry,
        ),
    });
    const lengthHref = (minutes: number) => {
      const q = new URLSearchParams({ tz: picker.tz, ...(picker.date ? { date: picker.date } : { month: picker.month }) });
      if (picker.h12Param) q.set('h12', picker.h12Param);
      for (const [k, v] of Object.entries(durationParam(type, minutes))) q.set(k, v);
      if (loc.keepLang) q.set('lang', loc.keepLang);
      return withCarried(`${path}?${q.toString()}`, carry);
    };
    return this.views.render('book', {
      title: loc.t('booking.pageTitle', { type: type.name, host: host.name }),
      i18n: i18nView(req, loc),
      host: { name: host.name, username: host.username },
      hostHref: withCarried(withLang(`/${host.username}`, loc), carry),
      type,
      picker,
      lengthLabel: lengthLabel(duration, loc),
      durations: durationChoices(type, duration, lengthHref, loc),
      away: await this.awayNotice(host, type, query.tz, loc),
      taken,
      waitlist:
        missed && (await this.waitlists.isOpenFor(type))
          ? {
              action: `${path}/waitlist`,
              locale: loc.locale,
              ...missed,
              when: formatRangeIn(
                new Date(missed.start),
                new Date(Date.parse(missed.start) + duration * 60_000),
                picker.tz,
                picker.h12,
                loc.formatLocale,
              ),
              carry: hiddenInputs({ ...carry, ...langParam(loc) }),
            }
          : null,
      // Picking a time holds it (group types share their slots: plain links to the form).
      slotForm: type.kind === 'group' ? null : { action: `${path}/hold`, duration: lengthParam.duration, carry: hiddenInputs(carry) },
      embed: this.embedding(res, host, carry, [{ type: 'kairos:page_loaded', payload: { page: 'calendar', meeting_type: type.slug } }]),
    });
  }

  /** "X is away until …; book with Y" while the host has time off (TimeOffService.awayOf), in the invitee's zone if known. */
  private async awayNotice(host: HostView, type: MeetingTypeSnapshot | null, tz: string | string[] | undefined, loc: PageLocale) {
    // A team type the host does not host, or a round robin with others to take it, is not held up by their absence.
    const hosts = type?.hosts.map((h) => h.userId) ?? [host.id];
    if (!hosts.includes(host.id) || (type?.kind === 'round_robin' && hosts.length > 1)) return null;
    const away = await this.timeOff.awayOf(host.id, type);
    if (!away) return null;
    const zone = canonicalTimeZone(one(tz)) ?? host.timeZone;
    return {
      hostName: host.name,
      until: `${formatDateTimeIn(away.until, zone, loc.h12Default, loc.formatLocale)} (${zone})`,
      reason: away.reason,
      redirect: away.redirect && { name: away.redirect.user.name, href: away.redirect.url },
    };
  }

  /** The form's hold: live (token and until when), ended, refused by a cap, or none. */
  private async holdView(type: MeetingTypeSnapshot, values: Form): Promise<HoldView | null> {
    const token = one(values.hold);
    const start = new Date(one(values.start));
    if (!token || Number.isNaN(start.getTime())) return null;
    const live = await this.holds.findLive(token, type.id, start);
    return live ? { token, expiresAt: live.expiresAt } : { ended: true };
  }

  private formPage(
    res: FastifyReply,
    host: HostView,
    type: MeetingTypeSnapshot,
    values: Form,
    errors: Errors,
    summary: string | null,
    hold: HoldView | null,
    loc: PageLocale,
    req: FastifyRequest,
    events: EmbedEvent[] = [],
    // What "Back to times" passes on: a prefill only when it came in the URL (not what was typed in a posted form).
    backCarry: Carried = carriedParams(values, false),
  ): string {
    const start = new Date(one(values.start));
    const tz = canonicalTimeZone(one(values.tz)) ?? host.timeZone;
    const h12 = clockOf(values.h12, loc);
    const duration = pickedDuration(type, values.duration);
    const end = new Date(start.getTime() + duration * 60_000);
    const path = `/${host.username}/${type.slug}`;
    const lengthParam = durationParam(type, duration);
    return this.views.render('book-form', {
      title: loc.t(type.requiresConfirmation ? 'form.titleRequest' : 'form.titleBook', { type: type.name }),
      i18n: i18nView(req, loc),
      host: { name: host.name, username: host.username },
      type,
      action: `${path}/book`,
      backHref: withCarried(
        `${path}?${new URLSearchParams({ tz, date: localDate(start, tz), ...clockParam(h12, loc), ...lengthParam, ...langParam(loc) }).toString()}`,
        backCarry,
      ),
      // embed=1 and utm_* go on with the form (the prefill is in its fields; the language in its own field).
      carry: hiddenInputs(carriedParams(values, false)),
      embed: this.embedding(res, host, values, [
        { type: 'kairos:page_loaded', payload: { page: 'form', meeting_type: type.slug } },
        ...events,
      ]),
      duration: lengthParam.duration,
      lengthLabel: lengthLabel(duration, loc),
      repeat: repeatChoice(type, values.occurrences, loc),
      start: start.toISOString(),
      tz,
      h12Param: clockParam(h12, loc).h12,
      lang: loc.keepLang,
      locale: loc.locale,
      when: formatRangeIn(start, end, tz, h12, loc.formatLocale),
      zoneLabel: `${tz} (${offsetLabel(start, tz)})`,
      values: { name: one(values.name), email: one(values.email), phone: one(values.phone), guests: one(values.guests) },
      askPhone: asksForPhone(type),
      allowGuests: takesGuests(type),
      maxGuests: MAX_GUESTS,
      hold: hold && 'token' in hold ? { token: hold.token, until: formatClockIn(hold.expiresAt, tz, h12, loc.formatLocale) } : null,
      holdEnded: Boolean(hold && 'ended' in hold),
      holdRefused: Boolean(hold && 'refused' in hold),
      errors,
      errorSummary: summary,
      questions: type.questions.map((q: BookingQuestion) => {
        const raw = values[`q_${q.id}`];
        const chosen = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
        return {
          ...q,
          fieldId: `q-${q.id}`,
          fieldName: `q_${q.id}`,
          value: one(raw),
          options: (q.options ?? []).map((o) => ({ value: o, checked: chosen.includes(o) })),
          error: errors[`q_${q.id}`],
        };
      }),
    });
  }

  /**
   * An embedded page (`embed=1`): framed by the host's embed origins only (the response's frame-ancestors), and the
   * view model of public/embed-frame.js. Null, and nothing changed, for the ordinary page.
   */
  private embedding(res: FastifyReply, host: HostView, query: Form, events: EmbedEvent[]) {
    if (!isEmbed(query)) return null;
    allowFramingBy(res, host.embedOrigins);
    return embedView(host.embedOrigins, events);
  }

  private async host_(username: string): Promise<HostView> {
    if (isReservedUsername(username)) throw notFound('page');
    const host = await this.users.findByUsername(username);
    if (!host) throw notFound('page');
    return host;
  }

  private async resolve(username: string, slug: string) {
    const host = await this.host_(username);
    const type = await this.meetingTypes.findPublicSnapshot(username, slug);
    if (!type) throw notFound('meeting type');
    return { host, type };
  }
}

/** The start of the occurrence a series refused (409 naming `occurrence` > 1), or null for any other error. */
function takenOccurrence(error: unknown): Date | null {
  if (!(error instanceof DomainError) || error.code !== 'conflict') return null;
  const details = error.details as { start_time?: unknown; occurrence?: unknown } | undefined;
  if (typeof details?.occurrence !== 'number' || details.occurrence < 2 || typeof details.start_time !== 'string') return null;
  return new Date(details.start_time);
}
