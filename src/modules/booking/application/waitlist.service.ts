import { randomUUID } from 'node:crypto';
import { Injectable, type OnApplicationBootstrap, type OnModuleInit, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { Clock } from '../../../shared/clock/clock.js';
import { DomainError, conflict, notFound } from '../../../shared/http/domain-error.js';
import { appendOutboxEvent } from '../../../shared/outbox/outbox-events.js';
import { type OutboxEvent, OutboxRelay } from '../../../shared/outbox/outbox-relay.js';
import { PeriodicJobs } from '../../../shared/scheduling/periodic-jobs.js';
import { sha256 } from '../../../shared/security/tokens.js';
import { DEFAULT_LOCALE } from '../../../shared/i18n/locales.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import type { MeetingTypeSnapshot } from '../../meeting-types/domain/meeting-type.js';
import { hostsToHold } from '../domain/booking-policy.js';
import type { BookingEventPayload } from '../domain/booking-views.js';
import {
  normalizeEmail,
  refuseJoin,
  type WaitlistEventPayload,
  type WaitlistEventType,
  type WaitlistStatus,
  waitlistClaimToken,
  waitlistEntryToken,
} from '../domain/waitlist.js';
import { seatsToPromote } from '../domain/waitlist-seats.js';
import { BookingTransactions } from '../infrastructure/booking-transactions.js';
import { SlotHoldRepository } from '../infrastructure/slot-hold.repository.js';
import { type WaitlistEntryRow, WaitlistRepository, type WaitlistSettings } from '../infrastructure/waitlist.repository.js';
import { afterCommit } from './after-commit.js';
import { BookingConflictError } from './booking-metrics.js';
import { SlotCheck } from './slot-check.js';

/** The outbox consumer name (its cursor). */
export const WAITLIST_CONSUMER = 'waitlist';
const SWEEP_LOCK = [0x626b67, 4] as const; // "bkg", waitlist sweep
const SWEEP_BATCH = 50;

export interface JoinedEntry {
  entry: WaitlistEntryRow;
  place: number;
  token: string;
}

/**
 * Waitlists (issue #19 part 2). Joining a full time, leaving it, and promotion: when a time frees (a booking event
 * from the outbox, or the sweep for lapsed claims and released holds), the first in line gets an exclusive slot hold
 * for the type's claim minutes and a `waitlist.promoted` outbox event (notify mails the claim link, once: a
 * deterministic delivery id). Exactly once per freed time, on any number of consumers and replicas: the promotion
 * runs in one SERIALIZABLE transaction under the hosts' advisory locks that re-checks the time with the booking
 * engine and writes the hold (the exclusion constraint) and the entry (a unique index: one promoted entry per time).
 * A group session promotes one per freed seat: seat holds, which the engine counts as taken seats (promoteSeats); the
 * unique index is then one promoted entry per time and seat number (migration 1764000010300).
 */
@Injectable()
export class Waitlists implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly transactions: BookingTransactions,
    private readonly entries: WaitlistRepository,
    private readonly holds: SlotHoldRepository,
    private readonly meetingTypes: MeetingTypesService,
    private readonly check: SlotCheck,
    private readonly versions: AvailabilityVersions,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly jobs: PeriodicJobs,
    @Optional() private readonly relay?: OutboxRelay,
  ) {}

  onModuleInit(): void {
    if (this.relay) this.relay.register(WAITLIST_CONSUMER, (event) => this.handle(event));
  }

  onApplicationBootstrap(): void {
    this.jobs.schedule({
      name: 'waitlist-sweep',
      everyMs: this.config.approvalExpiryIntervalMs,
      lock: SWEEP_LOCK,
      run: () => this.sweep(),
    });
  }

  async settingsOf(meetingTypeId: string, userId: string): Promise<WaitlistSettings> {
    await this.ownedType(meetingTypeId, userId);
    const settings = await this.entries.settings(meetingTypeId);
    if (!settings) throw notFound('meeting type');
    return settings;
  }

  async saveSettings(meetingTypeId: string, userId: string, enabled: boolean, claimMinutes: number): Promise<WaitlistSettings> {
    const type = await this.ownedType(meetingTypeId, userId);
    if (type.ownerId !== userId) throw new DomainError('forbidden', "only the type's owner changes its waitlist");
    await this.entries.saveSettings(meetingTypeId, enabled, claimMinutes);
    return this.settingsOf(meetingTypeId, userId);
  }

  /** Whether the booking pages offer "Join the waitlist" for a taken time of this type. */
  async isOpenFor(type: MeetingTypeSnapshot): Promise<boolean> {
    return (await this.entries.settings(type.id))?.enabled === true;
  }

  /** A host reads the line of their type (all times, or one status). */
  async list(meetingTypeId: string, userId: string, status: WaitlistStatus | null): Promise<WaitlistEntryRow[]> {
    await this.ownedType(meetingTypeId, userId);
    return this.entries.list(meetingTypeId, status, 500);
  }

  /**
   * Joins the line for a full time: 422 when the type has no waitlist (or the time has passed), 409 when the time
   * can be booked right now (or is not bookable at all: outside hours, too soon...), 409 when this email already waits.
   */
  async join(input: {
    meetingTypeId: string;
    start: Date;
    name: string;
    email: string;
    locale?: string;
    timeZone?: string;
  }): Promise<JoinedEntry> {
    const type = await this.meetingTypes.findSnapshot(input.meetingTypeId);
    if (!type || !type.isActive) throw notFound('meeting type');
    const settings = await this.entries.settings(type.id);
    const now = this.clock.now();
    const refusal = refuseJoin({
      enabled: settings?.enabled === true,
      startMs: input.start.getTime(),
      nowMs: now.getTime(),
    });
    if (refusal) throw new DomainError(refusal.code, refusal.message);
    const schedules = await this.check.loadSchedules(type);
    const id = randomUUID();
    const token = waitlistEntryToken(this.config.appSecret, id);
    const joined = await this.transactions.serializable(
      async (manager) => {
        const at = this.clock.now();
        await this.checkFull(manager, type, schedules, input.start, at);
        const entry = await this.entries.insert(manager, {
          id,
          meetingTypeId: type.id,
          start: input.start,
          name: input.name.trim(),
          email: input.email.trim(),
          emailNormalized: normalizeEmail(input.email),
          locale: input.locale ?? DEFAULT_LOCALE,
          timeZone: input.timeZone ?? null,
          tokenHash: sha256(token),
          now: at,
        });
        if (!entry) throw conflict('this email address is already on the waitlist for this time');
        const place = await this.entries.placeOf(manager, entry);
        await this.emit(manager, 'waitlist.joined', type, settings as WaitlistSettings, entry, place);
        return { entry, place };
      },
      this.check.retryPolicy(type, [`waitlist:${type.id}`]),
    );
    return { ...joined, token };
  }

  /** Leaves the line with the entry's token; a promoted entry's hold is released at once (the next one is promoted). */
  async leave(token: string): Promise<WaitlistEntryRow> {
    const found = await this.entries.findByTokenHash(sha256(token));
    if (!found) throw notFound('waitlist entry');
    const type = await this.meetingTypes.findSnapshot(found.meeting_type_id);
    if (!type) throw notFound('waitlist entry');
    const left = await this.transactions.serializable(
      async (manager) => {
        const entry = await this.entries.findByTokenHash(sha256(token), manager);
        if (!entry) throw notFound('waitlist entry');
        if (entry.status !== 'waiting' && entry.status !== 'promoted') return { entry, changed: false };
        const ended = (await this.entries.end(manager, [entry.id], 'left', this.clock.now())).at(0) ?? entry;
        if (entry.hold_id) await this.holds.endHold(manager, entry.hold_id, this.clock.now());
        return { entry: ended, changed: entry.status === 'promoted' };
      },
      this.check.retryPolicy(type, [`waitlist:${type.id}`]),
    );
    if (left.changed) {
      await afterCommit('slot cache version bump', () => this.versions.bump(type.hosts.map((h) => h.userId)));
      await this.promoteAt(type.id, new Date(left.entry.start_time));
    }
    return left.entry;
  }

  /** The outbox consumer: a freed time promotes; a new booking ends the booker's own entry. Idempotent. */
  async handle(event: Pick<OutboxEvent, 'eventType' | 'payload'>): Promise<void> {
    const p = event.payload as unknown as BookingEventPayload;
    switch (event.eventType) {
      case 'booking.created':
        // A claimant who booked may leave free seats behind (a group time claimed whole opened a new session): the next.
        if (
          p.invitee_id &&
          (await this.entries.markBooked(p.meeting_type_id, new Date(p.start_time), p.invitee_id, this.clock.now())).length
        ) {
          await this.promoteAt(p.meeting_type_id, new Date(p.start_time));
        }
        return;
      case 'booking.cancelled':
      case 'booking.declined':
      case 'booking.expired':
        await this.promoteAt(p.meeting_type_id, new Date(p.start_time));
        return;
      case 'booking.rescheduled':
        if (p.previous) await this.promoteAt(p.meeting_type_id, new Date(p.previous.start_time));
        if (p.invitee_id) await this.entries.markBooked(p.meeting_type_id, new Date(p.start_time), p.invitee_id, this.clock.now());
        return;
      default:
        return;
    }
  }

  /** The periodic sweep: lapsed claims pass to the next in line; lines whose time freed quietly (a hold released). */
  async sweep(): Promise<number> {
    const times = await this.entries.timesToSweep(this.clock.now(), SWEEP_BATCH);
    let promoted = 0;
    for (const t of times) promoted += await this.promoteAt(t.meeting_type_id, new Date(t.start_time));
    return promoted;
  }

  /**
   * One promotion attempt for one time: lapsed claims there expire (their holds end), and if nobody holds a claim
   * and the engine finds the time bookable, the first waiting entry is promoted with a hold. Returns 1 or 0.
   */
  async promoteAt(meetingTypeId: string, start: Date): Promise<number> {
    const type = await this.meetingTypes.findSnapshot(meetingTypeId);
    const settings = await this.entries.settings(meetingTypeId);
    if (!type || !settings) return 0;
    const schedules = await this.check.loadSchedules(type);
    const hostIds = type.hosts.map((h) => h.userId);
    const result = await this.transactions.serializable(
      async (manager) => {
        const now = this.clock.now();
        let changed = false;
        for (const lapsed of await this.entries.lapsedAt(manager, type.id, start, now)) {
          const ended = (await this.entries.end(manager, [lapsed.id], 'expired', now)).at(0);
          if (lapsed.hold_id) await this.holds.endHold(manager, lapsed.hold_id, now);
          if (ended) await this.emit(manager, 'waitlist.expired', type, settings, ended, null);
          changed = true;
        }
        if (start.getTime() <= now.getTime()) {
          // The time has come: nobody waiting can claim it any more.
          const past = await this.entries.waitingPast(manager, type.id, start);
          for (const ended of await this.entries.end(
            manager,
            past.map((e) => e.id),
            'expired',
            now,
          )) {
            await this.emit(manager, 'waitlist.expired', type, settings, ended, null);
          }
          return { promoted: 0, changed };
        }
        if (!settings.enabled || !type.isActive) return { promoted: 0, changed };
        // A group session that exists gives out its free seats; a group time without one is claimed whole (below).
        if (type.kind === 'group' && (await this.entries.bookingsAt(manager, type.id, start)).length > 0) {
          const promoted = await this.promoteSeats(manager, type, settings, schedules, start, now);
          return { promoted, changed: changed || promoted > 0 };
        }
        if (await this.entries.hasLiveClaim(manager, type.id, start)) return { promoted: 0, changed };
        const next = await this.entries.firstWaiting(manager, type.id, start);
        if (!next) return { promoted: 0, changed };
        await this.holds.endExpiredHolds(manager, hostIds, now, new Date(now.getTime() - this.config.holds.reholdCooldownSeconds * 1000));
        let free: string[];
        let end: Date;
        try {
          const { slot } = await this.check.freeSlot(manager, type, schedules, start, now, {});
          free = slot.hostIds;
          end = new Date(slot.end);
        } catch (error) {
          if (error instanceof BookingConflictError) return { promoted: 0, changed }; // still full
          throw error;
        }
        const claimExpiresAt = new Date(now.getTime() + settings.claimMinutes * 60_000);
        const token = waitlistClaimToken(this.config.appSecret, next.id, now.toISOString());
        const holdId = await this.holds.insertHold(manager, {
          meetingTypeId: type.id,
          hostIds: hostsToHold({ kind: type.kind, ownerId: type.ownerId, free, liveHoldsOf: () => 0, perHost: Number.MAX_SAFE_INTEGER }),
          start,
          end,
          tokenHash: sha256(token),
          createdAt: now,
          expiresAt: claimExpiresAt,
          clientKey: 'waitlist',
          holderEmail: normalizeEmail(next.email),
        });
        await this.entries.promote(manager, next.id, holdId, now, claimExpiresAt);
        const promoted: WaitlistEntryRow = {
          ...next,
          status: 'promoted',
          hold_id: holdId,
          promoted_at: now,
          claim_expires_at: claimExpiresAt,
        };
        await this.emit(manager, 'waitlist.promoted', type, settings, promoted, 1);
        return { promoted: 1, changed: true };
      },
      this.check.retryPolicy(type, [`waitlist:${type.id}`]),
    );
    if (result.changed) await afterCommit('slot cache version bump', () => this.versions.bump(hostIds));
    return result.promoted;
  }

  /**
   * A full group session whose seats freed: one seat hold per free seat while people wait (FIFO), inside promoteAt's
   * transaction. The engine counts the seats (active invitees + live seat holds), as for a booking; the seat numbers
   * are unique per session in the database, so two promotions from one snapshot cannot hold one seat twice.
   */
  private async promoteSeats(
    manager: EntityManager,
    type: MeetingTypeSnapshot,
    settings: WaitlistSettings,
    schedules: Awaited<ReturnType<SlotCheck['loadSchedules']>>,
    start: Date,
    now: Date,
  ): Promise<number> {
    let seatsRemaining: number;
    let end: Date;
    try {
      const { slot } = await this.check.freeSlot(manager, type, schedules, start, now, {});
      seatsRemaining = slot.seatsRemaining ?? 0;
      end = new Date(slot.end);
    } catch (error) {
      if (error instanceof BookingConflictError) return 0; // still full (or closed)
      throw error;
    }
    const waiting = await this.entries.firstWaitingN(manager, type.id, start, seatsRemaining);
    const taken = [...(await this.holds.seatsHeld(manager, type.id, start)), ...(await this.entries.claimedSeats(manager, type.id, start))];
    const seats = seatsToPromote({ seats: type.seats ?? 1, seatsRemaining, waiting: waiting.length, takenNumbers: taken });
    const claimExpiresAt = new Date(now.getTime() + settings.claimMinutes * 60_000);
    for (const [i, seat] of seats.entries()) {
      const next = waiting[i];
      const token = waitlistClaimToken(this.config.appSecret, next.id, now.toISOString());
      const holdId = await this.holds.insertHold(manager, {
        meetingTypeId: type.id,
        hostIds: [], // the session's own host row holds the host
        start,
        end,
        tokenHash: sha256(token),
        createdAt: now,
        expiresAt: claimExpiresAt,
        clientKey: 'waitlist',
        holderEmail: normalizeEmail(next.email),
        seat,
      });
      await this.entries.promote(manager, next.id, holdId, now, claimExpiresAt, seat);
      const promoted: WaitlistEntryRow = {
        ...next,
        status: 'promoted',
        hold_id: holdId,
        claim_seat: seat,
        promoted_at: now,
        claim_expires_at: claimExpiresAt,
      };
      await this.emit(manager, 'waitlist.promoted', type, settings, promoted, 1);
    }
    return seats.length;
  }

  private async checkFull(
    manager: EntityManager,
    type: MeetingTypeSnapshot,
    schedules: Awaited<ReturnType<SlotCheck['loadSchedules']>>,
    start: Date,
    now: Date,
  ): Promise<void> {
    const bookable = await this.check.freeSlot(manager, type, schedules, start, now, {}).then(
      () => true,
      (error: unknown) => {
        if (error instanceof BookingConflictError && (error.reason === 'slot_taken' || error.reason === 'hold_conflict')) return false;
        throw error;
      },
    );
    if (bookable) throw conflict('this time is free: book it instead of joining the waitlist', { start_time: start.toISOString() });
    // Full means: taken by this type's own bookings or by holds. Without them the time must be bookable.
    const bookingIds = new Set(await this.entries.bookingsAt(manager, type.id, start));
    const withoutThem = await this.check.freeSlot(manager, type, schedules, start, now, { bookingIds }).then(
      () => true,
      (error: unknown) => {
        if (error instanceof BookingConflictError && error.reason === 'hold_conflict') return true;
        if (error instanceof BookingConflictError) return false;
        throw error;
      },
    );
    if (!withoutThem) {
      throw new DomainError('unprocessable', "this time cannot be booked (outside the host's hours, too soon or blocked): no waitlist", {
        start_time: start.toISOString(),
      });
    }
  }

  private async emit(
    manager: EntityManager,
    type: WaitlistEventType,
    meetingType: MeetingTypeSnapshot,
    settings: WaitlistSettings,
    entry: WaitlistEntryRow,
    place: number | null,
  ): Promise<void> {
    const start = new Date(entry.start_time);
    const payload: WaitlistEventPayload = {
      entry_id: entry.id,
      meeting_type_id: meetingType.id,
      meeting_type_name: meetingType.name,
      meeting_type_slug: meetingType.slug,
      owner_id: meetingType.ownerId,
      owner_username: settings.ownerUsername,
      start_time: start.toISOString(),
      end_time: new Date(start.getTime() + meetingType.durationMinutes * 60_000).toISOString(),
      name: entry.name,
      email: entry.email,
      position: place ?? 0,
      status: entry.status,
      promoted_at: entry.promoted_at ? new Date(entry.promoted_at).toISOString() : null,
      claim_expires_at: entry.claim_expires_at ? new Date(entry.claim_expires_at).toISOString() : null,
      locale: entry.locale,
      time_zone: entry.time_zone,
    };
    await appendOutboxEvent(manager, { type, bookingId: null, payload });
  }

  private async ownedType(meetingTypeId: string, userId: string): Promise<MeetingTypeSnapshot> {
    const type = await this.meetingTypes.findSnapshot(meetingTypeId);
    if (!type || (type.ownerId !== userId && !type.hosts.some((h) => h.userId === userId))) throw notFound('meeting type');
    return type;
  }
}
