import { offsetMinutes } from './format-time.js';

const DAY = 86_400_000;

export interface ZoneTransition {
  at: Date; // the instant the new offset starts
  fromMinutes: number;
  toMinutes: number;
}

/** Offset changes of `zone` in [from, to), found by a daily scan and a binary search to the minute. */
export function zoneTransitions(zone: string, from: Date, to: Date): ZoneTransition[] {
  const out: ZoneTransition[] = [];
  let t = from.getTime();
  let offset = offsetMinutes(new Date(t), zone);
  while (t < to.getTime()) {
    const next = Math.min(t + DAY, to.getTime());
    const nextOffset = offsetMinutes(new Date(next), zone);
    if (nextOffset !== offset) {
      let lo = t;
      let hi = next; // offset(lo) = offset, offset(hi) = nextOffset
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (mid === lo) break;
        if (offsetMinutes(new Date(mid), zone) === offset) lo = mid;
        else hi = mid;
      }
      out.push({ at: new Date(hi), fromMinutes: offset, toMinutes: nextOffset });
      offset = nextOffset;
    }
    t = next;
  }
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');
const icalOffset = (minutes: number) =>
  `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}${pad(Math.abs(minutes) % 60)}`;
const icalLocal = (instant: Date, offsetMin: number) => {
  const d = new Date(instant.getTime() + offsetMin * 60_000);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
};

/**
 * An RFC 5545 VTIMEZONE for an IANA zone, generated from the runtime's time-zone data: one STANDARD/DAYLIGHT
 * observance per actual transition from a year before `around` to two years after (no RRULEs, so historical rule
 * changes cannot be misrepresented). A zone without transitions in that window gets a single STANDARD observance.
 */
export function buildVTimezone(zone: string, around: Date, until?: Date): string {
  const year = around.getUTCFullYear();
  // A recurring series may run past the usual two years: its observances must cover its last occurrence too.
  const lastYear = Math.max(year + 1, until ? until.getUTCFullYear() : 0);
  const key = `${zone}|${year}|${lastYear}`;
  let text = built.get(key);
  if (text === undefined) {
    text = vtimezoneForYear(zone, year, around, lastYear);
    if (built.size >= MAX_BUILT) built.clear();
    built.set(key, text);
  }
  return text;
}

/**
 * The scan costs about a thousand Intl calls; every invitation and update of a booking would repeat it. The text
 * depends only on the zone and the year (the zone data is fixed for the process's lifetime), so it is kept.
 */
const built = new Map<string, string>();
const MAX_BUILT = 2_000;

function vtimezoneForYear(zone: string, year: number, around: Date, lastYear = year + 1): string {
  const from = new Date(Date.UTC(year - 1, 0, 1));
  const to = new Date(Date.UTC(lastYear + 1, 0, 1));
  const transitions = zoneTransitions(zone, from, to);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  if (transitions.length === 0) {
    const off = icalOffset(offsetMinutes(around, zone));
    lines.push('BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${off}`, `TZOFFSETTO:${off}`, 'END:STANDARD');
  } else {
    // The offset in force before the first transition, so the window's start is covered too.
    const first = transitions[0];
    lines.push(
      'BEGIN:STANDARD',
      `DTSTART:${icalLocal(from, first.fromMinutes)}`,
      `TZOFFSETFROM:${icalOffset(first.fromMinutes)}`,
      `TZOFFSETTO:${icalOffset(first.fromMinutes)}`,
      'END:STANDARD',
    );
    for (const tr of transitions) {
      const kind = tr.toMinutes > tr.fromMinutes ? 'DAYLIGHT' : 'STANDARD';
      lines.push(
        `BEGIN:${kind}`,
        `DTSTART:${icalLocal(tr.at, tr.fromMinutes)}`,
        `TZOFFSETFROM:${icalOffset(tr.fromMinutes)}`,
        `TZOFFSETTO:${icalOffset(tr.toMinutes)}`,
        `END:${kind}`,
      );
    }
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n') + '\r\n';
}
