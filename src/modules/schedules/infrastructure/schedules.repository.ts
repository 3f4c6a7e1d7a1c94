import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { PG_UNIQUE_VIOLATION, constraintName, sqlState } from '../../../shared/database/pg-errors.js';
import { runSerializable } from '../../../shared/database/run-serializable.js';
import { type OverrideInput, type RuleInput, sortedIntervals } from '../domain/weekly-hours.js';
import { AvailabilityOverrideEntity } from './availability-override.entity.js';
import { AvailabilityRuleEntity } from './availability-rule.entity.js';
import { ScheduleEntity } from './schedule.entity.js';

/** A schedule's own columns, as plain data. */
export interface ScheduleRecord {
  id: string;
  userId: string;
  name: string;
  timeZone: string;
  isDefault: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ScheduleHours {
  rules: RuleInput[];
  overrides: OverrideInput[];
}

const hhmm = (time: string) => time.slice(0, 5);

const toRecord = (s: ScheduleEntity): ScheduleRecord => ({
  id: s.id,
  userId: s.userId,
  name: s.name,
  timeZone: s.timeZone,
  isDefault: s.isDefault,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});

/** Schedules, their weekly rules and their date overrides. */
@Injectable()
export class SchedulesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findDefault(userId: string): Promise<ScheduleRecord | null> {
    const found = await this.dataSource.manager.findOneBy(ScheduleEntity, { userId, isDefault: true });
    return found ? toRecord(found) : null;
  }

  async findOwned(id: string, userId: string): Promise<ScheduleRecord | null> {
    const found = await this.dataSource.manager.findOneBy(ScheduleEntity, { id, userId });
    return found ? toRecord(found) : null;
  }

  /** Oldest first. */
  async listForUser(userId: string): Promise<ScheduleRecord[]> {
    const found = await this.dataSource.manager.find(ScheduleEntity, { where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return found.map(toRecord);
  }

  async isOwnedBy(scheduleId: string, userId: string): Promise<boolean> {
    return (await this.dataSource.manager.countBy(ScheduleEntity, { id: scheduleId, userId })) > 0;
  }

  /** Rules (by day, then start) and overrides (by date) of each schedule, in two queries. */
  async hoursOf(scheduleIds: string[]): Promise<Map<string, ScheduleHours>> {
    const hours = new Map<string, ScheduleHours>(scheduleIds.map((id) => [id, { rules: [], overrides: [] }]));
    if (scheduleIds.length === 0) return hours;
    const m = this.dataSource.manager;
    const [rules, overrides] = await Promise.all([
      m.find(AvailabilityRuleEntity, { where: { scheduleId: In(scheduleIds) }, order: { dayOfWeek: 'ASC', startTime: 'ASC' } }),
      m.find(AvailabilityOverrideEntity, { where: { scheduleId: In(scheduleIds) }, order: { date: 'ASC' } }),
    ]);
    for (const r of rules) {
      hours.get(r.scheduleId)?.rules.push({ dayOfWeek: r.dayOfWeek, startTime: hhmm(r.startTime), endTime: hhmm(r.endTime) });
    }
    for (const o of overrides) {
      hours.get(o.scheduleId)?.overrides.push({
        date: o.date,
        intervals: o.intervals.map((i) => ({ startTime: i.start_time, endTime: i.end_time })),
      });
    }
    return hours;
  }

  /** Serializable, retried; a lost race to create the one default schedule is retried too. */
  write<T>(work: (tx: ScheduleWrites) => Promise<T>): Promise<T> {
    return runSerializable(this.dataSource, (m) => work(new ScheduleWrites(m)), {
      retryOn: (e) => sqlState(e) === PG_UNIQUE_VIOLATION && constraintName(e) === 'schedules_one_default',
    });
  }
}

/** The writes of one schedules transaction. */
export class ScheduleWrites {
  constructor(private readonly m: EntityManager) {}

  async findDefault(userId: string): Promise<ScheduleRecord | null> {
    const found = await this.m.findOneBy(ScheduleEntity, { userId, isDefault: true });
    return found ? toRecord(found) : null;
  }

  async findOwned(id: string, userId: string): Promise<ScheduleRecord | null> {
    const found = await this.m.findOneBy(ScheduleEntity, { id, userId });
    return found ? toRecord(found) : null;
  }

  async hasDefault(userId: string): Promise<boolean> {
    return (await this.m.countBy(ScheduleEntity, { userId, isDefault: true })) > 0;
  }

  async countForUser(userId: string): Promise<number> {
    return this.m.countBy(ScheduleEntity, { userId });
  }

  /** Unsets the user's default (before another schedule becomes it). */
  async clearDefault(userId: string): Promise<void> {
    await this.m.update(ScheduleEntity, { userId, isDefault: true }, { isDefault: false });
  }

  async insert(schedule: { userId: string; name: string; timeZone: string; isDefault: boolean }): Promise<string> {
    const saved = await this.m.save(this.m.create(ScheduleEntity, schedule));
    return saved.id;
  }

  async setTimeZone(id: string, timeZone: string): Promise<void> {
    await this.m.update(ScheduleEntity, { id }, { timeZone });
  }

  /** Writes name, zone and default flag of a schedule read in this transaction (updated_at moves). */
  async save(schedule: ScheduleRecord): Promise<void> {
    await this.m.save(this.m.create(ScheduleEntity, schedule));
  }

  async delete(id: string): Promise<void> {
    await this.m.delete(ScheduleEntity, { id });
  }

  /** Replaces every rule and override of the schedule; override intervals are stored in start order. */
  async replaceHours(scheduleId: string, userId: string, rules: RuleInput[], overrides: OverrideInput[]): Promise<void> {
    await this.m.delete(AvailabilityRuleEntity, { scheduleId });
    await this.m.delete(AvailabilityOverrideEntity, { scheduleId });
    if (rules.length > 0) {
      await this.m.insert(
        AvailabilityRuleEntity,
        rules.map((r) => ({ scheduleId, userId, dayOfWeek: r.dayOfWeek, startTime: r.startTime, endTime: r.endTime })),
      );
    }
    if (overrides.length > 0) {
      await this.m.insert(
        AvailabilityOverrideEntity,
        overrides.map((o) => ({
          scheduleId,
          date: o.date,
          intervals: sortedIntervals(o.intervals).map((i) => ({ start_time: i.startTime, end_time: i.endTime })),
        })),
      );
    }
  }
}
