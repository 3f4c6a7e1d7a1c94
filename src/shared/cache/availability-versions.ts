import { Injectable } from '@nestjs/common';
import { CacheStore } from './cache-store.js';

/**
 * A version number per host that every change to that host's availability bumps (booking, cancellation, rule
 * change, calendar sync). Cached slots are keyed by the versions they were computed from, so a bump makes every
 * stale entry unreachable at once, on every replica.
 */
@Injectable()
export class AvailabilityVersions {
  constructor(private readonly cache: CacheStore) {}

  private key(hostId: string) {
    return `avail-ver:${hostId}`;
  }

  async bump(hostIds: Iterable<string>): Promise<void> {
    await Promise.all([...new Set(hostIds)].map((id) => this.cache.increment(this.key(id))));
  }

  /** Current versions in one round trip, in the order given ("0" for a host never bumped). */
  async current(hostIds: string[]): Promise<string[]> {
    const values = await this.cache.getMany(hostIds.map((id) => this.key(id)));
    return values.map((v) => v ?? '0');
  }
}
