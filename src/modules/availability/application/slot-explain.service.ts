import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import { notFound } from '../../../shared/http/domain-error.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { type Explanation, explainStart } from '../domain/slot-explain.js';
import { AvailabilityInputsService } from './availability-inputs.service.js';
import { BusyTimeFreshness } from './busy-time-freshness.js';

/**
 * Whether one start of a meeting type is bookable now, and why not: the booking re-check's inputs (primary, no
 * cache, calendars brought up to date the same way) through the same engine, so `bookable` is what a booking would
 * find, invitee-specific policies aside (max_active_bookings_per_invitee).
 */
@Injectable()
export class SlotExplainService {
  constructor(
    private readonly meetingTypes: MeetingTypesService,
    private readonly inputs: AvailabilityInputsService,
    private readonly freshness: BusyTimeFreshness,
    private readonly clock: Clock,
  ) {}

  async explain(meetingTypeId: string, start: Date): Promise<Explanation & { durationMinutes: number }> {
    const type = await this.meetingTypes.findSnapshot(meetingTypeId);
    if (!type || !type.isActive) throw notFound('meeting type');
    await this.freshness.refresh(type.hosts.map((h) => h.userId));
    const at = start.getTime();
    const input = await this.inputs.load(type, { start: at, end: at + 1 }, this.clock.now());
    return { ...explainStart(input.hosts, input.query, at), durationMinutes: type.durationMinutes };
  }
}
