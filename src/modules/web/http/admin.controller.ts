import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Clock } from '../../../shared/clock/clock.js';
import { DomainError } from '../../../shared/http/domain-error.js';
import { uuidParam } from '../../../shared/http/params.js';
import { canonicalTimeZone } from '../../../shared/validation/time-zone.js';
import { singleLineProblem } from '../../../shared/validation/text.js';
import { SchedulesService, type OverrideInput, type RuleInput } from '../../schedules/application/schedules.service.js';
import { BookingCommands } from '../../booking/application/booking-commands.service.js';
import { BookingQueries } from '../../booking/application/booking-queries.service.js';
import { IntegrationsService } from '../../calendar/application/integrations.service.js';
import { ApiKeysService } from '../../identity/application/api-keys.service.js';
import { passwordProblem } from '../../identity/domain/password-policy.js';
import { retryAfterOf } from '../../../shared/throttling/credential-limiter.js';
import { UsersService } from '../../identity/application/users.service.js';
import { type AuthenticatedUser, CurrentUser, Public } from '../../identity/http/auth.decorators.js';
import { USERNAME_PATTERN } from '../../identity/domain/username.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { TeamsService } from '../../teams/application/teams.service.js';
import type { MeetingKind, MeetingTypeSnapshot, QuestionType } from '../../meeting-types/domain/meeting-type.js';
import { DEFAULT_REMINDERS, type MeetingTypeChanges, type QuestionInput } from '../../meeting-types/domain/meeting-type-rules.js';
import { type AdminSection, AdminPages } from '../application/admin-pages.js';
import { type WebRequest, WebSessions } from '../application/web-session.js';
import { type PageContext, WebViews } from '../application/web-views.js';
import { connectionLabel } from '../domain/calendar-labels.js';
import { allTimeZones, formatRange, isRealDate } from '../domain/web-time.js';
import {
  LOCATION_TYPES, type TeamChoice, checkTeamFields, nameHosts, parseLocation, parseReminderRows, reminderRows, routeTypeProblems, teamHostView,
} from './meeting-type-form.js';
import { fieldErrorsOf, many, sentence, waitLabel } from './admin-forms.js';
import { WebExceptionFilter } from './web-exception.filter.js';

type Form = Record<string, string | string[] | undefined>;
type Errors = Record<string, string>;
const one = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').trim();
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_ORDER = [1, 2, 3, 4, 5, 6, 0];
const INTERVAL = /^([01]\d|2[0-3]):([0-5]\d)\s*[-–]\s*(([01]\d|2[0-3]):([0-5]\d)|24:00)$/;
const KINDS: { value: MeetingKind; label: string }[] = [
  { value: 'one_on_one', label: 'One-on-one' }, { value: 'group', label: 'Group (several invitees per time)' },
  { value: 'round_robin', label: 'Round robin (team)' }, { value: 'collective', label: 'Collective (team)' },
];
const TEAM_KINDS: MeetingKind[] = ['round_robin', 'collective'];
const QUESTION_TYPES: { value: QuestionType; label: string }[] = [
  { value: 'text', label: 'Short text' }, { value: 'long_text', label: 'Long text' }, { value: 'single_choice', label: 'One choice' },
  { value: 'multi_choice', label: 'Several choices' }, { value: 'phone', label: 'Phone number' },
];
const NUMBER_FIELDS: { name: string; key: keyof MeetingTypeChanges; label: string; min: number; max: number; nullable: boolean; hint?: string }[] = [
  { name: 'duration_minutes', key: 'durationMinutes', label: 'Duration (minutes)', min: 5, max: 720, nullable: false },
  { name: 'slot_interval_minutes', key: 'slotIntervalMinutes', label: 'Start times every (minutes)', min: 5, max: 720, nullable: true, hint: 'Empty: the duration.' },
  { name: 'buffer_before_minutes', key: 'bufferBeforeMinutes', label: 'Buffer before (minutes)', min: 0, max: 240, nullable: false },
  { name: 'buffer_after_minutes', key: 'bufferAfterMinutes', label: 'Buffer after (minutes)', min: 0, max: 240, nullable: false },
  { name: 'minimum_notice_minutes', key: 'minimumNoticeMinutes', label: 'Minimum notice (minutes)', min: 0, max: 525600, nullable: false },
  { name: 'booking_window_days', key: 'bookingWindowDays', label: 'Bookable up to (days ahead)', min: 1, max: 3650, nullable: true, hint: 'Empty: no limit.' },
  { name: 'max_bookings_per_day', key: 'maxBookingsPerDay', label: 'Most bookings per day', min: 1, max: 1000, nullable: true, hint: 'Empty: no limit.' },
  { name: 'seats', key: 'seats', label: 'Seats per time (group only)', min: 2, max: 1000, nullable: true },
];
const QUESTION_ROWS_EXTRA = 2;
const OVERRIDE_ROWS_EXTRA = 2;

/** The host admin: sessions, bookings, meeting types, availability, API keys. Every POST carries a CSRF token. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin')
export class AdminController {

  constructor(
    private readonly sessions: WebSessions,
    private readonly views: WebViews,
    private readonly users: UsersService,
    private readonly schedules: SchedulesService,
    private readonly meetingTypes: MeetingTypesService,
    private readonly commands: BookingCommands,
    private readonly clock: Clock,
    private readonly queries: BookingQueries,
    private readonly apiKeyService: ApiKeysService,
    private readonly pages: AdminPages,
    private readonly integrations: IntegrationsService,
    private readonly teams: TeamsService,
  ) {}

  // --- sessions ------------------------------------------------------------------------------------------------

  @Public()
  @Get('login')
  loginForm(@Req() req: WebRequest, @Res() res: Response, @Query('next') next?: string, @Query('deleted') deleted?: string, @Query('reset') reset?: string) {
    res.type('html').send(this.views.render('admin/login', {
      title: 'Log in', csrf: this.sessions.csrfToken(req, res), next: safeNext(next), values: {}, errors: {},
      notice: one(deleted) ? 'Your account and its data were deleted.' : one(reset) ? 'Your password was changed. Log in with the new one.' : null,
    }));
  }

  @Public()
  @Post('login')
  async login(@Req() req: WebRequest, @Body() body: Form, @Res() res: Response) {
    const email = one(body.email);
    let user: { id: string } | null = null;
    let retryAfter: number | null = null;
    try {
      user = email && one(body.password) ? await this.users.verifyPassword(email, one(body.password), req.ip) : null;
    } catch (error) {
      retryAfter = retryAfterOf(error);
      if (retryAfter === null) throw error;
    }
    if (!user) {
      if (retryAfter !== null) res.setHeader('Retry-After', String(retryAfter));
      res.status(retryAfter !== null ? 429 : 401).type('html').send(this.views.render('admin/login', {
        title: 'Log in', csrf: this.sessions.csrfToken(req, res), next: safeNext(one(body.next)), values: { email },
        errors: {},
        errorSummary: retryAfter !== null
          ? `Too many failed attempts. Please retry later (in about ${waitLabel(retryAfter)}), or reset your password.`
          : 'The email or password is incorrect.',
      }));
      return;
    }
    await this.sessions.signIn(req, res, user.id);
    res.redirect(303, safeNext(one(body.next)) ?? '/admin');
  }

  @Public()
  @Get('signup')
  signupForm(@Req() req: WebRequest, @Res() res: Response) {
    res.type('html').send(this.signupPage(this.sessions.csrfToken(req, res), { time_zone: 'UTC' }, {}, null));
  }

  @Public()
  @Post('signup')
  async signup(@Req() req: WebRequest, @Body() body: Form, @Res() res: Response) {
    const v = { name: one(body.name), email: one(body.email), username: one(body.username).toLowerCase(), time_zone: canonicalTimeZone(one(body.time_zone)) ?? one(body.time_zone), password: one(body.password) };
    const errors: Errors = {};
    if (!v.name) errors.name = 'Please enter your name.';
    else if (singleLineProblem(v.name)) errors.name = `Your name ${singleLineProblem(v.name)}.`;
    if (!EMAIL.test(v.email)) errors.email = 'Please enter a valid email address.';
    if (!USERNAME_PATTERN.test(v.username)) errors.username = 'Use 2-40 lowercase letters, digits or "-", not starting or ending with "-".';
    if (!canonicalTimeZone(v.time_zone)) errors.time_zone = 'Please choose a time zone.';
    const weak = passwordProblem(v.password, { email: v.email, username: v.username });
    if (weak) errors.password = sentence(weak.replace(/^password/, 'the password'));
    let userId: string | null = null;
    if (Object.keys(errors).length === 0) {
      try {
        userId = (await this.users.create({ name: v.name, email: v.email, username: v.username, timeZone: v.time_zone, password: v.password })).id;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const fields = (error.details?.errors ?? []) as { field: string; messages: string[] }[];
        if (fields.length) for (const f of fields) errors[f.field] = f.field === 'username' ? 'That username is taken.' : f.field === 'email' ? 'An account with this email already exists.' : f.messages.join(' ');
        else if (/username/.test(error.message)) errors.username = error.message.replace(/^./, (c) => c.toUpperCase()) + '.';
        else errors.form = error.message;
      }
    }
    if (!userId) {
      res.status(400).type('html').send(this.signupPage(this.sessions.csrfToken(req, res), { ...v, password: '' }, errors, errors.form ?? 'Please correct the highlighted fields.'));
      return;
    }
    await this.sessions.signIn(req, res, userId);
    res.redirect(303, '/admin/availability?welcome=1');
  }

  @Public()
  @Post('logout')
  async logout(@Req() req: WebRequest, @Res() res: Response) {
    await this.sessions.signOut(req, res);
    res.redirect(303, '/admin/login');
  }

  // --- bookings ------------------------------------------------------------------------------------------------

  @Get()
  async dashboard(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: Response, @Query('h12') h12q?: string) {
    const me = await this.users.getById(caller.id);
    const now = this.clock.now();
    const h12 = h12q === '1';
    const upcoming = await this.queries.listForHost(me.id, { status: 'confirmed', from: now, limit: 100, offset: 0 });
    const past = await this.queries.listForHost(me.id, { to: now, limit: 30, offset: 0 });
    const cancelled = await this.queries.listForHost(me.id, { status: 'cancelled', from: now, limit: 30, offset: 0 });
    const describe = async (rows: { id: string }[]) => (await this.queries.getViews(rows.map((r) => r.id))).map((view) => {
      return {
        id: view.id, status: view.status, type: view.meetingType.name,
        when: formatRange(view.startTime, view.endTime, me.timeZone, h12),
        invitees: view.invitees.filter((i) => i.status === 'active' || view.status !== 'confirmed').map((i) => `${i.name} <${i.email}>`).join(', '),
        cancellable: view.status === 'confirmed' && view.endTime > now,
      };
    });
    res.type('html').send(this.views.render('admin/dashboard', {
      ...(await this.page(caller, req, res, 'Bookings', 'bookings')),
      zone: me.timeZone,
      upcoming: (await describe(upcoming.rows)).reverse(),
      past: await describe([...cancelled.rows, ...past.rows]),
      notice: one(req.query.cancelled) ? 'The booking was cancelled and the invitee will be told.' : null,
    }));
  }

  /**
   * The host's "Manage this booking" link and the invitation's URL: the booking as it is now (a rescheduled booking
   * id leads to the booking it became) in the host's list of bookings.
   */
  @Get('bookings/:id')
  async booking(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Res() res: Response) {
    await this.queries.authorize(id, { userId: caller.id });
    const view = await this.queries.getView(id);
    const current = view ? await this.queries.currentOf(view) : null;
    const target = current?.id ?? id;
    res.redirect(303, `/admin?booking=${target}#booking-${target}`);
  }

  @Post('bookings/:id/cancel')
  async cancelBooking(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Body() body: Form, @Res() res: Response) {
    const { actor } = await this.queries.authorize(id, { userId: caller.id });
    await this.commands.cancel(id, actor, one(body.reason) || null);
    res.redirect(303, '/admin?cancelled=1');
  }

  // --- meeting types -------------------------------------------------------------------------------------------

  @Get('meeting-types')
  async types(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: Response) {
    const me = await this.users.getById(caller.id);
    const { items } = await this.meetingTypes.list(caller.id, 200, 0);
    res.type('html').send(this.views.render('admin/types', {
      ...(await this.page(caller, req, res, 'Meeting types', 'types')),
      types: items.map(({ snapshot: t }) => ({
        id: t.id, name: t.name, duration: t.durationMinutes, kind: KINDS.find((k) => k.value === t.kind)?.label,
        active: t.isActive, secret: t.isSecret, publicHref: `/${me.username}/${t.slug}`,
      })),
      notice: one(req.query.saved) ? 'Saved.' : null,
    }));
  }

  @Get('meeting-types/new')
  async newType(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: Response) {
    res.type('html').send(await this.typePage(caller, req, res, null, null, {}, null));
  }

  @Get('meeting-types/:id')
  async editType(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Req() req: WebRequest, @Res() res: Response) {
    const { snapshot } = await this.meetingTypes.get(caller.id, id);
    res.type('html').send(await this.typePage(caller, req, res, snapshot, null, {}, null));
  }

  @Post('meeting-types/new')
  async createType(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: Response) {
    await this.saveType(caller, req, res, null, body);
  }

  @Post('meeting-types/:id')
  async updateType(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Req() req: WebRequest, @Body() body: Form, @Res() res: Response) {
    const { snapshot } = await this.meetingTypes.get(caller.id, id);
    await this.saveType(caller, req, res, snapshot, body);
  }

  private async saveType(caller: AuthenticatedUser, req: WebRequest, res: Response, current: MeetingTypeSnapshot | null, body: Form) {
    const { changes, errors, rows } = parseTypeForm(body);
    const teams = await this.teamChoices(caller.id);
    if (changes.kind && TEAM_KINDS.includes(changes.kind)) {
      changes.hostIds = checkTeamFields(teams, changes.teamId ?? null, changes.hostIds ?? [], errors);
    }
    if (body.schedule_id !== undefined && changes.scheduleId && !(await this.schedules.list(caller.id)).some((s) => s.schedule.id === changes.scheduleId)) {
      errors.schedule_id = 'Choose one of your schedules, or your default one.';
    }
    // The calendar choice is only on the page when the host has calendars that can receive bookings.
    const destinationGiven = body.destination !== undefined;
    let destination: { integration_id: string; calendar_id: string } | null = null;
    if (destinationGiven && one(body.destination)) {
      const found = (await this.integrations.writableCalendars(caller.id)).find((c) => c.calendar.id === one(body.destination));
      if (found) destination = { integration_id: found.integration.id, calendar_id: found.calendar.calendarId };
      else errors.destination = 'Choose one of the calendars listed, or your default calendar.';
    }
    if (Object.keys(errors).length === 0) {
      try {
        const saved = current ? await this.meetingTypes.update(caller.id, current.id, changes) : await this.meetingTypes.create(caller.id, changes);
        if (destinationGiven) await this.integrations.setMeetingTypeDestination(caller.id, saved.snapshot.id, destination);
        res.redirect(303, '/admin/meeting-types?saved=1');
        return;
      } catch (error) {
        if (!(error instanceof DomainError) || (error.code !== 'invalid' && error.code !== 'conflict')) throw error;
        routeTypeProblems(error.message, errors, rows, error.code === 'conflict');
        if (errors.host_ids) errors.host_ids = nameHosts(errors.host_ids, teams);
      }
    }
    res.status(400).type('html').send(await this.typePage(caller, req, res, current, body, errors, errors.form ?? 'Please correct the highlighted fields.'));
  }

  /** The caller's teams, each with its members by name and email, for the team select and the host checkboxes. */
  private async teamChoices(userId: string): Promise<TeamChoice[]> {
    const teams = await Promise.all((await this.teams.listForUser(userId)).map(({ team }) => this.teams.getForMember(userId, team.id)));
    const ids = [...new Set(teams.flatMap((t) => (t.members ?? []).map((m) => m.userId)))];
    const emails = new Map((await this.users.findByIds(ids)).map((u) => [u.id, u.email]));
    return teams.map(({ team, members }) => ({
      id: team.id, name: team.name,
      members: (members ?? []).map((m) => ({ userId: m.userId, name: m.name || m.username, email: emails.get(m.userId) ?? '' })),
    }));
  }

  private async typePage(caller: AuthenticatedUser, req: WebRequest, res: Response, t: MeetingTypeSnapshot | null, body: Form | null, errors: Errors, summary: string | null) {
    const val = (name: string, stored: unknown) => (body ? one(body[name]) : stored === null || stored === undefined ? '' : String(stored));
    const storedNumbers: Record<string, unknown> = t ? {
      duration_minutes: t.durationMinutes, slot_interval_minutes: t.slotIntervalMinutes, buffer_before_minutes: t.bufferBeforeMinutes,
      buffer_after_minutes: t.bufferAfterMinutes, minimum_notice_minutes: t.minimumNoticeMinutes, booking_window_days: t.bookingWindowDays,
      max_bookings_per_day: t.maxBookingsPerDay, seats: t.seats,
    } : { duration_minutes: 30, buffer_before_minutes: 0, buffer_after_minutes: 0, minimum_notice_minutes: 0 };
    const kind = body ? one(body.kind) : t?.kind ?? 'one_on_one';
    const calendars = await this.integrations.writableCalendars(caller.id);
    const storedDestination = t ? await this.integrations.meetingTypeDestination(caller.id, t.id) : null;
    const destination = body ? one(body.destination) : storedDestination?.id ?? '';
    const storedQuestions = t?.questions ?? [];
    const rows = body ? questionRowCount(body) : storedQuestions.length + QUESTION_ROWS_EXTRA;
    const questions = Array.from({ length: rows }, (_, i) => {
      const q = storedQuestions[i];
      const type = body ? one(body[`q_type_${i}`]) : q?.type ?? 'text';
      return {
        i, n: i + 1,
        id: body ? one(body[`q_id_${i}`]) : q?.id ?? '',
        label: body ? one(body[`q_label_${i}`]) : q?.label ?? '',
        required: body ? one(body[`q_required_${i}`]) === '1' : q?.required ?? false,
        options: body ? one(body[`q_options_${i}`]) : (q?.options ?? []).join(', '),
        types: QUESTION_TYPES.map((qt) => ({ ...qt, selected: qt.value === type })),
        labelError: errors[`q_label_${i}`], typeError: errors[`q_type_${i}`], optionsError: errors[`q_options_${i}`],
      };
    });
    const schedules = await this.schedules.list(caller.id);
    const scheduleId = body ? one(body.schedule_id) : t?.scheduleId ?? '';
    const storedLocation = t?.location ?? null;
    const locationType = body ? one(body.location_type) : typeof storedLocation?.type === 'string' ? storedLocation.type : '';
    return this.views.render('admin/type-edit', {
      ...(await this.page(caller, req, res, t ? `Edit ${t.name}` : 'New meeting type', 'types')),
      heading: t ? `Edit “${t.name}”` : 'New meeting type',
      action: t ? `/admin/meeting-types/${t.id}` : '/admin/meeting-types/new',
      values: {
        name: val('name', t?.name), slug: val('slug', t?.slug), description: val('description', t?.description),
        is_active: body ? one(body.is_active) === '1' : t?.isActive ?? true,
        is_secret: body ? one(body.is_secret) === '1' : t?.isSecret ?? false,
        location_value: body ? one(body.location_value) : typeof storedLocation?.value === 'string' ? storedLocation.value : '',
      },
      locationTypes: LOCATION_TYPES.map((l) => ({ ...l, selected: l.value === locationType })),
      noLocation: locationType === '',
      schedules: schedules.map(({ schedule }) => ({
        value: schedule.id, label: schedule.isDefault ? `${schedule.name} (default)` : schedule.name, selected: schedule.id === scheduleId,
      })),
      defaultSchedule: scheduleId === '',
      // One default schedule leaves nothing to choose (unless the type already names a schedule).
      showSchedules: schedules.length > 1 || Boolean(t?.scheduleId) || Boolean(errors.schedule_id),
      reminders: reminderRows(t?.reminders ?? DEFAULT_REMINDERS, body, errors),
      kinds: KINDS.map((k) => ({ ...k, selected: k.value === kind })),
      ...teamHostView(
        await this.teamChoices(caller.id), val('team_id', t?.teamId),
        body ? many(body.host_ids) : t && TEAM_KINDS.includes(t.kind) ? t.hosts.map((h) => h.userId) : [], errors.host_ids,
      ),
      numbers: NUMBER_FIELDS.map((f) => ({ ...f, value: val(f.name, storedNumbers[f.name]), error: errors[f.name] })),
      questions,
      destinations: calendars.map(({ integration, calendar }) => ({
        value: calendar.id, label: `${calendar.name || calendar.calendarId} · ${connectionLabel(integration)}`, selected: calendar.id === destination,
      })),
      defaultDestination: destination === '',
      errors,
      errorSummary: Object.keys(errors).length ? summary : null,
    });
  }

  // --- availability --------------------------------------------------------------------------------------------

  @Get('availability')
  async availability(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: Response) {
    const me = await this.users.getById(caller.id);
    const current = await this.schedules.getDefault(caller.id);
    const rules = current?.rules ?? [];
    const values: Form = { time_zone: current?.schedule.timeZone ?? me.timeZone };
    for (const d of DAY_ORDER) values[`day_${d}`] = rules.filter((r) => r.dayOfWeek === d).map((r) => `${r.startTime}-${r.endTime}`).join(', ');
    (current?.overrides ?? []).forEach((o, i) => {
      values[`ov_date_${i}`] = o.date;
      values[`ov_hours_${i}`] = o.intervals.map((x) => `${x.startTime}-${x.endTime}`).join(', ');
    });
    const rows = (current?.overrides.length ?? 0) + OVERRIDE_ROWS_EXTRA;
    const notice = one(req.query.welcome) ? 'Welcome! Set the hours when people can book you.' : one(req.query.saved) ? 'Availability saved.' : null;
    res.type('html').send(await this.availabilityPage(caller, req, res, values, rows, {}, null, notice));
  }

  @Post('availability')
  async saveAvailability(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: Response) {
    const errors: Errors = {};
    const tz = canonicalTimeZone(one(body.time_zone)) ?? one(body.time_zone);
    if (!canonicalTimeZone(tz)) errors.time_zone = 'Please choose a time zone.';
    const rules: RuleInput[] = [];
    const ruleField: string[] = [];
    for (const d of DAY_ORDER) {
      const parsed = parseIntervals(one(body[`day_${d}`]));
      if ('error' in parsed) errors[`day_${d}`] = parsed.error;
      else for (const x of parsed.intervals) { rules.push({ dayOfWeek: d, ...x }); ruleField.push(`day_${d}`); }
    }
    const overrides: OverrideInput[] = [];
    const overrideRow: number[] = [];
    const rows = rowCount(body, 'ov_date_');
    for (let i = 0; i < rows; i++) {
      const date = one(body[`ov_date_${i}`]);
      const hours = one(body[`ov_hours_${i}`]);
      if (!date && !hours) continue;
      if (!isRealDate(date)) { errors[`ov_date_${i}`] = 'Enter a real date as YYYY-MM-DD.'; continue; }
      const parsed = /^(unavailable|off|closed|none)?$/i.test(hours) ? { intervals: [] } : parseIntervals(hours);
      if ('error' in parsed) { errors[`ov_hours_${i}`] = parsed.error; continue; }
      overrides.push({ date, intervals: parsed.intervals });
      overrideRow.push(i);
    }
    if (Object.keys(errors).length === 0) {
      try {
        await this.schedules.setDefaultHours(caller.id, { timeZone: tz, rules, overrides });
        res.redirect(303, '/admin/availability?saved=1');
        return;
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'invalid') throw error;
        const list = fieldErrorsOf(error);
        for (const e of list) {
          const rule = /^rules\.(\d+)/.exec(e.field);
          const ov = /^overrides\.(\d+)(\.date)?/.exec(e.field);
          if (rule) errors[ruleField[Number(rule[1])]!] = e.messages.join(' ');
          else if (ov) errors[`${ov[2] ? 'ov_date' : 'ov_hours'}_${overrideRow[Number(ov[1])]}`] = e.messages.join(' ');
        }
        if (list.length === 0) errors.form = error.message;
      }
    }
    res.status(400).type('html').send(await this.availabilityPage(caller, req, res, body, Math.max(rows, 1), errors, errors.form ?? 'Please correct the highlighted fields.', null));
  }

  private async availabilityPage(caller: AuthenticatedUser, req: WebRequest, res: Response, values: Form, overrideRows: number, errors: Errors, summary: string | null, notice: string | null) {
    const tz = one(values.time_zone);
    return this.views.render('admin/availability', {
      ...(await this.page(caller, req, res, 'Availability', 'availability')),
      zones: allTimeZones().map((z) => ({ value: z, selected: z === tz })),
      zoneError: errors.time_zone,
      days: DAY_ORDER.map((d) => ({ d, name: DAYS[d], value: one(values[`day_${d}`]), error: errors[`day_${d}`] })),
      overrides: Array.from({ length: overrideRows }, (_, i) => ({
        i, n: i + 1, date: one(values[`ov_date_${i}`]), hours: one(values[`ov_hours_${i}`]),
        dateError: errors[`ov_date_${i}`], hoursError: errors[`ov_hours_${i}`],
      })),
      errorSummary: Object.keys(errors).length ? summary : null,
      notice,
    });
  }

  // --- API keys ------------------------------------------------------------------------------------------------

  @Get('api-keys')
  async apiKeys(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: Response) {
    res.type('html').send(await this.keysPage(caller, req, res, null, {}));
  }

  @Post('api-keys')
  async createKey(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: Response) {
    const name = one(body.name);
    const problem = !name || name.length > 100 ? 'Give the key a name (up to 100 characters).'
      : singleLineProblem(name) ? `The name ${singleLineProblem(name)}.` : null;
    if (problem) {
      res.status(400).type('html').send(await this.keysPage(caller, req, res, null, { name: problem }));
      return;
    }
    const { secret } = await this.keys().create(caller.id, name);
    res.type('html').send(await this.keysPage(caller, req, res, secret, {}));
  }

  @Post('api-keys/:id/revoke')
  async revokeKey(@CurrentUser() caller: AuthenticatedUser, @Param('id', uuidParam('id')) id: string, @Res() res: Response) {
    await this.keys().revoke(caller.id, id);
    res.redirect(303, '/admin/api-keys');
  }

  private async keysPage(caller: AuthenticatedUser, req: WebRequest, res: Response, secret: string | null, errors: Errors) {
    const keys = await this.keys().list(caller.id);
    return this.views.render('admin/api-keys', {
      ...(await this.page(caller, req, res, 'API keys', 'keys')),
      keys: keys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, revoked: Boolean(k.revokedAt), lastUsed: k.lastUsedAt?.toISOString().slice(0, 16).replace('T', ' ') ?? 'never' })),
      secret,
      errors,
      errorSummary: Object.keys(errors).length ? 'Please correct the highlighted field.' : null,
    });
  }

  private keys(): ApiKeysService {
    return this.apiKeyService;
  }

  private signupPage(csrf: string, values: Record<string, string>, errors: Errors, summary: string | null) {
    return this.views.render('admin/signup', {
      title: 'Create your account', csrf, values, errors,
      errorSummary: Object.keys(errors).length ? summary : null,
      zones: allTimeZones().map((z) => ({ value: z, selected: z === values.time_zone })),
    });
  }

  private page(caller: AuthenticatedUser, req: WebRequest, res: Response, title: string, section: AdminSection): Promise<PageContext> {
    return this.pages.context(caller, req, res, title, section);
  }
}

function safeNext(next: string | undefined): string | undefined {
  return next && next.startsWith('/admin') && !next.startsWith('//') ? next : undefined;
}

function rowCount(body: Form, prefix: string): number {
  let n = 0;
  for (const key of Object.keys(body)) {
    const m = key.startsWith(prefix) ? Number(key.slice(prefix.length)) : NaN;
    if (Number.isInteger(m) && m + 1 > n) n = m + 1;
  }
  return Math.min(n, 100);
}

function questionRowCount(body: Form): number {
  return rowCount(body, 'q_label_');
}

function parseIntervals(text: string): { intervals: { startTime: string; endTime: string }[] } | { error: string } {
  if (!text) return { intervals: [] };
  const intervals: { startTime: string; endTime: string }[] = [];
  for (const part of text.split(/[,;]/).map((s) => s.trim()).filter(Boolean)) {
    const m = INTERVAL.exec(part);
    if (!m) return { error: `“${part}” is not a time range; write it like 09:00-17:00 (24-hour clock).` };
    intervals.push({ startTime: `${m[1]}:${m[2]}`, endTime: m[3]! });
  }
  return { intervals };
}

/** The editor's fields as service changes; `rows` maps the n-th question or reminder sent back to its form row. */
function parseTypeForm(body: Form): { changes: MeetingTypeChanges; errors: Errors; rows: { questions: number[]; reminders: number[] } } {
  const errors: Errors = {};
  const changes: MeetingTypeChanges = {};
  const name = one(body.name);
  if (!name) errors.name = 'Please give the meeting type a name.';
  else if (name.length > 200) errors.name = 'Keep the name under 200 characters.';
  changes.name = name;
  const slug = one(body.slug).toLowerCase();
  if (slug && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) errors.slug = 'Use lowercase letters, digits and single dashes, like intro-call.';
  else if (slug.length > 100) errors.slug = 'Keep the link name under 100 characters.';
  changes.slug = slug || null;
  changes.description = one(body.description) || null;
  if ((changes.description ?? '').length > 5000) errors.description = 'Keep the description under 5000 characters.';
  changes.location = parseLocation(body, errors);
  // The schedule choice is a select of the host's schedules; empty = the default schedule.
  if (body.schedule_id !== undefined) changes.scheduleId = one(body.schedule_id) || null;
  const kind = one(body.kind) as MeetingKind;
  if (!KINDS.some((k) => k.value === kind)) errors.kind = 'Choose a kind.';
  changes.kind = kind;
  for (const f of NUMBER_FIELDS) {
    const raw = one(body[f.name]);
    if (raw === '') {
      if (f.name === 'seats') { if (kind === 'group') errors.seats = 'A group meeting needs the number of seats.'; else changes.seats = null; continue; }
      if (!f.nullable) errors[f.name] = `${f.label} is required.`;
      else (changes as Record<string, unknown>)[f.key] = null;
      continue;
    }
    const n = Number(raw);
    if (!Number.isInteger(n) || n < f.min || n > f.max) errors[f.name] = `Enter a whole number from ${f.min} to ${f.max}.`;
    else if (f.name === 'seats' && kind !== 'group') changes.seats = null;
    else (changes as Record<string, unknown>)[f.key] = n;
  }
  const team = kind === 'round_robin' || kind === 'collective';
  changes.teamId = team ? one(body.team_id) || null : null;
  changes.hostIds = team ? many(body.host_ids) : [];
  changes.isActive = one(body.is_active) === '1';
  changes.isSecret = one(body.is_secret) === '1';
  const questions: QuestionInput[] = [];
  const questionRows: number[] = [];
  for (let i = 0; i < questionRowCount(body); i++) {
    const label = one(body[`q_label_${i}`]);
    if (!label) continue;
    const type = one(body[`q_type_${i}`]) as QuestionType;
    if (!QUESTION_TYPES.some((q) => q.value === type)) { errors[`q_type_${i}`] = 'Choose a question type.'; continue; }
    if (label.length > 500) { errors[`q_label_${i}`] = 'Keep the question under 500 characters.'; continue; }
    const options = one(body[`q_options_${i}`]).split(',').map((s) => s.trim()).filter(Boolean);
    if (options.some((o) => o.length > 200)) { errors[`q_options_${i}`] = 'Keep each choice under 200 characters.'; continue; }
    questionRows.push(i);
    const id = one(body[`q_id_${i}`]);
    questions.push({
      label, type, required: one(body[`q_required_${i}`]) === '1',
      ...(id ? { id } : {}),
      ...(type === 'single_choice' || type === 'multi_choice' ? { options } : {}),
    });
  }
  changes.questions = questions;
  const { reminders, rowOf } = parseReminderRows(body, errors);
  changes.reminders = reminders;
  return { changes, errors, rows: { questions: questionRows, reminders: rowOf } };
}
