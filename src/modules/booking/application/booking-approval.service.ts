import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { Clock } from '../../../shared/clock/clock.js';
import { conflict, notFound } from '../../../shared/http/domain-error.js';
import { PeriodicJobs } from '../../../shared/scheduling/periodic-jobs.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { type ApprovalAction, decideApproval } from '../domain/booking-approval.js';
import { BookingApprovalRepository } from '../infrastructure/booking-approval.repository.js';
import { BookingRepository } from '../infrastructure/booking.repository.js';
import { BookingTransactions } from '../infrastructure/booking-transactions.js';
import { afterCommit } from './after-commit.js';
import type { ApprovalGrant } from './approval-links.js';
import { BookingQueries } from './booking-queries.service.js';
import type { BookingRecord } from './booking-records.js';
import { PendingExpiry } from './pending-expiry.js';
import { SlotCheck } from './slot-check.js';

export interface ApprovalResult {
  booking: BookingRecord;
  hostIds: string[];
  /** False when the booking was already in the state asked for (a repeated confirm or decline). */
  changed: boolean;
}

const EXPIRY_LOCK = [0x626b67, 3] as const; // "bkg", approval expiry
const EXPIRY_BATCH = 200;

/** What one transaction decided: an answer, or an expiry it recorded before answering 409. */
type Outcome = { result: ApprovalResult } | { expired: string; hostIds: string[] };

/**
 * Approval before confirming (issue #17 item 2): a host confirms or declines a pending booking, by the API or a signed
 * link in their email; unanswered requests expire. Each answer is one SERIALIZABLE transaction under the booking's
 * hosts' locks (as bookings are) that reads the booking locked, decides with the pure rules of
 * domain/booking-approval.ts and writes the status with its outbox event (`booking.confirmed`, `booking.declined`,
 * `booking.expired`), so a request is answered once whatever races it: a second answer sees the first.
 */
@Injectable()
export class BookingApprovals implements OnApplicationBootstrap {
  private readonly logger = new Logger('BookingApprovals');

  constructor(
    private readonly transactions: BookingTransactions,
    private readonly bookings: BookingRepository,
    private readonly approvals: BookingApprovalRepository,
    private readonly pending: PendingExpiry,
    private readonly queries: BookingQueries,
    private readonly meetingTypes: MeetingTypesService,
    private readonly check: SlotCheck,
    private readonly versions: AvailabilityVersions,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly jobs: PeriodicJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.schedule({
      name: 'booking-approval-expiry',
      everyMs: this.config.approvalExpiryIntervalMs,
      lock: EXPIRY_LOCK,
      run: () => this.expireDue(),
    });
  }

  /** A host of the booking (or its type's owner) confirms it; anyone else gets the booking's 404. */
  async confirm(bookingId: string, userId: string): Promise<ApprovalResult> {
    await this.authorizeHost(bookingId, userId);
    return this.answer(bookingId, 'confirm', null);
  }

  async decline(bookingId: string, userId: string, reason: string | null): Promise<ApprovalResult> {
    await this.authorizeHost(bookingId, userId);
    return this.answer(bookingId, 'decline', reason);
  }

  /** A verified one-click link (ApprovalLinks.verify): it acts as the host it names, while they still manage the booking. */
  async answerWithLink(grant: ApprovalGrant, reason: string | null): Promise<ApprovalResult> {
    await this.authorizeHost(grant.bookingId, grant.hostId);
    return this.answer(grant.bookingId, grant.action, reason);
  }

  /**
   * The expiry job: marks pending bookings past their deadline `expired` (their invitees hear of it through the
   * outbox). Slots and bookings already treat them as free from the deadline on; this makes it known. Returns how many.
   */
  async expireDue(): Promise<number> {
    let expired = 0;
    for (;;) {
      const now = this.clock.now();
      const ids = await this.approvals.findOverdue(now, EXPIRY_BATCH);
      for (const id of ids) {
        try {
          if (await this.expireOne(id)) expired++;
        } catch (error) {
          // One booking failing (its type deleted meanwhile, a lost race beyond the retries) must not stop the rest.
          this.logger.warn(`expiring pending booking ${id} failed: ${(error as Error).message}`);
        }
      }
      if (ids.length < EXPIRY_BATCH) break;
    }
    if (expired > 0) this.logger.log(`${expired} pending booking(s) expired without an answer`);
    return expired;
  }

  private async expireOne(bookingId: string): Promise<boolean> {
    const booking = await this.bookings.findBooking(bookingId);
    const type = booking ? await this.meetingTypes.findSnapshot(booking.meeting_type_id) : null;
    if (!booking || !type) return false;
    const done = await this.transactions.serializable(
      (manager) => this.pending.expire(manager, bookingId, this.clock.now()),
      this.check.retryPolicy(type),
    );
    if (done) await afterCommit('slot cache version bump', () => this.versions.bump(done.hostIds));
    return done !== null;
  }

  private async authorizeHost(bookingId: string, userId: string): Promise<void> {
    const { actor } = await this.queries.authorize(bookingId, { userId });
    // authorize answers a host or owner for a user id; the invitee's token is not accepted here.
    if (actor.kind !== 'host') throw notFound('booking');
  }

  private async answer(bookingId: string, action: ApprovalAction, reason: string | null): Promise<ApprovalResult> {
    const found = await this.bookings.findBooking(bookingId);
    if (!found) throw notFound('booking');
    const type = await this.meetingTypes.findSnapshot(found.meeting_type_id);
    if (!type) throw notFound('booking');
    const outcome = await this.transactions.serializable<Outcome>(async (manager) => {
      const now = this.clock.now();
      const booking = await this.bookings.findBooking(bookingId, manager, true);
      if (!booking) throw notFound('booking');
      const hostIds = await this.bookings.findHostIds(booking.id, manager);
      const decision = decideApproval(action, booking, now);
      switch (decision.kind) {
        case 'unchanged':
          return { result: { booking, hostIds, changed: false } };
        case 'refuse':
          throw conflict(decision.message, { status: booking.status });
        case 'expire': {
          // Recorded now (committed), then answered 409: the expiry is a fact whoever noticed it first.
          await this.pending.expire(manager, booking.id, now);
          return { expired: decision.message, hostIds };
        }
        case 'apply':
          break;
      }
      const base = {
        booking_id: booking.id,
        meeting_type_id: booking.meeting_type_id,
        host_user_ids: hostIds,
        start_time: booking.start_time.toISOString(),
        end_time: booking.end_time.toISOString(),
        invitee_id: null,
        sequence: booking.ical_sequence,
      };
      if (action === 'confirm') {
        const confirmed = await this.approvals.markConfirmed(manager, booking);
        await this.bookings.insertOutboxEvent(manager, 'booking.confirmed', base);
        return { result: { booking: confirmed, hostIds, changed: true } };
      }
      const declined = await this.approvals.markEnded(manager, booking, { status: 'declined', reason });
      if (!declined) throw conflict('this booking is no longer pending');
      await this.bookings.insertOutboxEvent(manager, 'booking.declined', { ...base, reason, cancelled_by: 'host', pending: true });
      return { result: { booking: declined, hostIds, changed: true } };
    }, this.check.retryPolicy(type));

    if ('expired' in outcome) {
      await afterCommit('slot cache version bump', () => this.versions.bump(outcome.hostIds));
      throw conflict(outcome.expired, { status: 'expired' });
    }
    // A decline frees the time; a confirmation changes nothing the slots read (the rows were live already).
    if (outcome.result.changed && action === 'decline') {
      await afterCommit('slot cache version bump', () => this.versions.bump(outcome.result.hostIds));
    }
    return outcome.result;
  }
}
