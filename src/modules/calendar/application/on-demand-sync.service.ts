import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { Clock } from '../../../shared/clock/clock.js';
import { CalendarIntegrationRepository, type ConnectionSyncState } from '../infrastructure/calendar-integration.repository.js';
import { CalendarSyncService } from './calendar-sync.service.js';

/**
 * On-demand sync (spec: "Sync calendar when user requests availability"). A slots request for a host whose active
 * connection was last synced more than CALENDAR_ON_DEMAND_AFTER_SECONDS ago and has no live push channel starts an
 * incremental sync of it and waits for it at most CALENDAR_ON_DEMAND_WAIT_MS; the sync goes on after that, and a
 * change it finds bumps the host's availability version (CalendarSyncService), so a late result reaches the next
 * answer. Cheap on the warm path: each replica remembers per host when its connections can next become stale, so
 * the look-up (one statement) runs at most once per host per staleness period, not per request. Coalesced: one
 * sync per connection in this replica (joined by concurrent requests), one across replicas (the connection's
 * advisory sync lock: a connection another replica is syncing is skipped, its result bumps the version too).
 * Quotas: a connection the provider rate-limited (next_sync_at from Retry-After) is not synced before that time,
 * and a connection is synced on demand at most once per staleness period per replica (a token bucket of one).
 * Provider errors, hangs and look-up failures are logged, never thrown: the slots answer comes from the cache.
 */
@Injectable()
export class OnDemandSync {
  private readonly logger = new Logger('OnDemandSync');
  /** Per host: when (ms) its connections may next need a sync; a host absent here is looked up. */
  private readonly checkAgainAt = new Map<string, number>();
  /** Per host: the look-up and syncs under way for it and when (real ms) waiting for them ends for every request. */
  private readonly pending = new Map<string, { work: Promise<void>; waitUntil: number }>();
  /** Per connection: the sync under way in this replica. */
  private readonly running = new Map<string, Promise<void>>();
  /** On-demand syncs started by this replica (tests and diagnostics). */
  started = 0;

  constructor(
    private readonly integrations: CalendarIntegrationRepository,
    private readonly sync: CalendarSyncService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Syncs the hosts' stale connections, resolving when they are done or after the wait bound, whichever is first. */
  async refresh(hostIds: string[]): Promise<void> {
    const afterMs = this.config.calendarOnDemandAfterSeconds * 1000;
    if (afterMs <= 0) return;
    const now = this.clock.now().getTime();
    const due = hostIds.filter((id) => !this.pending.has(id) && (this.checkAgainAt.get(id) ?? 0) <= now);
    if (due.length > 0) {
      const started = { work: this.checkAndSync(due, now, afterMs), waitUntil: Date.now() + this.config.calendarOnDemandWaitMs };
      for (const id of due) this.pending.set(id, started);
      void started.work.finally(() => {
        for (const id of due) if (this.pending.get(id) === started) this.pending.delete(id);
      });
    }
    // Concurrent requests join the sync under way, up to the same deadline: a hanging provider delays requests
    // for at most the wait bound after the sync started, not each request that follows.
    const joined = [...new Set(hostIds.map((id) => this.pending.get(id)).filter((p) => p !== undefined))];
    const waitMs = Math.max(0, ...joined.map((p) => p.waitUntil)) - Date.now();
    if (waitMs <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    const outOfTime = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    try {
      await Promise.race([Promise.all(joined.map((p) => p.work)), outOfTime]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves when the on-demand syncs this replica started have finished (tests wait for late results with it). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  /** Never rejects: a failed look-up is retried after one staleness period. */
  private async checkAndSync(hostIds: string[], now: number, afterMs: number): Promise<void> {
    let connections: ConnectionSyncState[];
    try {
      connections = await this.integrations.findSyncStateOfHosts(hostIds, new Date(now));
    } catch (error) {
      this.logger.warn(`on-demand sync look-up failed: ${messageOf(error)}`);
      for (const id of hostIds) this.checkAgainAt.set(id, now + afterMs);
      return;
    }
    // With nothing stale, a host is looked up again when its first connection turns stale (or after one period).
    const next = new Map(hostIds.map((id) => [id, now + afterMs]));
    const syncs: Promise<void>[] = [];
    for (const c of connections) {
      // A live push channel keeps the connection fresh until it expires (it is renewed before that).
      const syncedStaleAt = (c.lastSyncedAt?.getTime() ?? 0) + afterMs;
      const staleAt = c.pushUntil ? Math.max(c.pushUntil.getTime(), syncedStaleAt) : syncedStaleAt;
      const allowedAt = c.nextSyncAt?.getTime() ?? 0;
      if (staleAt <= now && allowedAt <= now) {
        // Each sync holds a database connection (its advisory lock) for as long as the provider takes: a bounded
        // number at once, so hanging providers cannot drain the pool; the rest are tried on a later request.
        if (this.running.has(c.id) || this.running.size < MAX_RUNNING) syncs.push(this.syncOnce(c.id));
        else next.set(c.userId, Math.min(next.get(c.userId) ?? now + afterMs, now + 1000));
      } else next.set(c.userId, Math.min(next.get(c.userId) ?? now + afterMs, Math.max(staleAt, allowedAt, now + 1000)));
    }
    for (const [id, at] of next) this.checkAgainAt.set(id, at);
    await Promise.all(syncs);
  }

  private syncOnce(integrationId: string): Promise<void> {
    const existing = this.running.get(integrationId);
    if (existing) return existing;
    this.started++;
    const run = this.sync
      .syncIntegration(integrationId)
      .then((outcome) => {
        if (outcome.status !== 'synced' && outcome.status !== 'busy') {
          this.logger.warn(`on-demand sync of calendar connection ${integrationId}: ${outcome.status} ${outcome.error ?? ''}`.trim());
        } else {
          this.logger.debug(`on-demand sync of calendar connection ${integrationId}: ${outcome.status}`);
        }
      })
      .catch((error: unknown) => this.logger.warn(`on-demand sync of calendar connection ${integrationId} failed: ${messageOf(error)}`))
      .finally(() => this.running.delete(integrationId));
    this.running.set(integrationId, run);
    return run;
  }
}

/** On-demand syncs at once per replica. */
const MAX_RUNNING = 4;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
