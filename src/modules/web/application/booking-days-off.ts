import { Injectable } from '@nestjs/common';
import { HolidaysService } from '../../availability/application/holidays.service.js';
import { TimeOffService } from '../../availability/application/time-off.service.js';
import type { MeetingTypeSnapshot } from '../../meeting-types/domain/meeting-type.js';
import { type OffRange, datesOff } from '../domain/days-off.js';

/**
 * The booking calendar's "unavailable" days: of the dates that offer no times, those the hosts are away (time off or
 * a holiday they take). Only the ranges are read, never the reason: invitees see it in the away notice, if at all.
 */
@Injectable()
export class BookingDaysOff {
  constructor(
    private readonly timeOff: TimeOffService,
    private readonly holidays: HolidaysService,
  ) {}

  async of(type: MeetingTypeSnapshot, dates: string[], zone: string): Promise<Set<string>> {
    if (dates.length === 0) return new Set();
    const sorted = [...dates].sort();
    // A day either side covers any zone's shift of the first and last dates.
    const from = new Date(Date.parse(`${sorted[0]}T00:00:00Z`) - 86_400_000);
    const to = new Date(Date.parse(`${sorted[sorted.length - 1]}T00:00:00Z`) + 2 * 86_400_000);
    const hosts = await Promise.all(type.hosts.map((h) => this.rangesOf(h.userId, from, to)));
    return datesOff(sorted, zone, hosts, type.kind === 'collective');
  }

  private async rangesOf(hostId: string, from: Date, to: Date): Promise<OffRange[]> {
    const ranges: OffRange[] = (await this.timeOff.list(hostId, { from, to }, 200)).map((r) => ({ start: r.start, end: r.end }));
    const years = [...new Set([from.getUTCFullYear(), to.getUTCFullYear()])];
    for (const y of years) {
      const { holidays } = await this.holidays.year(hostId, y);
      ranges.push(...holidays.map((h) => ({ start: h.start, end: h.end })));
    }
    return ranges;
  }
}
