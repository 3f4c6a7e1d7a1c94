import { Injectable } from '@nestjs/common';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { Clock } from '../../../shared/clock/clock.js';
import { notFound } from '../../../shared/http/domain-error.js';
import { AuditService } from '../../audit/application/audit.service.js';
import { PrivacyRepository } from '../infrastructure/privacy.repository.js';

/** GDPR: export a host's data, delete their account, erase an invitee's personal data from their bookings. */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly repo: PrivacyRepository,
    private readonly audit: AuditService,
    private readonly versions: AvailabilityVersions,
    private readonly clock: Clock,
  ) {}

  async export(userId: string): Promise<Record<string, unknown>> {
    const data = await this.repo.exportFor(userId);
    if (!data) throw notFound('user');
    return { format: 'kairos-export/1', exported_at: this.clock.now().toISOString(), ...data };
  }

  async deleteAccount(userId: string): Promise<void> {
    await this.repo.transaction(async (m) => {
      const { bookings } = await this.repo.deleteAccount(m, userId);
      await this.audit.record(
        {
          occurredAt: this.clock.now(),
          actorType: 'host',
          actorId: userId,
          action: 'account.deleted',
          bookingId: null,
          subjectUserIds: [userId],
          details: { bookings_deleted: bookings },
        },
        m,
      );
    });
    // Slots of team meeting types that counted this host are stale now.
    await this.versions.bump([userId]);
  }

  async eraseInvitee(hostId: string, email: string): Promise<{ erased_invitees: number; bookings: number }> {
    const result = await this.repo.transaction(async (m) => {
      const erased = await this.repo.eraseInvitee(m, hostId, email);
      if (erased.inviteeIds.length > 0) {
        await this.audit.record(
          {
            occurredAt: this.clock.now(),
            actorType: 'host',
            actorId: hostId,
            action: 'invitee.erased',
            bookingId: null,
            subjectUserIds: [hostId],
            details: { invitee_ids: erased.inviteeIds, booking_ids: erased.bookingIds },
          },
          m,
        );
      }
      return erased;
    });
    return { erased_invitees: result.inviteeIds.length, bookings: result.bookingIds.length };
  }
}
