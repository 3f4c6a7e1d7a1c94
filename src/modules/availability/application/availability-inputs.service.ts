import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MeetingTypeSnapshot } from '../../meeting-types/application/meeting-types.service.js';
import { capHorizon } from '../domain/booking-caps.js';
import { BUSY_MARGIN_MS, buildEngineInput, type Exclusions, type HostSchedule, typeCapsOf } from '../domain/build-host-inputs.js';
import type { HostAvailability, SlotQuery } from '../domain/slot-engine.types.js';
import { AvailabilityReadsRepository } from '../infrastructure/availability-reads.repository.js';

export type HostSchedules = Map<string, HostSchedule>;

export interface EngineInput {
  hosts: HostAvailability[];
  query: SlotQuery;
  /** Expired holds still have live rows in the range (BusyRead): a write there must end them first. */
  expiredHoldsLive: boolean;
  /** Pending bookings past their deadline still have live rows in the range: a write there must end them first. */
  expiredPendingLive: boolean;
}

/**
 * Loads everything the slot engine needs for one meeting type over a range: its hosts' hours (unless the caller
 * loaded them already) and their busy time, in one statement. The slots endpoint (with a read-replica manager when
 * DATABASE_READ_URL is set) and the booking re-check (with its transaction's manager, always on the primary) both
 * come through here.
 */
@Injectable()
export class AvailabilityInputsService {
  constructor(private readonly reads: AvailabilityReadsRepository) {}

  async load(
    type: MeetingTypeSnapshot,
    range: { start: number; end: number },
    now: Date,
    options: { manager?: EntityManager; exclude?: Exclusions; schedules?: HostSchedules } = {},
  ): Promise<EngineInput> {
    const hostIds = type.hosts.map((h) => h.userId);
    const busyQuery = {
      hostIds,
      from: new Date(range.start - BUSY_MARGIN_MS),
      to: new Date(range.end + BUSY_MARGIN_MS),
      now,
      // Seats are counted for a group type only: the engine reads no count for any other kind (buildEngineInput).
      groupTypeId: type.kind === 'group' ? type.id : null,
      typeId: type.id,
      capHorizon: capHorizon(typeCapsOf(type)),
    };
    const { manager, schedules } = options;
    const { hours, busy, expiredHoldsLive, expiredPendingLive, capCounts } = schedules
      ? { hours: schedules, ...(await this.reads.busy(busyQuery, manager)) }
      : await this.reads.hoursAndBusy({ ...busyQuery, scheduleId: type.scheduleId }, manager);
    return {
      ...buildEngineInput(type, hostIds, hours, busy, range, now.getTime(), options.exclude, capCounts),
      expiredHoldsLive,
      expiredPendingLive,
    };
  }

  /**
   * The hosts' hours (the type's schedule for its owner, everyone else's default, none for a host without one), on
   * `manager` when given (the read replica), else the primary. A transaction should load them BEFORE it starts: a
   * second pooled connection requested from inside a transaction can deadlock the pool under load.
   */
  loadSchedules(type: MeetingTypeSnapshot, manager?: EntityManager): Promise<HostSchedules> {
    return this.reads.hours(
      type.hosts.map((h) => h.userId),
      type.scheduleId,
      manager,
    );
  }
}
