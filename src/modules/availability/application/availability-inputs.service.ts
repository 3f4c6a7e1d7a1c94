import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MeetingTypeSnapshot } from '../../meeting-types/domain/meeting-type.js';
import { BUSY_MARGIN_MS, buildEngineInput, type Exclusions, type HostSchedule } from '../domain/build-host-inputs.js';
import type { HostAvailability, SlotQuery } from '../domain/slot-engine.types.js';
import { BusyTimeRepository } from '../infrastructure/busy-time.repository.js';
import { SchedulesService } from './schedules.service.js';

export type HostSchedules = Map<string, HostSchedule>;

export interface EngineInput {
  hosts: HostAvailability[];
  query: SlotQuery;
}

/**
 * Loads everything the slot engine needs for one meeting type over a range: schedules of its hosts and their busy
 * time in one query. The slots endpoint (with a read-replica manager when DATABASE_READ_URL is set) and the booking
 * re-check (with its transaction's manager, always on the primary) both come through here.
 */
@Injectable()
export class AvailabilityInputsService {
  constructor(
    private readonly schedules: SchedulesService,
    private readonly busyTime: BusyTimeRepository,
  ) {}

  async load(
    type: MeetingTypeSnapshot,
    range: { start: number; end: number },
    now: Date,
    options: { manager?: EntityManager; exclude?: Exclusions; schedules?: HostSchedules } = {},
  ): Promise<EngineInput> {
    const hostIds = type.hosts.map((h) => h.userId);
    const [schedules, rows] = await Promise.all([
      options.schedules ?? this.loadSchedules(type, options.manager),
      this.busyTime.find(
        {
          hostIds,
          from: new Date(range.start - BUSY_MARGIN_MS),
          to: new Date(range.end + BUSY_MARGIN_MS),
          now,
          meetingTypeId: type.id,
        },
        options.manager,
      ),
    ]);
    const busy = rows.map((r) => ({
      userId: r.user_id,
      startMs: r.start_ms,
      endMs: r.end_ms,
      source: r.source,
      bookingId: r.booking_id,
      holdId: r.hold_id,
      meetingTypeId: r.meeting_type_id,
      bufferBefore: r.buffer_before,
      bufferAfter: r.buffer_after,
      inviteeCount: r.invitee_count,
    }));
    return buildEngineInput(type, hostIds, schedules, busy, range, now.getTime(), options.exclude);
  }

  /**
   * The hosts' schedules, on `manager` when given (the read replica), else the primary. A transaction should load
   * them BEFORE it starts: a second pooled connection requested from inside a transaction can deadlock the pool
   * under load.
   */
  loadSchedules(type: MeetingTypeSnapshot, manager?: EntityManager): Promise<HostSchedules> {
    return this.schedules.availabilityFor(type.hosts.map((h) => h.userId), type.scheduleId, manager);
  }
}
