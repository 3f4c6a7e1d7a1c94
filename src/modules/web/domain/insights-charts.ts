// Geometry of the insights page's inline SVG charts (issue #18): numbers in, shapes and labels out, so the template
// only draws. Pure; the page also renders every figure as a table, which is what screen readers read.
import type { Insights } from '../../insights/domain/aggregate-insights.js';

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The charts' words (English here; the admin passes the host's language). */
export interface ChartWords {
  series: Record<'created' | 'cancelled' | 'noShows', string>;
  bar: (series: 'created' | 'cancelled' | 'noShows', week: string, count: number) => string;
  weeksDescription: (weeks: number, start: string, peak: string) => string;
  noWeeks: string;
  peakNone: string;
  peak: (count: number, week: string) => string;
  heatCell: (slot: string, count: number) => string;
  busiest: (slot: string, count: number) => string;
  noMeetings: string;
  /** From Sunday (weekday 0): the row label and the full name. */
  weekdays: Array<{ short: string; long: string }>;
  shortDate: (date: string) => string;
}

/** "22 Mar" for '2027-03-22' (no zone involved: it is a local date already). */
export function shortDate(date: string): string {
  const [, month, day] = date.split('-').map(Number);
  return `${day} ${SHORT_MONTHS[month - 1]}`;
}

/** The smallest "nice" axis maximum (1, 2, 5 × 10^n) at or above `value`, and at least 1. */
export function niceMax(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

export const percent = (rate: number | null): string => (rate === null ? '—' : `${(Math.round(rate * 1000) / 10).toString()}%`);

export const ENGLISH_CHART_WORDS: ChartWords = {
  series: { created: 'Created', cancelled: 'Cancelled', noShows: 'No-shows' },
  bar: (series, week, count) => `Week of ${week}: ${count} ${ENGLISH_CHART_WORDS.series[series].toLowerCase()}`,
  weeksDescription: (weeks, start, peak) => `${weeks} weeks from ${start}. Peak week: ${peak}.`,
  noWeeks: 'No weeks in this range.',
  peakNone: 'no bookings made',
  peak: (count, week) => `${count} bookings made in the week of ${week}`,
  heatCell: (slot, count) => `${slot}: ${count} ${count === 1 ? 'meeting' : 'meetings'}`,
  busiest: (slot, count) => `Busiest: ${slot} with ${count}.`,
  noMeetings: 'No meetings in this range.',
  weekdays: WEEKDAY_NAMES.map((long) => ({ short: long.slice(0, 3), long })),
  shortDate,
};

const SERIES = [
  { key: 'created', cls: 'created' },
  { key: 'cancelled', cls: 'cancelled' },
  { key: 'noShows', cls: 'noshow' },
] as const;

export interface WeekBarChart {
  width: number;
  height: number;
  baseline: number;
  plotLeft: number;
  plotRight: number;
  ticks: { y: number; label: string }[];
  groups: {
    label: string;
    labelX: number;
    showLabel: boolean;
    bars: { x: number; y: number; width: number; height: number; cls: string; title: string }[];
  }[];
  legend: { label: string; cls: string; x: number }[];
  description: string;
}

/** Grouped bars per week: created, cancelled, no-shows; a y axis of whole numbers; at most ~13 week labels. */
export function weekBarChart(weeks: Insights['weeks'], words: ChartWords = ENGLISH_CHART_WORDS): WeekBarChart {
  const day = words.shortDate;
  const width = 720;
  const height = 260;
  const plotLeft = 40;
  const plotRight = width - 8;
  const top = 28;
  const baseline = height - 28;
  const max = niceMax(Math.max(0, ...weeks.flatMap((w) => [w.created, w.cancelled, w.noShows])));
  const scale = (n: number) => ((baseline - top) * n) / max;
  const groupWidth = (plotRight - plotLeft) / Math.max(1, weeks.length);
  const barWidth = Math.max(1, (groupWidth * 0.78) / SERIES.length);
  const labelEvery = Math.ceil(weeks.length / 13);
  const tickValues = max <= 4 ? Array.from({ length: max + 1 }, (_, i) => i) : [0, max / 2, max].filter(Number.isInteger);
  return {
    width,
    height,
    baseline,
    plotLeft,
    plotRight,
    ticks: tickValues.map((v) => ({ y: round(baseline - scale(v)), label: String(v) })),
    groups: weeks.map((w, i) => {
      const x0 = plotLeft + i * groupWidth + groupWidth * 0.11;
      return {
        label: day(w.weekStart),
        labelX: round(plotLeft + (i + 0.5) * groupWidth),
        showLabel: i % labelEvery === 0,
        bars: SERIES.map((s, j) => ({
          x: round(x0 + j * barWidth),
          y: round(baseline - scale(w[s.key])),
          width: round(barWidth),
          height: round(scale(w[s.key])),
          cls: s.cls,
          title: words.bar(s.key, day(w.weekStart), w[s.key]),
        })),
      };
    }),
    legend: SERIES.map((s, i) => ({ label: words.series[s.key], cls: s.cls, x: plotLeft + i * 110 })),
    description: weeks.length ? words.weeksDescription(weeks.length, day(weeks[0].weekStart), peakWeek(weeks, words)) : words.noWeeks,
  };
}

function peakWeek(weeks: Insights['weeks'], words: ChartWords): string {
  const best = weeks.reduce((a, b) => (b.created > a.created ? b : a));
  return best.created === 0 ? words.peakNone : words.peak(best.created, words.shortDate(best.weekStart));
}

export interface Heatmap {
  width: number;
  height: number;
  left: number;
  top: number;
  cell: { width: number; height: number };
  hours: { x: number; label: string }[];
  rows: { y: number; label: string; name: string; cells: { x: number; level: number; count: number; title: string }[] }[];
  description: string;
  /** The same as a table: one row per weekday, 24 columns. */
  table: { name: string; hours: number[] }[];
}

/** Weekday × hour cells, shaded in five levels of the busiest cell. */
export function heatmap(rows: Insights['heatmap'], max: number, words: ChartWords = ENGLISH_CHART_WORDS): Heatmap {
  const left = 44;
  const top = 22;
  const cell = { width: 26, height: 24 };
  const level = (n: number) => (n === 0 ? 0 : Math.max(1, Math.ceil((4 * n) / Math.max(1, max))));
  let busiest = { count: 0, text: '' };
  const built = rows.map((r, i) => {
    const name = words.weekdays[r.weekday].long;
    return {
      y: top + i * cell.height,
      label: words.weekdays[r.weekday].short,
      name,
      cells: r.hours.map((count, hour) => {
        const text = `${name} ${String(hour).padStart(2, '0')}:00`;
        if (count > busiest.count) busiest = { count, text };
        return {
          x: left + hour * cell.width,
          level: level(count),
          count,
          title: words.heatCell(text, count),
        };
      }),
    };
  });
  return {
    width: left + 24 * cell.width + 2,
    height: top + 7 * cell.height + 2,
    left,
    top,
    cell,
    hours: Array.from({ length: 8 }, (_, i) => ({ x: left + i * 3 * cell.width + cell.width / 2, label: String(i * 3).padStart(2, '0') })),
    rows: built,
    description: busiest.count ? words.busiest(busiest.text, busiest.count) : words.noMeetings,
    table: built.map((r) => ({ name: r.name, hours: r.cells.map((c) => c.count) })),
  };
}

export interface RoundRobinChart {
  name: string;
  team: string;
  total: number;
  width: number;
  height: number;
  rows: { y: number; name: string; bookings: number; share: string; barWidth: number; labelX: number }[];
}

/** One horizontal bar per host of a round-robin type, its length the host's share of the type's meetings. */
export function roundRobinCharts(types: Insights['roundRobin']): RoundRobinChart[] {
  const barLeft = 150;
  const barMax = 420;
  const rowHeight = 30;
  return types.map((t) => ({
    name: t.meetingTypeName,
    team: t.teamName,
    total: t.total,
    width: barLeft + barMax + 110,
    height: Math.max(1, t.hosts.length) * rowHeight + 4,
    rows: t.hosts.map((h, i) => {
      const barWidth = round(barMax * (h.share ?? 0));
      return {
        y: 4 + i * rowHeight,
        name: h.name,
        bookings: h.bookings,
        share: percent(h.share),
        barWidth,
        labelX: barLeft + barWidth + 8,
      };
    }),
  }));
}

const round = (n: number) => Math.round(n * 10) / 10;
