import { fromZonedTime } from 'date-fns-tz';

/** One busy (or free) range to store in calendar_events_cache. */
export interface Occurrence {
  /** Provider id of the event (or instance); several occurrences of one series may share it (start differs). */
  externalEventId: string;
  start: Date;
  end: Date;
  allDay: boolean;
  /** False for transparent/free and declined events: stored, but they do not block availability. */
  busy: boolean;
  status: 'confirmed' | 'tentative';
  /** Set when the event carries our booking id (an event we wrote): not cached as foreign busy time. */
  bookingId?: string;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** An all-day event covers the host's local days [startDate, endDate) as real instants in the host's zone. */
export function allDayRange(startDate: string, endDate: string, timeZone: string): { start: Date; end: Date } {
  if (!isoDate.test(startDate) || !isoDate.test(endDate)) throw new Error(`bad all-day dates ${startDate}..${endDate}`);
  const start = fromZonedTime(`${startDate}T00:00:00`, timeZone);
  let end = fromZonedTime(`${endDate}T00:00:00`, timeZone);
  if (end.getTime() <= start.getTime()) end = fromZonedTime(`${addDays(startDate, 1)}T00:00:00`, timeZone);
  return { start, end };
}

/** A wall-clock time in `timeZone` as an instant (date-fns-tz: gaps move forward, overlaps take the earlier). */
export function wallToInstant(date: string, time: string, timeZone: string): Date {
  return fromZonedTime(`${date}T${time}`, timeZone);
}

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function isKnownZone(zone: string | undefined | null): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Keeps occurrences that overlap [from, to). */
export function withinWindow(occurrences: Occurrence[], from: Date, to: Date): Occurrence[] {
  return occurrences.filter((o) => o.end.getTime() > from.getTime() && o.start.getTime() < to.getTime());
}
