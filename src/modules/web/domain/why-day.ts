// The admin's "why am I unavailable?" day view: explanations of a day's starts (slot-explain.ts, one per row step)
// folded into bands of equal reasons, per host. Pure: no I/O, no clock.
import type { Explanation, ExplainReason } from '../../availability/domain/slot-explain.js';
import { zonedIso } from '../../availability/domain/wall-clock.js';

export type WhyTone = 'free' | 'hours' | 'busy' | 'away' | 'buffer' | 'rule';

const TONE: Record<string, WhyTone> = {
  outside_hours: 'hours',
  override: 'hours',
  not_on_grid: 'hours',
  busy_booking: 'busy',
  busy_calendar: 'busy',
  pending_approval: 'busy',
  held: 'busy',
  time_off: 'away',
  holiday: 'away',
  buffer_before: 'buffer',
  buffer_after: 'buffer',
};

const LABEL: Record<string, string> = {
  outside_hours: 'Outside your hours',
  override: 'Date override',
  not_on_grid: 'Between offered starts',
  busy_booking: 'Booked',
  busy_calendar: 'Calendar event',
  pending_approval: 'Awaiting approval',
  held: 'Held by an invitee',
  time_off: 'Time off',
  holiday: 'Holiday',
  buffer_before: 'Buffer before',
  buffer_after: 'Buffer after',
  minimum_notice: 'Too soon (notice)',
  booking_window: 'Beyond the booking window',
  seats_full: 'Seats full',
  daily_limit: 'Daily limit reached',
};

export interface WhyCell {
  tone: WhyTone;
  /** Short: "Booked", "Free". */
  label: string;
  /** Each reason with its source, e.g. 'Calendar event: the host's calendar "Work" has a busy event then (10:00–11:00)'. */
  details: string[];
}

export interface WhyBand {
  from: string;
  to: string;
  /** Share of the day, for the bar (percent, two decimals). */
  width: number;
  cells: WhyCell[];
}

const hm = (ms: number, zone: string) => zonedIso(ms, zone).slice(11, 16);

/** A cell's label by name (a reason code, "cap", "bookable", "free", "notBookable"): the page passes the host's language. */
export type WhyLabel = (name: string, values?: Record<string, string>) => string;

const EXTRA: Record<string, string> = { bookable: 'Bookable', free: 'Free', notBookable: 'Not bookable' };
const english: WhyLabel = (name, values) => (name === 'cap' ? `Cap reached (${values?.code ?? ''})` : (LABEL[name] ?? EXTRA[name]));

function labelOf(code: string, t: WhyLabel): string {
  return code in LABEL ? t(code) : t('cap', { code: code.replaceAll('_', ' ') });
}

function detailOf(r: ExplainReason, zone: string, named: boolean, t: WhyLabel): string {
  const parts = [named ? `${labelOf(r.code, t)}: ${r.message}` : r.message];
  if (r.detail?.holiday) parts.push(`(${r.detail.holiday})`);
  if (r.interval) {
    const sameDay = zonedIso(r.interval.start, zone).slice(0, 10) === zonedIso(r.interval.end - 1, zone).slice(0, 10);
    parts.push(
      sameDay
        ? `(${hm(r.interval.start, zone)}–${hm(r.interval.end, zone)})`
        : `(${zonedIso(r.interval.start, zone).slice(0, 16).replace('T', ' ')} – ${zonedIso(r.interval.end, zone).slice(0, 16).replace('T', ' ')})`,
    );
  }
  return parts.join(' ');
}

function cellOf(e: Explanation, hostId: string | null, zone: string, t: WhyLabel): WhyCell {
  // A team's per-host reasons carry hostId; the type's own (notice, a collective's grid) belong to every host.
  const reasons = e.reasons.filter((r) => hostId === null || r.hostId === undefined || r.hostId === hostId);
  if (reasons.length === 0) {
    return e.bookable || hostId !== null
      ? {
          tone: 'free',
          label: t(e.bookable ? 'bookable' : 'free'),
          details: [],
        }
      : { tone: 'hours', label: t('notBookable'), details: [] };
  }
  const first = reasons.find((r) => TONE[r.code] === 'away' || TONE[r.code] === 'busy') ?? reasons[0];
  return {
    tone: TONE[first.code] ?? 'rule',
    label: labelOf(first.code, t),
    details: reasons.map((r) => detailOf(r, zone, reasons.length > 1, t)),
  };
}

/** Bands of equal cells over the day's starts (`starts[i]` explained by `explanations[i]`, `stepMs` apart). */
export function whyBands(
  starts: number[],
  explanations: Explanation[],
  hostIds: (string | null)[],
  zone: string,
  stepMs: number,
  t: WhyLabel = english,
): WhyBand[] {
  const bands: WhyBand[] = [];
  const total = starts.length * stepMs;
  let key = '';
  for (let i = 0; i < starts.length; i++) {
    const cells = hostIds.map((h) => cellOf(explanations[i], h, zone, t));
    const k = JSON.stringify(cells);
    const end = starts[i] + stepMs;
    const last = bands.at(-1);
    if (last && k === key) {
      last.to = hm(end, zone);
      last.width += (stepMs / total) * 100;
    } else {
      bands.push({ from: hm(starts[i], zone), to: hm(end, zone), width: (stepMs / total) * 100, cells });
      key = k;
    }
  }
  for (const b of bands) {
    b.width = Math.round(b.width * 100) / 100;
    if (b.to === '00:00') b.to = '24:00';
  }
  return bands;
}
