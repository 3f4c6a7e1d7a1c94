import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { Clock } from '../../../shared/clock/clock.js';
import { invalidFields, notFound } from '../../../shared/http/domain-error.js';
import { UsersService } from '../../identity/application/users.service.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { TeamsService } from '../../teams/application/teams.service.js';
import { MAX_UPCOMING_TIME_OFF, awayAt, matchingType, timeOffProblems } from '../domain/time-off.js';
import { type TimeOffRecord, TimeOffRepository } from '../infrastructure/time-off.repository.js';

export type { TimeOffRecord } from '../infrastructure/time-off.repository.js';

export interface NewTimeOff {
  start: Date;
  end: Date;
  reason?: string | null;
  redirectToUserId?: string | null;
}

/** What the host's public page says while the host is away. */
export interface AwayView {
  until: Date;
  reason: string | null;
  /** The teammate offered instead (still a teammate now), with their matching bookable type if they have one. */
  redirect: {
    user: { id: string; name: string; username: string };
    meetingType: { id: string; slug: string; name: string; durationMinutes: number } | null;
    url: string;
  } | null;
}

/**
 * A host's time off: ranges in which the slot engine offers none of their times (busy time, read in the engine's one
 * statement) and their public page points invitees to a teammate. Every change bumps the host's availability version,
 * so cached slots computed before it are never served again.
 */
@Injectable()
export class TimeOffService {
  constructor(
    private readonly ranges: TimeOffRepository,
    private readonly teams: TeamsService,
    private readonly users: UsersService,
    private readonly meetingTypes: MeetingTypesService,
    private readonly versions: AvailabilityVersions,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async create(hostId: string, input: NewTimeOff): Promise<TimeOffRecord> {
    const now = this.clock.now();
    const redirect = input.redirectToUserId ?? null;
    const { reason, problems } = timeOffProblems(
      { start: input.start.getTime(), end: input.end.getTime(), reason: input.reason, redirectToUserId: redirect },
      hostId,
      now.getTime(),
    );
    if (redirect !== null && redirect !== hostId && !(await this.areTeammates(hostId, redirect))) {
      // The same answer for an unknown user and a stranger: no probing who exists.
      problems.push({
        field: 'redirect_to_user_id',
        code: 'not_a_teammate',
        message: 'redirect_to_user_id must be a member of one of your teams',
      });
    }
    if (problems.length > 0) throw invalidFields(problems);
    const saved = await this.ranges.insertCapped(
      { userId: hostId, start: input.start, end: input.end, reason, redirectToUserId: redirect },
      now,
      MAX_UPCOMING_TIME_OFF,
    );
    if (!saved) {
      throw invalidFields([
        {
          field: 'start_time',
          code: 'too_many',
          message: `you already have ${MAX_UPCOMING_TIME_OFF} ranges of time off that have not ended; delete some first`,
        },
      ]);
    }
    await this.versions.bump([hostId]);
    return saved;
  }

  /** The host's own ranges: by default those not ended yet; with from/to, those overlapping [from, to). Earliest first. */
  list(hostId: string, window: { from?: Date; to?: Date }, limit: number): Promise<TimeOffRecord[]> {
    const from = window.from ?? (window.to ? null : this.clock.now());
    return this.ranges.listForUser(hostId, { from, to: window.to ?? null }, limit);
  }

  /** Deletes one of the host's ranges; 404 for an id that is not theirs. */
  async remove(hostId: string, id: string): Promise<void> {
    if (!(await this.ranges.deleteOwned(id, hostId))) throw notFound('time off');
    await this.versions.bump([hostId]);
  }

  /** The public view: `meetingTypeId`, when given, must be an active type the host hosts (404 otherwise). */
  async publicAway(hostId: string, meetingTypeId: string | null): Promise<AwayView | null> {
    if (meetingTypeId === null) return this.awayOf(hostId, null);
    const type = await this.meetingTypes.findSnapshot(meetingTypeId);
    if (!type || !type.isActive || !type.hosts.some((h) => h.userId === hostId)) throw notFound('meeting type');
    return this.awayOf(hostId, type);
  }

  /**
   * Whether the host is away now, and where the public page sends invitees meanwhile: the redirect's teammate (if
   * still a teammate), with their listed type of the same slug, else of the same duration, as `type`.
   */
  async awayOf(hostId: string, type: { slug: string; durationMinutes: number } | null): Promise<AwayView | null> {
    const now = this.clock.now();
    const away = awayAt(await this.ranges.listForUser(hostId, { from: now, to: null }, MAX_UPCOMING_TIME_OFF), now.getTime());
    if (!away) return null;
    const view: AwayView = { until: new Date(away.until), reason: away.range.reason, redirect: null };
    const teammateId = away.range.redirectToUserId;
    if (teammateId === null || !(await this.areTeammates(hostId, teammateId))) return view;
    const teammate = await this.users.findById(teammateId);
    if (!teammate) return view;
    const listed = (await this.meetingTypes.listPublic(teammate.username)).map((v) => v.snapshot);
    const match = type ? matchingType(type, listed) : null;
    const base = `${this.config.publicUrl}/${encodeURIComponent(teammate.username)}`;
    view.redirect = {
      user: { id: teammate.id, name: teammate.name, username: teammate.username },
      meetingType: match && { id: match.id, slug: match.slug, name: match.name, durationMinutes: match.durationMinutes },
      url: match ? `${base}/${encodeURIComponent(match.slug)}` : base,
    };
    return view;
  }

  /** Whether the two users are members of one team (a host has few teams: one membership check each). */
  private async areTeammates(hostId: string, otherId: string): Promise<boolean> {
    for (const { team } of await this.teams.listForUser(hostId)) {
      if (await this.teams.isMember(team.id, otherId)) return true;
    }
    return false;
  }
}
