import { Injectable } from '@nestjs/common';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { invalid, invalidFields, notFound } from '../../../shared/http/domain-error.js';
import { isIanaTimeZone } from '../../../shared/validation/time-zone.js';
import { UsersService } from '../../identity/application/users.service.js';
import { type OverrideInput, type RuleInput, weeklyHoursProblems } from '../domain/weekly-hours.js';
import { type ScheduleRecord, SchedulesRepository } from '../infrastructure/schedules.repository.js';

export type { IntervalInput, OverrideInput, RuleInput } from '../domain/weekly-hours.js';
export type { ScheduleRecord } from '../infrastructure/schedules.repository.js';

export const DEFAULT_SCHEDULE_NAME = 'Working hours';

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
  schedule: ScheduleRecord;
  rules: RuleInput[];
  overrides: OverrideInput[];
}

/** One 400 listing every problem with the hours, if any. */
function checkHours(rules: RuleInput[], overrides: OverrideInput[]): void {
  const problems = weeklyHoursProblems(rules, overrides);
  if (problems.length > 0) throw invalidFields(problems);
}

/** Named weekly schedules with date overrides; one default per host. */
@Injectable()
export class SchedulesService {
  constructor(
    private readonly schedules: SchedulesRepository,
    private readonly users: UsersService,
    private readonly versions: AvailabilityVersions,
  ) {}

  /** The host's default schedule, or null when none was ever set. */
  async getDefault(userId: string): Promise<ScheduleView | null> {
    const schedule = await this.schedules.findDefault(userId);
    if (!schedule) return null;
    const [view] = await this.views([schedule]);
    return view;
  }

  /** Replaces the default schedule's zone, rules and overrides in one transaction, creating it if missing. */
  async setDefaultHours(userId: string, input: HoursInput): Promise<ScheduleView> {
    const overrides = input.overrides ?? [];
    checkHours(input.rules, overrides);
    const timeZone = await this.zoneOrUserZone(userId, input.timeZone);
    const id = await this.schedules.write(async (tx) => {
      const current = await tx.findDefault(userId);
      let scheduleId: string;
      if (current) {
        scheduleId = current.id;
        await tx.setTimeZone(scheduleId, timeZone);
      } else {
        scheduleId = await tx.insert({ userId, name: DEFAULT_SCHEDULE_NAME, timeZone, isDefault: true });
      }
      await tx.replaceHours(scheduleId, userId, input.rules, overrides);
      return scheduleId;
    });
    await this.versions.bump([userId]);
    return this.get(userId, id);
  }

  async list(userId: string): Promise<ScheduleView[]> {
    return this.views(await this.schedules.listForUser(userId));
  }

  /** The host's schedule; 404 for anyone else's. */
  async get(userId: string, id: string): Promise<ScheduleView> {
    const schedule = await this.schedules.findOwned(id, userId);
    if (!schedule) throw notFound('schedule');
    const [view] = await this.views([schedule]);
    return view;
  }

  isOwnedBy(scheduleId: string, userId: string): Promise<boolean> {
    return this.schedules.isOwnedBy(scheduleId, userId);
  }

  async create(userId: string, input: NewSchedule): Promise<ScheduleView> {
    const overrides = input.overrides ?? [];
    checkHours(input.rules, overrides);
    const timeZone = await this.zoneOrUserZone(userId, input.timeZone);
    const id = await this.schedules.write(async (tx) => {
      const hasDefault = await tx.hasDefault(userId);
      const isDefault = input.isDefault === true || !hasDefault;
      if (isDefault && hasDefault) await tx.clearDefault(userId);
      const scheduleId = await tx.insert({ userId, name: input.name.trim(), timeZone, isDefault });
      await tx.replaceHours(scheduleId, userId, input.rules, overrides);
      return scheduleId;
    });
    await this.versions.bump([userId]);
    return this.get(userId, id);
  }

  async update(userId: string, id: string, changes: ScheduleChanges): Promise<ScheduleView> {
    if (changes.timeZone !== undefined && !isIanaTimeZone(changes.timeZone)) {
      throw invalidFields([
        { field: 'time_zone', code: 'unknown_time_zone', message: 'time_zone must be an IANA time zone such as "Europe/London"' },
      ]);
    }
    const current = await this.get(userId, id);
    const rules = changes.rules ?? current.rules;
    const overrides = changes.overrides ?? current.overrides;
    checkHours(rules, overrides);
    if (changes.isDefault === false && current.schedule.isDefault) {
      throw invalidFields([
        {
          field: 'is_default',
          code: 'default_required',
          message: 'a host always has one default schedule; make another schedule the default instead',
        },
      ]);
    }
    await this.schedules.write(async (tx) => {
      const schedule = await tx.findOwned(id, userId);
      if (!schedule) throw notFound('schedule');
      if (changes.isDefault === true && !schedule.isDefault) {
        await tx.clearDefault(userId);
        schedule.isDefault = true;
      }
      if (changes.name !== undefined) schedule.name = changes.name.trim();
      if (changes.timeZone !== undefined) schedule.timeZone = changes.timeZone;
      await tx.save(schedule);
      if (changes.rules !== undefined || changes.overrides !== undefined) {
        await tx.replaceHours(id, userId, rules, overrides);
      }
    });
    await this.versions.bump([userId]);
    return this.get(userId, id);
  }

  /** Deletes a schedule; meeting types that used it fall back to the default. The default goes last. */
  async remove(userId: string, id: string): Promise<void> {
    await this.schedules.write(async (tx) => {
      const schedule = await tx.findOwned(id, userId);
      if (!schedule) throw notFound('schedule');
      if (schedule.isDefault && (await tx.countForUser(userId)) > 1) {
        throw invalid('this is your default schedule: make another schedule the default before deleting it');
      }
      await tx.delete(id);
    });
    await this.versions.bump([userId]);
  }

  private async zoneOrUserZone(userId: string, timeZone: string | undefined): Promise<string> {
    if (timeZone !== undefined) return timeZone;
    return (await this.users.getById(userId)).timeZone;
  }

  private async views(schedules: ScheduleRecord[]): Promise<ScheduleView[]> {
    if (schedules.length === 0) return [];
    const hours = await this.schedules.hoursOf(schedules.map((s) => s.id));
    // hoursOf has an entry for every id it was given.
    return schedules.map((schedule) => ({ schedule, ...(hours.get(schedule.id) ?? { rules: [], overrides: [] }) }));
  }
}
