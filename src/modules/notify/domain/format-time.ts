/** Wall-clock parts of an instant in a zone (Intl, never the server's local zone). */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: string;
  monthName: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  return f;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function localParts(instant: Date, zone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(instant)) parts[p.type] = p.value;
  const monthName = parts.month;
  return {
    year: Number(parts.year),
    month: MONTHS.indexOf(monthName) + 1,
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: parts.weekday,
    monthName,
  };
}

/** Offset of `zone` from UTC at `instant`, in minutes (east positive). */
export function offsetMinutes(instant: Date, zone: string): number {
  const p = localParts(instant, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

const pad = (n: number) => String(n).padStart(2, '0');
const dateLabel = (p: LocalParts) => `${p.weekday}, ${p.day} ${p.monthName} ${p.year}`;
const timeLabel = (p: LocalParts) => `${pad(p.hour)}:${pad(p.minute)}`;

/** "Tuesday, 9 March 2027, 10:00 (America/New_York)" */
export function formatInstant(instant: Date, zone: string): string {
  const p = localParts(instant, zone);
  return `${dateLabel(p)}, ${timeLabel(p)} (${zone})`;
}

/** "Tuesday, 9 March 2027, 10:00–10:30 (America/New_York)"; both dates when the range crosses midnight. */
export function formatRange(start: Date, end: Date, zone: string): string {
  const s = localParts(start, zone);
  const e = localParts(end, zone);
  const sameDay = s.year === e.year && s.month === e.month && s.day === e.day;
  return sameDay
    ? `${dateLabel(s)}, ${timeLabel(s)}–${timeLabel(e)} (${zone})`
    : `${dateLabel(s)}, ${timeLabel(s)} – ${dateLabel(e)}, ${timeLabel(e)} (${zone})`;
}

/** "in 1 hour", "in 24 hours", "in 30 minutes", "in 2 days". */
export function leadTimeLabel(offsetMinutes: number): string {
  if (offsetMinutes % 1440 === 0 && offsetMinutes >= 2880) return `in ${offsetMinutes / 1440} days`;
  if (offsetMinutes % 60 === 0) return offsetMinutes === 60 ? 'in 1 hour' : `in ${offsetMinutes / 60} hours`;
  return offsetMinutes === 1 ? 'in 1 minute' : `in ${offsetMinutes} minutes`;
}
