import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION, sqlState } from '../../../shared/database/pg-errors.js';
import { DomainError, type Problem, conflict, invalid, invalidFields, notFound } from '../../../shared/http/domain-error.js';
import { UsersService } from '../../identity/application/users.service.js';
import { SchedulesService } from '../../schedules/application/schedules.service.js';
import { TeamsService } from '../../teams/application/teams.service.js';
import type { MeetingTypeSnapshot } from '../domain/meeting-type.js';
import { copyName, copySlug } from '../domain/meeting-type-copy.js';
import { type MeetingTypeChanges, type MeetingTypeFields, TEAM_KINDS, resolveMeetingType } from '../domain/meeting-type-rules.js';
import { MeetingTypesRepository, type StoredMeetingType } from '../infrastructure/meeting-types.repository.js';
import { LocationRequirements } from './location-requirements.js';

export type { MeetingTypeSnapshot } from '../domain/meeting-type.js';

export interface MeetingTypeView {
  snapshot: MeetingTypeSnapshot;
  ownerUsername: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Meeting types: CRUD for their owner, and the snapshots the availability and booking contexts read. */
@Injectable()
export class MeetingTypesService implements OnModuleInit {
  constructor(
    private readonly types: MeetingTypesRepository,
    private readonly users: UsersService,
    private readonly teams: TeamsService,
    private readonly versions: AvailabilityVersions,
    private readonly schedules: SchedulesService,
    private readonly config: AppConfig,
    private readonly locationRequirements: LocationRequirements,
  ) {}

  /** A member who leaves a team stops hosting its meeting types, in the same transaction as the removal. */
  onModuleInit(): void {
    this.teams.onMemberLeaving((teamId, userId, manager) => this.stopHostingTeamTypes(teamId, userId, manager));
  }

  private get locationPolicy() {
    return { allowHttp: this.config.allowHttpLocations };
  }

  async create(ownerId: string, changes: MeetingTypeChanges): Promise<MeetingTypeView> {
    const { value, problems } = resolveMeetingType(null, changes, this.locationPolicy);
    await this.checkReferences(ownerId, value, problems);
    const id = await this.persist(ownerId, null, value);
    await this.versions.bump(this.hostIdsOf(ownerId, value));
    return this.get(ownerId, id);
  }

  /** PUT: the fields sent replace the stored ones; the result must be a valid meeting type. */
  async update(ownerId: string, id: string, changes: MeetingTypeChanges): Promise<MeetingTypeView> {
    const before = await this.get(ownerId, id);
    const { value, problems } = resolveMeetingType(toFields(before.snapshot), changes, this.locationPolicy);
    await this.checkReferences(ownerId, value, problems);
    await this.persist(ownerId, id, value);
    // The type's own version too: the slots path reuses its snapshot while that stands.
    await this.versions.bump([...before.snapshot.hosts.map((h) => h.userId), ...this.hostIdsOf(ownerId, value)], [id]);
    return this.get(ownerId, id);
  }

  /**
   * A copy of the owner's type with every setting, question, reminder and host (with their round-robin ranks):
   * named "<name> (copy)", at the first free "<slug>-copy[-N]", and off (not bookable) until the owner turns it on.
   * Two copies made at once both find a slug: the loser of the unique index picks the next one.
   */
  async duplicate(ownerId: string, id: string): Promise<MeetingTypeView> {
    const source = await this.get(ownerId, id);
    const value: MeetingTypeFields = { ...toFields(source.snapshot), name: copyName(source.snapshot.name), isActive: false };
    // The source's references may have gone stale (a team left, Zoom disconnected): the copy is checked like a new type.
    await this.checkReferences(ownerId, value, []);
    for (let attempt = 0; ; attempt++) {
      value.slug = copySlug(source.snapshot.slug, await this.types.slugsStartingWith(ownerId, source.snapshot.slug.slice(0, 80)));
      try {
        const copyId = await this.types.saveWithHosts(ownerId, null, value, source.snapshot.hosts);
        if (copyId === null) throw notFound('meeting type');
        return await this.get(ownerId, copyId);
      } catch (error) {
        if (sqlState(error) !== PG_UNIQUE_VIOLATION || attempt >= 4) throw this.persistError(error, value);
      }
    }
  }

  /** Deletes a meeting type that was never booked; a booked type must be deactivated instead. */
  async remove(ownerId: string, id: string): Promise<void> {
    const before = await this.get(ownerId, id);
    if (!(await this.types.deleteUnbooked(id, ownerId))) {
      throw conflict('this meeting type has bookings and cannot be deleted; set is_active to false to stop new bookings');
    }
    await this.versions.bump(
      before.snapshot.hosts.map((h) => h.userId),
      [id],
    );
  }

  /** The owner's meeting type; 404 for anyone else. */
  async get(ownerId: string, id: string): Promise<MeetingTypeView> {
    const type = await this.types.findOwned(id, ownerId);
    if (!type) throw notFound('meeting type');
    const [view] = await this.views([type]);
    return view;
  }

  /** The owner's meeting types, oldest first, with the total for pagination. */
  async list(ownerId: string, limit: number, offset: number): Promise<{ items: MeetingTypeView[]; total: number }> {
    const { items, total } = await this.types.listOwned(ownerId, limit, offset);
    return { items: await this.views(items), total };
  }

  /** Active team types owned by someone else that the user is a host of (a member who left hosts none). */
  async listActiveHostedByOthers(userId: string): Promise<MeetingTypeView[]> {
    return this.views(await this.types.listActiveHostedByOthers(userId));
  }

  /** Any meeting type by id (active or not); callers decide what to expose. */
  findSnapshot(id: string, manager?: EntityManager): Promise<MeetingTypeSnapshot | null> {
    return this.types.findSnapshot(id, manager);
  }

  /** An active meeting type by its public address. Secret types are reachable here by direct link. */
  async findPublicSnapshot(username: string, slug: string, manager?: EntityManager): Promise<MeetingTypeSnapshot | null> {
    const owner = await this.users.findByUsername(username, manager);
    if (!owner) return null;
    return this.types.findActiveBySlug(owner.id, slug.toLowerCase(), manager);
  }

  /** The types listed on a host's booking page: active and not secret. */
  async listPublic(username: string): Promise<MeetingTypeView[]> {
    const owner = await this.users.findByUsername(username);
    if (!owner) return [];
    return this.views(await this.types.listListed(owner.id));
  }

  /** The user no longer hosts any of the team's meeting types (existing bookings stay theirs). On the caller's transaction. */
  stopHostingTeamTypes(teamId: string, userId: string, manager: EntityManager): Promise<void> {
    return this.types.removeTeamHost(teamId, userId, manager);
  }

  private hostIdsOf(ownerId: string, value: MeetingTypeFields): string[] {
    return TEAM_KINDS.includes(value.kind) ? value.hostIds : [ownerId];
  }

  /** Checks that need the database: the schedule is the owner's, the team has the owner and every host. */
  private async checkReferences(ownerId: string, value: MeetingTypeFields, problems: Problem[]): Promise<void> {
    if (value.scheduleId !== null && !(await this.schedules.isOwnedBy(value.scheduleId, ownerId))) {
      problems.push({ field: 'schedule_id', code: 'not_yours', message: `${value.scheduleId} is not one of your schedules` });
    }
    if (value.teamId !== null && TEAM_KINDS.includes(value.kind)) {
      if (!(await this.teams.isMember(value.teamId, ownerId))) {
        problems.push({ field: 'team_id', code: 'not_a_member', message: 'you are not a member of this team' });
      } else {
        const outsiders = await this.teams.nonMembers(value.teamId, value.hostIds);
        if (outsiders.length > 0) {
          problems.push({
            field: 'host_ids',
            code: 'not_team_members',
            message: `must be members of team_id; not members: ${outsiders.join(', ')}`,
          });
        }
      }
    }
    problems.push(...(await this.locationRequirements.problems(value.location, this.hostIdsOf(ownerId, value))));
    if (problems.length > 0) throw invalidFields(problems);
  }

  /** Writes the type and its host rows in one transaction. */
  private async persist(ownerId: string, id: string | null, value: MeetingTypeFields): Promise<string> {
    let saved: string | null;
    try {
      saved = await this.types.saveWithHosts(ownerId, id, value);
    } catch (error) {
      throw this.persistError(error, value);
    }
    if (saved === null) throw notFound('meeting type');
    return saved;
  }

  /** A database refusal of a write in the API's terms (a taken slug, a schedule or team deleted meanwhile). */
  private persistError(error: unknown, value: MeetingTypeFields): unknown {
    if (sqlState(error) === PG_UNIQUE_VIOLATION) {
      return new DomainError(
        'conflict',
        `slug "${value.slug}" is already used by another of your meeting types; choose another slug`,
        undefined,
        [{ field: 'slug', code: 'taken', message: 'slug is taken' }],
      );
    }
    if (sqlState(error) === PG_FOREIGN_KEY_VIOLATION) {
      return invalid('the schedule or team named in the request was deleted meanwhile; check schedule_id and team_id');
    }
    return error;
  }

  /** Adds the owner's username (one query for all of them). */
  private async views(types: StoredMeetingType[]): Promise<MeetingTypeView[]> {
    if (types.length === 0) return [];
    const owners = await this.users.findByIds([...new Set(types.map((t) => t.snapshot.ownerId))]);
    const usernames = new Map(owners.map((u) => [u.id, u.username]));
    return types.map(({ snapshot, createdAt, updatedAt }) => ({
      snapshot,
      ownerUsername: usernames.get(snapshot.ownerId) ?? '',
      createdAt,
      updatedAt,
    }));
  }
}

function toFields(s: MeetingTypeSnapshot): MeetingTypeFields {
  return {
    name: s.name,
    slug: s.slug,
    description: s.description,
    location: s.location,
    kind: s.kind,
    seats: s.seats,
    durationMinutes: s.durationMinutes,
    durationOptions: s.durationOptions,
    recurrence: s.recurrence,
    bufferBeforeMinutes: s.bufferBeforeMinutes,
    bufferAfterMinutes: s.bufferAfterMinutes,
    slotIntervalMinutes: s.slotIntervalMinutes,
    minimumNoticeMinutes: s.minimumNoticeMinutes,
    bookingWindowDays: s.bookingWindowDays,
    maxBookingsPerDay: s.maxBookingsPerDay,
    limits: s.limits,
    questions: s.questions,
    reminders: s.reminders,
    scheduleId: s.scheduleId,
    teamId: s.teamId,
    hostIds: TEAM_KINDS.includes(s.kind) ? s.hosts.map((h) => h.userId) : [],
    isActive: s.isActive,
    isSecret: s.isSecret,
    requiresConfirmation: s.requiresConfirmation,
    confirmationExpiryMinutes: s.confirmationExpiryMinutes,
  };
}
