// Turns loaded rows into engine inputs. Pure: shared by the slots endpoint and the booking re-check so both apply
// exactly the same rules.
import { type CapLimits, type CountedBooking, type WeekStart, hasCaps, weekStartDay } from './booking-caps.js';
import { bookingBusyInterval } from './compute-slots.js';
import { type HolidaySetting, holidayIntervals } from './holidays.js';
import type { RoundRobinCapState } from './round-robin-cap.js';
import type { BusySourceKind, DateOverride, HostAvailability, Interval, MeetingKind, SlotQuery, WeeklyRule } from './slot-engine.types.js';

export interface HostSchedule {
  timeZone: string;
  rules: WeeklyRule[];
  overrides: DateOverride[];
  /** The host's public holidays (whole days in `timeZone`, busy like time off); absent or null = none. */
  holidays?: HolidaySetting | null;
  /** The host's caps across all their types and their week start (schedules' host settings); null = defaults. */
  limits?: HostLimits | null;
}

export interface HostLimits extends CapLimits {
  weekStart: WeekStart;
}

/** A live booking of a host that the period caps may count (the count read; only when some cap is set). */
export interface CountedEntry {
  userId: string;
  bookingId: string;
  /** Of the offered meeting type. */
  own: boolean;
  startMs: number;
  minutes: number;
}

export interface BusyEntry {
  userId: string;
  startMs: number;
  endMs: number;
  /**
   * `time_off`: a range the host is away (time-off.ts); busy as it stands, like a calendar event. `seat_hold`: one
   * seat of a group session reserved for a waitlist claim (no busy time: a taken seat of the offered group type).
   */
  source: 'booking' | 'hold' | 'calendar' | 'time_off' | 'seat_hold';
  bookingId: string | null;
  holdId: string | null;
  meetingTypeId: string | null;
  bufferBefore: number;
  bufferAfter: number;
  inviteeCount: number;
  /** A booking awaiting the host's approval (booking_hosts.pending_until set); absent = no. */
  pending?: boolean;
}

export interface OfferedType {
  id: string;
  kind: MeetingKind;
  seats: number | null;
  durationMinutes: number;
  slotIntervalMinutes: number | null;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minimumNoticeMinutes: number;
  bookingWindowDays: number | null;
  maxBookingsPerDay: number | null;
  /** Period caps and the booking window's kind (issue #17 item 3); absent = none, calendar days. */
  limits?: Omit<CapLimits, 'maxBookingsPerDay'> & { bookingWindowType: 'calendar_days' | 'business_days' };
}

/** The type's period caps as the engine takes them (the daily cap included), or null when it has none. */
export function typeCapsOf(type: Pick<OfferedType, 'maxBookingsPerDay' | 'limits'>): CapLimits | null {
  const caps: CapLimits = {
    maxBookingsPerDay: type.maxBookingsPerDay,
    maxBookingsPerWeek: type.limits?.maxBookingsPerWeek ?? null,
    maxBookingsPerMonth: type.limits?.maxBookingsPerMonth ?? null,
    maxBookingsPerYear: type.limits?.maxBookingsPerYear ?? null,
    maxBookedMinutesPerDay: type.limits?.maxBookedMinutesPerDay ?? null,
    maxBookedMinutesPerWeek: type.limits?.maxBookedMinutesPerWeek ?? null,
  };
  return hasCaps(caps) ? caps : null;
}

export interface Exclusions {
  /** Rows that must not count (the booking being rescheduled, the hold being converted). */
  bookingIds?: ReadonlySet<string>;
  holdId?: string | null;
  /** Every hold (the booking re-check asks whether only holds stood in the way, to name a 409's cause). */
  allHolds?: boolean;
  /** Tag each busy interval with its source (the explain path; the slots path leaves them out). */
  sources?: boolean;
}

export function buildEngineInput(
  type: OfferedType,
  hostIds: string[],
  schedules: Map<string, HostSchedule>,
  busy: BusyEntry[],
  range: { start: number; end: number },
  now: number,
  exclude: Exclusions = {},
  counted: CountedEntry[] = [],
  roundRobinCaps: ReadonlyMap<string, RoundRobinCapState> = new Map(),
): { hosts: HostAvailability[]; query: SlotQuery } {
  const perHost = new Map<string, { busy: Interval[]; limited: number[] }>();
  for (const id of hostIds) perHost.set(id, { busy: [], limited: [] });
  const seatsTaken = new Map<number, number>();
  const isGroup = type.kind === 'group';

  for (const row of busy) {
    if (row.source === 'seat_hold') {
      // A held seat is taken for everyone but its holder (the claim converting it, exclude.holdId).
      const counts = isGroup && row.meetingTypeId === type.id && !exclude.allHolds && row.holdId !== exclude.holdId;
      if (counts) seatsTaken.set(row.startMs, (seatsTaken.get(row.startMs) ?? 0) + 1);
      continue;
    }
    const host = perHost.get(row.userId);
    if (!host) continue;
    if (row.bookingId && exclude.bookingIds?.has(row.bookingId)) continue;
    if (row.holdId && (exclude.allHolds || row.holdId === exclude.holdId)) continue;
    const ownType = row.meetingTypeId === type.id;
    if (ownType && row.source === 'booking') host.limited.push(row.startMs);
    // A group booking of this type is where the next invitee joins, so it counts seats, not busy time.
    if (isGroup && ownType && row.source === 'booking') {
      seatsTaken.set(row.startMs, (seatsTaken.get(row.startMs) ?? 0) + row.inviteeCount);
      continue;
    }
    const interval: Interval =
      row.source === 'calendar' || row.source === 'time_off'
        ? { start: row.startMs, end: row.endMs }
        : bookingBusyInterval(row.startMs, row.endMs, row.bufferBefore, row.bufferAfter);
    if (exclude.sources) interval.source = { kind: sourceKind(row), start: row.startMs, end: row.endMs };
    host.busy.push(interval);
  }

  const typeCaps = typeCapsOf(type);
  const hosts: HostAvailability[] = hostIds.map((hostId) => {
    const schedule: HostSchedule = schedules.get(hostId) ?? { timeZone: 'UTC', rules: [], overrides: [] };
    const h = perHost.get(hostId) ?? { busy: [], limited: [] }; // every host id got an entry above
    const roundRobinCap = type.kind === 'round_robin' ? roundRobinCaps.get(hostId) : undefined;
    return {
      hostId,
      timeZone: schedule.timeZone,
      rules: schedule.rules,
      overrides: schedule.overrides,
      busy: schedule.holidays
        ? [...h.busy, ...holidayIntervals(schedule.holidays, schedule.timeZone, busyRange(range), exclude.sources)]
        : h.busy,
      limitedBookingStarts: h.limited,
      caps: hostCapInput(hostId, schedule.limits ?? null, typeCaps !== null, counted, exclude),
      ...(roundRobinCap ? { roundRobinCap } : {}),
    };
  });

  const query: SlotQuery = {
    rangeStart: range.start,
    rangeEnd: range.end,
    now,
    durationMinutes: type.durationMinutes,
    intervalMinutes: type.slotIntervalMinutes ?? type.durationMinutes,
    bufferBeforeMinutes: type.bufferBeforeMinutes,
    bufferAfterMinutes: type.bufferAfterMinutes,
    minimumNoticeMinutes: type.minimumNoticeMinutes,
    bookingWindowDays: type.bookingWindowDays,
    maxBookingsPerDay: type.maxBookingsPerDay,
    typeCaps,
    bookingWindowType: type.limits?.bookingWindowType ?? 'calendar_days',
    kind: type.kind,
    seats: type.seats ?? undefined,
    seatsTaken: isGroup ? seatsTaken : undefined,
  };
  return { hosts, query };
}

function sourceKind(row: BusyEntry): BusySourceKind {
  if (row.source === 'booking') return row.pending ? 'pending_booking' : 'booking';
  return row.source === 'seat_hold' ? 'hold' : row.source; // seat holds never reach here (seats, not busy time)
}

/** One host's counted bookings (the excluded ones left out), or undefined when no cap of the type or host applies. */
function hostCapInput(
  hostId: string,
  limits: HostLimits | null,
  typeCapped: boolean,
  counted: CountedEntry[],
  exclude: Exclusions,
): HostAvailability['caps'] {
  const hostCapped = hasCaps(limits);
  if (!typeCapped && !hostCapped) return undefined;
  const typeBookings: CountedBooking[] = [];
  const allBookings: CountedBooking[] = [];
  for (const c of counted) {
    if (c.userId !== hostId || exclude.bookingIds?.has(c.bookingId)) continue;
    const b = { start: c.startMs, minutes: c.minutes };
    if (c.own) typeBookings.push(b);
    if (hostCapped) allBookings.push(b);
  }
  return { weekStart: weekStartDay(limits?.weekStart ?? 'monday'), hostLimits: hostCapped ? limits : null, typeBookings, allBookings };
}

/** How far around a range busy rows must be read: buffers, a meeting in progress, and a host-local day each side. */
export const BUSY_MARGIN_MS = 2 * 24 * 60 * 60 * 1000;

/** The span busy rows are read over (AvailabilityInputsService), which holidays are placed over too. */
const busyRange = (range: { start: number; end: number }) => ({ start: range.start - BUSY_MARGIN_MS, end: range.end + BUSY_MARGIN_MS });
