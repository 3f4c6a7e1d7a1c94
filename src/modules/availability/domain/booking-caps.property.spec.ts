import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { type CapLimits, type CountedBooking, WEEK_STARTS } from './booking-caps.js';
import { computeSlots } from './compute-slots.js';
import type { HostAvailability, SlotQuery } from './slot-engine.types.js';
import { capBlocking } from './slot-explain.js';
import { addDays, dayOfWeekOf, localDateOf, wallTimeToInstant } from './wall-clock.js';

const MIN = 60_000;
const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/Santiago'];
// Around the 2027 clock changes and month and year ends.
const BASES = ['2027-03-08', '2027-03-25', '2027-03-29', '2027-09-27', '2027-10-28', '2027-11-04', '2027-12-27', '2027-01-28'];
const RUNS = { numRuns: 150 };

const cap = (max: number) => fc.option(fc.integer({ min: 1, max }), { freq: 2 });
const capsArb: fc.Arbitrary<CapLimits> = fc.record({
  maxBookingsPerDay: cap(4),
  maxBookingsPerWeek: cap(12),
  maxBookingsPerMonth: cap(30),
  maxBookingsPerYear: cap(60),
  maxBookedMinutesPerDay: fc.option(
    fc.integer({ min: 6, max: 30 }).map((n) => n * 10),
    { freq: 2 },
  ),
  maxBookedMinutesPerWeek: fc.option(
    fc.integer({ min: 6, max: 100 }).map((n) => n * 10),
    { freq: 2 },
  ),
});

/** The reference: string dates and plain counting, no day numbers and no shortcuts. */
function naiveClosed(date: string, tz: string, weekStart: number, limits: CapLimits | null, bookings: CountedBooking[], slot: number) {
  if (limits === null) return false;
  const weekOf = (d: string) => addDays(d, -((dayOfWeekOf(d) - weekStart + 7) % 7));
  const dated = bookings.map((b) => ({ date: localDateOf(b.start, tz), minutes: b.minutes }));
  const same = (f: (d: string) => string) => dated.filter((b) => f(b.date) === f(date));
  const day = same((d) => d);
  const week = same(weekOf);
  const sum = (bs: { minutes: number }[]) => bs.reduce((n, b) => n + b.minutes, 0);
  return (
    (limits.maxBookingsPerDay !== null && day.length >= limits.maxBookingsPerDay) ||
    (limits.maxBookingsPerWeek !== null && week.length >= limits.maxBookingsPerWeek) ||
    (limits.maxBookingsPerMonth !== null && same((d) => d.slice(0, 7)).length >= limits.maxBookingsPerMonth) ||
    (limits.maxBookingsPerYear !== null && same((d) => d.slice(0, 4)).length >= limits.maxBookingsPerYear) ||
    (limits.maxBookedMinutesPerDay !== null && sum(day) + slot > limits.maxBookedMinutesPerDay) ||
    (limits.maxBookedMinutesPerWeek !== null && sum(week) + slot > limits.maxBookedMinutesPerWeek)
  );
}

describe('caps in the slot engine (properties)', () => {
  it('offers exactly the starts whose day, week, month and year are open in the host zone; capBlocking names the rest', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BASES),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 6 }),
        fc.option(capsArb, { freq: 4 }),
        fc.option(capsArb, { freq: 3 }),
        fc.array(fc.tuple(fc.integer({ min: -40 * 24, max: 40 * 24 }), fc.boolean(), fc.constantFrom(15, 30, 60, 90)), { maxLength: 40 }),
        (base, tz, weekStart, typeCaps, hostCaps, raw) => {
          const t0 = Date.parse(`${base}T00:00:00Z`);
          const all = raw.map(([h, , minutes]) => ({ start: t0 + h * 60 * MIN + 30 * MIN, minutes }));
          const own = all.filter((_, i) => raw[i][1]);
          const host: HostAvailability = {
            hostId: 'h',
            timeZone: tz,
            rules: [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({ dayOfWeek, startMinute: 9 * 60, endMinute: 17 * 60 })),
            overrides: [],
            busy: [],
            caps: { weekStart, hostLimits: hostCaps, typeBookings: own, allBookings: all },
          };
          const query: SlotQuery = {
            rangeStart: t0,
            rangeEnd: t0 + 10 * 24 * 60 * MIN,
            now: t0 - 24 * 60 * MIN,
            durationMinutes: 60,
            intervalMinutes: 60,
            bufferBeforeMinutes: 0,
            bufferAfterMinutes: 0,
            minimumNoticeMinutes: 0,
            bookingWindowDays: null,
            maxBookingsPerDay: null,
            typeCaps,
            kind: 'one_on_one',
          };
          const expected: number[] = [];
          const closed: number[] = [];
          for (let date = addDays(base, -1); date <= addDays(base, 10); date = addDays(date, 1)) {
            for (let h = 9; h < 17; h++) {
              const s = wallTimeToInstant(date, h * 60, tz);
              if (s < query.rangeStart || s >= query.rangeEnd) continue;
              const shut = naiveClosed(date, tz, weekStart, typeCaps, own, 60) || naiveClosed(date, tz, weekStart, hostCaps, all, 60);
              (shut ? closed : expected).push(s);
            }
          }
          expect(computeSlots([host], query).map((s) => s.start)).toEqual(expected.sort((a, b) => a - b));
          for (const s of closed) expect(capBlocking([host], query, s)).not.toBeNull();
          for (const s of expected) expect(capBlocking([host], query, s)).toBeNull();
        },
      ),
      RUNS,
    );
  });

  it('knows every week start', () => {
    expect(WEEK_STARTS).toHaveLength(7);
  });

  it('cap and explain sources use no server-local Date API', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const fields = '(FullYear|Month|Date|Day|Hours|Minutes|Seconds|Milliseconds)';
    const local = new RegExp(`\\.(get|set)${fields}\\(|getTimezoneOffset|toLocale|new Date\\(\\s*['"\`]`);
    for (const file of ['booking-caps.ts', 'slot-explain.ts']) {
      const offending = readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .filter((line) => !line.trim().startsWith('//') && local.test(line));
      expect({ file, offending }).toEqual({ file, offending: [] });
    }
  });
});
