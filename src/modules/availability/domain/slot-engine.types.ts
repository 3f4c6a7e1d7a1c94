// Inputs and outputs of the pure slot engine (compute-slots.ts). All instants are UTC epoch milliseconds;
// wall-clock values are minutes of a local day in the host's zone.
import type { CapLimits, HostCapInput } from './booking-caps.js';
import type { RoundRobinCapState } from './round-robin-cap.js';

export type MeetingKind = 'one_on_one' | 'group' | 'round_robin' | 'collective';

/** Half-open [start, end), epoch ms. */
export interface Interval {
  start: number;
  end: number;
  /**
   * What this busy time is (explain only: the slots path leaves it out and the engine never reads it). `start`/`end`
   * of the source are the meeting or event itself, without the other meeting's buffers that widen the interval.
   */
  source?: BusySource;
}

export type BusySourceKind = 'booking' | 'pending_booking' | 'hold' | 'calendar' | 'time_off' | 'holiday';

export interface BusySource {
  kind: BusySourceKind;
  start: number;
  end: number;
  /** A holiday's name (public data); calendar names are looked up by the explain service, never event titles. */
  name?: string;
}

/** Minutes of the local day; end may be 1440 (24:00, the next midnight). */
export interface WallInterval {
  startMinute: number;
  endMinute: number;
}

/** 0 = Sunday .. 6 = Saturday. */
export interface WeeklyRule extends WallInterval {
  dayOfWeek: number;
}

/** Replaces that local date's hours; `intervals: []` = day off. */
export interface DateOverride {
  date: string;
  intervals: WallInterval[];
}

export interface HostAvailability {
  hostId: string;
  /** IANA zone of the host's schedule. */
  timeZone: string;
  rules: WeeklyRule[];
  overrides: DateOverride[];
  /** Confirmed bookings (any meeting type) + calendar busy events: unsorted, may overlap. */
  busy: Interval[];
  /** Starts of this host's live bookings that count toward max_bookings_per_day. */
  limitedBookingStarts?: number[];
  /** Bookings the period caps count, the host's own caps and week start (booking-caps.ts); absent = nothing counted. */
  caps?: HostCapInput;
  /** Round robin: the host's cap per counting period and their count in it (round-robin-cap.ts); absent = no cap. */
  roundRobinCap?: RoundRobinCapState;
}

export interface SlotQuery {
  /** Slots whose START lies in [rangeStart, rangeEnd). */
  rangeStart: number;
  rangeEnd: number;
  /** The clock, passed in. */
  now: number;
  durationMinutes: number;
  /** Step between slot starts (elapsed time), from each window's start. */
  intervalMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** Slot start >= now + notice. */
  minimumNoticeMinutes: number;
  /** Rolling: slot start must lie before the end of host-local date (today + N days). */
  bookingWindowDays: number | null;
  /** Per host per host-local date, counting limitedBookingStarts. */
  maxBookingsPerDay: number | null;
  /** The type's period caps, per host (booking-caps.ts); absent or null = none. */
  typeCaps?: CapLimits | null;
  /** How bookingWindowDays counts: every date (default) or Monday to Friday in the host's zone. */
  bookingWindowType?: 'calendar_days' | 'business_days';
  kind: MeetingKind;
  /** Group only. */
  seats?: number;
  /** Group only: slot start ms -> invitees already in the group booking at that start. */
  seatsTaken?: Map<number, number>;
}

export interface Slot {
  start: number;
  end: number;
  hostIds: string[];
  seatsRemaining?: number;
}
