import { Injectable, Logger } from '@nestjs/common';

/** Brings the hosts' cached busy time up to date, within its own time bound; resolves when done or out of time. */
export type BusyTimeRefresher = (hostIds: string[]) => Promise<void>;

/**
 * The slots path's hook for fresher busy time (on-demand calendar sync). Availability cannot import calendar
 * (calendar sits downstream of booking, which sits downstream of availability), so calendar registers its refresher
 * here at start-up; without one this is a no-op. A refresher that fails is logged and ignored: slots are then
 * answered from what is cached, never with an error.
 */
@Injectable()
export class BusyTimeFreshness {
  private readonly logger = new Logger('BusyTimeFreshness');
  private refresher: BusyTimeRefresher | null = null;

  register(refresher: BusyTimeRefresher): void {
    this.refresher = refresher;
  }

  async refresh(hostIds: string[]): Promise<void> {
    if (!this.refresher || hostIds.length === 0) return;
    try {
      await this.refresher(hostIds);
    } catch (error) {
      this.logger.warn(`busy time refresh failed, answering from the cache: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
