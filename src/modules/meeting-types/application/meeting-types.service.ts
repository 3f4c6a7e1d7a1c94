import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In, Repository } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION, sqlState } from '../../../shared/database/pg-errors.js';
import { runSerializable } from '../../../shared/database/run-serializable.js';
import { conflict, invalid, notFound } from '../../../shared/http/domain-error.js';
import { SchedulesService } from '../../schedules/application/schedules.service.js';
import { UsersService } from '../../identity/application/users.service.js';
import { TeamsService } from '../../teams/application/teams.service.js';
import type { MeetingTypeHost, MeetingTypeSnapshot } from '../domain/meeting-type.js';
import {
  type MeetingTypeChanges, type MeetingTypeFields, TEAM_KINDS, resolveMeetingType,
} from '../domain/meeting-type-rules.js';
import { MeetingTypeHostEntity } from '../infrastructure/meeting-type-host.entity.js';
import { MeetingTypeEntity } from '../infrastructure/meeting-type.entity.js';

export interface MeetingTypeView {
  snapshot: MeetingTypeSnapshot;
  ownerUsername: string;
  createdAt: Date;
  updatedAt: Date;
}

const DEFAULT_HOST = { priority: 0, weight: 100 };

/** Meeting types: CRUD for their owner, and the snapshots the availability and booking contexts read. */
@Injectable()
export class MeetingTypesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(MeetingTypeEntity) private readonly types: Repository<MeetingTypeEntity>,
    @InjectRepository(MeetingTypeHostEntity) private readonly hosts: Repository<MeetingTypeHostEntity>,
    private readonly users: UsersService,
    private readonly teams: TeamsService,
    private readonly versions: AvailabilityVersions,
    private readonly schedules: SchedulesService,
    private readonly config: AppConfig,
  ) {}

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
    await this.versions.bump([...before.snapshot.hosts.map((h) => h.userId), ...this.hostIdsOf(ownerId, value)]);
    return this.get(ownerId, id);
  }

  /**
   * Deletes a meeting type that was never booked. Bookings would go with it (ON DELETE CASCADE), so a booked type
   * must be deactivated instead; the check and the delete are one serializable transaction, so a booking made
   * meanwhile makes the delete retry and refuse.
   */
  async remove(ownerId: string, id: string): Promise<void> {
    const before = await this.get(ownerId, id);
    await runSerializable(this.dataSource, async (m) => {
      const [{ booked }] = await m.query(`SELECT EXISTS (SELECT 1 FROM bookings WHERE meeting_type_id = $1) AS booked`, [id]);
      if (booked) {
        throw conflict('this meeting type has bookings and cannot be deleted; set is_active to false to stop new bookings');
      }
      await m.delete(MeetingTypeEntity, { id, userId: ownerId });
    });
    await this.versions.bump(before.snapshot.hosts.map((h) => h.userId));
  }

  /** The owner's meeting type; 404 for anyone else. */
  async get(ownerId: string, id: string): Promise<MeetingTypeView> {
    const type = await this.types.findOneBy({ id, userId: ownerId });
    if (!type) throw notFound('meeting type');
    return (await this.views([type]))[0]!;
  }

  /** The owner's meeting types, oldest first, with the total for pagination. */
  async list(ownerId: string, limit: number, offset: number): Promise<{ items: MeetingTypeView[]; total: number }> {
    const [types, total] = await this.types.findAndCount({
      where: { userId: ownerId },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items: await this.views(types), total };
  }

  /** Any meeting type by id (active or not); callers decide what to expose. */
  async findSnapshot(id: string, manager?: EntityManager): Promise<MeetingTypeSnapshot | null> {
    const m = manager ?? this.dataSource.manager;
    const type = await m.findOneBy(MeetingTypeEntity, { id });
    return type ? toSnapshot(type, await this.hostRowsOf(type, m)) : null;
  }

  /** An active meeting type by its public address. Secret types are reachable here by direct link. */
  async findPublicSnapshot(username: string, slug: string, manager?: EntityManager): Promise<MeetingTypeSnapshot | null> {
    const owner = await this.users.findByUsername(username, manager);
    if (!owner) return null;
    const m = manager ?? this.dataSource.manager;
    const type = await m.findOneBy(MeetingTypeEntity, { userId: owner.id, slug: slug.toLowerCase(), isActive: true });
    if (!type) return null;
    return toSnapshot(type, await this.hostRowsOf(type, m));
  }

  /** Only team kinds have host rows; a one-on-one or group type is hosted by its owner (no query for those). */
  private hostRowsOf(type: MeetingTypeEntity, m: EntityManager): Promise<MeetingTypeHostEntity[]> {
    return TEAM_KINDS.includes(type.kind) ? m.find(MeetingTypeHostEntity, { where: { meetingTypeId: type.id } }) : Promise.resolve([]);
  }

  /** The types listed on a host's booking page: active and not secret. */
  async listPublic(username: string): Promise<MeetingTypeView[]> {
    const owner = await this.users.findByUsername(username);
    if (!owner) return [];
    const types = await this.types.find({
      where: { userId: owner.id, isActive: true, isSecret: false },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return this.views(types);
  }

  private hostIdsOf(ownerId: string, value: MeetingTypeFields): string[] {
    return TEAM_KINDS.includes(value.kind) ? value.hostIds : [ownerId];
  }

  /** Checks that need the database: the schedule is the owner's, the team has the owner and every host. */
  private async checkReferences(ownerId: string, value: MeetingTypeFields, problems: string[]): Promise<void> {
    if (value.scheduleId !== null && !(await this.schedules.isOwnedBy(value.scheduleId, ownerId))) {
      problems.push(`schedule_id ${value.scheduleId} is not one of your schedules`);
    }
    if (value.teamId !== null && TEAM_KINDS.includes(value.kind)) {
      if (!(await this.teams.isMember(value.teamId, ownerId))) {
        problems.push(`team_id ${value.teamId}: you are not a member of this team`);
      } else {
        const outsiders = await this.teams.nonMembers(value.teamId, value.hostIds);
        if (outsiders.length > 0) {
          problems.push(`host_ids must be members of team_id; not members: ${outsiders.join(', ')}`);
        }
      }
    }
    if (problems.length > 0) throw invalid(problems.join('; '));
  }

  /** Writes the type and its host rows in one transaction. */
  private async persist(ownerId: string, id: string | null, value: MeetingTypeFields): Promise<string> {
    const { hostIds, ...columns } = value;
    try {
      return await this.dataSource.transaction(async (m) => {
        let typeId = id;
        if (typeId === null) {
          const saved = await m.save(m.create(MeetingTypeEntity, { ...columns, userId: ownerId }));
          typeId = saved.id;
        } else {
          const existing = await m.findOneBy(MeetingTypeEntity, { id: typeId, userId: ownerId });
          if (!existing) throw notFound('meeting type');
          await m.save(Object.assign(existing, columns));
          await m.delete(MeetingTypeHostEntity, { meetingTypeId: typeId });
        }
        const hosts = TEAM_KINDS.includes(value.kind) ? hostIds : [ownerId];
        await m.insert(MeetingTypeHostEntity, hosts.map((userId) => ({ meetingTypeId: typeId!, userId, ...DEFAULT_HOST })));
        return typeId;
      });
    } catch (error) {
      if (sqlState(error) === PG_UNIQUE_VIOLATION) {
        throw conflict(`slug "${value.slug}" is already used by another of your meeting types; choose another slug`, {
          errors: [{ field: 'slug', messages: ['slug is taken'] }],
        });
      }
      if (sqlState(error) === PG_FOREIGN_KEY_VIOLATION) {
        throw invalid('the schedule or team named in the request was deleted meanwhile; check schedule_id and team_id');
      }
      throw error;
    }
  }

  private async views(types: MeetingTypeEntity[]): Promise<MeetingTypeView[]> {
    if (types.length === 0) return [];
    const ownerIds = [...new Set(types.map((t) => t.userId))];
    const [hosts, owners] = await Promise.all([
      this.hosts.find({ where: { meetingTypeId: In(types.map((t) => t.id)) } }),
      this.users.findByIds(ownerIds),
    ]);
    const usernames = new Map(owners.map((u) => [u.id, u.username]));
    return types.map((type) => ({
      snapshot: toSnapshot(type, hosts.filter((h) => h.meetingTypeId === type.id)),
      ownerUsername: usernames.get(type.userId) ?? '',
      createdAt: type.createdAt,
      updatedAt: type.updatedAt,
    }));
  }
}

function toSnapshot(type: MeetingTypeEntity, hostRows: MeetingTypeHostEntity[]): MeetingTypeSnapshot {
  const hosts: MeetingTypeHost[] = TEAM_KINDS.includes(type.kind)
    ? hostRows
        .map((h) => ({ userId: h.userId, priority: h.priority, weight: h.weight }))
        .sort((a, b) => b.priority - a.priority || a.userId.localeCompare(b.userId))
    : [{ userId: type.userId, ...DEFAULT_HOST }];
  return {
    id: type.id,
    ownerId: type.userId,
    teamId: type.teamId,
    scheduleId: type.scheduleId,
    name: type.name,
    slug: type.slug,
    description: type.description,
    location: type.location,
    kind: type.kind,
    seats: type.seats,
    durationMinutes: type.durationMinutes,
    bufferBeforeMinutes: type.bufferBeforeMinutes,
    bufferAfterMinutes: type.bufferAfterMinutes,
    slotIntervalMinutes: type.slotIntervalMinutes,
    minimumNoticeMinutes: type.minimumNoticeMinutes,
    bookingWindowDays: type.bookingWindowDays,
    maxBookingsPerDay: type.maxBookingsPerDay,
    questions: type.questions,
    reminders: type.reminders,
    isActive: type.isActive,
    isSecret: type.isSecret,
    hosts,
  };
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
    bufferBeforeMinutes: s.bufferBeforeMinutes,
    bufferAfterMinutes: s.bufferAfterMinutes,
    slotIntervalMinutes: s.slotIntervalMinutes,
    minimumNoticeMinutes: s.minimumNoticeMinutes,
    bookingWindowDays: s.bookingWindowDays,
    maxBookingsPerDay: s.maxBookingsPerDay,
    questions: s.questions,
    reminders: s.reminders,
    scheduleId: s.scheduleId,
    teamId: s.teamId,
    hostIds: TEAM_KINDS.includes(s.kind) ? s.hosts.map((h) => h.userId) : [],
    isActive: s.isActive,
    isSecret: s.isSecret,
  };
}
