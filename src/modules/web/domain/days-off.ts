// Which days of the booking calendar to mark "unavailable": days with no times on which the host is away (time off
// or a public holiday they take). Pure: ranges are instants, days are dates in the invitee's zone.
import { addDays, wallTimeToInstant } from '../../availability/domain/wall-clock.js';

export interface OffRange {
  start: number;
  end: number;
}

/**
 * The dates (of `dates`, in `zone`) that some off range of the hosts touches: all of them for a type any one host can
 * take (one on one, group, round robin), any of them for a collective one, which needs every host. A date only
 * partly away still counts: the caller asks only about dates that offer no times.
 */
export function datesOff(
  dates: readonly string[],
  zone: string,
  hosts: readonly (readonly OffRange[])[],
  everyHostNeeded: boolean,
): Set<string> {
  const off = new Set<string>();
  if (hosts.length === 0) return off;
  for (const date of dates) {
    const from = wallTimeToInstant(date, 0, zone);
    const to = wallTimeToInstant(addDays(date, 1), 0, zone);
    const away = (ranges: readonly OffRange[]) => ranges.some((r) => r.start < to && r.end > from);
    if (everyHostNeeded ? hosts.some(away) : hosts.every(away)) off.add(date);
  }
  return off;
}
