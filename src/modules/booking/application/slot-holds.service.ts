import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { Clock } from '../../../shared/clock/clock.js';
import { conflict, DomainError, invalid, notFound } from '../../../shared/http/domain-error.js';
import { newSecret, sha256 } from '../../../shared/security/tokens.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import type { MeetingTypeSnapshot } from '../../meeting-types/domain/meeting-type.js';
import { hostsToHold } from '../domain/booking-policy.js';
import {
  clientKeyOf,
  holdExpiry,
  holdUnusable,
  type HoldLimits,
  type HoldRefusal,
  type LiveHolds,
  refuseHold,
  refuseRehold,
} from '../domain/hold-policy.js';
import { BookingTransactions } from '../infrastructure/booking-transactions.js';
import { type HoldRow, type LiveHoldsRow, SlotHoldRepository } from '../infrastructure/slot-hold.repository.js';
import { BookingMetrics } from './booking-metrics.js';
import { SlotCheck } from './slot-check.js';
import { afterCommit } from './after-commit.js';
import { ofLength } from './meeting-length.js';

export interface HoldRequest {
  meetingTypeId: string;
  start: Date;
  /** The client's address (req.ip); holds count against it. */
  clientAddress: string | undefined;
  /** The invitee's email when known; holds count against it too, and a booking with the hold must use it. */
  email?: string | null;
  /** The meeting's length (one of the type's duration_options): the hold blocks exactly that. Absent = the default. */
  durationMinutes?: number;
}

export interface HoldResult {
  token: string;
  start: Date;
  expiresAt: Date;
  maxExpiresAt: Date;
  hostIds: string[];
}

/** A cap refused the hold: 429 with `Retry-After: retryAfterSeconds`; nothing was stored. */
export class HoldRefusedError extends DomainError {
  constructor(readonly refusal: HoldRefusal) {
    super('rate_limited', refusal.message, { cap: refusal.cap, retry_after_seconds: refusal.retryAfterSeconds });
  }
}

/** A booking's hold_token cannot be used (unknown, for another time or email, or ended): 404, 400 or 410. */
export class HoldUnusableError extends DomainError {}

const liveHolds = (r: LiveHoldsRow): LiveHolds => ({ count: r.count, firstExpiry: r.firstExpiry?.getTime() ?? null });

/**
 * Slot holds for the API and the booking pages alike: a short reservation of one slot while the invitee fills the
 * form. Caps and the re-hold cooldown are checked in the same SERIALIZABLE transaction (under the hosts' advisory
 * locks) that re-checks the slot and writes the hold, so concurrent requests on any replica cannot exceed them.
 */
@Injectable()
export class SlotHolds {
  constructor(
    private readonly transactions: BookingTransactions,
    private readonly holds: SlotHoldRepository,
    private readonly meetingTypes: MeetingTypesService,
    private readonly check: SlotCheck,
    private readonly versions: AvailabilityVersions,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: BookingMetrics,
  ) {}

  get limits(): HoldLimits {
    return this.config.holds;
  }

  /** Timed, and its 409s counted by cause, with the booking commands (operation `hold`). */
  hold(request: HoldRequest): Promise<HoldResult> {
    return this.metrics.timed('hold', () => this.holdSlot(request));
  }

  private async holdSlot(request: HoldRequest): Promise<HoldResult> {
    const found = await this.meetingTypes.findSnapshot(request.meetingTypeId);
    if (!found) throw notFound('meeting type');
    if (!found.isActive) throw conflict('this meeting type is not accepting bookings');
    if (found.kind === 'group') throw invalid('group meeting types share their slots; holds are not needed');
    const type = ofLength(found, request.durationMinutes);
    const clientKey = clientKeyOf(request.clientAddress);
    const email = request.email ? request.email.trim().toLowerCase() : null;
    const token = newSecret('hld_', 24);
    const schedules = await this.check.loadSchedules(type);
    // Read before the transaction, like a booking's (SlotCheck.roundRobinCounts): a host at their cap is not held.
    const roundRobinCounts = await this.check.roundRobinCounts(type, this.clock.now());
    const limits = this.limits;
    const locks = [`hold-client:${clientKey}`, ...(email ? [`hold-email:${email}`] : [])];
    const result = await this.transactions.serializable(
      async (manager) => {
        const now = this.clock.now();
        const candidates = type.hosts.map((h) => h.userId);
        // Always here (bookings end them only when the re-check sees some): holds are where old ones are forgotten.
        await this.endExpired(manager, candidates, now);
        const { slot } = await this.check.freeSlot(manager, type, schedules, request.start, now, { roundRobinCounts });
        const end = new Date(slot.end);
        const rehold = refuseRehold(
          (
            await this.holds.lastEndedHoldOf(
              manager,
              { clientKey, email, hostIds: candidates, start: request.start, end },
              now,
              new Date(now.getTime() - limits.reholdCooldownSeconds * 1000),
            )
          )?.getTime() ?? null,
          limits,
          now.getTime(),
        );
        if (rehold) throw new HoldRefusedError(rehold);
        const load = await this.holds.countLiveHolds(
          manager,
          {
            clientKey,
            email,
            meetingTypeId: type.id,
            hostIds: [...new Set([...slot.hostIds, type.ownerId])],
          },
          now,
        );
        const hostIds = hostsToHold({
          kind: type.kind,
          ownerId: type.ownerId,
          free: slot.hostIds,
          liveHoldsOf: (id) => load.hosts.get(id)?.count ?? 0,
          perHost: limits.perHost,
        });
        const refusal = refuseHold(
          {
            client: liveHolds(load.client),
            email: email ? liveHolds(load.email) : null,
            meetingType: liveHolds(load.meetingType),
            // countLiveHolds answers for every host asked for (these among them); none counted is none held.
            hosts: new Map(hostIds.map((id) => [id, liveHolds(load.hosts.get(id) ?? { count: 0, firstExpiry: null })])),
          },
          limits,
          now.getTime(),
        );
        if (refusal) throw new HoldRefusedError(refusal);
        const expiresAt = new Date(holdExpiry(now.getTime(), now.getTime(), limits));
        await this.holds.insertHold(manager, {
          meetingTypeId: type.id,
          hostIds,
          start: request.start,
          end,
          tokenHash: sha256(token),
          createdAt: now,
          expiresAt,
          clientKey,
          holderEmail: email,
        });
        return { token, start: request.start, expiresAt, maxExpiresAt: this.maxExpiry(now), hostIds };
      },
      this.check.retryPolicy(type, locks),
    );
    await afterCommit('slot cache version bump', () => this.versions.bump(result.hostIds));
    return result;
  }

  /** One more TTL from now, never past the hold's lifetime cap (409 once it is there; 410 once it has ended). */
  async extend(token: string): Promise<HoldResult> {
    const found = await this.holds.findHoldByTokenHash(sha256(token));
    if (!found) throw notFound('hold');
    const type = await this.meetingTypes.findSnapshot(found.meeting_type_id);
    if (!type) throw notFound('hold');
    return this.transactions.serializable(async (manager) => {
      const now = this.clock.now();
      const hold = await this.holds.findHoldByTokenHash(sha256(token), manager, true);
      if (!hold) throw notFound('hold');
      const expiresAt = new Date(hold.expires_at);
      if (expiresAt.getTime() <= now.getTime()) throw new DomainError('gone', 'the hold has ended; pick the time again');
      const createdAt = new Date(hold.created_at);
      const next = holdExpiry(createdAt.getTime(), now.getTime(), this.limits);
      if (next <= expiresAt.getTime()) {
        throw conflict(
          `This hold already lasts as long as a hold may (${Math.round(this.limits.maxLifetimeSeconds / 60)} minutes after it was made). Book the time now.`,
          {
            expires_at: expiresAt.toISOString(),
          },
        );
      }
      await this.holds.extendHold(manager, hold.id, new Date(next));
      return {
        token,
        start: new Date(hold.start_time),
        expiresAt: new Date(next),
        maxExpiresAt: this.maxExpiry(createdAt),
        hostIds: await this.holds.findHoldHostIds(hold.id, manager),
      };
    }, this.check.retryPolicy(type));
  }

  /** Frees the time at once; the hold still counts for the re-hold cooldown. */
  async release(token: string): Promise<void> {
    const hold = await this.holds.findHoldByTokenHash(sha256(token));
    if (!hold) throw notFound('hold');
    const hostIds = await this.holds.findHoldHostIds(hold.id);
    await this.transactions.transaction((manager) => this.holds.endHold(manager, hold.id, this.clock.now()));
    await afterCommit('slot cache version bump', () => this.versions.bump(hostIds));
  }

  /** A live hold for the booking pages (null when unknown, ended or for another type or time). */
  async findLive(token: string, meetingTypeId: string, start: Date): Promise<{ expiresAt: Date } | null> {
    const hold = await this.holds.findHoldByTokenHash(sha256(token));
    if (!hold || hold.meeting_type_id !== meetingTypeId || new Date(hold.start_time).getTime() !== start.getTime()) return null;
    const expiresAt = new Date(hold.expires_at);
    return expiresAt.getTime() > this.clock.now().getTime() ? { expiresAt } : null;
  }

  /** The hold a booking converts: the same type, start and (when the hold names one) email; 410 once it has ended. */
  async usable(token: string, type: MeetingTypeSnapshot, start: Date, email: string): Promise<HoldRow> {
    const hold = await this.holds.findHoldByTokenHash(sha256(token));
    const unusable = holdUnusable(
      hold && {
        meetingTypeId: hold.meeting_type_id,
        start: new Date(hold.start_time).getTime(),
        holderEmail: hold.holder_email,
        expiresAt: new Date(hold.expires_at).getTime(),
      },
      { meetingTypeId: type.id, start: start.getTime(), email },
      this.clock.now().getTime(),
    );
    if (unusable || !hold) throw new HoldUnusableError(unusable?.code ?? 'not_found', unusable?.message ?? 'hold not found');
    return hold;
  }

  /**
   * Expired holds of these hosts stop blocking; those past the cooldown are forgotten. Before a hold, always; before a
   * booking, when its re-check saw expired holds still live (FreeSlot.expiredHoldsLive).
   */
  endExpired(manager: EntityManager, hostIds: string[], now: Date): Promise<void> {
    return this.holds.endExpiredHolds(manager, hostIds, now, new Date(now.getTime() - this.limits.reholdCooldownSeconds * 1000));
  }

  /** The hold becomes the booking (inside the booking's transaction). */
  convert(manager: EntityManager, holdId: string): Promise<void> {
    return this.holds.deleteHold(manager, holdId);
  }

  private maxExpiry(createdAt: Date): Date {
    return new Date(createdAt.getTime() + this.limits.maxLifetimeSeconds * 1000);
  }
}
