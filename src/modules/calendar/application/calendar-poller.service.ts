import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { Clock } from '../../../shared/clock/clock.js';
import { PeriodicJobs } from '../../../shared/scheduling/periodic-jobs.js';
import { CalendarIntegrationRepository } from '../infrastructure/calendar-integration.repository.js';
import { CalendarEventWriter } from './calendar-event-writer.service.js';
import { CalendarPush } from './calendar-push.service.js';
import { CalendarSyncService } from './calendar-sync.service.js';
import { HostCalendarChanges } from './host-calendar-changes.service.js';

/**
 * The polling fallback: every replica ticks once a minute, picks connections whose last sync is older than
 * CALENDAR_POLL_INTERVAL_SECONDS (10 minutes by default) and syncs each under its advisory lock (a connection held
 * by another replica is skipped), retries failed calendar writes, and renews push channels. Off in tests (they call
 * `tick()`), and when the interval is 0. A periodic job without a job-wide lock: the locks are per connection.
 */
@Injectable()
export class CalendarPoller implements OnApplicationBootstrap {
  constructor(
    private readonly integrations: CalendarIntegrationRepository,
    private readonly sync: CalendarSyncService,
    private readonly writer: CalendarEventWriter,
    private readonly push: CalendarPush,
    private readonly hostChanges: HostCalendarChanges,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly jobs: PeriodicJobs,
  ) {}

  onApplicationBootstrap() {
    const seconds = this.config.calendarPollIntervalSeconds;
    if (seconds <= 0 || this.config.env.NODE_ENV === 'test') return;
    this.jobs.schedule({ name: 'calendar-poller', everyMs: Math.min(60, seconds) * 1000, run: () => this.tick() });
  }

  async tick(): Promise<{ synced: number }> {
    const now = this.clock.now();
    const due = await this.integrations.findDueForPolling(now, new Date(now.getTime() - this.config.calendarPollIntervalSeconds * 1000));
    let synced = 0;
    for (const id of due) {
      const outcome = await this.sync.syncIntegration(id);
      if (outcome.status === 'synced') synced++;
    }
    await this.writer.retryDue();
    await this.hostChanges.retryPendingCancellations();
    await this.push.renewDue();
    return { synced };
  }
}
