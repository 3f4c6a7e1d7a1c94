import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AvailabilityInputsService, type HostSchedules } from '../../availability/application/availability-inputs.service.js';
import { BusyTimeFreshness } from '../../availability/application/busy-time-freshness.js';
import { isSlotAvailable } from '../../availability/domain/compute-slots.js';
import { capBlocking } from '../../availability/domain/slot-explain.js';
import type { Slot } from '../../availability/domain/slot-engine.types.js';
import type { MeetingTypeSnapshot } from '../../meeting-types/domain/meeting-type.js';
import { isHostTaken } from '../infrastructure/booking.repository.js';
import { BookingConflictError, BookingMetrics } from './booking-metrics.js';
import { PendingExpiry } from './pending-expiry.js';

/** A start the re-check found bookable. */
export interface FreeSlot {
  slot: Slot;
  /**
   * Expired holds still have live host rows near the start: they occupy nobody, but the exclusion constraint cannot
   * look at the clock, so they must be ended (SlotHolds.endExpired) before the write.
   */
  expiredHoldsLive: boolean;
}

/** What bookings and holds share inside their transactions: the slot re-check and the per-host retry policy. */
@Injectable()
export class SlotCheck {
  constructor(
    private readonly inputs: AvailabilityInputsService,
    private readonly metrics: BookingMetrics,
    private readonly freshness: BusyTimeFreshness,
    private readonly pending: PendingExpiry,
  ) {}

  /**
   * The hosts' schedules, for the re-check; meanwhile their cached busy time is brought up to date by the slots
   * path's rule (a stale calendar connection is synced, within the same bounded wait; a provider that is down or
   * slow leaves the cache as it is), so the re-check sees an event a host added since the slots were read.
   */
  async loadSchedules(type: MeetingTypeSnapshot): Promise<HostSchedules> {
    const [schedules] = await Promise.all([this.inputs.loadSchedules(type), this.freshness.refresh(type.hosts.map((h) => h.userId))]);
    return schedules;
  }

  /** Writes on the same hosts wait for each other (advisory locks) rather than fail each other and retry. */
  retryPolicy(type: MeetingTypeSnapshot, extraLocks: string[] = []) {
    return {
      serializeOn: [...type.hosts.map((h) => `host:${h.userId}`), ...extraLocks],
      attempts: 12,
      retryOn: isHostTaken,
      onRetry: () => this.metrics.retried(),
    };
  }

  /**
   * Round robin: each host's bookings of the type in the current period, for freeSlot's `roundRobinCounts`, read
   * outside the serializable transaction (a scan of recent partitions inside it takes predicate locks that make
   * concurrent bookings conflict; BookingCommands.fairnessReader).
   */
  roundRobinCounts(type: MeetingTypeSnapshot, now: Date): Promise<Map<string, number>> {
    return this.inputs.roundRobinCounts(type, now);
  }

  /**
   * Re-checks one start inside the transaction with the slots endpoint's engine; 409 when it is not bookable, named
   * `hold_conflict` when only other invitees' holds stand in the way (a second read, on the refusal path only).
   */
  async freeSlot(
    manager: EntityManager,
    type: MeetingTypeSnapshot,
    schedules: HostSchedules,
    start: Date,
    now: Date,
    options: { holdId?: string | null; bookingIds?: Set<string>; roundRobinCounts?: ReadonlyMap<string, number> },
  ): Promise<FreeSlot> {
    const at = start.getTime();
    const { roundRobinCounts } = options;
    const input = await this.inputs.load(type, { start: at, end: at + 1 }, now, {
      manager,
      schedules,
      roundRobinCounts,
      exclude: { holdId: options.holdId ?? null, bookingIds: options.bookingIds },
    });
    const slot = isSlotAvailable(input.hosts, input.query, at);
    if (!slot) {
      // A reached cap closes the whole period: say which, so the invitee knows that another time there will not do.
      const cap = capBlocking(input.hosts, input.query, at);
      if (cap) {
        throw new BookingConflictError('limit_reached', `${cap.message}; please pick a time in another period`, {
          start_time: start.toISOString(),
          cap: cap.cap,
          limit: cap.limit,
          ...(type.kind === 'round_robin' || type.kind === 'collective' ? { host_id: cap.hostId } : {}),
        });
      }
      const withoutHolds = await this.inputs.load(type, { start: at, end: at + 1 }, now, {
        manager,
        schedules,
        roundRobinCounts,
        exclude: { allHolds: true, bookingIds: options.bookingIds },
      });
      const reason = isSlotAvailable(withoutHolds.hosts, withoutHolds.query, at) ? 'hold_conflict' : 'slot_taken';
      throw new BookingConflictError(
        reason,
        "That time is not available: it is taken, outside the host's hours, or too soon. Please pick another time.",
        {
          start_time: start.toISOString(),
        },
      );
    }
    // Requests past their deadline were free in the read above; they end here so the write below can take their time.
    if (input.expiredPendingLive) {
      await this.pending.expireOverdueOfHosts(
        manager,
        type.hosts.map((h) => h.userId),
        now,
      );
    }
    return { slot, expiredHoldsLive: input.expiredHoldsLive };
  }
}
