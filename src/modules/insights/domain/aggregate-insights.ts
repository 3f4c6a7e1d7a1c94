// The insights figures (issue #18), from rows the repository read for one host and range. Pure: every date is
// decided here, in the host's zone, so the SQL only has to bound the rows by instants.
//
// What each figure counts (the API and the page say the same):
// - created: bookings made in the week (created_at), one per booking however often it was moved later (the first
//   booking of a reschedule chain), whatever became of it;
// - cancelled, no-shows: meetings scheduled in the week (their start) that were cancelled / whose invitees were
//   marked as no-shows (one per invitee marked);
// - heatmap: meetings that take or took place (confirmed or pending), by local weekday and hour of their start;
// - rates over the range: of the meetings scheduled in it (the current booking of each, requests declined or
//   expired unanswered left out), how many were cancelled, and how many were moved at least once;
// - conversion: bookings made in the range per booking page view counted in it.
import { dateOfDayNumber, dayOfWeekOfDayNumber, localDayNumberOf, offsetAt } from '../../availability/domain/wall-clock.js';
import { type InsightsRange, weekStartOf, weeksOf } from './insights-range.js';

export interface InsightsBookingRow {
  startMs: number;
  createdMs: number;
  status: 'pending' | 'confirmed' | 'cancelled' | 'rescheduled' | 'declined' | 'expired';
  /** The booking replaced an earlier one (a reschedule). */
  rescheduledFrom: boolean;
  /** Invitees of this booking marked as no-shows. */
  noShows: number;
}

export interface RoundRobinRow {
  meetingTypeId: string;
  meetingTypeName: string;
  teamId: string;
  teamName: string;
  hosts: { userId: string; name: string; bookings: number }[];
}

export interface WeekFigures {
  weekStart: string;
  created: number;
  cancelled: number;
  noShows: number;
}

export interface Insights {
  range: { from: string; to: string; timeZone: string; weekStart: number };
  totals: {
    created: number;
    meetings: number;
    cancelled: number;
    rescheduled: number;
    noShows: number;
    pageViews: number;
    /** created / pageViews; null without views. */
    conversionRate: number | null;
    /** cancelled / meetings; null without meetings. */
    cancellationRate: number | null;
    /** rescheduled / meetings; null without meetings. */
    rescheduleRate: number | null;
  };
  weeks: WeekFigures[];
  /** 7 rows from the host's week start (weekday 0 = Sunday) of 24 hourly counts. */
  heatmap: { weekday: number; hours: number[] }[];
  heatmapMax: number;
  roundRobin: {
    meetingTypeId: string;
    meetingTypeName: string;
    teamId: string;
    teamName: string;
    total: number;
    hosts: { userId: string; name: string; bookings: number; share: number | null }[];
  }[];
}

const TAKES_PLACE = new Set(['confirmed', 'pending']);
const NOT_A_MEETING = new Set(['rescheduled', 'declined', 'expired']);

/** A ratio rounded to 4 decimals (what JSON carries), null when there is nothing to divide by. */
export const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

export function aggregateInsights(input: {
  range: InsightsRange;
  bookings: readonly InsightsBookingRow[];
  pageViews: readonly { day: string; views: number }[];
  roundRobin: readonly RoundRobinRow[];
}): Insights {
  const { range } = input;
  const tz = range.timeZone;
  const weeks = weeksOf(range);
  const byWeek = new Map<string, WeekFigures>(weeks.map((w) => [w, { weekStart: w, created: 0, cancelled: 0, noShows: 0 }]));
  const weekOf = (ms: number) => byWeek.get(dateOfWeek(localDayNumberOf(ms, tz), range.weekStart));
  const inRange = (ms: number) => ms >= range.startMs && ms < range.endMs;
  const heat = Array.from({ length: 7 }, () => new Array<number>(24).fill(0)); // by weekday 0 = Sunday
  const totals = { created: 0, meetings: 0, cancelled: 0, rescheduled: 0, noShows: 0 };

  for (const b of input.bookings) {
    if (inRange(b.createdMs) && !b.rescheduledFrom) {
      totals.created++;
      const week = weekOf(b.createdMs);
      if (week) week.created++;
    }
    if (!inRange(b.startMs)) continue;
    const week = weekOf(b.startMs);
    if (!NOT_A_MEETING.has(b.status)) {
      totals.meetings++;
      if (b.rescheduledFrom) totals.rescheduled++;
    }
    if (b.status === 'cancelled') {
      totals.cancelled++;
      if (week) week.cancelled++;
    }
    if (b.noShows > 0) {
      totals.noShows += b.noShows;
      if (week) week.noShows += b.noShows;
    }
    if (TAKES_PLACE.has(b.status)) {
      // The local wall time of the start (an hour that happens twice on a fall-back night counts under that hour).
      const localMs = b.startMs + offsetAt(b.startMs, tz);
      const day = Math.floor(localMs / 86_400_000);
      const hour = Math.floor((localMs - day * 86_400_000) / 3_600_000);
      heat[dayOfWeekOfDayNumber(day)][hour]++;
    }
  }

  const pageViews = input.pageViews.reduce((sum, v) => (v.day >= range.from && v.day <= range.to ? sum + v.views : sum), 0);
  const heatmap = Array.from({ length: 7 }, (_, i) => {
    const weekday = (range.weekStart + i) % 7;
    return { weekday, hours: heat[weekday] };
  });
  return {
    range: { from: range.from, to: range.to, timeZone: tz, weekStart: range.weekStart },
    totals: {
      ...totals,
      pageViews,
      conversionRate: ratio(totals.created, pageViews),
      cancellationRate: ratio(totals.cancelled, totals.meetings),
      rescheduleRate: ratio(totals.rescheduled, totals.meetings),
    },
    weeks: [...byWeek.values()],
    heatmap,
    heatmapMax: Math.max(0, ...heat.flat()),
    roundRobin: input.roundRobin.map((t) => {
      const total = t.hosts.reduce((sum, h) => sum + h.bookings, 0);
      return { ...t, total, hosts: t.hosts.map((h) => ({ ...h, share: ratio(h.bookings, total) })) };
    }),
  };
}

function dateOfWeek(day: number, weekStart: number): string {
  return dateOfDayNumber(weekStartOf(day, weekStart));
}

/** Exposed for tests: the week (its first local day) an instant falls in. */
export function weekOfInstant(ms: number, timeZone: string, weekStart: number): string {
  return dateOfWeek(localDayNumberOf(ms, timeZone), weekStart);
}
