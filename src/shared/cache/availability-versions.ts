import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { CacheStore } from './cache-store.js';

/** Timers may fire a little early and clocks run at slightly different rates: the stepping writer waits this extra. */
const LEASE_MARGIN_MS = 50;
/** Names the store's current contents (see currentForType); when it expires, a new one costs one round of misses. */
const INCARNATION_KEY = 'avail-incarnation';
const INCARNATION_TTL_SECONDS = 30 * 24 * 3600;

/**
 * A version number per host that every change to that host's availability bumps (booking, cancellation, rule
 * change, calendar sync). Cached slots are keyed by the versions they were computed from, so a bump makes every
 * stale entry unreachable at once, on every replica.
 *
 * Redis can miss a bump (down, or slower than its command timeout) while the change itself is committed in
 * PostgreSQL. Then the bump is recorded as a step of one epoch row in PostgreSQL instead, and the epoch is part of
 * every version list read from a store that can fail: entries cached before the missed bump never match again, on
 * any replica, once Redis is back (docs/adr/0007-redis-degradation.md). Neither method ever throws: a version list
 * that cannot be read is a fresh random token, which matches no entry, so the caller computes uncached.
 *
 * The epoch is leased, so a cache hit touches no PostgreSQL: a replica reuses the epoch it read for
 * SLOT_CACHE_EPOCH_LEASE_MS (counted from before the read), and the writer that steps it waits that long (plus a
 * margin) before it returns. So once a missed bump's request has answered, no replica still holds the old epoch:
 * the same guarantee as reading the row on every lookup. A Redis flush or restart needs nothing more (entries and
 * versions come back together or not at all; the epoch lives in PostgreSQL).
 */
@Injectable()
export class AvailabilityVersions {
  private readonly logger = new Logger('AvailabilityVersions');
  /** A missed bump whose epoch step could not be written either (PostgreSQL also down): no entry is usable. */
  private epochStepOwed = false;
  /** The epoch last read and when (performance.now()) that read was sent; valid for the lease from then. */
  private leased: { epoch: string; sentAt: number } | null = null;
  /** The epoch read under way (concurrent lookups share it). */
  private reading: Promise<string> | null = null;

  constructor(
    private readonly cache: CacheStore,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  private key(hostId: string) {
    return `avail-ver:${hostId}`;
  }

  private typeKey(typeId: string) {
    return `type-ver:${typeId}`;
  }

  /**
   * Never throws: it runs after COMMIT, when the change is already decided. `typeIds`: meeting types whose own
   * settings changed (their snapshots are reused by the slots path while their version stands).
   */
  async bump(hostIds: Iterable<string>, typeIds: Iterable<string> = []): Promise<void> {
    const keys = [...[...new Set(hostIds)].map((id) => this.key(id)), ...[...new Set(typeIds)].map((id) => this.typeKey(id))];
    if (keys.length === 0) return;
    const results = await Promise.allSettled(keys.map((key) => this.cache.increment(key)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (!failed) return;
    this.logger.warn(`version bump not written to the cache (${(failed.reason as Error).message}); stepping the epoch in PostgreSQL`);
    this.epochStepOwed = true;
    await this.stepEpoch();
  }

  /**
   * Current versions in one round trip, in the order given ("0" for a host never bumped), followed by the
   * PostgreSQL epoch when the store can fail. A token that matches nothing when they cannot be read.
   */
  async current(hostIds: string[]): Promise<string[]> {
    return (await this.read(hostIds.map((id) => this.key(id))))?.map((v) => v ?? '0') ?? this.unusable();
  }

  /**
   * In the same round trip: `hosts`, what current(hostIds) gives; and `type`, one token for everything a meeting type
   * snapshot depends on (the type's own version, its owner's and its hosts', the epoch): every write that changes
   * the snapshot bumps one of them (type writes, a host leaving the team, an account or schedule deleted). `type` is
   * null when the versions cannot be read.
   *
   * Snapshots are kept in process memory, which a Redis flush or restart does not clear, and versions start again
   * from 0 after one: so the token also carries the store's incarnation, a random value that a flushed store no
   * longer holds. The first reader to find it missing writes a new one (racing writers only cost misses).
   */
  async currentForType(typeId: string, ownerId: string, hostIds: string[]): Promise<{ type: string | null; hosts: string[] }> {
    const values = await this.read([INCARNATION_KEY, this.typeKey(typeId), this.key(ownerId), ...hostIds.map((id) => this.key(id))]);
    if (values === null) return { type: null, hosts: this.unusable() };
    const hosts = values.slice(3).map((v) => v ?? '0');
    if (values[0] === null) {
      await this.cache.trySet(INCARNATION_KEY, randomUUID(), INCARNATION_TTL_SECONDS);
      return { type: null, hosts };
    }
    return { type: values.map((v) => v ?? '0').join('.'), hosts };
  }

  /** The values of `keys` (null when never bumped), then the epoch when the store can fail; null when unreadable. */
  private async read(keys: string[]): Promise<(string | null)[] | null> {
    try {
      if (!this.cache.canFail) return await this.cache.getMany(keys);
      if (this.epochStepOwed && !(await this.stepEpoch())) return null;
      const [values, epoch] = await Promise.all([this.cache.getMany(keys), this.readEpoch()]);
      return [...values, `e${epoch}`];
    } catch {
      return null;
    }
  }

  private unusable(): string[] {
    return [`unavailable-${randomUUID()}`];
  }

  /** The leased epoch while its lease runs (renewed in the background past half of it), else a fresh read. */
  private async readEpoch(): Promise<string> {
    const lease = this.config.slotCacheEpochLeaseMs;
    const held = this.leased;
    const age = held ? performance.now() - held.sentAt : Infinity;
    if (held && age < lease) {
      if (age > lease / 2) this.loadEpoch().catch(() => undefined);
      return held.epoch;
    }
    return this.loadEpoch();
  }

  private loadEpoch(): Promise<string> {
    if (this.reading) return this.reading;
    const sentAt = performance.now();
    this.reading = this.dataSource
      .query<{ epoch: string }[]>(`SELECT epoch::text AS epoch FROM availability_cache_epoch WHERE id = 1`)
      .then((rows) => {
        const epoch = rows.at(0)?.epoch ?? '0';
        this.leased = { epoch, sentAt };
        return epoch;
      })
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }

  private async stepEpoch(): Promise<boolean> {
    try {
      await this.dataSource.query(`UPDATE availability_cache_epoch SET epoch = epoch + 1 WHERE id = 1`);
      this.epochStepOwed = false;
      this.leased = null;
      // Every replica's lease on the old epoch ends within this wait (leases count from before their read).
      const lease = this.config.slotCacheEpochLeaseMs;
      if (lease > 0) await new Promise((resolve) => setTimeout(resolve, lease + LEASE_MARGIN_MS));
      return true;
    } catch (error) {
      this.logger.error(
        `could not step the cache epoch either (${(error as Error).message}); this instance serves slots uncached until it can`,
      );
      return false;
    }
  }
}
