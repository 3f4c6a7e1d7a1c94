import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { computeSlots, isSlotAvailable } from './compute-slots.js';
import type { DateOverride, HostAvailability, Interval, Slot, SlotQuery, WallInterval } from './slot-engine.types.js';
import { addDays, dayOfWeekOf, localDateOf, wallTimeToInstant } from './wall-clock.js';

const MIN = 60_000;

// Zones with gaps and overlaps (both hemispheres, 30-minute DST), odd offsets and both sides of the date line.
const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/London',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'America/Santiago',
];
// Dates just before the 2027 clock changes of the zones above, plus an ordinary week.
const BASES = ['2027-01-11', '2027-03-12', '2027-03-26', '2027-04-02', '2027-09-24', '2027-10-01', '2027-10-29', '2027-11-05'];

const wallArb: fc.Arbitrary<WallInterval> = fc
  .tuple(fc.integer({ min: 0, max: 287 }), fc.integer({ min: 1, max: 288 }))
  .map(([a, len]) => ({ startMinute: a * 5, endMinute: Math.min(1440, (a + len) * 5) }));

function hostArb(base: string, hostId: string): fc.Arbitrary<HostAvailability> {
  const t0 = Date.parse(`${base}T00:00:00Z`);
  const instant = fc.integer({ min: -2 * 24 * 60, max: 6 * 24 * 60 }).map((m) => t0 + m * MIN);
  return fc.record({
    hostId: fc.constant(hostId),
    timeZone: fc.constantFrom(...ZONES),
    rules: fc.array(
      fc.tuple(fc.integer({ min: 0, max: 6 }), wallArb).map(([dayOfWeek, w]) => ({ dayOfWeek, ...w })),
      { maxLength: 10 },
    ),
    overrides: fc
      .uniqueArray(
        fc.record({
          date: fc.integer({ min: -1, max: 6 }).map((k) => addDays(base, k)),
          intervals: fc.array(wallArb, { maxLength: 2 }),
        }),
        { selector: (o) => o.date, maxLength: 3 },
      )
      .map((os): DateOverride[] => os),
    busy: fc.array(
      fc.tuple(instant, fc.integer({ min: 1, max: 240 })).map(([s, len]) => ({ start: s, end: s + len * MIN })),
      { maxLength: 25 },
    ),
    limitedBookingStarts: fc.array(instant, { maxLength: 6 }),
  });
}

function queryArb(base: string): fc.Arbitrary<SlotQuery> {
  const t0 = Date.parse(`${base}T00:00:00Z`);
  return fc
    .record({
      startOffset: fc.integer({ min: -24 * 60, max: 3 * 24 * 60 }),
      length: fc.integer({ min: 30, max: 4 * 24 * 60 }),
      nowOffset: fc.integer({ min: -3 * 24 * 60, max: 24 * 60 }),
      durationMinutes: fc.integer({ min: 1, max: 36 }).map((n) => n * 5),
      intervalMinutes: fc.integer({ min: 1, max: 24 }).map((n) => n * 5),
      bufferBeforeMinutes: fc.constantFrom(0, 5, 10, 15, 30, 45),
      bufferAfterMinutes: fc.constantFrom(0, 5, 10, 15, 30, 45),
      minimumNoticeMinutes: fc.constantFrom(0, 60, 120, 24 * 60),
      bookingWindowDays: fc.option(fc.integer({ min: 0, max: 5 })),
      maxBookingsPerDay: fc.option(fc.integer({ min: 0, max: 3 })),
    })
    .map(({ startOffset, length, nowOffset, ...rest }) => ({
      ...rest,
      rangeStart: t0 + startOffset * MIN,
      rangeEnd: t0 + (startOffset + length) * MIN,
      now: t0 + (startOffset + nowOffset) * MIN,
      kind: 'one_on_one' as const,
    }));
}

const scenario = (hostCount: number) =>
  fc.constantFrom(...BASES).chain((base) =>
    fc.record({
      hosts: fc.tuple(...Array.from({ length: hostCount }, (_, i) => hostArb(base, `h${i}`))),
      query: queryArb(base),
    }),
  );

/** The windows of one host, straight from the definition: every local date near the range, no shortcuts. */
function windowsOf(h: HostAvailability, q: SlotQuery): (Interval & { date: string })[] {
  const out: (Interval & { date: string })[] = [];
  const last = addDays(localDateOf(q.rangeEnd, h.timeZone), 2);
  for (let date = addDays(localDateOf(q.rangeStart, h.timeZone), -2); date <= last; date = addDays(date, 1)) {
    const o = h.overrides.find((x) => x.date === date);
    const ivs = o ? o.intervals : h.rules.filter((r) => r.dayOfWeek === dayOfWeekOf(date));
    for (const iv of ivs) {
      if (iv.endMinute <= iv.startMinute) continue;
      out.push({
        date,
        start: wallTimeToInstant(date, iv.startMinute, h.timeZone),
        end: wallTimeToInstant(date, iv.endMinute, h.timeZone),
      });
    }
  }
  return out;
}

function clashes(h: HostAvailability, q: SlotQuery, start: number): boolean {
  const s = start - q.bufferBeforeMinutes * MIN;
  const e = start + q.durationMinutes * MIN + q.bufferAfterMinutes * MIN;
  return h.busy.some((b) => b.start < e && b.end > s);
}

/** Reference single-host engine: quadratic and obvious. */
function naiveStarts(h: HostAvailability, q: SlotQuery): number[] {
  const tz = h.timeZone;
  const lo = Math.max(q.rangeStart, q.now + q.minimumNoticeMinutes * MIN);
  const bookingEnd =
    q.bookingWindowDays === null ? Infinity : wallTimeToInstant(addDays(localDateOf(q.now, tz), q.bookingWindowDays), 1440, tz);
  const found = new Set<number>();
  for (const w of windowsOf(h, q)) {
    if (q.maxBookingsPerDay !== null) {
      const n = (h.limitedBookingStarts ?? []).filter((s) => localDateOf(s, tz) === w.date).length;
      if (n >= q.maxBookingsPerDay) continue;
    }
    for (let s = w.start; s + q.durationMinutes * MIN <= w.end; s += q.intervalMinutes * MIN) {
      if (s >= lo && s < q.rangeEnd && s < bookingEnd && !clashes(h, q, s)) found.add(s);
    }
  }
  return [...found].sort((a, b) => a - b);
}

function expectWellFormed(slots: Slot[], q: SlotQuery): void {
  for (let i = 0; i < slots.length; i++) {
    expect(slots[i].end - slots[i].start).toBe(q.durationMinutes * MIN);
    expect(slots[i].start).toBeGreaterThanOrEqual(Math.max(q.rangeStart, q.now + q.minimumNoticeMinutes * MIN));
    expect(slots[i].start).toBeLessThan(q.rangeEnd);
    if (i > 0) expect(slots[i].start).toBeGreaterThan(slots[i - 1].start);
  }
}

const RUNS = { numRuns: 300 };

describe('computeSlots properties', () => {
  it('one host: equals the reference engine, well-formed, clear of buffered busy time, inside a window', () => {
    fc.assert(
      fc.property(scenario(1), ({ hosts: [h], query: q }) => {
        const slots = computeSlots([h], q);
        expectWellFormed(slots, q);
        const wins = windowsOf(h, q);
        for (const s of slots) {
          expect(clashes(h, q, s.start)).toBe(false);
          expect(wins.some((w) => w.start <= s.start && s.end <= w.end)).toBe(true);
          expect(s.hostIds).toEqual([h.hostId]);
        }
        expect(slots.map((s) => s.start)).toEqual(naiveStarts(h, q));
      }),
      RUNS,
    );
  });

  it('isSlotAvailable agrees with computeSlots, for offered and arbitrary starts', () => {
    fc.assert(
      fc.property(scenario(1), fc.array(fc.integer({ min: 0, max: 4 * 24 * 4 }), { maxLength: 20 }), (sc, probes) => {
        const { hosts, query: q } = sc;
        const slots = computeSlots(hosts, q);
        const offered = new Map(slots.map((s) => [s.start, s]));
        for (const s of slots) expect(isSlotAvailable(hosts, q, s.start)).toEqual(s);
        for (const p of probes) {
          const t = q.rangeStart + p * 15 * MIN;
          if (t >= q.rangeEnd) continue;
          expect(isSlotAvailable(hosts, q, t)).toEqual(offered.get(t) ?? null);
        }
      }),
      RUNS,
    );
  });

  it('group: seats remaining = seats - taken, full starts left out', () => {
    fc.assert(
      fc.property(scenario(1), fc.integer({ min: 1, max: 5 }), fc.array(fc.nat(6)), (sc, seats, taken) => {
        const { hosts, query: q } = sc;
        const plain = computeSlots(hosts, q);
        const seatsTaken = new Map(plain.map((s, i) => [s.start, taken[i % Math.max(1, taken.length)] ?? 0]));
        const group = computeSlots(hosts, { ...q, kind: 'group', seats, seatsTaken });
        const expected = plain
          .map((s) => ({ ...s, seatsRemaining: seats - (seatsTaken.get(s.start) ?? 0) }))
          .filter((s) => s.seatsRemaining > 0);
        expect(group).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('round robin: the union of the hosts, naming exactly the free hosts', () => {
    fc.assert(
      fc.property(scenario(3), ({ hosts, query: q }) => {
        const slots = computeSlots(hosts, { ...q, kind: 'round_robin' });
        expectWellFormed(slots, q);
        const per = hosts.map((h) => new Set(naiveStarts(h, q)));
        const union = [...new Set(per.flatMap((s) => [...s]))].sort((a, b) => a - b);
        expect(slots.map((s) => s.start)).toEqual(union);
        for (const s of slots) {
          expect(s.hostIds).toEqual(hosts.filter((_, i) => per[i].has(s.start)).map((h) => h.hostId));
        }
      }),
      RUNS,
    );
  });

  it('collective: every host free and inside one of its windows; a lone host gets its one-on-one slots', () => {
    fc.assert(
      fc.property(scenario(2), ({ hosts, query: q }) => {
        const slots = computeSlots(hosts, { ...q, kind: 'collective' });
        expectWellFormed(slots, q);
        for (const h of hosts) {
          const wins = windowsOf(h, q);
          const bookingEnd =
            q.bookingWindowDays === null
              ? Infinity
              : wallTimeToInstant(addDays(localDateOf(q.now, h.timeZone), q.bookingWindowDays), 1440, h.timeZone);
          for (const s of slots) {
            expect(clashes(h, q, s.start)).toBe(false);
            expect(s.start).toBeLessThan(bookingEnd);
            expect(wins.some((w) => w.start <= s.start && s.end <= w.end)).toBe(true);
          }
        }
        for (const s of slots) expect(s.hostIds).toEqual(hosts.map((h) => h.hostId));
        // A lone host is its own common window: same starts as one-on-one.
        expect(computeSlots([hosts[0]], { ...q, kind: 'collective' })).toEqual(computeSlots([hosts[0]], q));
      }),
      RUNS,
    );
  });

  // The suite also runs under TZ=UTC and TZ=Pacific/Chatham, and the golden tables in compute-slots.spec.ts and
  // wall-clock.spec.ts pin literal instants, so any dependence on the process zone fails there. (Jest gives each
  // test file its own copy of process.env, so TZ cannot be switched from inside a test.) This guard keeps the
  // zone-reading Date APIs out of the engine's source.
  it('engine source uses no server-local Date API', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const fields = '(FullYear|Month|Date|Day|Hours|Minutes|Seconds|Milliseconds)';
    const local = new RegExp(`\\.(get|set)${fields}\\(|getTimezoneOffset|toLocale|new Date\\(\\s*['"\`]`);
    for (const file of ['wall-clock.ts', 'compute-slots.ts']) {
      const offending = readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .filter((line) => !line.trim().startsWith('//') && local.test(line));
      expect({ file, offending }).toEqual({ file, offending: [] });
    }
  });
});
