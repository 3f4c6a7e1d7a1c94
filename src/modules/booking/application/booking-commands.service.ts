import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { Clock } from '../../../shared/clock/clock.js';
import { conflict, DomainError, notFound } from '../../../shared/http/domain-error.js';
import { sha256 } from '../../../shared/security/tokens.js';
import type { Slot } from '../../availability/domain/slot-engine.types.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import type { MeetingTypeSnapshot } from '../../meeting-types/domain/meeting-type.js';
import { confirmationDeadline, isOverdue } from '../domain/booking-approval.js';
import {
  cancelledBySide,
  hostsToBook,
  movesOneGroupSeat,
  planCancellation,
  rescheduleRefusal,
  roundRobinOrder,
} from '../domain/booking-policy.js';
import { periodStart, rankRoundRobinHosts } from '../domain/round-robin.js';
import { BookingRepository } from '../infrastructure/booking.repository.js';
import type { BookingRecord, InviteeRecord, RoundRobinStats } from './booking-records.js';
import { BookingTransactions } from '../infrastructure/booking-transactions.js';
import { BookingSeriesRepository } from '../infrastructure/booking-series.repository.js';
import { afterCommit } from './after-commit.js';
import { createOnce } from './create-once.js';
import { BookingConflictError, BookingMetrics } from './booking-metrics.js';
import { BookingConferences } from './booking-conferences.service.js';
import { ManagementTokens } from './management-tokens.js';
import { checkInvitee, insertInviteeCreated } from './new-invitee.js';
import { InviteePolicies } from './invitee-policies.service.js';
import { SlotCheck } from './slot-check.js';
import { SlotHolds } from './slot-holds.service.js';
import { ofLength } from './meeting-length.js';
import type { Utm } from '../domain/utm.js';

export interface CreateBookingInput {
  meetingTypeId: string;
  start: Date;
  inviteeName: string;
  inviteeEmail: string;
  timeZone: string;
  phone: string | null;
  answers?: Record<string, unknown>;
  /** Guests' emails (format checked at the edge); normalised and capped here. */
  guests?: string[];
  /** The campaign parameters the booking came with (utm_source ... utm_content), checked at the edge. */
  utm?: Utm | null;
  holdToken?: string;
  idempotencyKey?: string;
  /** One of the type's duration_options; absent = its duration_minutes. */
  durationMinutes?: number;
  /** The language the invitee booked in (a supported locale, checked at the edge); their emails use it. Default en. */
  locale?: string;
}

export interface BookingResult {
  booking: BookingRecord;
  invitee: InviteeRecord | null;
  hostIds: string[];
  replayed: boolean;
}

/** What following a host's move in their own calendar did to the booking. */
export type HostCalendarMove =
  | { outcome: 'moved'; booking: BookingRecord; hostIds: string[] }
  /** The booking (or the one it was since moved to) is already at that time: the same move seen again. */
  | { outcome: 'unchanged'; booking: BookingRecord }
  /** The new time collides with another booking of a host: the booking keeps its time. */
  | { outcome: 'conflict'; booking: BookingRecord; message: string }
  /** Cancelled, or changed since the move was seen (`expectedSequence`): nothing to follow. */
  | { outcome: 'refused'; message: string };

/** Thrown inside the transaction to roll the release of the old time back when the new one is taken. */
class HostMoveCollision extends Error {}

/** Who acts on an existing booking: one of its hosts, or an invitee holding a management token. */
export type Actor = { kind: 'host'; userId: string } | { kind: 'invitee'; invitee: InviteeRecord };

const IDEMPOTENCY_SCOPE = 'booking.create';

const hostIdsOf = (type: MeetingTypeSnapshot) => type.hosts.map((h) => h.userId);

/**
 * Create, reschedule and cancel. Each runs in one SERIALIZABLE transaction that re-checks the slot with the same
 * engine as the slots endpoint and writes the booking, its host rows (under the exclusion constraint), its invitee
 * and its outbox event together. A lost race surfaces as 40001 or 23P01, is retried, and the re-check then
 * answers 409.
 */
@Injectable()
export class BookingCommands {
  constructor(
    private readonly transactions: BookingTransactions,
    private readonly bookings: BookingRepository,
    private readonly meetingTypes: MeetingTypesService,
    private readonly check: SlotCheck,
    private readonly holds: SlotHolds,
    private readonly versions: AvailabilityVersions,
    private readonly tokens: ManagementTokens,
    private readonly clock: Clock,
    private readonly metrics: BookingMetrics,
    private readonly policies: InviteePolicies,
    private readonly seriesMembers: BookingSeriesRepository,
    private readonly conferences: BookingConferences,
  ) {}

  /** Each command is timed and its 409s counted by cause (kairos_booking_duration_seconds, kairos_booking_conflicts_total). */
  create(input: CreateBookingInput): Promise<BookingResult> {
    return this.metrics.timed('create', () => this.createBooking(input));
  }

  /** Keeps the booking's length unless `durationMinutes` names another of the type's lengths. */
  reschedule(bookingId: string, actor: Actor, newStart: Date, reason: string | null, durationMinutes?: number): Promise<BookingResult> {
    return this.metrics.timed('reschedule', () => this.rescheduleBooking(bookingId, actor, newStart, reason, durationMinutes));
  }

  cancel(bookingId: string, actor: Actor | { kind: 'calendar' }, reason: string | null): Promise<BookingResult> {
    return this.metrics.timed('cancel', () => this.cancelBooking(bookingId, actor, reason));
  }

  private async createBooking(input: CreateBookingInput): Promise<BookingResult> {
    const type = ofLength(await this.activeType(input.meetingTypeId), input.durationMinutes);
    const checked = checkInvitee(type, input);
    const requestHash = sha256(JSON.stringify({ ...input, idempotencyKey: undefined, holdToken: undefined }));
    if (input.idempotencyKey) {
      const replay = await this.replay(input.idempotencyKey, requestHash);
      if (replay) return replay;
    }
    const hold = input.holdToken ? await this.holds.usable(input.holdToken, type, input.start, input.inviteeEmail) : null;
    const schedules = await this.check.loadSchedules(type);
    let fairness: RoundRobinStats = new Map();
    const retry = {
      ...this.check.retryPolicy(type, this.policies.lockKeys(type, input.inviteeEmail)),
      afterLocks: this.fairnessReader(type, (stats) => (fairness = stats)),
    };

    return createOnce(
      { metrics: this.metrics, versions: this.versions },
      { key: input.idempotencyKey, replay: () => this.replay(input.idempotencyKey ?? '', requestHash) },
      () =>
        this.transactions.serializable<BookingResult | null>(async (manager) => {
          // A retry after losing a race to the same Idempotency-Key sees the winner's row here.
          if (input.idempotencyKey && (await this.bookings.findIdempotent(IDEMPOTENCY_SCOPE, input.idempotencyKey, manager))) {
            return null;
          }
          const now = this.clock.now();
          await this.policies.checkCap(manager, type, input.inviteeEmail, now);
          // The engine leaves out hosts at their round-robin cap by the counts the ranking below uses.
          const { slot, expiredHoldsLive } = await this.check.freeSlot(manager, type, schedules, input.start, now, {
            holdId: hold?.id ?? null,
            roundRobinCounts: periodCounts(fairness),
          });
          // Only when the re-check saw some (rare): one statement fewer inside the host's lock on every other booking.
          if (expiredHoldsLive) await this.holds.endExpired(manager, hostIdsOf(type), now);
          const end = new Date(slot.end);
          // The hold becomes the booking: remove it first, or its live row would collide with the booking's.
          if (hold) await this.holds.convert(manager, hold.id);

          let booking: BookingRecord;
          let hostIds: string[];
          const group = type.kind === 'group' ? await this.bookings.findLiveGroupBookingAt(manager, type.id, input.start) : null;
          if (group) {
            booking = group; // seats left were checked by the engine (seatsRemaining > 0)
            hostIds = await this.bookings.findHostIds(group.id, manager);
          } else {
            // requires_confirmation: the booking is created pending and holds its slot until a host answers or it expires.
            const pendingUntil = type.requiresConfirmation ? confirmationDeadline(now, input.start, type.confirmationExpiryMinutes) : null;
            ({ booking, hostIds } = await this.insertForKind(manager, type, slot, input.start, end, input.timeZone, fairness, {
              pendingUntil,
            }));
            const room = await this.conferences.roomWithBooking(manager, booking.id, type.location);
            if (room) booking = { ...booking, conference: room };
          }
          const invitee = await insertInviteeCreated(
            { bookings: this.bookings, tokens: this.tokens },
            manager,
            booking,
            hostIds,
            input,
            checked,
            {
              ...(booking.status === 'pending' ? { pending: true } : {}),
            },
          );
          if (input.idempotencyKey) {
            await this.bookings.saveIdempotent(manager, IDEMPOTENCY_SCOPE, input.idempotencyKey, requestHash, 201, {
              booking_id: booking.id,
              invitee_id: invitee.id,
            });
          }
          return { booking, invitee, hostIds, replayed: false };
        }, retry),
      (created) => created.hostIds,
    );
  }

  private async rescheduleBooking(
    bookingId: string,
    actor: Actor,
    newStart: Date,
    reason: string | null,
    durationMinutes?: number,
  ): Promise<BookingResult> {
    const current = await this.bookings.findBooking(bookingId);
    if (!current) throw notFound('booking');
    const type = ofLength(await this.activeType(current.meeting_type_id), durationMinutes, current);
    const schedules = await this.check.loadSchedules(type);
    let fairness: RoundRobinStats = new Map();
    let countedFrom: Date | null = null;
    const afterLocks = this.fairnessReader(type, (stats, from) => {
      fairness = stats;
      countedFrom = from;
    });
    const policy = { ...this.check.retryPolicy(type), afterLocks };
    const affected = new Set<string>();

    const result = await this.transactions.serializable(async (manager) => {
      const now = this.clock.now();
      const booking = await this.bookings.findBooking(bookingId, manager, true);
      if (!booking) throw notFound('booking');
      const refusal = rescheduleRefusal(booking.status);
      if (refusal) throw conflict(refusal);
      if (isOverdue(booking, now)) throw conflict('this booking request expired without an answer; book a new time instead');
      if (actor.kind === 'invitee') this.policies.checkRescheduleCutoff(type, booking.start_time, now);
      const oldHosts = await this.bookings.findHostIds(booking.id, manager);
      oldHosts.forEach((h) => affected.add(h));
      const invitees = (await this.bookings.findInvitees(booking.id, manager)).filter((i) => i.status === 'active');
      const movingOneGroupSeat = movesOneGroupSeat(type.kind, actor.kind, invitees.length);
      // The booking being moved is replaced, not added to: its hosts' counts leave it out, so a host at their cap can
      // still take their own booking's new time.
      const counted = countedFrom !== null && new Date(booking.start_time).getTime() >= countedFrom.getTime();
      const counts = counted ? withoutOneBooking(fairness, oldHosts) : fairness;

      if (!movingOneGroupSeat) await this.bookings.releaseHosts(manager, booking.id);
      const { slot, expiredHoldsLive } = await this.check.freeSlot(manager, type, schedules, newStart, now, {
        bookingIds: new Set([booking.id]),
        roundRobinCounts: periodCounts(counts),
      });
      if (expiredHoldsLive) await this.holds.endExpired(manager, hostIdsOf(type), now);

      const group = type.kind === 'group' ? await this.bookings.findLiveGroupBookingAt(manager, type.id, newStart) : null;
      let target: BookingRecord;
      let hostIds: string[];
      if (group && group.id !== booking.id) {
        target = group;
        hostIds = await this.bookings.findHostIds(group.id, manager);
      } else {
        ({ booking: target, hostIds } = await this.insertForKind(
          manager,
          type,
          slot,
          newStart,
          new Date(slot.end),
          booking.time_zone,
          counts,
          {
            icalUid: booking.ical_uid,
            icalSequence: booking.ical_sequence + 1,
            rescheduledFromId: booking.id,
            preferredHostIds: oldHosts,
            // A pending request stays pending at its new time, with a fresh deadline (the host is asked anew).
            pendingUntil: booking.status === 'pending' ? confirmationDeadline(now, newStart, type.confirmationExpiryMinutes) : null,
          },
        ));
      }
      hostIds.forEach((h) => affected.add(h));
      const moving = movingOneGroupSeat && actor.kind === 'invitee' ? [actor.invitee] : invitees;
      await this.bookings.moveInvitees(
        manager,
        moving.map((i) => i.id),
        target.id,
      );
      if (!movingOneGroupSeat) await this.bookings.markRescheduled(manager, booking.id, target.id);
      // An occurrence of a recurring series stays one: the new booking takes its place (ICS: an override).
      if (!movingOneGroupSeat) await this.seriesMembers.follow(manager, booking.id, target.id, target.start_time);

      await this.bookings.insertOutboxEvent(manager, 'booking.rescheduled', {
        booking_id: target.id,
        meeting_type_id: type.id,
        host_user_ids: hostIds,
        start_time: target.start_time.toISOString(),
        end_time: target.end_time.toISOString(),
        previous: { booking_id: booking.id, start_time: booking.start_time.toISOString(), end_time: booking.end_time.toISOString() },
        invitee_id: actor.kind === 'invitee' ? actor.invitee.id : null,
        reason,
        sequence: target.ical_sequence,
        ...(target.status === 'pending' ? { pending: true } : {}),
      });
      const invitee =
        actor.kind === 'invitee' ? { ...actor.invitee, booking_id: target.id } : moving[0] ? { ...moving[0], booking_id: target.id } : null;
      return { booking: target, invitee, hostIds, replayed: false };
    }, policy);
    await afterCommit('slot cache version bump', () => this.versions.bump(affected));
    return result;
  }

  private async cancelBooking(bookingId: string, actor: Actor | { kind: 'calendar' }, reason: string | null): Promise<BookingResult> {
    const result = await this.transactions.serializable(async (manager) => {
      const booking = await this.bookings.findBooking(bookingId, manager, true);
      if (!booking) throw notFound('booking');
      const hostIds = await this.bookings.findHostIds(booking.id, manager);
      const invitees = (await this.bookings.findInvitees(booking.id, manager)).filter((i) => i.status === 'active');
      const own = actor.kind === 'invitee' ? actor.invitee : null;
      const plan = planCancellation({ status: booking.status, actor: actor.kind, ownSeat: own, activeInvitees: invitees.length });
      if (plan.action === 'already_cancelled') return { booking, invitee: own, hostIds, replayed: true };
      if (plan.action === 'refuse') throw conflict(plan.message);
      if (actor.kind === 'invitee')
        await this.policies.checkCancellationCutoff(manager, booking.meeting_type_id, booking.start_time, this.clock.now());

      if (plan.action === 'leave_group') {
        const { seat } = plan;
        await this.bookings.cancelInvitee(manager, seat.id);
        const sequence = await this.bookings.bumpSequence(manager, booking.id);
        await this.bookings.insertOutboxEvent(manager, 'booking.cancelled', {
          booking_id: booking.id,
          meeting_type_id: booking.meeting_type_id,
          host_user_ids: hostIds,
          start_time: booking.start_time.toISOString(),
          end_time: booking.end_time.toISOString(),
          invitee_id: seat.id,
          reason,
          cancelled_by: 'invitee',
          sequence,
        });
        return {
          booking: { ...booking, ical_sequence: sequence },
          invitee: { ...seat, status: 'cancelled' as const },
          hostIds,
          replayed: false,
        };
      }
      await this.bookings.releaseHosts(manager, booking.id);
      const by = plan.cancelledBy;
      const cancelled = await this.bookings.markCancelled(manager, booking.id, reason, by);
      for (const i of invitees) await this.bookings.cancelInvitee(manager, i.id);
      await this.bookings.insertOutboxEvent(manager, 'booking.cancelled', {
        booking_id: booking.id,
        meeting_type_id: booking.meeting_type_id,
        host_user_ids: hostIds,
        start_time: booking.start_time.toISOString(),
        end_time: booking.end_time.toISOString(),
        invitee_id: own?.id ?? null,
        reason,
        cancelled_by: cancelledBySide(by),
        sequence: cancelled.ical_sequence,
        ...(booking.status === 'pending' ? { pending: true } : {}),
      });
      return { booking: cancelled, invitee: own ? { ...own, status: 'cancelled' as const } : null, hostIds, replayed: false };
    });
    if (!result.replayed) await afterCommit('slot cache version bump', () => this.versions.bump(result.hostIds));
    return result;
  }

  /** For the calendar context: the host deleted our event in their own calendar. */
  cancelByHostCalendar(bookingId: string, reason: string): Promise<BookingResult> {
    return this.cancel(bookingId, { kind: 'calendar' }, reason);
  }

  /**
   * For the calendar context: the host moved our event in their own calendar, and the booking follows (the host
   * decided, so rules and working hours do not apply; the exclusion constraint does). A booking already rescheduled
   * is followed to its latest successor, so the same move seen twice (two runs, two replicas) has one outcome and
   * the last of two quick moves wins. A collision keeps the old time and answers `conflict`.
   */
  async rescheduleByHostCalendar(
    bookingId: string,
    newStart: Date,
    newEnd: Date,
    movedInCalendarOf: string,
    expectedSequence?: number,
  ): Promise<HostCalendarMove> {
    // The booking the move applies to, as the transaction saw it (the conflict answer reports it).
    const seen: { booking: BookingRecord | null } = { booking: null };
    try {
      const result = await this.transactions.serializable<HostCalendarMove>(async (manager) => {
        let booking = await this.bookings.findBooking(bookingId, manager, true);
        if (!booking) throw notFound('booking');
        for (let hops = 0; booking.status === 'rescheduled' && booking.rescheduled_to_id && hops < 50; hops++) {
          const next: BookingRecord | null = await this.bookings.findBooking(booking.rescheduled_to_id, manager, true);
          if (!next) break;
          booking = next;
        }
        seen.booking = booking;
        if (booking.status !== 'confirmed' && booking.status !== 'pending') {
          return { outcome: 'refused', message: `the booking is ${booking.status}` };
        }
        if (booking.start_time.getTime() === newStart.getTime() && booking.end_time.getTime() === newEnd.getTime()) {
          return { outcome: 'unchanged', booking };
        }
        if (expectedSequence !== undefined && booking.ical_sequence > expectedSequence) {
          return { outcome: 'refused', message: 'the booking changed after the host moved the event' };
        }
        const hostIds = await this.bookings.findHostIds(booking.id, manager);
        const invitees = (await this.bookings.findInvitees(booking.id, manager)).filter((i) => i.status === 'active');
        await this.bookings.releaseHosts(manager, booking.id);
        const target = await this.bookings.insertBookingUnlessHostTaken(manager, {
          meetingTypeId: booking.meeting_type_id,
          start: newStart,
          end: newEnd,
          timeZone: booking.time_zone,
          location: booking.location,
          icalUid: booking.ical_uid,
          icalSequence: booking.ical_sequence + 1,
          rescheduledFromId: booking.id,
          organizerId: booking.host_user_id,
          hostIds,
          assignmentReason: booking.assignment_reason,
        });
        if (!target) throw new HostMoveCollision();
        await this.bookings.moveInvitees(
          manager,
          invitees.map((i) => i.id),
          target.id,
        );
        await this.bookings.markRescheduled(manager, booking.id, target.id);
        await this.seriesMembers.follow(manager, booking.id, target.id, target.start_time);
        await this.bookings.insertOutboxEvent(manager, 'booking.rescheduled', {
          booking_id: target.id,
          meeting_type_id: booking.meeting_type_id,
          host_user_ids: hostIds,
          start_time: target.start_time.toISOString(),
          end_time: target.end_time.toISOString(),
          previous: { booking_id: booking.id, start_time: booking.start_time.toISOString(), end_time: booking.end_time.toISOString() },
          invitee_id: null,
          reason: 'The host moved this meeting in their calendar',
          rescheduled_by: 'host_calendar',
          moved_in_calendar_of: movedInCalendarOf,
          sequence: target.ical_sequence,
        });
        return { outcome: 'moved', booking: target, hostIds };
      });
      if (result.outcome === 'moved') {
        const moved = result;
        await afterCommit('slot cache version bump', () => this.versions.bump(moved.hostIds));
      }
      return result;
    } catch (error) {
      if (!(error instanceof HostMoveCollision) || !seen.booking) throw error;
      return {
        outcome: 'conflict',
        booking: seen.booking,
        message: `the host moved the event to ${newStart.toISOString()}–${newEnd.toISOString()}, which collides with another booking; the booking keeps its time`,
      };
    }
  }

  // -------------------------------------------------------------------------------------------------------------

  /**
   * Round-robin fairness figures (bookings in the type's counting period, latest booking), read after the host locks
   * are held and before the serializable transaction begins (runSerializable's `afterLocks`). Every booking of a
   * round-robin type takes the `host:` lock of each of its hosts (retryPolicy), so the previous assignment of this
   * type has committed before these counts are read: concurrent bookers are ranked as if one after another, which
   * is what keeps the fairness bound (round-robin.ts) under races. Read outside the serializable snapshot, the scan
   * of recent partitions takes no predicate locks (read inside, it escalated to whole relations and made every
   * concurrent booking a serialization conflict: bench:history run E, 240 retries for 150 bookings at 8M).
   */
  private fairnessReader(
    type: MeetingTypeSnapshot,
    keep: (stats: RoundRobinStats, countedFrom: Date) => void,
  ): ((manager: EntityManager) => Promise<void>) | undefined {
    if (type.kind !== 'round_robin') return undefined;
    return async (manager) => {
      const now = this.clock.now();
      const start = periodStart(type.roundRobinPeriod, now, await this.bookings.timeZoneOf(type.ownerId, manager));
      // "Least recently booked" (the tie-breaker) looks back over about one period more: a host whose latest
      // booking starts earlier counts as not booked recently, which keeps the read to recent partitions.
      const lookBackFrom = new Date(start.getTime() - 31 * 86_400_000);
      keep(
        await this.bookings.roundRobinStats(
          type.id,
          type.hosts.map((h) => h.userId),
          start,
          lookBackFrom,
          manager,
        ),
        start,
      );
    };
  }

  private async activeType(id: string): Promise<MeetingTypeSnapshot> {
    const type = await this.meetingTypes.findSnapshot(id);
    if (!type) throw notFound('meeting type');
    if (!type.isActive) throw conflict('this meeting type is not accepting bookings');
    return type;
  }

  private async insertForKind(
    manager: EntityManager,
    type: MeetingTypeSnapshot,
    slot: Slot,
    start: Date,
    end: Date,
    timeZone: string,
    fairness: RoundRobinStats,
    extra: {
      icalUid?: string;
      icalSequence?: number;
      rescheduledFromId?: string;
      preferredHostIds?: string[];
      pendingUntil?: Date | null;
    } = {},
  ): Promise<{ booking: BookingRecord; hostIds: string[] }> {
    const base = {
      meetingTypeId: type.id,
      start,
      end,
      timeZone,
      location: type.location,
      icalUid: extra.icalUid,
      icalSequence: extra.icalSequence,
      rescheduledFromId: extra.rescheduledFromId ?? null,
      pendingUntil: extra.pendingUntil ?? null,
    };
    if (type.kind !== 'round_robin') {
      const hostIds = hostsToBook(
        type.kind,
        type.ownerId,
        type.hosts.map((h) => h.userId),
      );
      const booking = await this.bookings.insertBooking(manager, {
        ...base,
        organizerId: hostIds[0] ?? type.ownerId,
        hostIds,
        assignmentReason: null,
      });
      return { booking, hostIds };
    }
    // Round robin: keep the current host on reschedule when free; else the ranked order. A host taken by a
    // concurrent request fails the constraint inside a savepoint, and the next one is tried.
    const settings = new Map(type.hosts.map((h) => [h.userId, h]));
    const ranked = rankRoundRobinHosts(
      slot.hostIds.map((userId) => ({
        userId,
        priority: settings.get(userId)?.priority ?? 0,
        weight: settings.get(userId)?.weight ?? 100,
        fallback: settings.get(userId)?.fallback ?? false,
        maxBookingsPerPeriod: settings.get(userId)?.maxBookingsPerPeriod ?? null,
        bookingsInPeriod: fairness.get(userId)?.count ?? 0,
        lastBookedAt: fairness.get(userId)?.last ?? null,
      })),
    );
    for (const choice of roundRobinOrder(ranked, extra.preferredHostIds ?? [])) {
      const booking = await this.bookings.insertBookingUnlessHostTaken(manager, {
        ...base,
        organizerId: choice.userId,
        hostIds: [choice.userId],
        assignmentReason: choice.reason,
      });
      if (booking) return { booking, hostIds: [choice.userId] };
    }
    throw new BookingConflictError(
      'all_hosts_taken',
      'Every host of this meeting type was just booked at that time. Please pick another time.',
    );
  }

  private async replay(key: string, requestHash: string): Promise<BookingResult | null> {
    const stored = await this.bookings.findIdempotent(IDEMPOTENCY_SCOPE, key);
    if (!stored) return null;
    if (stored.request_hash !== requestHash) {
      throw new DomainError('unprocessable', 'this Idempotency-Key was already used with a different request');
    }
    const { booking_id, invitee_id } = stored.response as { booking_id: string; invitee_id: string };
    const booking = await this.bookings.findBooking(booking_id);
    if (!booking) return null;
    const invitees = await this.bookings.findInvitees(booking_id);
    return {
      booking,
      invitee: invitees.find((i) => i.id === invitee_id) ?? null,
      hostIds: await this.bookings.findHostIds(booking_id),
      replayed: true,
    };
  }
}

/** The fairness figures with one counted booking of these hosts taken out (the one a reschedule replaces). */
function withoutOneBooking(fairness: RoundRobinStats, hostIds: readonly string[]): RoundRobinStats {
  const out = new Map(fairness);
  for (const hostId of hostIds) {
    const s = out.get(hostId);
    if (s && s.count > 0) out.set(hostId, { ...s, count: s.count - 1 });
  }
  return out;
}

/** Each host's bookings in the counting period, from the fairness figures (empty for kinds other than round robin). */
function periodCounts(fairness: RoundRobinStats): Map<string, number> {
  return new Map([...fairness].map(([hostId, s]) => [hostId, s.count]));
}
