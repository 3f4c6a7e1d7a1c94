import { Injectable, type OnModuleInit } from '@nestjs/common';
import { UsersService } from '../../identity/application/users.service.js';
import type { RuleInput } from '../domain/weekly-hours.js';
import { ScheduleWrites } from '../infrastructure/schedules.repository.js';
import { DEFAULT_SCHEDULE_NAME } from './schedules.service.js';

/** Monday to Friday (ISO 1-5), 09:00-17:00: what a new host's default schedule starts with. */
export const STARTER_RULES: readonly RuleInput[] = [1, 2, 3, 4, 5].map((dayOfWeek) => ({
  dayOfWeek,
  startTime: '09:00',
  endTime: '17:00',
}));

/**
 * A host who signs up (the admin's form, Google) starts with a default schedule, Monday-Friday 09:00-17:00 in their
 * zone, written in the sign-up's own transaction, so their page books from the first minute. Hosts made through
 * the API start with none (clients set their own hours).
 */
@Injectable()
export class StarterHours implements OnModuleInit {
  constructor(private readonly users: UsersService) {}

  onModuleInit(): void {
    this.users.onSignUp(async (m, host) => {
      const tx = new ScheduleWrites(m);
      const scheduleId = await tx.insert({ userId: host.id, name: DEFAULT_SCHEDULE_NAME, timeZone: host.timeZone, isDefault: true });
      await tx.replaceHours(scheduleId, host.id, [...STARTER_RULES], []);
    });
  }
}
