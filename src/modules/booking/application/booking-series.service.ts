import { Injectable } from '@nestjs/common';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { Clock } from '../../../shared/clock/clock.js';
import { conflict, DomainError, invalid, invalidFields, notFound } from '../../../shared/http/domain-error.js';
import { sha256 } from '../../../shared/security/tokens.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { occurrencesProblem } from '../../meeting-types/domain/meeting-type-options.js';
import type { MeetingTypeSnapshot } from '../../meeting-types/domain/meeting-type.js';
import { cancelledBySide, hostsToBook } from '../domain/booking-policy.js';
import type { BookingSeriesView } from '../domain/booking-views.js';
import { occurrenceStarts, seriesView } from '../domain/recurrence.js';
import { BookingSeriesRepository, seriesFacts } from '../infrastructure/booking-series.repository.js';
import { BookingTransactions } from '../infrastructure/booking-transactions.js';
import { BookingRepository } from '../infrastructure/booking.repository.js';
import { afterCommit } from './after-commit.js';
import { createOnce } from './create-once.js';
import type { Actor, BookingResult, CreateBookingInput } from './booking-commands.service.js';
import { BookingConflictError, BookingMetrics } from './booking-metrics.js';
import type { BookingRecord } from './booking-records.js';
import { BookingConferences } from './booking-conferences.service.js';
import { InviteePolicies } from './invitee-policies.service.js';
import { ManagementTokens } from './management-tokens.js';
import { checkInvitee, insertInviteeCreated } from './new-invitee.js';
import { ofLength } from './meeting-length.js';
import { SlotCheck } from './slot-check.js';
import { SlotHolds } from './slot-holds.service.js';

export interface SeriesResult {
  seriesId: string;
  /** Each occurrence's booking with the invitee's row, in order; the first is the one the answer describes. */
  occurrences: BookingResult[];
  replayed: boolean;
}

const IDEMPOTENCY_SCOPE = 'booking.create_series';

/**
 * Recurring bookings (issue #17 item 5): a series of occurrences booked at once, all or none. Every start is
 * re-checked with the slots endpoint's engine (SlotCheck.freeSlot) inside ONE serializable transaction under the
 * hosts' advisory locks, and every booking, host row (exclusion constraint), invitee and outbox event is written in
 * it; the first start that is taken answers 409 naming it, and nothing is written. Cancelling the series cancels
 * its remaining occurrences in one transaction too. One occurrence is cancelled or moved with the ordinary commands.
 */
@Injectable()
export class BookingSeries {
  constructor(
    private readonly transactions: BookingTransactions,
    private readonly bookings: BookingRepository,
    private readonly series: BookingSeriesRepository,
    private readonly meetingTypes: MeetingTypesService,
    private readonly check: SlotCheck,
    private readonly holds: SlotHolds,
    private readonly versions: AvailabilityVersions,
    private readonly tokens: ManagementTokens,
    private readonly clock: Clock,
    private readonly metrics: BookingMetrics,
    private readonly policies: InviteePolicies,
    private readonly conferences: BookingConferences,
  ) {}

  /** Timed and its 409s counted with the other commands (operation `create`). */
  create(input: CreateBookingInput & { occurrences: number }): Promise<SeriesResult> {
    return this.metrics.timed('create', () => this.createSeries(input));
  }

  private async createSeries(input: CreateBookingInput & { occurrences: number }): Promise<SeriesResult> {
    const found = await this.meetingTypes.findSnapshot(input.meetingTypeId);
    if (!found) throw notFound('meeting type');
    if (!found.isActive) throw conflict('this meeting type is not accepting bookings');
    const problem = occurrencesProblem(found, input.occurrences);
    if (problem) throw invalidFields([problem]);
    const recurrence = found.recurrence;
    if (!recurrence) throw invalidFields([{ field: 'occurrences', code: 'not_recurring', message: 'this meeting type is not recurring' }]);
    const type = ofLength(found, input.durationMinutes);
    const checked = checkInvitee(type, input);
    const requestHash = sha256(JSON.stringify({ ...input, idempotencyKey: undefined, holdToken: undefined }));
    if (input.idempotencyKey) {
      const replay = await this.replay(input.idempotencyKey, requestHash);
      if (replay) return replay;
    }
    // A hold covers the first occurrence only (the booking page holds the time the invitee picked).
    const hold = input.holdToken ? await this.holds.usable(input.holdToken, type, input.start, input.inviteeEmail) : null;
    const starts = occurrenceStarts(input.start, input.timeZone, recurrence.frequency, input.occurrences);
    const schedules = await this.check.loadSchedules(type);
    const hostIds = hostsToBook(
      type.kind === 'collective' ? 'collective' : 'one_on_one',
      type.ownerId,
      type.hosts.map((h) => h.userId),
    );

    return createOnce(
      { metrics: this.metrics, versions: this.versions },
      { key: input.idempotencyKey, replay: () => this.replay(input.idempotencyKey ?? '', requestHash) },
      () =>
        this.transactions.serializable<SeriesResult | null>(
          async (manager) => {
            if (input.idempotencyKey && (await this.bookings.findIdempotent(IDEMPOTENCY_SCOPE, input.idempotencyKey, manager))) {
              return null;
            }
            const now = this.clock.now();
            await this.policies.checkCap(manager, type, input.inviteeEmail, now, starts.length);
            const series = await this.series.insertSeries(manager, {
              meetingTypeId: type.id,
              frequency: recurrence.frequency,
              occurrences: starts.length,
              durationMinutes: type.durationMinutes,
              firstStart: starts[0],
              timeZone: input.timeZone,
            });
            // Each start re-checked, then written, in order: the period caps' count then sees the series' earlier dates
            // (a weekly series against a monthly cap). The first start refused rolls the whole transaction back: all or none.
            const booked: BookingRecord[] = [];
            for (const [i, start] of starts.entries()) {
              const free = await this.freeOccurrence(
                manager,
                type,
                schedules,
                start,
                now,
                i,
                starts.length,
                i === 0 ? (hold?.id ?? null) : null,
              );
              if (free.expiredHoldsLive) await this.holds.endExpired(manager, hostIds, now);
              if (i === 0 && hold) await this.holds.convert(manager, hold.id);
              const booking = await this.bookings.insertBooking(manager, {
                meetingTypeId: type.id,
                organizerId: hostIds[0] ?? type.ownerId,
                hostIds,
                start,
                end: new Date(free.slot.end),
                timeZone: input.timeZone,
                location: type.location,
                assignmentReason: null,
              });
              // A Jitsi type: each date its own room, like a single booking (other providers make theirs after COMMIT).
              const room = await this.conferences.roomWithBooking(manager, booking.id, type.location);
              booked.push(room ? { ...booking, conference: room } : booking);
            }
            await this.series.insertMembers(
              manager,
              series.id,
              booked.map((b, position) => ({ bookingId: b.id, position, start: b.start_time })),
            );
            const occurrences: BookingResult[] = [];
            for (const [position, booking] of booked.entries()) {
              // One confirmation for the series (the first occurrence's, listing every date); reminders per date.
              const invitee = await insertInviteeCreated(
                { bookings: this.bookings, tokens: this.tokens },
                manager,
                booking,
                hostIds,
                input,
                checked,
                {
                  series: { id: series.id, position, count: booked.length, lead: position === 0 },
                },
              );
              occurrences.push({ booking, invitee, hostIds, replayed: false });
            }
            if (input.idempotencyKey) {
              await this.bookings.saveIdempotent(manager, IDEMPOTENCY_SCOPE, input.idempotencyKey, requestHash, 201, {
                recurring_booking_id: series.id,
                invitee_ids: occurrences.map((o) => o.invitee?.id),
              });
            }
            return { seriesId: series.id, occurrences, replayed: false };
          },
          this.check.retryPolicy(type, this.policies.lockKeys(type, input.inviteeEmail)),
        ),
      () => hostIds,
    );
  }

  /** The re-check of one occurrence; its refusal names the occurrence (409 with `start_time` and `occurrence`). */
  private async freeOccurrence(
    manager: Parameters<SlotCheck['freeSlot']>[0],
    type: MeetingTypeSnapshot,
    schedules: Parameters<SlotCheck['freeSlot']>[2],
    start: Date,
    now: Date,
    index: number,
    count: number,
    holdId: string | null,
  ) {
    try {
      return await this.check.freeSlot(manager, type, schedules, start, now, { holdId });
    } catch (error) {
      if (!(error instanceof BookingConflictError)) throw error;
      throw new BookingConflictError(
        error.reason,
        `Occurrence ${index + 1} of ${count} (${start.toISOString()}) is not available: it is taken, outside the host's hours, or ` +
          'too soon. Nothing was booked; pick another time or fewer occurrences.',
        { start_time: start.toISOString(), occurrence: index + 1 },
      );
    }
  }

  /**
   * Cancels every occurrence of the booking's series that has not started and still stands, in one transaction:
   * each one's time frees and each writes its `booking.cancelled` (the first of them carries the one mail).
   * Occurrences already past, cancelled or moved stay as they are. 400 when the booking is not part of a series.
   */
  async cancelSeries(bookingId: string, actor: Actor, reason: string | null): Promise<BookingSeriesView> {
    const seriesId = (await this.series.seriesIdsOf([bookingId])).get(bookingId);
    if (!seriesId) throw invalid('this booking is not part of a recurring series');
    const affected = await this.transactions.serializable(async (manager) => {
      const now = this.clock.now();
      const standing = seriesView(await this.factsOf(seriesId, manager)).occurrences.filter(
        (o) => (o.status === 'confirmed' || o.status === 'pending') && o.start.getTime() > now.getTime(),
      );
      const hosts = new Set<string>();
      for (const [i, o] of standing.entries()) {
        const booking = await this.bookings.findBooking(o.bookingId, manager, true);
        if (!booking || (booking.status !== 'confirmed' && booking.status !== 'pending')) continue;
        const hostIds = await this.bookings.findHostIds(booking.id, manager);
        hostIds.forEach((h) => hosts.add(h));
        const invitees = await this.bookings.findInvitees(booking.id, manager);
        await this.bookings.releaseHosts(manager, booking.id);
        const cancelled = await this.bookings.markCancelled(manager, booking.id, reason, actor.kind);
        for (const inv of invitees.filter((x) => x.status === 'active')) await this.bookings.cancelInvitee(manager, inv.id);
        await this.bookings.insertOutboxEvent(manager, 'booking.cancelled', {
          booking_id: booking.id,
          meeting_type_id: booking.meeting_type_id,
          host_user_ids: hostIds,
          start_time: booking.start_time.toISOString(),
          end_time: booking.end_time.toISOString(),
          invitee_id: null,
          reason,
          cancelled_by: cancelledBySide(actor.kind),
          sequence: cancelled.ical_sequence,
          series: { id: seriesId, position: o.position, count: standing.length, lead: i === 0 },
        });
      }
      return [...hosts];
    });
    if (affected.length) await afterCommit('slot cache version bump', () => this.versions.bump(affected));
    return this.view(seriesId);
  }

  /** The id of the series a booking belongs to, or null. */
  async seriesIdOf(bookingId: string): Promise<string | null> {
    return (await this.series.seriesIdsOf([bookingId])).get(bookingId) ?? null;
  }

  /** The series a booking belongs to, as it is now; null when it has none. */
  async seriesOf(bookingId: string): Promise<BookingSeriesView | null> {
    const seriesId = (await this.series.seriesIdsOf([bookingId])).get(bookingId);
    return seriesId ? this.view(seriesId) : null;
  }

  private async view(seriesId: string): Promise<BookingSeriesView> {
    return seriesView(await this.factsOf(seriesId));
  }

  private async factsOf(seriesId: string, manager?: Parameters<BookingSeriesRepository['findMembers']>[1]) {
    const row = (await this.series.findSeries([seriesId], manager)).at(0);
    if (!row) throw notFound('series');
    return seriesFacts(row, await this.series.findMembers(seriesId, manager));
  }

  private async replay(key: string, requestHash: string): Promise<SeriesResult | null> {
    const stored = await this.bookings.findIdempotent(IDEMPOTENCY_SCOPE, key);
    if (!stored) return null;
    if (stored.request_hash !== requestHash) {
      throw new DomainError('unprocessable', 'this Idempotency-Key was already used with a different request');
    }
    const { recurring_booking_id, invitee_ids } = stored.response as { recurring_booking_id: string; invitee_ids: string[] };
    const { occurrences } = await this.view(recurring_booking_id);
    const bookings = await this.bookings.findBookings(occurrences.map((o) => o.bookingId));
    const byId = new Map(bookings.map((b) => [b.id, b]));
    const [hostIdsOf, inviteesOf] = await Promise.all([
      this.bookings.findHostIdsOf(occurrences.map((o) => o.bookingId)),
      this.bookings.findInviteesOf(occurrences.map((o) => o.bookingId)),
    ]);
    return {
      seriesId: recurring_booking_id,
      replayed: true,
      occurrences: occurrences.flatMap((o) => {
        const booking = byId.get(o.bookingId);
        if (!booking) return [];
        const invitee = (inviteesOf.get(o.bookingId) ?? []).find((i) => invitee_ids.includes(i.id)) ?? null;
        return [{ booking, invitee, hostIds: hostIdsOf.get(o.bookingId) ?? [], replayed: true }];
      }),
    };
  }
}
