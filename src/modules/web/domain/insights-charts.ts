// Geometry of the insights page's inline SVG charts (issue #18): numbers in, shapes and labels out, so the template
// only draws. Pure; the page also renders every figure as a table, which is what screen readers read.
import type { Insights } from '../../insights/domain/aggregate-insights.js';

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

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

const SERIES = [
  { key: 'created', label: 'Created', cls: 'created' },
  { key: 'cancelled', label: 'Cancelled', cls: 'cancelled' },
  { key: 'noShows', label: 'No-shows', cls: 'noshow' },
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
export function weekBarChart(weeks: Insights['weeks']): WeekBarChart {
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
        label: shortDate(w.weekStart),
        labelX: round(plotLeft + (i + 0.5) * groupWidth),
        showLabel: i % labelEvery === 0,
        bars: SERIES.map((s, j) => ({
          x: round(x0 + j * barWidth),
          y: round(baseline - scale(w[s.key])),
          width: round(barWidth),
          height: round(scale(w[s.key])),
          cls: s.cls,
          title: `Week of ${shortDate(w.weekStart)}: ${w[s.key]} ${s.label.toLowerCase()}`,
        })),
      };
    }),
    legend: SERIES.map((s, i) => ({ label: s.label, cls: s.cls, x: plotLeft + i * 110 })),
    description: weeks.length
      ? `${weeks.length} weeks from ${shortDate(weeks[0].weekStart)}. Peak week: ${peakWeek(weeks)}.`
      : 'No weeks in this range.',
  };
}

function peakWeek(weeks: Insights['weeks']): string {
  const best = weeks.reduce((a, b) => (b.created > a.created ? b : a));
  return best.created === 0 ? 'no bookings made' : `${best.created} bookings made in the week of ${shortDate(best.weekStart)}`;
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
export function heatmap(rows: Insights['heatmap'], max: number): Heatmap {
  const left = 44;
  const top = 22;
  const cell = { width: 26, height: 24 };
  const level = (n: number) => (n === 0 ? 0 : Math.max(1, Math.ceil((4 * n) / Math.max(1, max))));
  let busiest = { count: 0, text: '' };
  const built = rows.map((r, i) => {
    const name = WEEKDAY_NAMES[r.weekday];
    return {
      y: top + i * cell.height,
      label: name.slice(0, 3),
      name,
      cells: r.hours.map((count, hour) => {
        const text = `${name} ${String(hour).padStart(2, '0')}:00`;
        if (count > busiest.count) busiest = { count, text };
        return {
          x: left + hour * cell.width,
          level: level(count),
          count,
          title: `${text}: ${count} ${count === 1 ? 'meeting' : 'meetings'}`,
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
    description: busiest.count ? `Busiest: ${busiest.text} with ${busiest.count}.` : 'No meetings in this range.',
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
