import { Injectable, type OnModuleInit } from '@nestjs/common';
import { invalidFields } from '../../../shared/http/domain-error.js';
import { UsersService } from '../../identity/application/users.service.js';
import { resolveMeetingType } from '../domain/meeting-type-rules.js';
import { MeetingTypesRepository } from '../infrastructure/meeting-types.repository.js';

/** The first meeting type of a host who signs up. */
export const STARTER_MEETING_TYPE = { name: '30 minute meeting', slug: '30min', durationMinutes: 30 } as const;

/**
 * A host who signs up (the admin's form, Google) starts with one meeting type, "30 minute meeting" at /:username/30min,
 * on their default schedule, written in the sign-up's own transaction. Hosts made through the API start with none.
 */
@Injectable()
export class StarterMeetingType implements OnModuleInit {
  constructor(
    private readonly users: UsersService,
    private readonly types: MeetingTypesRepository,
  ) {}

  onModuleInit(): void {
    this.users.onSignUp(async (m, host) => {
      const { value, problems } = resolveMeetingType(null, { ...STARTER_MEETING_TYPE });
      if (problems.length > 0) throw invalidFields(problems); // a fixed value: only a changed rule could get here
      await this.types.saveWithHosts(host.id, null, value, undefined, m);
    });
  }
}
