// The slot engine: which meeting starts are bookable. Pure: no I/O, no clock (query.now), no Nest.
// Semantics follow shared/API.md, "What available means". Per host the cost is one pass over the host-local
// dates of the range (zone lookups only at window edges, memoized in wall-clock.ts), one sort+merge of the busy
// intervals that matter, and one forward walk over candidate starts with a cursor into the merged busy list.

import { businessDaysSpan, capFilter } from './booking-caps.js';
import { atRoundRobinCap } from './round-robin-cap.js';
import type { HostAvailability, Interval, Slot, SlotQuery, WallInterval } from './slot-engine.types.js';
import { dayNumberOf, dayOfWeekOfDayNumber, localDayNumberOf, wallDayToInstant } from './wall-clock.js';

const MINUTE = 60_000;

interface Ctx {
  durMs: number;
  stepMs: number;
  beforeMs: number;
  afterMs: number;
  /** Earliest allowed start: range start or now + notice, whichever is later. */
  lo: number;
}

/** Windows of one host as parallel arrays (sorted by start unless `sorted` is false). */
interface Windows {
  starts: number[];
  ends: number[];
  sorted: boolean;
}

/** Merged busy time, already widened by the buffers, with a forward cursor. */
class BusyCursor {
  private p = 0;
  private last = -Infinity;

  constructor(
    private readonly starts: number[],
    private readonly ends: number[],
  ) {}

  /** Is [s, e) clear of busy time? Cheap when called with non-decreasing s. */
  isFree(s: number, e: number): boolean {
    const { starts, ends } = this;
    const n = ends.length;
    if (s < this.last) {
      // Overlapping windows can send us backwards: re-seek by binary search on the (increasing) ends.
      let a = 0;
      let b = n;
      while (a < b) {
        const m = (a + b) >>> 1;
        if (ends[m] <= s) a = m + 1;
        else b = m;
      }
      this.p = a;
    }
    this.last = s;
    let p = this.p;
    while (p < n && ends[p] <= s) p++;
    this.p = p;
    return p >= n || starts[p] >= e;
  }
}

/**
 * Computes the bookable slots of `hosts` for `query`, sorted by start, strictly increasing.
 * one_on_one and group take exactly one host; round_robin offers a start when any host under their round-robin cap
 * is free (hostIds = those); collective when all are (slots step from the start of each common window; hostIds = all).
 */
export function computeSlots(hosts: HostAvailability[], query: SlotQuery): Slot[] {
  const durMs = query.durationMinutes * MINUTE;
  if (!(durMs > 0) || hosts.length === 0) return [];
  // A non-positive step would never advance; the API's default step is the duration.
  const stepMs = (query.intervalMinutes > 0 ? query.intervalMinutes : query.durationMinutes) * MINUTE;
  const ctx: Ctx = {
    durMs,
    stepMs,
    beforeMs: Math.max(0, query.bufferBeforeMinutes) * MINUTE,
    afterMs: Math.max(0, query.bufferAfterMinutes) * MINUTE,
    lo: Math.max(query.rangeStart, query.now + Math.max(0, query.minimumNoticeMinutes) * MINUTE),
  };
  if (ctx.lo >= query.rangeEnd) return [];

  switch (query.kind) {
    case 'one_on_one':
    case 'group':
      if (hosts.length !== 1) {
        throw new RangeError(`${query.kind} meeting takes exactly one host, got ${hosts.length}`);
      }
      return singleHost(hosts[0], query, ctx);
    case 'round_robin':
      return roundRobin(hosts, query, ctx);
    case 'collective':
      return collective(hosts, query, ctx);
    default:
      throw new RangeError(`Unknown meeting kind: ${String(query.kind)}`);
  }
}

/**
 * Re-checks one start cheaply (booking time): computes over [start, start + 1 ms) only, so the cost is a few
 * host-local dates whatever the query's own range. Returns the slot as computeSlots would offer it, or null.
 */
export function isSlotAvailable(hosts: HostAvailability[], query: SlotQuery, start: number): Slot | null {
  const slots = computeSlots(hosts, { ...query, rangeStart: start, rangeEnd: start + 1 });
  return slots.length > 0 && slots[0].start === start ? slots[0] : null;
}

/**
 * The busy time a confirmed booking holds: the meeting plus the buffers of ITS meeting type. The slot being
 * offered adds its own buffers on top, so two buffered meetings keep both gaps. Callers build `busy` with this.
 */
export function bookingBusyInterval(start: number, end: number, bufferBeforeMinutes: number, bufferAfterMinutes: number): Interval {
  return {
    start: start - Math.max(0, bufferBeforeMinutes) * MINUTE,
    end: end + Math.max(0, bufferAfterMinutes) * MINUTE,
  };
}

/** Sorts and merges intervals (touching ones too); drops empty ones. Does not mutate the input. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  let last: Interval | undefined;
  for (const i of sorted) {
    if (last !== undefined && i.start <= last.end) {
      if (i.end > last.end) last.end = i.end;
    } else {
      last = { start: i.start, end: i.end };
      out.push(last);
    }
  }
  return out;
}

// ---- per host ---------------------------------------------------------------------------------------------------

/** Exclusive upper bound for starts of this host: range end, or the end of its rolling booking window. */
function hostHi(host: HostAvailability, query: SlotQuery): number {
  if (query.bookingWindowDays === null) return query.rangeEnd;
  const today = localDayNumberOf(query.now, host.timeZone);
  const days =
    query.bookingWindowType === 'business_days'
      ? businessDaysSpan(today, query.bookingWindowDays)
      : Math.max(0, Math.floor(query.bookingWindowDays));
  // End of local date today + N is midnight starting today + N + 1.
  const end = wallDayToInstant(today + days + 1, 0, host.timeZone);
  return Math.min(query.rangeEnd, end);
}

function byStartMinute(a: WallInterval, b: WallInterval): number {
  return a.startMinute - b.startMinute;
}

/** Windows of the host-local dates that can hold a start in [lo, hi), skipping dates at the daily limit. */
function hostWindows(host: HostAvailability, query: SlotQuery, ctx: Ctx, hi: number): Windows {
  const tz = host.timeZone;
  const { lo, durMs } = ctx;
  const out: Windows = { starts: [], ends: [], sorted: true };
  if (lo >= hi) return out;
  // A date's windows lie within that local date, but local dates are not monotonic in instants around a
  // midnight fall-back, hence a day of margin each side.
  const firstDay = localDayNumberOf(lo, tz) - 1;
  const lastDay = localDayNumberOf(hi - 1, tz) + 1;

  // Sorted intervals per weekday, so windows come out in start order without a sort per call.
  const byDow: WallInterval[][] = [[], [], [], [], [], [], []];
  for (const r of host.rules) {
    if (r.dayOfWeek >= 0 && r.dayOfWeek <= 6) byDow[r.dayOfWeek].push(r);
  }
  for (const list of byDow) if (list.length > 1) list.sort(byStartMinute);

  let overrides: Map<number, WallInterval[]> | null = null;
  for (const o of host.overrides) {
    const d = dayNumberOf(o.date);
    if (d < firstDay || d > lastDay) continue;
    overrides ??= new Map();
    overrides.set(d, o.intervals.length > 1 ? [...o.intervals].sort(byStartMinute) : o.intervals);
  }

  // Bookings per host-local date, counted only when the type has a daily limit.
  let perDay: Map<number, number> | null = null;
  let dailyLimit = Infinity;
  const max = query.maxBookingsPerDay;
  if (max !== null) {
    if (max <= 0) return out;
    dailyLimit = max;
    perDay = new Map();
    for (const s of host.limitedBookingStarts ?? []) {
      const d = localDayNumberOf(s, tz);
      if (d >= firstDay && d <= lastDay) perDay.set(d, (perDay.get(d) ?? 0) + 1);
    }
  }

  // Dates whose day, week, month or year is full (type or host caps); null, and no work, without caps.
  const capped = capFilter(
    query.typeCaps ?? null,
    host.caps,
    tz,
    query.durationMinutes,
    query.kind === 'round_robin' || query.kind === 'collective',
  );

  let lastStart = -Infinity;
  for (let d = firstDay; d <= lastDay; d++) {
    if (perDay !== null && (perDay.get(d) ?? 0) >= dailyLimit) continue;
    if (capped !== null && capped(d) !== null) continue;
    const intervals = overrides?.get(d) ?? byDow[dayOfWeekOfDayNumber(d)];
    for (let i = 0; i < intervals.length; i++) {
      const iv = intervals[i];
      if (!(iv.endMinute > iv.startMinute)) continue;
      const ws = wallDayToInstant(d, iv.startMinute, tz);
      if (ws >= hi) continue;
      const we = wallDayToInstant(d, Math.min(iv.endMinute, 1440), tz);
      // A window entirely inside a spring-forward gap can collapse to nothing.
      if (we - ws < durMs || we < lo + durMs) continue;
      if (ws < lastStart) out.sorted = false;
      lastStart = ws;
      out.starts.push(ws);
      out.ends.push(we);
    }
  }
  return out;
}

/** Busy intervals that can touch a slot starting in [lo, hi), widened by the buffers, sorted and merged. */
function hostBusy(host: HostAvailability, ctx: Ctx, hi: number): BusyCursor {
  const { lo, durMs, beforeMs, afterMs } = ctx;
  const bs = new Float64Array(host.busy.length);
  const be = new Float64Array(host.busy.length);
  let n = 0;
  for (const b of host.busy) {
    // Widening busy by the buffers (start - after, end + before) is the same test as widening the slot.
    const s = b.start - afterMs;
    const e = b.end + beforeMs;
    if (e <= lo || s >= hi + durMs || e <= s) continue;
    bs[n] = s;
    be[n] = e;
    n++;
  }
  // The union of intervals only needs starts and ends sorted independently (the k-th interval of the union ends
  // at the k-th end when the next start lies beyond it), and typed arrays sort natively without a comparator.
  const sortedStarts = bs.subarray(0, n).sort();
  const sortedEnds = be.subarray(0, n).sort();
  const starts: number[] = [];
  const ends: number[] = [];
  for (let k = 0; k < n; k++) {
    if (k === 0 || sortedStarts[k] > sortedEnds[k - 1]) starts.push(sortedStarts[k]);
    if (k === n - 1 || sortedStarts[k + 1] > sortedEnds[k]) ends.push(sortedEnds[k]);
  }
  return new BusyCursor(starts, ends);
}

/** Free starts of a window list, in increasing order, deduplicated. */
function freeStarts(win: Windows, busyCursors: BusyCursor[], ctx: Ctx, hi: number): number[] {
  const { lo, durMs, stepMs } = ctx;
  const out: number[] = [];
  let last = -Infinity;
  let sorted = true;
  const nb = busyCursors.length;
  for (let w = 0; w < win.starts.length; w++) {
    const ws = win.starts[w];
    const lastStart = win.ends[w] - durMs;
    // Stay on the window's own grid when the range or the notice cuts into it.
    let s = ws >= lo ? ws : ws + Math.ceil((lo - ws) / stepMs) * stepMs;
    for (; s < hi && s <= lastStart; s += stepMs) {
      const e = s + durMs;
      let free = true;
      for (let b = 0; b < nb; b++) {
        if (!busyCursors[b].isFree(s, e)) {
          free = false;
          break;
        }
      }
      if (!free) continue;
      if (s <= last) sorted = false;
      last = s;
      out.push(s);
    }
  }
  if (sorted) return out;
  // Overlapping windows (e.g. an interval listed twice): sort and drop duplicates.
  out.sort((a, b) => a - b);
  let n = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[n - 1]) out[n++] = out[i];
  out.length = n;
  return out;
}

function hostFreeStarts(host: HostAvailability, query: SlotQuery, ctx: Ctx): number[] {
  const hi = hostHi(host, query);
  if (ctx.lo >= hi) return [];
  const win = hostWindows(host, query, ctx, hi);
  if (win.starts.length === 0) return [];
  return freeStarts(win, [hostBusy(host, ctx, hi)], ctx, hi);
}

// ---- per kind ---------------------------------------------------------------------------------------------------

function singleHost(host: HostAvailability, query: SlotQuery, ctx: Ctx): Slot[] {
  const out: Slot[] = [];
  const { durMs } = ctx;
  if (query.kind === 'group') {
    // Joining a session that exists adds no booking and no minutes, so the caps close only new sessions: starts are
    // found without them (the type's caps include its daily limit) and filtered here.
    const capped = capFilter(query.typeCaps ?? null, host.caps, host.timeZone, query.durationMinutes);
    const starts =
      capped === null
        ? hostFreeStarts(host, query, ctx)
        : hostFreeStarts(
            { ...host, caps: undefined },
            { ...query, typeCaps: null, maxBookingsPerDay: query.typeCaps ? null : query.maxBookingsPerDay },
            ctx,
          );
    // The caller leaves the group's own booking out of busy; seats decide whether a start is still open.
    const seats = query.seats ?? 1;
    const taken = query.seatsTaken;
    for (const s of starts) {
      const joined = taken?.get(s) ?? 0;
      if (capped !== null && joined === 0 && capped(localDayNumberOf(s, host.timeZone)) !== null) continue;
      const left = seats - joined;
      if (left > 0) out.push({ start: s, end: s + durMs, hostIds: [host.hostId], seatsRemaining: left });
    }
    return out;
  }
  const starts = hostFreeStarts(host, query, ctx);
  for (const s of starts) out.push({ start: s, end: s + durMs, hostIds: [host.hostId] });
  return out;
}

/** Union by start instant over hosts; each slot names the hosts free at that start, in input order. */
function roundRobin(hosts: HostAvailability[], query: SlotQuery, ctx: Ctx): Slot[] {
  // A host at their round-robin cap takes no booking of the type at any time until the period turns.
  const lists = hosts.map((h) => (hostAtRoundRobinCap(h) ? [] : hostFreeStarts(h, query, ctx)));
  const idx = new Array<number>(hosts.length).fill(0);
  const out: Slot[] = [];
  const { durMs } = ctx;
  for (;;) {
    let min = Infinity;
    for (let h = 0; h < lists.length; h++) {
      const i = idx[h];
      if (i < lists[h].length && lists[h][i] < min) min = lists[h][i];
    }
    if (min === Infinity) return out;
    const hostIds: string[] = [];
    for (let h = 0; h < lists.length; h++) {
      const i = idx[h];
      if (i < lists[h].length && lists[h][i] === min) {
        hostIds.push(hosts[h].hostId);
        idx[h] = i + 1;
      }
    }
    out.push({ start: min, end: min + durMs, hostIds });
  }
}

function hostAtRoundRobinCap(host: HostAvailability): boolean {
  return host.roundRobinCap !== undefined && atRoundRobinCap(host.roundRobinCap.limit, host.roundRobinCap.bookingsInPeriod);
}

function sortWindows(win: Windows): Windows {
  if (win.sorted) return win;
  const order = win.starts.map((_, i) => i).sort((a, b) => win.starts[a] - win.starts[b]);
  return { starts: order.map((i) => win.starts[i]), ends: order.map((i) => win.ends[i]), sorted: true };
}

/**
 * Pairwise intersections of two window lists, sorted by start. Windows are not merged first: a meeting must fit
 * inside one window of each host, as it must for a host on its own (so a lone host's collective slots equal its
 * one-on-one slots).
 */
function intersectWindows(a: Windows, b: Windows, durMs: number): Windows {
  a = sortWindows(a);
  b = sortWindows(b);
  let maxLenB = 0;
  for (let j = 0; j < b.starts.length; j++) maxLenB = Math.max(maxLenB, b.ends[j] - b.starts[j]);
  const out: Windows = { starts: [], ends: [], sorted: true };
  let jLow = 0;
  let last = -Infinity;
  for (let i = 0; i < a.starts.length; i++) {
    const as = a.starts[i];
    const ae = a.ends[i];
    // b sorted by start and no b longer than maxLenB: those starting this early end before `as`.
    while (jLow < b.starts.length && b.starts[jLow] + maxLenB <= as) jLow++;
    for (let j = jLow; j < b.starts.length && b.starts[j] < ae; j++) {
      const s = Math.max(as, b.starts[j]);
      const e = Math.min(ae, b.ends[j]);
      if (e - s < durMs) continue;
      if (s < last) out.sorted = false;
      last = s;
      out.starts.push(s);
      out.ends.push(e);
    }
  }
  return out;
}

/**
 * Every host must be free. The common windows are the intersections of the hosts' windows, and starts step from
 * each common window's start: intersecting per-host grids instead would find nothing between, say, a host in
 * Asia/Kathmandu (+05:45) and one on a whole-hour offset.
 */
function collective(hosts: HostAvailability[], query: SlotQuery, ctx: Ctx): Slot[] {
  let hi = query.rangeEnd;
  for (const h of hosts) hi = Math.min(hi, hostHi(h, query));
  if (ctx.lo >= hi) return [];
  let common: Windows | null = null;
  for (const h of hosts) {
    const win = hostWindows(h, query, ctx, hi);
    common = common === null ? win : intersectWindows(common, win, ctx.durMs);
    if (common.starts.length === 0) return [];
  }
  if (common === null) return []; // no hosts (computeSlots returns before this)
  const cursors = hosts.map((h) => hostBusy(h, ctx, hi));
  const starts = freeStarts(common, cursors, ctx, hi);
  const hostIds = hosts.map((h) => h.hostId);
  return starts.map((s) => ({ start: s, end: s + ctx.durMs, hostIds: [...hostIds] }));
}
