import { Body, Controller, Get, Ip, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError, notFound } from '../../../shared/http/domain-error.js';
import { canonicalTimeZone } from '../../../shared/validation/time-zone.js';
import { singleLineProblem } from '../../../shared/validation/text.js';
import { BookingCommands } from '../../booking/application/booking-commands.service.js';
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
import { formatClock, formatDateTime, formatRange, localDate, offsetLabel, parseStart } from '../domain/web-time.js';
import { type Errors, placeProblems } from './admin-forms.js';
import { asksForPhone, parseGuestList, placeBookingProblem, takesGuests } from './booking-form.js';
import { PHONE } from '../../booking/domain/answers.js';
import { MAX_GUESTS } from '../../booking/domain/guests.js';
import { WebExceptionFilter, isTakenError } from './web-exception.filter.js';

/** What the invitee's pages show of the host. */
interface HostView {
  id: string;
  name: string;
  username: string;
  timeZone: string;
}

type Form = Record<string, string | string[] | undefined>;
type HoldView = { token: string; expiresAt: Date } | { ended: true } | { refused: true };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

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
  ) {}

  @Get(':username')
  async host(@Param('username') username: string, @Query('tz') tz: string | undefined, @Res() res: FastifyReply) {
    const host = await this.host_(username);
    const types = await this.meetingTypes.listPublic(host.username);
    res.type('text/html; charset=utf-8').send(
      this.views.render('host', {
        title: host.name,
        host: { name: host.name, username: host.username },
        away: await this.awayNotice(host, null, tz),
        types: types.map(({ snapshot: t }) => ({
          name: t.name,
          duration: t.durationMinutes,
          description: t.description,
          href: `/${host.username}/${t.slug}`,
        })),
      }),
    );
  }

  @Get(':username/:slug')
  async calendar(@Param('username') username: string, @Param('slug') slug: string, @Query() query: PickerQuery, @Res() res: FastifyReply) {
    const { host, type } = await this.resolve(username, slug);
    res.type('text/html; charset=utf-8').send(await this.calendarPage(host, type, query, false));
  }

  @Get(':username/:slug/book')
  async form(@Param('username') username: string, @Param('slug') slug: string, @Query() query: Form, @Res() res: FastifyReply) {
    const { host, type } = await this.resolve(username, slug);
    if (!parseStart(one(query.start))) {
      res.redirect(`/${host.username}/${type.slug}`, 303);
      return;
    }
    res.type('text/html; charset=utf-8').send(this.formPage(host, type, query, {}, null, await this.holdView(type, query)));
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
    @Res() res: FastifyReply,
  ) {
    const { host, type } = await this.resolve(username, slug);
    const start = parseStart(one(body.start));
    const tz = canonicalTimeZone(one(body.tz)) ?? host.timeZone;
    const h12 = one(body.h12) === '1';
    const path = `/${host.username}/${type.slug}`;
    if (!start) {
      res.redirect(path, 303);
      return;
    }
    const form = { start: start.toISOString(), tz, ...(h12 ? { h12: '1' } : {}) };
    try {
      const held = await this.holds.hold({ meetingTypeId: type.id, start, clientAddress: ip });
      res.redirect(`${path}/book?${new URLSearchParams({ ...form, hold: held.token }).toString()}`, 303);
    } catch (error) {
      if (error instanceof HoldRefusedError) {
        res.header('Retry-After', String(error.refusal.retryAfterSeconds));
        res
          .status(429)
          .type('text/html; charset=utf-8')
          .send(this.formPage(host, type, form, {}, null, { refused: true }));
        return;
      }
      if (isTakenError(error)) {
        res
          .status(409)
          .type('text/html; charset=utf-8')
          .send(await this.calendarPage(host, type, { tz, date: localDate(start, tz), h12: form.h12 }, true));
        return;
      }
      throw error;
    }
  }

  @Post(':username/:slug/book')
  async submit(@Param('username') username: string, @Param('slug') slug: string, @Body() body: Form, @Res() res: FastifyReply) {
    const { host, type } = await this.resolve(username, slug);
    const start = parseStart(one(body.start));
    const tz = canonicalTimeZone(one(body.tz)) ?? host.timeZone;
    if (!start) {
      res.redirect(`/${host.username}/${type.slug}`, 303);
      return;
    }
    const errors: Record<string, string> = {};
    const name = one(body.name);
    const email = one(body.email);
    if (!name) errors.name = 'Please enter your name.';
    else if (name.length > 200) errors.name = 'Please keep your name under 200 characters.';
    else if (singleLineProblem(name)) errors.name = `Your name ${singleLineProblem(name)}.`;
    if (!email) errors.email = 'Please enter your email address.';
    else if (!EMAIL.test(email) || email.length > 255) errors.email = 'Please enter a valid email address, like name@example.com.';
    const phone = asksForPhone(type) ? one(body.phone) : '';
    if (phone && !PHONE.test(phone)) errors.phone = 'Please enter a phone number with its country code, like +1 202 555 0143.';
    const guests = takesGuests(type) ? parseGuestList(one(body.guests)) : { emails: [], invalid: [] };
    if (guests.invalid.length > 0) {
      errors.guests = `These are not email addresses: ${guests.invalid.slice(0, 3).join(', ')}${guests.invalid.length > 3 ? ', …' : ''}.`;
    } else if (guests.emails.length > MAX_GUESTS) errors.guests = `Please add at most ${MAX_GUESTS} guests.`;
    const answers: Record<string, unknown> = {};
    for (const q of type.questions) {
      const value = body[`q_${q.id}`];
      if (q.type === 'multi_choice') answers[q.id] = value === undefined ? [] : Array.isArray(value) ? value : [value];
      else if (one(value) !== '') answers[q.id] = one(value);
      if (q.required && (answers[q.id] === undefined || (Array.isArray(answers[q.id]) && (answers[q.id] as unknown[]).length === 0))) {
        errors[`q_${q.id}`] = `Please answer “${q.label}”.`;
      }
    }
    if (Object.keys(errors).length > 0) {
      res
        .status(400)
        .type('text/html; charset=utf-8')
        .send(this.formPage(host, type, body, errors, 'Please correct the highlighted fields.', await this.holdView(type, body)));
      return;
    }
    const holdToken = one(body.hold) || undefined;
    const book = (withHold: string | undefined) =>
      this.commands.create({
        meetingTypeId: type.id,
        start,
        inviteeName: name,
        inviteeEmail: email,
        timeZone: tz,
        phone: phone || null,
        guests: guests.emails,
        answers,
        holdToken: withHold,
      });
    try {
      // A hold that ended meanwhile is no reason to refuse: the time may still be free for anyone.
      const result = await book(holdToken).catch((error: unknown) => {
        if (holdToken && error instanceof HoldUnusableError) return book(undefined);
        throw error;
      });
      if (!result.invitee) throw new Error('a new booking comes back with its invitee');
      const token = this.tokens.tokenFor(result.invitee.id);
      const h12 = one(body.h12) === '1' ? '&h12=1' : '';
      res.redirect(`/booking/${result.booking.id}?token=${encodeURIComponent(token)}&booked=1${h12}`, 303);
    } catch (error) {
      if (isTakenError(error)) {
        const query = { tz, date: localDate(start, tz), h12: one(body.h12) };
        res
          .status(409)
          .type('text/html; charset=utf-8')
          .send(await this.calendarPage(host, type, query, true));
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
              host,
              type,
              body,
              fieldErrors,
              fieldErrors.form ?? 'Please correct the highlighted fields.',
              await this.holdView(type, body),
            ),
          );
        return;
      }
      throw error;
    }
  }

  private async calendarPage(host: HostView, type: MeetingTypeSnapshot, query: PickerQuery, taken: boolean): Promise<string> {
    const path = `/${host.username}/${type.slug}`;
    const picker = await this.picker.build({
      type,
      fallbackZone: host.timeZone,
      query,
      path,
      slotHref: (iso, tz, h12) => `${path}/book?${new URLSearchParams({ start: iso, tz, ...(h12 ? { h12: '1' } : {}) }).toString()}`,
    });
    return this.views.render('book', {
      title: `${type.name} with ${host.name}`,
      host: { name: host.name, username: host.username },
      type,
      picker,
      away: await this.awayNotice(host, type, query.tz),
      taken,
      // Picking a time holds it (group types share their slots: plain links to the form).
      slotForm: type.kind === 'group' ? null : { action: `${path}/hold` },
    });
  }

  /** "X is away until …; book with Y" while the host has time off (TimeOffService.awayOf), in the invitee's zone if known. */
  private async awayNotice(host: HostView, type: MeetingTypeSnapshot | null, tz: string | string[] | undefined) {
    // A team type the host does not host, or a round robin with others to take it, is not held up by their absence.
    const hosts = type?.hosts.map((h) => h.userId) ?? [host.id];
    if (!hosts.includes(host.id) || (type?.kind === 'round_robin' && hosts.length > 1)) return null;
    const away = await this.timeOff.awayOf(host.id, type);
    if (!away) return null;
    const zone = canonicalTimeZone(one(tz)) ?? host.timeZone;
    return {
      hostName: host.name,
      until: `${formatDateTime(away.until, zone)} (${zone})`,
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
    host: HostView,
    type: MeetingTypeSnapshot,
    values: Form,
    errors: Errors,
    summary: string | null,
    hold: HoldView | null = null,
  ): string {
    const start = new Date(one(values.start));
    const tz = canonicalTimeZone(one(values.tz)) ?? host.timeZone;
    const h12 = one(values.h12) === '1';
    const end = new Date(start.getTime() + type.durationMinutes * 60_000);
    const path = `/${host.username}/${type.slug}`;
    return this.views.render('book-form', {
      title: `Book ${type.name}`,
      host: { name: host.name, username: host.username },
      type,
      action: `${path}/book`,
      backHref: `${path}?${new URLSearchParams({ tz, date: localDate(start, tz), ...(h12 ? { h12: '1' } : {}) }).toString()}`,
      start: start.toISOString(),
      tz,
      h12,
      when: formatRange(start, end, tz, h12),
      zoneLabel: `${tz} (${offsetLabel(start, tz)})`,
      values: { name: one(values.name), email: one(values.email), phone: one(values.phone), guests: one(values.guests) },
      askPhone: asksForPhone(type),
      allowGuests: takesGuests(type),
      maxGuests: MAX_GUESTS,
      hold: hold && 'token' in hold ? { token: hold.token, until: formatClock(hold.expiresAt, tz, h12) } : null,
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
