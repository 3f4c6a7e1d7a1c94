import { Injectable } from '@nestjs/common';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { invalidFields } from '../../../shared/http/domain-error.js';
import { DEFAULT_HOST_LIMITS, type HostLimitsSettings, hostLimitsProblems } from '../domain/host-limits.js';
import { HostLimitsRepository } from '../infrastructure/host-limits.repository.js';

export type { HostLimitsSettings } from '../domain/host-limits.js';

/** A host's caps across all their meeting types and their week start (the slot engine reads them with the hours). */
@Injectable()
export class HostLimitsService {
  constructor(
    private readonly limits: HostLimitsRepository,
    private readonly versions: AvailabilityVersions,
  ) {}

  /** The host's settings; the defaults (no caps, weeks from Monday) until first set. */
  async get(userId: string): Promise<HostLimitsSettings & { updatedAt: Date | null }> {
    return (await this.limits.find(userId)) ?? { ...DEFAULT_HOST_LIMITS, updatedAt: null };
  }

  /** PUT: fields not sent keep their value, null clears a cap (week_start: back to monday). */
  async update(userId: string, changes: { [K in keyof HostLimitsSettings]?: HostLimitsSettings[K] | null }) {
    const { updatedAt: _updatedAt, ...next } = await this.get(userId);
    for (const key of Object.keys(DEFAULT_HOST_LIMITS) as (keyof HostLimitsSettings)[]) {
      const sent = changes[key];
      if (sent !== undefined) (next as Record<string, unknown>)[key] = sent ?? DEFAULT_HOST_LIMITS[key];
    }
    const problems = hostLimitsProblems(next);
    if (problems.length > 0) throw invalidFields(problems);
    const saved = await this.limits.save(userId, next);
    // Slots of every type the host hosts depend on these: cached ones must not be served again.
    await this.versions.bump([userId]);
    return saved;
  }
}
