import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MeetingTypeSnapshot } from '../../meeting-types/application/meeting-types.service.js';
import { capHorizon } from '../domain/booking-caps.js';
import { BUSY_MARGIN_MS, buildEngineInput, type Exclusions, type HostSchedule, typeCapsOf } from '../domain/build-host-inputs.js';
import {
  periodStart,
  ROUND_ROBIN_LOOK_BACK_MS,
  type RoundRobinCapState,
  roundRobinCapStates,
  roundRobinCapStatesFromCounts,
  roundRobinCapsLiftAt,
} from '../domain/round-robin-cap.js';
import type { HostAvailability, SlotQuery } from '../domain/slot-engine.types.js';
import {
  AvailabilityReadsRepository,
  type RoundRobinStarts,
  type RoundRobinStartsQuery,
} from '../infrastructure/availability-reads.repository.js';

export type HostSchedules = Map<string, HostSchedule>;

export interface EngineInput {
  hosts: HostAvailability[];
  query: SlotQuery;
  /** Expired holds still have live rows in the range (BusyRead): a write there must end them first. */
  expiredHoldsLive: boolean;
  /** Pending bookings past their deadline still have live rows in the range: a write there must end them first. */
  expiredPendingLive: boolean;
  /**
   * Round robin: the earliest instant time alone may lift a host's cap (roundRobinCapsLiftAt), so a cached answer
   * must be recomputed from then on; null when no host is at their cap (or the caller passed the counts).
   */
  roundRobinCapsLiftAt: number | null;
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
    options: {
      manager?: EntityManager;
      exclude?: Exclusions;
      schedules?: HostSchedules;
      /**
       * Round robin: each host's bookings of the type in the current period, when the caller has read them (the
       * booking command, after its host locks; a hold, before its transaction). Without them, the hours-and-busy
       * read brings them in; a caller that passes `schedules` must pass these too, or capped hosts are not excluded.
       */
      roundRobinCounts?: ReadonlyMap<string, number>;
    } = {},
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
    const { manager, schedules, roundRobinCounts } = options;
    const rrQuery = roundRobinCounts ? null : roundRobinStartsQuery(type, now);
    const { hours, busy, expiredHoldsLive, expiredPendingLive, capCounts, roundRobin } = schedules
      ? { hours: schedules, roundRobin: null, ...(await this.reads.busy(busyQuery, manager)) }
      : await this.reads.hoursAndBusy({ ...busyQuery, scheduleId: type.scheduleId, roundRobin: rrQuery }, manager);
    const rr = roundRobinCounts
      ? { states: roundRobinCapStatesFromCounts(type.hosts, roundRobinCounts, type.roundRobinPeriod), liftAt: null }
      : capStatesOf(type, roundRobin, now);
    return {
      ...buildEngineInput(type, hostIds, hours, busy, range, now.getTime(), options.exclude, capCounts, rr.states),
      expiredHoldsLive,
      expiredPendingLive,
      roundRobinCapsLiftAt: rr.liftAt,
    };
  }

  /**
   * Round robin: each host's bookings of the type in the period containing `now` (up to their cap; uncapped hosts
   * are not counted), for `load`'s `roundRobinCounts`. Empty for other kinds and when no host is capped.
   */
  async roundRobinCounts(type: MeetingTypeSnapshot, now: Date, manager?: EntityManager): Promise<Map<string, number>> {
    const query = roundRobinStartsQuery(type, now);
    if (query === null) return new Map();
    const { states } = capStatesOf(type, await this.reads.roundRobinStarts(type.id, query, manager), now);
    return new Map([...states].map(([hostId, s]) => [hostId, s.bookingsInPeriod]));
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

/** What round robin's caps need read, or null when the type is not round robin or no host of it is capped. */
function roundRobinStartsQuery(type: MeetingTypeSnapshot, now: Date): RoundRobinStartsQuery | null {
  if (type.kind !== 'round_robin') return null;
  const capped = type.hosts.filter((h) => h.maxBookingsPerPeriod !== null);
  if (capped.length === 0) return null;
  return {
    hostIds: capped.map((h) => h.userId),
    limits: capped.map((h) => h.maxBookingsPerPeriod as number),
    from: new Date(now.getTime() - ROUND_ROBIN_LOOK_BACK_MS),
  };
}

/** Each capped host's cap and count in the period containing `now`, and when time alone may lift a reached cap. */
function capStatesOf(
  type: MeetingTypeSnapshot,
  read: RoundRobinStarts | null,
  now: Date,
): { states: Map<string, RoundRobinCapState>; liftAt: number | null } {
  if (read === null) return { states: new Map(), liftAt: null };
  const zone = read.ownerZone ?? 'UTC'; // the booking command's too (BookingRepository.timeZoneOf)
  const start = periodStart(type.roundRobinPeriod, now, zone).getTime();
  const states = roundRobinCapStates(type.hosts, read.starts, type.roundRobinPeriod, start);
  return { states, liftAt: roundRobinCapsLiftAt(states, read.starts, type.roundRobinPeriod, start, zone) };
}
