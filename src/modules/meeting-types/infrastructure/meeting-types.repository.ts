import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { runSerializable } from '../../../shared/database/run-serializable.js';
import type { MeetingTypeHost, MeetingTypeLimits, MeetingTypeSnapshot } from '../domain/meeting-type.js';
import { DEFAULT_HOST, type MeetingTypeFields, TEAM_KINDS } from '../domain/meeting-type-rules.js';
import { MeetingTypeHostEntity } from './meeting-type-host.entity.js';
import { MeetingTypeEntity, type MeetingTypeLimitColumns } from './meeting-type.entity.js';

/** A meeting type as stored: its snapshot and its timestamps. */
export interface StoredMeetingType {
  snapshot: MeetingTypeSnapshot;
  createdAt: Date;
  updatedAt: Date;
}

/** Meeting types and their host rows. Reads that take a manager run on it (a transaction, the read replica). */
@Injectable()
export class MeetingTypesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The owner's meeting type (two queries: the type, its host rows). */
  async findOwned(id: string, ownerId: string): Promise<StoredMeetingType | null> {
    const type = await this.dataSource.manager.findOneBy(MeetingTypeEntity, { id, userId: ownerId });
    if (!type) return null;
    const [stored] = await this.withHosts([type]);
    return stored;
  }

  /** A page of the owner's meeting types, oldest first, with the total. */
  async listOwned(ownerId: string, limit: number, offset: number): Promise<{ items: StoredMeetingType[]; total: number }> {
    const [types, total] = await this.dataSource.manager.findAndCount(MeetingTypeEntity, {
      where: { userId: ownerId },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items: await this.withHosts(types), total };
  }

  /** The active team types (round robin, collective) of others that the user hosts, oldest first. */
  async listActiveHostedByOthers(userId: string): Promise<StoredMeetingType[]> {
    const types = await this.dataSource.manager
      .createQueryBuilder(MeetingTypeEntity, 't')
      .innerJoin(MeetingTypeHostEntity, 'h', 'h.meetingTypeId = t.id AND h.userId = :userId', { userId })
      .where('t.userId <> :userId AND t.isActive = true AND t.kind IN (:...kinds)', { userId, kinds: [...TEAM_KINDS] })
      .orderBy('t.createdAt', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .getMany();
    return this.withHosts(types);
  }

  /** The slugs of the owner's types that start with `prefix` (for a copy's free slug). */
  async slugsStartingWith(ownerId: string, prefix: string): Promise<Set<string>> {
    const rows = await this.dataSource.manager.query<{ slug: string }[]>(
      `SELECT slug FROM meeting_types WHERE user_id = $1 AND starts_with(slug, $2)`,
      [ownerId, prefix],
    );
    return new Set(rows.map((r) => r.slug));
  }

  /** The owner's active, listed (not secret) meeting types, oldest first. */
  async listListed(ownerId: string): Promise<StoredMeetingType[]> {
    const types = await this.dataSource.manager.find(MeetingTypeEntity, {
      where: { userId: ownerId, isActive: true, isSecret: false },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return this.withHosts(types);
  }

  /**
   * Any meeting type by id. One query for a one-on-one or group type (hosted by its owner), two for team kinds:
   * this is on the slots read path.
   */
  async findSnapshot(id: string, manager?: EntityManager): Promise<MeetingTypeSnapshot | null> {
    const m = manager ?? this.dataSource.manager;
    const type = await m.findOneBy(MeetingTypeEntity, { id });
    return type ? toSnapshot(type, await this.teamHostRowsOf(type, m)) : null;
  }

  /** The owner's active meeting type by slug; same query count as findSnapshot. */
  async findActiveBySlug(ownerId: string, slug: string, manager?: EntityManager): Promise<MeetingTypeSnapshot | null> {
    const m = manager ?? this.dataSource.manager;
    const type = await m.findOneBy(MeetingTypeEntity, { userId: ownerId, slug, isActive: true });
    return type ? toSnapshot(type, await this.teamHostRowsOf(type, m)) : null;
  }

  /**
   * Writes the type (new when id is null) and replaces its host rows, in one transaction. Null when the id is not
   * the owner's. Database errors (a taken slug, a schedule or team deleted meanwhile) are the caller's to map.
   * `manager`: the caller's transaction (a sign-up's), instead of one of its own.
   */
  saveWithHosts(
    ownerId: string,
    id: string | null,
    value: MeetingTypeFields,
    ranks?: MeetingTypeHost[],
    manager?: EntityManager,
  ): Promise<string | null> {
    const { hostIds, ...columns } = value;
    const write = async (m: EntityManager) => {
      let typeId: string;
      if (id === null) {
        const saved = await m.save(m.create(MeetingTypeEntity, { ...columns, userId: ownerId }));
        typeId = saved.id;
      } else {
        const existing = await m.findOneBy(MeetingTypeEntity, { id, userId: ownerId });
        if (!existing) return null;
        await m.save(Object.assign(existing, columns));
        // An edit keeps each staying host's round-robin settings (weight, priority, fallback, cap).
        ranks ??= await m.find(MeetingTypeHostEntity, { where: { meetingTypeId: id } });
        await m.delete(MeetingTypeHostEntity, { meetingTypeId: id });
        typeId = id;
      }
      const hosts = TEAM_KINDS.includes(value.kind) ? hostIds : [ownerId];
      await m.insert(
        MeetingTypeHostEntity,
        // A copy or an edit keeps each host's round-robin settings (`ranks`); everyone else starts unranked.
        hosts.map((userId) => {
          const ranked = ranks?.find((h) => h.userId === userId);
          const settings = ranked
            ? {
                priority: ranked.priority,
                weight: ranked.weight,
                fallback: ranked.fallback,
                maxBookingsPerPeriod: ranked.maxBookingsPerPeriod,
              }
            : DEFAULT_HOST;
          return { meetingTypeId: typeId, userId, ...settings };
        }),
      );
      return typeId;
    };
    return manager ? write(manager) : this.dataSource.transaction(write);
  }

  /**
   * Deletes the owner's type unless it has bookings (they would go with it, ON DELETE CASCADE). The check and the
   * delete are one serializable transaction, so a booking made meanwhile makes it retry and refuse. False when booked.
   */
  deleteUnbooked(id: string, ownerId: string): Promise<boolean> {
    return runSerializable(this.dataSource, async (m) => {
      const [{ booked }] = await m.query<{ booked: boolean }[]>(
        // Archived bookings count too: they would go with the type (ADR 0014).
        `SELECT EXISTS (SELECT 1 FROM bookings WHERE meeting_type_id = $1)
             OR EXISTS (SELECT 1 FROM bookings_archive WHERE meeting_type_id = $1) AS booked`,
        [id],
      );
      if (booked) return false;
      await m.delete(MeetingTypeEntity, { id, userId: ownerId });
      return true;
    });
  }

  /** The user stops hosting every meeting type of the team (inside the caller's transaction). */
  async removeTeamHost(teamId: string, userId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `DELETE FROM meeting_type_hosts h USING meeting_types t
        WHERE h.meeting_type_id = t.id AND t.team_id = $1 AND h.user_id = $2`,
      [teamId, userId],
    );
  }

  /** Only team kinds have host rows that count; a one-on-one or group type is hosted by its owner (no query for those). */
  private teamHostRowsOf(type: MeetingTypeEntity, m: EntityManager): Promise<MeetingTypeHostEntity[]> {
    return TEAM_KINDS.includes(type.kind) ? m.find(MeetingTypeHostEntity, { where: { meetingTypeId: type.id } }) : Promise.resolve([]);
  }

  /** Snapshots of several types with one query for all their host rows. */
  private async withHosts(types: MeetingTypeEntity[]): Promise<StoredMeetingType[]> {
    if (types.length === 0) return [];
    const hosts = await this.dataSource.manager.find(MeetingTypeHostEntity, { where: { meetingTypeId: In(types.map((t) => t.id)) } });
    return types.map((type) => ({
      snapshot: toSnapshot(
        type,
        hosts.filter((h) => h.meetingTypeId === type.id),
      ),
      createdAt: type.createdAt,
      updatedAt: type.updatedAt,
    }));
  }
}

function toSnapshot(type: MeetingTypeEntity, hostRows: MeetingTypeHostEntity[]): MeetingTypeSnapshot {
  const hosts: MeetingTypeHost[] = TEAM_KINDS.includes(type.kind)
    ? hostRows
        .map((h) => ({
          userId: h.userId,
          priority: h.priority,
          weight: h.weight,
          fallback: h.fallback,
          maxBookingsPerPeriod: h.maxBookingsPerPeriod,
        }))
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
    durationOptions: type.durationOptions,
    recurrence: type.recurrence,
    bufferBeforeMinutes: type.bufferBeforeMinutes,
    bufferAfterMinutes: type.bufferAfterMinutes,
    slotIntervalMinutes: type.slotIntervalMinutes,
    minimumNoticeMinutes: type.minimumNoticeMinutes,
    bookingWindowDays: type.bookingWindowDays,
    maxBookingsPerDay: type.maxBookingsPerDay,
    limits: limitsOf(type.limits),
    questions: type.questions,
    reminders: type.reminders,
    isActive: type.isActive,
    isSecret: type.isSecret,
    requiresConfirmation: type.requiresConfirmation,
    confirmationExpiryMinutes: type.confirmationExpiryMinutes,
    hosts,
    roundRobinPeriod: type.roundRobinPeriod,
  };
}

/** The embedded columns as plain data (the snapshot is cached and compared as JSON). */
function limitsOf(l: MeetingTypeLimitColumns): MeetingTypeLimits {
  return {
    maxBookingsPerWeek: l.maxBookingsPerWeek,
    maxBookingsPerMonth: l.maxBookingsPerMonth,
    maxBookingsPerYear: l.maxBookingsPerYear,
    maxBookedMinutesPerDay: l.maxBookedMinutesPerDay,
    maxBookedMinutesPerWeek: l.maxBookedMinutesPerWeek,
    maxActiveBookingsPerInvitee: l.maxActiveBookingsPerInvitee,
    cancellationCutoffMinutes: l.cancellationCutoffMinutes,
    rescheduleCutoffMinutes: l.rescheduleCutoffMinutes,
    bookingWindowType: l.bookingWindowType,
  };
}
