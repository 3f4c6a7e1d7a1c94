import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In, Repository } from 'typeorm';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { PG_UNIQUE_VIOLATION, constraintName, sqlState } from '../../../shared/database/pg-errors.js';
import { runSerializable } from '../../../shared/database/run-serializable.js';
import { invalid, notFound } from '../../../shared/http/domain-error.js';
import { isIanaTimeZone } from '../../../shared/validation/time-zone.js';
import { UsersService } from '../../identity/application/users.service.js';
import { minuteOfDay } from '../domain/wall-clock.js';
import type { HostSchedule } from '../domain/build-host-inputs.js';
import { AvailabilityReads } from '../infrastructure/availability-reads.repository.js';
import { AvailabilityOverrideEntity } from '../infrastructure/availability-override.entity.js';
import { AvailabilityRuleEntity } from '../infrastructure/availability-rule.entity.js';
import { ScheduleEntity } from '../infrastructure/schedule.entity.js';

export const DEFAULT_SCHEDULE_NAME = 'Working hours';

/** Wall-clock times are "HH:MM" strings here and on the wire; "24:00" ends a day. */
export interface RuleInput {
  dayOfWeek: number;
  startTime: string;
  endTime: string;
}

export interface IntervalInput {
  startTime: string;
  endTime: string;
}

export interface OverrideInput {
  date: string;
  intervals: IntervalInput[];
}

export interface HoursInput {
  timeZone?: string;
  rules: RuleInput[];
  overrides?: OverrideInput[];
}

export interface NewSchedule extends HoursInput {
  name: string;
  isDefault?: boolean;
}

export interface ScheduleChanges {
  name?: string;
  timeZone?: string;
  rules?: RuleInput[];
  overrides?: OverrideInput[];
  isDefault?: boolean;
}

export interface ScheduleView {
  schedule: ScheduleEntity;
  rules: RuleInput[];
  overrides: OverrideInput[];
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const TIME = /^(\d{2}):(\d{2})$/;


/** A real calendar date: 2027-02-30 is not. */
export function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1900 && y <= 9999 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * The rules the DTO decorators cannot express: start < end, no overlaps within a day or an override date, real
 * dates, no duplicate override dates. Throws one 400 listing every problem.
 */
export function validateHours(rules: RuleInput[], overrides: OverrideInput[]): void {
  const problems: { field: string; message: string }[] = [];
  const checkInterval = (field: string, i: IntervalInput): boolean => {
    if (!TIME.test(i.startTime) || !TIME.test(i.endTime)) return false; // reported by the DTO
    if (minuteOfDay(i.startTime) >= minuteOfDay(i.endTime)) {
      problems.push({ field, message: `${field}: start_time ${i.startTime} must be before end_time ${i.endTime}` });
      return false;
    }
    return true;
  };
  const checkOverlaps = (where: string, items: { field: string; i: IntervalInput }[]) => {
    const sorted = [...items].sort((a, b) => minuteOfDay(a.i.startTime) - minuteOfDay(b.i.startTime));
    for (let k = 1; k < sorted.length; k++) {
      const prev = sorted[k - 1]!.i;
      const cur = sorted[k]!;
      if (minuteOfDay(cur.i.startTime) < minuteOfDay(prev.endTime)) {
        problems.push({
          field: cur.field,
          message: `intervals overlap on ${where}: ${prev.startTime}-${prev.endTime} and ${cur.i.startTime}-${cur.i.endTime}`,
        });
      }
    }
  };

  const byDay = new Map<number, { field: string; i: IntervalInput }[]>();
  rules.forEach((r, idx) => {
    const field = `rules.${idx}`;
    if (!checkInterval(field, r)) return;
    const list = byDay.get(r.dayOfWeek) ?? [];
    list.push({ field, i: r });
    byDay.set(r.dayOfWeek, list);
  });
  for (const [day, items] of byDay) checkOverlaps(DAY_NAMES[day] ?? `day ${day}`, items);

  const seen = new Set<string>();
  overrides.forEach((o, idx) => {
    const field = `overrides.${idx}`;
    if (!isRealDate(o.date)) {
      problems.push({ field: `${field}.date`, message: `${field}.date: ${o.date} is not a real calendar date (YYYY-MM-DD)` });
      return;
    }
    if (seen.has(o.date)) {
      problems.push({ field: `${field}.date`, message: `${field}.date: ${o.date} appears more than once; give each date one override` });
      return;
    }
    seen.add(o.date);
    const valid = o.intervals
      .map((i, k) => ({ field: `${field}.intervals.${k}`, i }))
      .filter(({ field: f, i }) => checkInterval(f, i));
    checkOverlaps(o.date, valid);
  });

  if (problems.length > 0) {
    throw invalid(problems.map((p) => p.message).join('; '), {
      errors: problems.map((p) => ({ field: p.field, messages: [p.message] })),
    });
  }
}

const hhmm = (time: string) => time.slice(0, 5);

/** Named weekly schedules with date overrides; one default per host. */
@Injectable()
export class SchedulesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ScheduleEntity) private readonly schedules: Repository<ScheduleEntity>,
    @InjectRepository(AvailabilityRuleEntity) private readonly rules: Repository<AvailabilityRuleEntity>,
    @InjectRepository(AvailabilityOverrideEntity) private readonly overrides: Repository<AvailabilityOverrideEntity>,
    private readonly users: UsersService,
    private readonly versions: AvailabilityVersions,
    private readonly reads: AvailabilityReads,
  ) {}

  /** The host's default schedule, or null when none was ever set. */
  async getDefault(userId: string): Promise<ScheduleView | null> {
    const schedule = await this.schedules.findOneBy({ userId, isDefault: true });
    return schedule ? (await this.views([schedule]))[0]! : null;
  }

  /** Replaces the default schedule's zone, rules and overrides in one transaction, creating it if missing. */
  async setDefaultHours(userId: string, input: HoursInput): Promise<ScheduleView> {
    const overrides = input.overrides ?? [];
    validateHours(input.rules, overrides);
    const timeZone = await this.zoneOrUserZone(userId, input.timeZone);
    const id = await this.write(async (m) => {
      let schedule = await m.findOneBy(ScheduleEntity, { userId, isDefault: true });
      if (schedule) {
        await m.update(ScheduleEntity, { id: schedule.id }, { timeZone });
      } else {
        schedule = await m.save(m.create(ScheduleEntity, { userId, name: DEFAULT_SCHEDULE_NAME, timeZone, isDefault: true }));
      }
      await this.replaceHours(m, schedule.id, userId, input.rules, overrides);
      return schedule.id;
    });
    await this.versions.bump([userId]);
    return this.get(userId, id);
  }

  async list(userId: string): Promise<ScheduleView[]> {
    const schedules = await this.schedules.find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return this.views(schedules);
  }

  /** The host's schedule; 404 for anyone else's. */
  async get(userId: string, id: string): Promise<ScheduleView> {
    const schedule = await this.schedules.findOneBy({ id, userId });
    if (!schedule) throw notFound('schedule');
    return (await this.views([schedule]))[0]!;
  }

  async isOwnedBy(scheduleId: string, userId: string): Promise<boolean> {
    return (await this.schedules.countBy({ id: scheduleId, userId })) > 0;
  }

  async create(userId: string, input: NewSchedule): Promise<ScheduleView> {
    const overrides = input.overrides ?? [];
    validateHours(input.rules, overrides);
    const timeZone = await this.zoneOrUserZone(userId, input.timeZone);
    const id = await this.write(async (m) => {
      const hasDefault = (await m.countBy(ScheduleEntity, { userId, isDefault: true })) > 0;
      const isDefault = input.isDefault === true || !hasDefault;
      if (isDefault && hasDefault) await m.update(ScheduleEntity, { userId, isDefault: true }, { isDefault: false });
      const schedule = await m.save(m.create(ScheduleEntity, { userId, name: input.name.trim(), timeZone, isDefault }));
      await this.replaceHours(m, schedule.id, userId, input.rules, overrides);
      return schedule.id;
    });
    await this.versions.bump([userId]);
    return this.get(userId, id);
  }

  async update(userId: string, id: string, changes: ScheduleChanges): Promise<ScheduleView> {
    if (changes.timeZone !== undefined && !isIanaTimeZone(changes.timeZone)) {
      throw invalid('time_zone must be an IANA time zone such as "Europe/London"');
    }
    const current = await this.get(userId, id);
    const rules = changes.rules ?? current.rules;
    const overrides = changes.overrides ?? current.overrides;
    validateHours(rules, overrides);
    if (changes.isDefault === false && current.schedule.isDefault) {
      throw invalid('is_default: a host always has one default schedule; make another schedule the default instead');
    }
    await this.write(async (m) => {
      const schedule = await m.findOneBy(ScheduleEntity, { id, userId });
      if (!schedule) throw notFound('schedule');
      if (changes.isDefault === true && !schedule.isDefault) {
        await m.update(ScheduleEntity, { userId, isDefault: true }, { isDefault: false });
        schedule.isDefault = true;
      }
      if (changes.name !== undefined) schedule.name = changes.name.trim();
      if (changes.timeZone !== undefined) schedule.timeZone = changes.timeZone;
      await m.save(schedule);
      if (changes.rules !== undefined || changes.overrides !== undefined) {
        await this.replaceHours(m, id, userId, rules, overrides);
      }
    });
    await this.versions.bump([userId]);
    return this.get(userId, id);
  }

  /** Deletes a schedule; meeting types that used it fall back to the default. The default goes last. */
  async remove(userId: string, id: string): Promise<void> {
    await this.write(async (m) => {
      const schedule = await m.findOneBy(ScheduleEntity, { id, userId });
      if (!schedule) throw notFound('schedule');
      if (schedule.isDefault && (await m.countBy(ScheduleEntity, { userId })) > 1) {
        throw invalid('this is your default schedule: make another schedule the default before deleting it');
      }
      await m.delete(ScheduleEntity, { id });
    });
    await this.versions.bump([userId]);
  }

  /**
   * Each host's hours for the slot engine: `scheduleId` for the host who owns it (the meeting type's owner),
   * everyone else's default. A host without any schedule gets no hours, in their user zone. Pass `manager` to read
   * inside a transaction, or on the read replica (the slots endpoint).
   */
  availabilityFor(hostIds: string[], scheduleId: string | null, manager?: EntityManager): Promise<Map<string, HostSchedule>> {
    return this.reads.hostHours(hostIds, scheduleId, manager);
  }

  private async zoneOrUserZone(userId: string, timeZone: string | undefined): Promise<string> {
    if (timeZone !== undefined) return timeZone;
    return (await this.users.getById(userId)).timeZone;
  }

  /** Serializable, retried; a lost race to create the one default schedule is retried too. */
  private write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return runSerializable(this.dataSource, work, {
      retryOn: (e) => sqlState(e) === PG_UNIQUE_VIOLATION && constraintName(e) === 'schedules_one_default',
    });
  }

  private async replaceHours(
    m: EntityManager, scheduleId: string, userId: string, rules: RuleInput[], overrides: OverrideInput[],
  ): Promise<void> {
    await m.delete(AvailabilityRuleEntity, { scheduleId });
    await m.delete(AvailabilityOverrideEntity, { scheduleId });
    if (rules.length > 0) {
      await m.insert(
        AvailabilityRuleEntity,
        rules.map((r) => ({ scheduleId, userId, dayOfWeek: r.dayOfWeek, startTime: r.startTime, endTime: r.endTime })),
      );
    }
    if (overrides.length > 0) {
      await m.insert(
        AvailabilityOverrideEntity,
        overrides.map((o) => ({
          scheduleId,
          date: o.date,
          intervals: [...o.intervals]
            .sort((a, b) => minuteOfDay(a.startTime) - minuteOfDay(b.startTime))
            .map((i) => ({ start_time: i.startTime, end_time: i.endTime })),
        })),
      );
    }
  }

  private async views(schedules: ScheduleEntity[]): Promise<ScheduleView[]> {
    if (schedules.length === 0) return [];
    const ids = schedules.map((s) => s.id);
    const [rules, overrides] = await Promise.all([
      this.rules.find({ where: { scheduleId: In(ids) }, order: { dayOfWeek: 'ASC', startTime: 'ASC' } }),
      this.overrides.find({ where: { scheduleId: In(ids) }, order: { date: 'ASC' } }),
    ]);
    return schedules.map((schedule) => ({
      schedule,
      rules: rules
        .filter((r) => r.scheduleId === schedule.id)
        .map((r) => ({ dayOfWeek: r.dayOfWeek, startTime: hhmm(r.startTime), endTime: hhmm(r.endTime) })),
      overrides: overrides
        .filter((o) => o.scheduleId === schedule.id)
        .map((o) => ({ date: o.date, intervals: o.intervals.map((i) => ({ startTime: i.start_time, endTime: i.end_time })) })),
    }));
  }
}
