import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../../config/app-config.js';
import { DomainError } from '../../../shared/http/domain-error.js';
import { uuidParam } from '../../../shared/http/params.js';
import { SchedulesService } from '../../schedules/application/schedules.service.js';
import { BookingDestinations } from '../../calendar/application/booking-destinations.service.js';
import { UsersService } from '../../identity/application/users.service.js';
import { type AuthenticatedUser, CurrentUser } from '../../../shared/http/authentication.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import type { MeetingTypeSnapshot } from '../../meeting-types/domain/meeting-type.js';
import { DEFAULT_REMINDERS } from '../../meeting-types/domain/meeting-type-rules.js';
import { CreateMeetingTypeDto, toChanges } from '../../meeting-types/public.js';
import { TeamsService } from '../../teams/application/teams.service.js';
import { AdminPages, adminLocale } from '../application/admin-pages.js';
import type { Translate } from '../../../shared/i18n/i18n.js';
import type { WebRequest } from '../application/web-session.js';
import { WebViews } from '../application/web-views.js';
import { connectionLabel } from '../domain/calendar-labels.js';
import { type Errors, type Form, asApiRequest, expectDomainError, hasErrors, many, one, placeProblems, rowCount } from './admin-forms.js';
import {
  NUMBER_FIELDS,
  TEAM_KINDS,
  type TeamChoice,
  checkTeamChoice,
  kindOptions,
  locationTypes,
  nameHosts,
  placeTypeProblem,
  reminderRows,
  teamHostView,
  typeRequestOf,
} from './meeting-type-form.js';
import { limitsView } from './type-limits-form.js';
import { previewView, questionRows, questionTemplate, sectionsView } from './type-editor-view.js';
import { optionsView, tidyOptionErrors } from './type-options-form.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { queryOf } from '../../../shared/http/request.js';

/** Where a host connects the account a video location needs: calendars for Meet and Teams, the Zoom button for Zoom. */
function connectLink(locationType: string, t: Translate): { href: string; label: string } | null {
  const connect = locationTypes(t).find((l) => l.value === locationType)?.connect;
  if (!connect) return null;
  return { href: locationType === 'zoom' ? '/admin/calendars#video' : '/admin/calendars#connect-h', label: connect };
}

/** The meeting types page and editor: the form is checked by the API's own rules and their problems shown beside it. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('admin/meeting-types')
export class AdminMeetingTypesController {
  constructor(
    private readonly pages: AdminPages,
    private readonly views: WebViews,
    private readonly users: UsersService,
    private readonly meetingTypes: MeetingTypesService,
    private readonly schedules: SchedulesService,
    private readonly integrations: BookingDestinations,
    private readonly teams: TeamsService,
    private readonly config: AppConfig,
  ) {}

  @Get('new')
  async newType(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Res() res: FastifyReply) {
    res.type('text/html; charset=utf-8').send(await this.editor(caller, req, res, null, null, {}));
  }

  @Get(':id')
  async editType(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Req() req: WebRequest,
    @Res() res: FastifyReply,
  ) {
    const { snapshot } = await this.meetingTypes.get(caller.id, id);
    res.type('text/html; charset=utf-8').send(await this.editor(caller, req, res, snapshot, null, {}));
  }

  @Post('new')
  async createType(@CurrentUser() caller: AuthenticatedUser, @Req() req: WebRequest, @Body() body: Form, @Res() res: FastifyReply) {
    await this.save(caller, req, res, null, body);
  }

  @Post(':id')
  async updateType(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Req() req: WebRequest,
    @Body() body: Form,
    @Res() res: FastifyReply,
  ) {
    const { snapshot } = await this.meetingTypes.get(caller.id, id);
    await this.save(caller, req, res, snapshot, body);
  }

  private async save(caller: AuthenticatedUser, req: WebRequest, res: FastifyReply, current: MeetingTypeSnapshot | null, body: Form) {
    const errors: Errors = {};
    // The form's own messages in the host's language (the API's rule messages stay as the API words them).
    const { t } = adminLocale((await this.users.getById(caller.id)).locale);
    const { request, rows } = typeRequestOf(body, errors, t);
    const teams = await this.teamChoices(caller.id);
    checkTeamChoice(teams, request.team_id, errors, t);
    // The calendar choice is only on the page when the host has calendars that can receive bookings.
    const destinationGiven = body.destination !== undefined;
    let destination: { integration_id: string; calendar_id: string } | null = null;
    if (destinationGiven && one(body.destination)) {
      const found = (await this.integrations.writableCalendars(caller.id)).find((c) => c.calendar.id === one(body.destination));
      if (found) destination = { integration_id: found.integration.id, calendar_id: found.calendar.calendarId };
      else errors.destination = t('admin.types.err.destination');
    }
    // The whole post is one API request: its limits and messages are the API's, shown with the form's own.
    const checked = await asApiRequest(CreateMeetingTypeDto, request);
    let notConnected = false;
    if (checked instanceof DomainError) placeProblems(checked, placeTypeProblem(rows, request), errors);
    else if (!hasErrors(errors)) {
      try {
        const changes = toChanges(checked);
        const saved = current
          ? await this.meetingTypes.update(caller.id, current.id, changes)
          : await this.meetingTypes.create(caller.id, changes);
        if (destinationGiven) await this.integrations.setMeetingTypeDestination(caller.id, saved.snapshot.id, destination);
        res.redirect('/admin/meeting-types?saved=1', 303);
        return;
      } catch (error) {
        const refusal = expectDomainError(error, 'invalid', 'conflict');
        // A video location whose account is missing: the page adds a link to connect it beside the message.
        notConnected = refusal.problems.some((p) => p.code === 'not_connected');
        placeProblems(refusal, placeTypeProblem(rows, request), errors);
      }
    }
    if (errors.host_ids) errors.host_ids = nameHosts(errors.host_ids, teams);
    tidyOptionErrors(errors);
    // The service names the API call that connects Zoom; the page links to its own button instead.
    if (notConnected && errors.location_type) errors.location_type = errors.location_type.replace(/ \(connect Zoom first: [^)]*\)/, '');
    res
      .status(400)
      .type('text/html; charset=utf-8')
      .send(await this.editor(caller, req, res, current, body, errors, notConnected));
  }

  /** The caller's teams, each with its members by name and email, for the team select and the host checkboxes. */
  private async teamChoices(userId: string): Promise<TeamChoice[]> {
    const teams = await Promise.all((await this.teams.listForUser(userId)).map(({ team }) => this.teams.getForMember(userId, team.id)));
    const ids = [...new Set(teams.flatMap((t) => (t.members ?? []).map((m) => m.userId)))];
    const emails = new Map((await this.users.findByIds(ids)).map((u) => [u.id, u.email]));
    return teams.map(({ team, members }) => ({
      id: team.id,
      name: team.name,
      members: (members ?? []).map((m) => ({ userId: m.userId, name: m.name || m.username, email: emails.get(m.userId) ?? '' })),
    }));
  }

  private async editor(
    caller: AuthenticatedUser,
    req: WebRequest,
    res: FastifyReply,
    t: MeetingTypeSnapshot | null,
    body: Form | null,
    errors: Errors,
    notConnected = false,
  ) {
    const val = (name: string, stored: string | number | null | undefined) =>
      body ? one(body[name]) : stored === null || stored === undefined ? '' : String(stored);
    const storedNumbers: Record<string, number | null | undefined> = t
      ? {
          duration_minutes: t.durationMinutes,
          slot_interval_minutes: t.slotIntervalMinutes,
          buffer_before_minutes: t.bufferBeforeMinutes,
          buffer_after_minutes: t.bufferAfterMinutes,
          minimum_notice_minutes: t.minimumNoticeMinutes,
          booking_window_days: t.bookingWindowDays,
          max_bookings_per_day: t.maxBookingsPerDay,
          seats: t.seats,
        }
      : { duration_minutes: 30, buffer_before_minutes: 0, buffer_after_minutes: 0, minimum_notice_minutes: 0 };
    const ctx = await this.pages.context(
      caller,
      req,
      res,
      (tr) => (t ? tr('admin.types.editTitle', { name: t.name }) : tr('admin.types.new')),
      'types',
    );
    const tr = ctx.loc.t;
    const kind = body ? one(body.kind) : (t?.kind ?? 'one_on_one');
    const calendars = await this.integrations.writableCalendars(caller.id);
    const storedDestination = t ? await this.integrations.meetingTypeDestination(caller.id, t.id) : null;
    const destination = body ? one(body.destination) : (storedDestination?.id ?? '');
    const questions = questionRows(t?.questions ?? [], body, body ? rowCount(body, 'q_label_') : 0, errors, tr);
    const schedules = await this.schedules.list(caller.id);
    const scheduleId = body ? one(body.schedule_id) : (t?.scheduleId ?? '');
    const storedLocation = t?.location ?? null;
    const locationType = body ? one(body.location_type) : typeof storedLocation?.type === 'string' ? storedLocation.type : '';
    const me = await this.users.getById(caller.id);
    const options = optionsView(t, body, errors, tr);
    const values = {
      name: val('name', t?.name),
      slug: val('slug', t?.slug),
      description: val('description', t?.description),
      is_active: body ? one(body.is_active) === '1' : (t?.isActive ?? true),
      is_secret: body ? one(body.is_secret) === '1' : (t?.isSecret ?? false),
      location_value: body ? one(body.location_value) : typeof storedLocation?.value === 'string' ? storedLocation.value : '',
    };
    const numbers = NUMBER_FIELDS.map((f) => ({
      ...f,
      label: tr(f.label),
      hint: f.hint ? tr(f.hint) : undefined,
      value: val(f.name, storedNumbers[f.name]),
      error: errors[f.name],
    }));
    return this.views.render('admin/type-edit', {
      ...ctx,
      notice: t && one(queryOf(req).copied) ? tr('admin.types.duplicated') : null,
      sections: sectionsView(errors, tr),
      // The labels of the links inside the hints' sentences.
      links: {
        availability: tr('admin.nav.availability'),
        limits: tr('admin.nav.limits'),
        calendars: tr('admin.nav.calendars'),
        createTeam: tr('admin.types.createTeam'),
      },
      linkBase: `${this.config.publicUrl}/${me.username}/`,
      questionTemplate: questionTemplate(tr),
      preview: previewView(
        {
          hostName: me.name || me.username,
          name: values.name,
          description: values.description,
          durationMinutes: Number(numbers.find((n) => n.name === 'duration_minutes')?.value),
          durations: options.durations,
          locationType,
          locationValue: values.location_value,
          requiresConfirmation: options.requiresConfirmation,
          active: values.is_active,
          secret: values.is_secret,
          questions,
          savedHref: t?.isActive ? `/${me.username}/${t.slug}` : null,
        },
        ctx.loc,
      ),
      // Lengths as the preview's script writes them ("30 min"): __m__ stands for the minutes.
      previewLength: tr('admin.types.minutes', { minutes: '__m__' }),
      heading: t ? tr('admin.types.editHeading', { name: t.name }) : tr('admin.types.new'),
      action: t ? `/admin/meeting-types/${t.id}` : '/admin/meeting-types/new',
      values,
      locationTypes: locationTypes(tr).map((l) => ({ ...l, selected: l.value === locationType })),
      noLocation: locationType === '',
      locationConnect: notConnected ? connectLink(locationType, tr) : null,
      options,
      schedules: schedules.map(({ schedule }) => ({
        value: schedule.id,
        label: schedule.isDefault ? tr('admin.types.scheduleDefaultMark', { name: schedule.name }) : schedule.name,
        selected: schedule.id === scheduleId,
      })),
      defaultSchedule: scheduleId === '',
      // One default schedule leaves nothing to choose (unless the type already names a schedule).
      showSchedules: schedules.length > 1 || Boolean(t?.scheduleId) || Boolean(errors.schedule_id),
      reminders: reminderRows(t?.reminders ?? DEFAULT_REMINDERS, body, errors, tr),
      kinds: kindOptions(tr).map((k) => ({ ...k, selected: k.value === kind })),
      ...teamHostView(
        await this.teamChoices(caller.id),
        val('team_id', t?.teamId),
        body ? many(body.host_ids) : t && TEAM_KINDS.includes(t.kind) ? t.hosts.map((h) => h.userId) : [],
        errors.host_ids,
      ),
      num: Object.fromEntries(numbers.map((n) => [n.name, n])),
      limits: limitsView(t?.limits ?? null, body, errors, tr),
      questions,
      destinations: calendars.map(({ integration, calendar }) => ({
        value: calendar.id,
        label: `${calendar.name || calendar.calendarId} · ${connectionLabel(integration)}`,
        selected: calendar.id === destination,
      })),
      defaultDestination: destination === '',
      errors,
      errorSummary: hasErrors(errors) ? (errors.form ?? tr('admin.types.errorSummary')) : null,
    });
  }
}
