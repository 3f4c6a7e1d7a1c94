// Zone arithmetic on UTC epoch milliseconds. The only zone knowledge is "what is the UTC offset of zone Z at
// instant t", read from Intl and memoized per zone and UTC hour. Nothing here reads the server's own zone: local
// dates are handled as day numbers (days since 1970-01-01) and wall times as "local ms as if UTC".

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** An hour that contains a zone transition: offset `before` until instant `at`, then `after`. */
interface HourWithTransition {
  at: number;
  before: number;
  after: number;
}

interface ZoneState {
  fmt: Intl.DateTimeFormat;
  /** UTC hour index -> offset ms (constant hour) or the transition inside it. */
  hours: Map<number, number | HourWithTransition>;
}

// Bounded so a long-running server that is asked about many distinct hours cannot grow without limit.
const MAX_CACHED_HOURS_PER_ZONE = 200_000;

const zones = new Map<string, ZoneState>();

function zoneState(timeZone: string): ZoneState {
  const z = zones.get(timeZone) ?? loadZone(timeZone);
  if (z === undefined) throw new RangeError(`Invalid time zone: ${timeZone}`);
  return z;
}

/** True for IANA zone names that the runtime knows (e.g. `Asia/Kathmandu`, `UTC`); false for offsets like `+05:30`. */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string') return false;
  return zones.has(timeZone) || loadZone(timeZone) !== undefined;
}

/** Builds and remembers the zone's formatter; undefined when the name is not an IANA zone the runtime knows. */
function loadZone(timeZone: string): ZoneState | undefined {
  if (timeZone.length === 0 || timeZone.length > 64) return undefined;
  // Newer runtimes accept bare offsets as zones; the API speaks IANA names only.
  if (!/^[A-Za-z]/.test(timeZone)) return undefined;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
  } catch {
    return undefined;
  }
  const state: ZoneState = { fmt, hours: new Map() };
  zones.set(timeZone, state);
  return state;
}

/** Offset (local - UTC, ms) read from Intl: the zone's wall fields at t, re-read as if UTC. */
function intlOffset(fmt: Intl.DateTimeFormat, t: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of fmt.formatToParts(t)) {
    switch (p.type) {
      case 'year':
        year = Number(p.value);
        break;
      case 'month':
        month = Number(p.value);
        break;
      case 'day':
        day = Number(p.value);
        break;
      case 'hour':
        hour = Number(p.value) % 24;
        break;
      case 'minute':
        minute = Number(p.value);
        break;
      case 'second':
        second = Number(p.value);
        break;
      case 'era':
        bc = p.value === 'BC' || p.value === 'B';
        break;
    }
  }
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0..99 to 19xx.
  d.setUTCFullYear(bc ? 1 - year : year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime() - Math.floor(t / SECOND) * SECOND;
}

function fillHour(z: ZoneState, h: number): number | HourWithTransition {
  const first = h * HOUR;
  const last = first + HOUR - SECOND;
  const before = intlOffset(z.fmt, first);
  const after = intlOffset(z.fmt, last);
  let entry: number | HourWithTransition;
  if (before === after) {
    entry = before;
  } else {
    // Transitions fall on whole seconds (Lord_Howe's are at :30 UTC, so an hour bucket alone is not enough):
    // binary-search the first second with the new offset.
    let lo = first; // offset === before
    let hi = last; // offset === after
    while (hi - lo > SECOND) {
      const mid = lo + Math.floor((hi - lo) / (2 * SECOND)) * SECOND;
      if (intlOffset(z.fmt, mid) === before) lo = mid;
      else hi = mid;
    }
    entry = { at: hi, before, after };
  }
  if (z.hours.size >= MAX_CACHED_HOURS_PER_ZONE) z.hours.clear();
  z.hours.set(h, entry);
  return entry;
}

function offsetIn(z: ZoneState, t: number): number {
  const h = Math.floor(t / HOUR);
  let e = z.hours.get(h);
  if (e === undefined) e = fillHour(z, h);
  if (typeof e === 'number') return e;
  return t < e.at ? e.before : e.after;
}

/** UTC offset of `timeZone` at instant t, in ms (e.g. +19_800_000 for Asia/Kolkata). */
export function offsetAt(instantMs: number, timeZone: string): number {
  return offsetIn(zoneState(timeZone), instantMs);
}

// ---- dates as day numbers -------------------------------------------------------------------------------------

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' -> days since 1970-01-01. Throws RangeError on malformed or impossible dates. */
export function dayNumberOf(date: string): number {
  const m = DATE_RE.exec(date);
  if (m === null) throw new RangeError(`Invalid date: ${date}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`Invalid date: ${date}`);
  }
  return ms / DAY;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

/** "00".."99": times and offsets are written from these, without a Date per instant. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => pad2(i));

// Slots of one answer fall on a few dozen days: their date texts are reused, within a bound.
const MAX_CACHED_DATES = 4096;
const dateTexts = new Map<number, string>();

/** Days since 1970-01-01 -> 'YYYY-MM-DD'. */
export function dateOfDayNumber(dayNumber: number): string {
  let text = dateTexts.get(dayNumber);
  if (text === undefined) {
    const d = new Date(dayNumber * DAY);
    text = `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
    if (dateTexts.size >= MAX_CACHED_DATES) dateTexts.clear();
    dateTexts.set(dayNumber, text);
  }
  return text;
}

/** 'YYYY-MM-DDTHH:MM:SS' of a whole second counted from 1970-01-01T00:00:00 (UTC, or a local wall clock). */
function dateTimeOfSecond(second: number): string {
  const day = Math.floor(second / 86_400);
  const s = second - day * 86_400;
  const minutes = Math.floor(s / 60);
  return `${dateOfDayNumber(day)}T${TWO_DIGITS[Math.floor(minutes / 60)]}:${TWO_DIGITS[minutes % 60]}:${TWO_DIGITS[s % 60]}`;
}

// Years the API's instants take 4 digits for (Date#toISOString writes ±YYYYYY outside them).
const FIRST_4_DIGIT_MS = -62_167_219_200_000; // 0000-01-01T00:00:00Z
const FIRST_5_DIGIT_MS = 253_402_300_800_000; // 10000-01-01T00:00:00Z

/**
 * An instant as the API writes it (`toApiInstant`: ISO 8601 in UTC with `Z`, milliseconds only when not zero), by
 * integer arithmetic: the slots answer writes two per slot.
 */
export function utcIso(instantMs: number): string {
  if (instantMs % SECOND !== 0 || instantMs < FIRST_4_DIGIT_MS || instantMs >= FIRST_5_DIGIT_MS) {
    return new Date(instantMs).toISOString().replace('.000Z', 'Z');
  }
  return `${dateTimeOfSecond(instantMs / SECOND)}Z`;
}

/** 0 = Sunday .. 6 = Saturday, for a day number (1970-01-01 was a Thursday). */
export function dayOfWeekOfDayNumber(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** The host-local day number that contains the instant. */
export function localDayNumberOf(instantMs: number, timeZone: string): number {
  return Math.floor((instantMs + offsetAt(instantMs, timeZone)) / DAY);
}

/**
 * The instant of wall time `minuteOfDay` on local day `dayNumber` (Temporal's "compatible" disambiguation):
 * an ambiguous wall time (fall-back) is the earlier instant; a nonexistent one (spring-forward gap) is read with
 * the offset from before the gap, which moves it forward by the gap's length.
 */
export function wallDayToInstant(dayNumber: number, minuteOfDay: number, timeZone: string): number {
  const z = zoneState(timeZone);
  const local = dayNumber * DAY + minuteOfDay * MINUTE;
  // The offsets a day either side bracket any single transition near this wall time.
  const offBefore = offsetIn(z, local - DAY);
  const offAfter = offsetIn(z, local + DAY);
  const early = local - offBefore;
  if (offBefore === offAfter) {
    // Common case: no transition nearby (or two that cancel out; re-check rather than trust it).
    if (offsetIn(z, early) === offBefore) return early;
  }
  const late = local - offAfter;
  const earlyOk = offsetIn(z, early) === offBefore;
  const lateOk = offsetIn(z, late) === offAfter;
  if (earlyOk && lateOk) return Math.min(early, late);
  if (earlyOk) return early;
  if (lateOk) return late;
  // In the gap: the pre-transition offset lands past the gap, i.e. shifted forward by its length.
  return early;
}

/** See wallDayToInstant. minuteOfDay 1440 is midnight of the next date. */
export function wallTimeToInstant(date: string, minuteOfDay: number, timeZone: string): number {
  if (!Number.isInteger(minuteOfDay) || minuteOfDay < 0 || minuteOfDay > 1440) {
    throw new RangeError(`Invalid minute of day: ${minuteOfDay}`);
  }
  return wallDayToInstant(dayNumberOf(date), minuteOfDay, timeZone);
}

/** The local calendar date ('YYYY-MM-DD') of the instant in the zone. */
export function localDateOf(instantMs: number, timeZone: string): string {
  return dateOfDayNumber(localDayNumberOf(instantMs, timeZone));
}

/** 0 = Sunday .. 6 = Saturday. */
export function dayOfWeekOf(date: string): number {
  return dayOfWeekOfDayNumber(dayNumberOf(date));
}

/** Calendar arithmetic on a date string (no zone involved). */
export function addDays(date: string, n: number): string {
  return dateOfDayNumber(dayNumberOf(date) + n);
}

/** Local ISO 8601 with offset, whole seconds: `2027-03-14T03:00:00-04:00`. */
export function zonedIso(instantMs: number, timeZone: string): string {
  // Pre-1900 LMT offsets have seconds, which ±HH:MM cannot carry: round the offset and shift the wall time with
  // it, so the string still names the same instant.
  const offMin = Math.round(offsetAt(instantMs, timeZone) / MINUTE);
  const abs = Math.abs(offMin);
  const offset = `${offMin < 0 ? '-' : '+'}${TWO_DIGITS[Math.floor(abs / 60)]}:${TWO_DIGITS[abs % 60]}`;
  return dateTimeOfSecond(Math.floor(instantMs / SECOND) + offMin * 60) + offset;
}

/** "HH:MM" (or "HH:MM:SS" from a TIME column) -> minutes of the day; "24:00" ends a day (1440). */
export function minuteOfDay(time: string): number {
  const [h, m] = time.split(':');
  return Number(h) * 60 + Number(m);
}
