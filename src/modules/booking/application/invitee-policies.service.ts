import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { conflict } from '../../../shared/http/domain-error.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import type { MeetingTypeSnapshot } from '../../meeting-types/domain/meeting-type.js';
import { cutoffRefusal, inviteeCapRefusal, normalizeEmail } from '../domain/invitee-policies.js';
import { InviteeBookingsRepository } from '../infrastructure/invitee-bookings.repository.js';
import { BookingConflictError } from './booking-metrics.js';

/**
 * A meeting type's invitee policies inside the booking transactions: the per-invitee cap and the cutoffs for an
 * invitee's cancel and reschedule (hosts are never held to them).
 */
@Injectable()
export class InviteePolicies {
  constructor(
    private readonly invitees: InviteeBookingsRepository,
    private readonly meetingTypes: MeetingTypesService,
  ) {}

  /**
   * Advisory lock keys for a booking by `email` when the type caps bookings per invitee: the hosts' locks do not
   * serialize two requests of one invitee for different hosts (round robin), and the count must see the other's row.
   */
  lockKeys(type: MeetingTypeSnapshot, email: string): string[] {
    return type.limits.maxActiveBookingsPerInvitee === null ? [] : [`invitee:${type.id}:${normalizeEmail(email)}`];
  }

  /**
   * 409 when the invitee already has as many upcoming bookings of the type as it allows, or would pass it with the
   * `adding` bookings asked for (a recurring series books several at once). One read, only with a cap.
   */
  async checkCap(manager: EntityManager, type: MeetingTypeSnapshot, email: string, now: Date, adding = 1): Promise<void> {
    const cap = type.limits.maxActiveBookingsPerInvitee;
    if (cap === null) return;
    const upcoming = await this.invitees.countUpcoming(manager, type.id, normalizeEmail(email), now);
    const refusal = inviteeCapRefusal(upcoming + adding - 1, cap);
    if (refusal) throw new BookingConflictError('limit_reached', refusal, { cap: 'max_active_bookings_per_invitee', limit: cap });
  }

  /** 409 when an invitee reschedules within the type's reschedule cutoff. */
  checkRescheduleCutoff(type: MeetingTypeSnapshot, start: Date, now: Date): void {
    const refusal = cutoffRefusal('reschedule', start.getTime(), now.getTime(), type.limits.rescheduleCutoffMinutes);
    if (refusal) throw conflict(refusal, { cutoff: 'reschedule_cutoff_minutes', minutes: type.limits.rescheduleCutoffMinutes });
  }

  /** 409 when an invitee cancels within the cancellation cutoff of the booking's type (read on the transaction). */
  async checkCancellationCutoff(manager: EntityManager, meetingTypeId: string, start: Date, now: Date): Promise<void> {
    const type = await this.meetingTypes.findSnapshot(meetingTypeId, manager);
    const minutes = type?.limits.cancellationCutoffMinutes ?? null;
    const refusal = cutoffRefusal('cancel', start.getTime(), now.getTime(), minutes);
    if (refusal) throw conflict(refusal, { cutoff: 'cancellation_cutoff_minutes', minutes });
  }
}
