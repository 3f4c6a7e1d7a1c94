// Occurrence starts of a recurring booking (issue #17 item 5). Pure: no clock, no I/O.
//
// Which zone: the booking's (the invitee's `time_zone`), as Cal.com's recurring event types do: a weekly 09:00 stays
// 09:00 for the person who booked it across a DST change, and the series' iCalendar (DTSTART;TZID=that zone with an
// RRULE) expands to exactly these instants in any client. The host's hours are applied to each start by the re-check,
// so an occurrence that moves out of them (the host's zone changed its offset on another date) is refused by name.
import type { RecurrenceFrequency } from '../../meeting-types/domain/meeting-type.js';
import type { BookingSeriesView } from './booking-views.js';
import { dateOfDayNumber, dayNumberOf, localDayNumberOf, offsetAt, wallDayToInstant } from '../../availability/domain/wall-clock.js';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

/** RFC 5545 RRULE parts for a frequency: FREQ and INTERVAL. */
export function rruleOf(frequency: RecurrenceFrequency, count: number): string {
  const [freq, interval] = frequency === 'monthly' ? ['MONTHLY', 1] : ['WEEKLY', frequency === 'every_two_weeks' ? 2 : 1];
  return `FREQ=${freq};INTERVAL=${interval};COUNT=${count}`;
}

/**
 * The first `count` starts of the series beginning at `firstStart`: the same wall-clock time in `timeZone` every week,
 * two weeks or month. Read as RFC 5545 reads DTSTART;TZID + RRULE: a wall time that does not exist on a date (the
 * spring-forward gap) moves forward by the gap's length, an ambiguous one (fall-back) is the earlier instant, and a
 * monthly date the month lacks (the 31st in April) is skipped, not moved, and not counted.
 */
export function occurrenceStarts(firstStart: Date, timeZone: string, frequency: RecurrenceFrequency, count: number): Date[] {
  const first = firstStart.getTime();
  const day = localDayNumberOf(first, timeZone);
  const localMs = first + offsetAt(first, timeZone) - day * DAY; // time of day, ms since local midnight
  const minute = Math.floor(localMs / MINUTE);
  const rest = localMs - minute * MINUTE;
  const at = (dayNumber: number) => new Date(wallDayToInstant(dayNumber, minute, timeZone) + rest);

  const starts: Date[] = [firstStart];
  if (frequency !== 'monthly') {
    const step = frequency === 'weekly' ? 7 : 14;
    for (let i = 1; i < count; i++) starts.push(at(day + i * step));
    return starts;
  }
  const [year, month, dayOfMonth] = dateOfDayNumber(day).split('-').map(Number);
  // Enough months for any count: a day-of-month of 29-31 is missing from at most 5 of 12 months.
  for (let m = 1; starts.length < count && m < count * 3; m++) {
    const y = year + Math.floor((month - 1 + m) / 12);
    const mm = ((month - 1 + m) % 12) + 1;
    const date = `${String(y).padStart(4, '0')}-${String(mm).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
    if (!isCalendarDate(y, mm, dayOfMonth)) continue;
    starts.push(at(dayNumberOf(date)));
  }
  return starts;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate(); // UTC calendar arithmetic, no zone involved
  return day <= daysInMonth;
}

/** A stored series and its members (every booking it ever had, moved ones included), as the view assembles them. */
export interface SeriesFacts {
  id: string;
  icalUid: string;
  frequency: RecurrenceFrequency;
  count: number;
  timeZone: string;
  durationMinutes: number;
  firstStart: Date;
  members: Array<{
    bookingId: string;
    position: number;
    status: BookingSeriesView['occurrences'][number]['status'];
    start: Date;
    end: Date;
    sequence: number;
  }>;
}

/**
 * The series as it is now: per position the booking that stands (a rescheduled one is replaced by its successor, so
 * the live one is the chain's last), where the rule put it, and a SEQUENCE that grows with any change: the sum of the
 * standing bookings' own sequences (a cancel or a move bumps exactly one of them).
 */
export function seriesView(facts: SeriesFacts): BookingSeriesView {
  const rule = occurrenceStarts(facts.firstStart, facts.timeZone, facts.frequency, facts.count);
  const standing = new Map<number, SeriesFacts['members'][number]>();
  for (const m of facts.members) {
    const current = standing.get(m.position);
    const better = !current || (current.status === 'rescheduled' && m.status !== 'rescheduled');
    if (better) standing.set(m.position, m);
  }
  const occurrences = [...standing.values()]
    .sort((a, b) => a.position - b.position)
    .map((m) => ({
      position: m.position,
      bookingId: m.bookingId,
      status: m.status,
      start: m.start,
      end: m.end,
      originalStart: rule[m.position] ?? m.start,
    }));
  return {
    id: facts.id,
    icalUid: facts.icalUid,
    frequency: facts.frequency,
    count: facts.count,
    timeZone: facts.timeZone,
    durationMinutes: facts.durationMinutes,
    firstStart: facts.firstStart,
    sequence: [...standing.values()].reduce((sum, m) => sum + m.sequence, 0),
    occurrences,
  };
}
