// Turns the fixed benchmark workloads (W1..W3.json, see WORKLOADS.md) into slot-engine inputs.
// Shared by the benchmark and the unit test that pins the expected slot counts.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bookingBusyInterval } from '../../src/modules/availability/domain/compute-slots.js';
import type {
  DateOverride,
  HostAvailability,
  MeetingKind,
  SlotQuery,
  WeeklyRule,
} from '../../src/modules/availability/domain/slot-engine.types.js';

export type WorkloadName = 'W1' | 'W2' | 'W3';

export const WORKLOAD_NAMES: readonly WorkloadName[] = ['W1', 'W2', 'W3'];

/** Slot counts stated in WORKLOADS.md. */
export const EXPECTED_SLOTS: Readonly<Record<WorkloadName, number>> = { W1: 130, W2: 148, W3: 724 };

interface RawInterval {
  start: string;
  end: string;
}

/** The JSON shape of a workload file (field names follow the scheduler these were first measured on). */
export interface RawWorkload {
  name: string;
  inviteeTimeZone: string;
  startTime: string;
  endTime: string; // inclusive (…T23:59:59.999Z)
  firstDay: string;
  nDays: number;
  eventLength: number;
  frequency: number;
  minimumBookingNotice: number;
  offsetStart: number;
  beforeEventBuffer: number;
  afterEventBuffer: number;
  schedulingType: string | null;
  hosts: {
    id: number | string;
    timeZone: string;
    availability: { days: number[]; startTime: string; endTime: string }[];
    /** Not used by W1..W3; read as {date, startTime?, endTime?}, a date without times being a day off. */
    dateOverrides: { date: string; startTime?: string; endTime?: string }[];
    bookings: (RawInterval & { id?: number })[];
    calendarBusy: RawInterval[];
  }[];
}

export interface EngineInput {
  name: string;
  hosts: HostAvailability[];
  query: SlotQuery;
}

/** 'HH:MM' -> minute of day; '24:00' -> 1440. */
function minuteOf(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (m === null) throw new Error(`bad wall time ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function instant(iso: string): number {
  const t = Date.parse(iso);
  // Only absolute instants: a string without Z/offset would be read in the server's zone.
  if (Number.isNaN(t) || !/(Z|[+-]\d{2}:\d{2})$/.test(iso)) throw new Error(`bad instant ${iso}`);
  return t;
}

function kindOf(schedulingType: string | null): MeetingKind {
  switch (schedulingType) {
    case null:
      return 'one_on_one';
    case 'ROUND_ROBIN':
      return 'round_robin';
    case 'COLLECTIVE':
      return 'collective';
    default:
      throw new Error(`unsupported schedulingType ${schedulingType}`);
  }
}

export function toEngineInput(raw: RawWorkload): EngineInput {
  if (raw.offsetStart !== 0) throw new Error('offsetStart is not supported');
  const rangeStart = instant(raw.startTime);
  const hosts: HostAvailability[] = raw.hosts.map((h) => {
    const rules: WeeklyRule[] = [];
    for (const a of h.availability) {
      for (const dayOfWeek of a.days) {
        rules.push({ dayOfWeek, startMinute: minuteOf(a.startTime), endMinute: minuteOf(a.endTime) });
      }
    }
    const byDate = new Map<string, DateOverride>();
    for (const o of h.dateOverrides) {
      const entry = byDate.get(o.date) ?? { date: o.date, intervals: [] };
      if (o.startTime !== undefined && o.endTime !== undefined) {
        entry.intervals.push({ startMinute: minuteOf(o.startTime), endMinute: minuteOf(o.endTime) });
      }
      byDate.set(o.date, entry);
    }
    // A booking (all of this workload's event type) keeps its own buffers as busy time; the new slot's buffers
    // then apply on top, as for any busy time. This is what yields the expected W2 count (148).
    const busy = [
      ...h.bookings.map((b) =>
        bookingBusyInterval(instant(b.start), instant(b.end), raw.beforeEventBuffer, raw.afterEventBuffer),
      ),
      ...h.calendarBusy.map((b) => ({ start: instant(b.start), end: instant(b.end) })),
    ];
    return { hostId: String(h.id), timeZone: h.timeZone, rules, overrides: [...byDate.values()], busy };
  });
  return {
    name: raw.name,
    hosts,
    query: {
      rangeStart,
      rangeEnd: instant(raw.endTime) + 1, // inclusive end -> half-open
      // "A clock before the window": a day before, so only the notice rule's presence is exercised.
      now: rangeStart - 86_400_000,
      durationMinutes: raw.eventLength,
      intervalMinutes: raw.frequency,
      bufferBeforeMinutes: raw.beforeEventBuffer,
      bufferAfterMinutes: raw.afterEventBuffer,
      minimumNoticeMinutes: raw.minimumBookingNotice,
      bookingWindowDays: null,
      maxBookingsPerDay: null,
      kind: kindOf(raw.schedulingType),
    },
  };
}

/** Reads bench/workloads/<name>.json relative to the working directory (the repository root). */
export function loadWorkload(name: WorkloadName, cwd: string = process.cwd()): EngineInput {
  const raw = JSON.parse(readFileSync(resolve(cwd, 'bench', 'workloads', `${name}.json`), 'utf8')) as RawWorkload;
  return toEngineInput(raw);
}
