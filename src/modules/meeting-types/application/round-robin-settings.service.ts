import { Injectable } from '@nestjs/common';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { conflict, notFound } from '../../../shared/http/domain-error.js';
import type { MeetingTypeHost } from '../domain/meeting-type.js';
import { MeetingTypesRepository } from '../infrastructure/meeting-types.repository.js';
import { type HostSettingsChanges, RoundRobinSettingsRepository } from '../infrastructure/round-robin-settings.repository.js';

export type RoundRobinPeriodSetting = 'calendar_month' | 'rolling_30_days';

/**
 * A round-robin type's per-host weight, priority, fallback flag and cap, and its counting period (issue #19 part 3).
 * Only the type's owner changes them; another host's type, or a user who is not its host, is 404.
 */
@Injectable()
export class RoundRobinSettingsService {
  constructor(
    private readonly types: MeetingTypesRepository,
    private readonly settings: RoundRobinSettingsRepository,
    private readonly versions: AvailabilityVersions,
  ) {}

  async setHost(ownerId: string, typeId: string, userId: string, changes: HostSettingsChanges): Promise<MeetingTypeHost> {
    await this.roundRobinType(ownerId, typeId);
    const host = await this.settings.updateHost(ownerId, typeId, userId, changes);
    if (!host) throw notFound('host of this meeting type');
    // A cap decides which times the slots offer (round-robin-cap.ts): cached slots and the type's snapshot go stale.
    await this.versions.bump([userId], [typeId]);
    return host;
  }

  async setPeriod(ownerId: string, typeId: string, period: RoundRobinPeriodSetting): Promise<void> {
    const hostIds = await this.roundRobinType(ownerId, typeId);
    if (!(await this.settings.updatePeriod(ownerId, typeId, period))) throw notFound('meeting type');
    // The period decides which bookings count against the hosts' caps.
    await this.versions.bump(hostIds, [typeId]);
  }

  /** The type's host ids, once it is known to be the owner's round-robin type. */
  private async roundRobinType(ownerId: string, typeId: string): Promise<string[]> {
    const type = await this.types.findOwned(typeId, ownerId);
    if (!type) throw notFound('meeting type');
    if (type.snapshot.kind !== 'round_robin') throw conflict('only a round_robin meeting type ranks its hosts');
    return type.snapshot.hosts.map((h) => h.userId);
  }
}
