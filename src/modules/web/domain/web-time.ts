// Pure date helpers for the pages: wall-clock strings from instants in a zone (Intl, never the server's zone) and
// calendar arithmetic on "YYYY-MM-DD" strings (UTC day numbers, no zone involved).

import { canonicalTimeZone } from '../../../shared/validation/time-zone-name.js';

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date ("YYYY-MM-DD") of an instant in a zone. */
export function localDate(instant: Date | number, zone: string): string {
  let f = dateFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormatters.set(zone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(instant))) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** "9:30 AM" (h12) or "09:30" in the zone. */
export function formatClock(instant: Date | number, zone: string, h12: boolean): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hour: h12 ? 'numeric' : '2-digit',
    minute: '2-digit',
    hourCycle: h12 ? 'h12' : 'h23',
  }).format(new Date(instant));
}

/** "Tuesday, 9 March 2027" for an instant in a zone. */
export function formatLongDate(instant: Date | number, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(instant),
  );
}

/** "Tuesday, 9 March 2027" for a calendar date string. */
export function formatDateString(date: string): string {
  return formatLongDate(Date.parse(`${date}T12:00:00Z`), 'UTC');
}

/** "1 Mar 2027, 14:05" for an instant in a zone (status lines in the admin: last sync, token expiry, deliveries). */
export function formatDateTime(instant: Date | number, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(instant));
}

/** "March 2027" for "2027-03". */
export function formatMonth(month: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(Date.parse(`${month}-01T12:00:00Z`));
}

/** "Tuesday, 9 March 2027, 09:30 – 10:00 (Asia/Tokyo)". */
export function formatRange(start: Date, end: Date, zone: string, h12: boolean): string {
  return `${formatLongDate(start, zone)}, ${formatClock(start, zone, h12)} – ${formatClock(end, zone, h12)}`;
}

/**
 * A slot start sent back by the browser, or null. Instants outside years 1970-9999 are refused here: at the edge of
 * the Date range (+275760) adding the duration overflows to an invalid Date, and nothing there is bookable anyway.
 */
export function parseStart(text: string): Date | null {
  const ms = Date.parse(text);
  return Number.isNaN(ms) || ms < 0 || ms >= Date.UTC(10_000, 0, 1) ? null : new Date(ms);
}

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function isRealDate(date: string): boolean {
  if (!DATE_PATTERN.test(date)) return false;
  const d = new Date(`${date}T00:00:00Z`);
  return d.toISOString().slice(0, 10) === date;
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export interface CalendarDay {
  date: string;
  day: number;
  inMonth: boolean;
}

/** The weeks covering a month, padded with the neighbouring months' days; weeks start on `firstDay` (1 = Monday … 7 = Sunday). */
export function monthGrid(month: string, firstDay = 1): CalendarDay[][] {
  const first = Date.parse(`${month}-01T00:00:00Z`);
  const weekday = (new Date(first).getUTCDay() - (firstDay % 7) + 7) % 7; // days since the week's first day
  const last = Date.parse(`${lastDayOfMonth(month)}T00:00:00Z`);
  const weeks: CalendarDay[][] = [];
  let cursor = first - weekday * 86_400_000;
  while (cursor <= last) {
    const week: CalendarDay[] = [];
    for (let i = 0; i < 7; i++) {
      const date = new Date(cursor).toISOString().slice(0, 10);
      week.push({ date, day: Number(date.slice(8)), inMonth: date.startsWith(month) });
      cursor += 86_400_000;
    }
    weeks.push(week);
  }
  return weeks;
}

/** "UTC+09:00" style label of a zone's offset at an instant. */
export function offsetLabel(instant: Date | number, zone: string): string {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(new Date(instant))
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return name === 'GMT' ? 'UTC+00:00' : name.replace('GMT', 'UTC');
}

let zones: string[] | null = null;
/** Every IANA zone the runtime knows, for the zone pickers. */
export function allTimeZones(): string[] {
  // In the spelling zones are stored in ("Asia/Kolkata", not ICU's "Asia/Calcutta"), so a host's zone is found.
  if (!zones) {
    const names = Intl.supportedValuesOf('timeZone')
      .map((z) => canonicalTimeZone(z) ?? z)
      .filter((z) => z !== 'UTC');
    zones = ['UTC', ...[...new Set(names)].sort()];
  }
  return zones;
}
