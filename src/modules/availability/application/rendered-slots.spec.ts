import fc from 'fast-check';
import { offsetAt, utcIso, zonedIso } from '../domain/wall-clock.js';
import { cutAtNotice, renderSlots, type SlotsAnswer } from './rendered-slots.js';

// The renderer formats instants by integer arithmetic (wall-clock.ts). These references are the Date-based
// formatting it replaced; the bytes must not change, across DST transitions and odd offsets alike.
const MINUTE = 60_000;
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number) => String(n).padStart(4, '0');
const referenceUtcIso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
function referenceZonedIso(ms: number, timeZone: string): string {
  const offMin = Math.round(offsetAt(ms, timeZone) / MINUTE);
  const d = new Date(Math.floor(ms / 1000) * 1000 + offMin * MINUTE);
  const abs = Math.abs(offMin);
  return (
    `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}` +
    `T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}` +
    `${offMin < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
  );
}
function referenceBody(a: SlotsAnswer): string {
  return JSON.stringify({
    time_zone: a.timeZone,
    meeting_type_id: a.meetingTypeId,
    duration_minutes: a.durationMinutes,
    start_date: a.startDate,
    end_date: a.endDate,
    slots: a.slots.map((s) => ({
      start_time: referenceUtcIso(s.start),
      end_time: referenceUtcIso(s.end),
      local_start_time: referenceZonedIso(s.start, a.timeZone),
      ...(s.seatsRemaining !== undefined ? { seats_remaining: s.seatsRemaining } : {}),
    })),
  });
}

const Z = (iso: string) => Date.parse(iso);
// [zone, an instant near one of its transitions]: gaps, overlaps, half-hour and 45-minute offsets, a zone whose
// DST ended (Sao_Paulo, last switch 2019), and a southern-hemisphere pair.
const TRANSITIONS: [string, string][] = [
  ['Pacific/Chatham', '2027-04-03T14:00:00Z'],
  ['Pacific/Chatham', '2027-09-25T14:00:00Z'],
  ['Asia/Kathmandu', '2027-01-11T03:15:00Z'],
  ['America/Sao_Paulo', '2019-02-17T02:00:00Z'],
  ['America/Sao_Paulo', '2018-11-04T03:00:00Z'],
  ['America/Sao_Paulo', '2027-06-01T12:00:00Z'],
  ['Europe/London', '2027-03-28T01:00:00Z'],
  ['Europe/London', '2027-10-31T01:00:00Z'],
  ['Australia/Lord_Howe', '2027-04-03T15:00:00Z'],
  ['Australia/Lord_Howe', '2027-10-02T15:30:00Z'],
  ['America/New_York', '2027-03-14T07:00:00Z'],
  ['America/New_York', '2027-11-07T06:00:00Z'],
  ['UTC', '2027-01-01T00:00:00Z'],
];

describe('instant formatting without Date objects', () => {
  it('matches the Date-based formatting at every minute within a day of each transition', () => {
    // Compared in a loop and reported at the end: one expect per instant would take most of a minute.
    const mismatches: string[] = [];
    for (const [zone, at] of TRANSITIONS) {
      for (let t = Z(at) - 24 * 60 * MINUTE; t <= Z(at) + 24 * 60 * MINUTE; t += MINUTE) {
        if (utcIso(t) !== referenceUtcIso(t)) mismatches.push(`${t} UTC: ${utcIso(t)}`);
        if (zonedIso(t, zone) !== referenceZonedIso(t, zone)) mismatches.push(`${t} ${zone}: ${zonedIso(t, zone)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('matches at arbitrary instants: seconds, milliseconds, leap days, far years, LMT offsets with seconds', () => {
    const zones = [...new Set(TRANSITIONS.map(([z]) => z)), 'Asia/Kolkata', 'Pacific/Kiritimati', 'Africa/Monrovia'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Z('1850-01-01T00:00:00Z'), max: Z('2400-01-01T00:00:00Z') }),
        (zone, t) => utcIso(t) === referenceUtcIso(t) && zonedIso(t, zone) === referenceZonedIso(t, zone),
      ),
      { numRuns: 3000 },
    );
    for (const t of [
      0,
      -1,
      Z('0000-01-01T00:00:00Z'),
      Z('9999-12-31T23:59:59Z'),
      Z('+010000-01-01T00:00:00Z'),
      Z('-000001-06-01T00:00:00Z'),
    ]) {
      expect(utcIso(t)).toBe(referenceUtcIso(t));
      expect(zonedIso(t, 'UTC')).toBe(referenceZonedIso(t, 'UTC'));
    }
  });
});

describe('renderSlots', () => {
  const answer = (timeZone: string, at: string, seats?: number): SlotsAnswer => ({
    timeZone,
    meetingTypeId: '3f1c2b9a-0000-4000-8000-000000000001',
    durationMinutes: 30,
    startDate: at.slice(0, 10),
    endDate: at.slice(0, 10),
    // Every 15 minutes for two days around the transition, 30 minutes long.
    slots: Array.from({ length: 192 }, (_, i) => {
      const start = Z(at) - 24 * 60 * MINUTE + i * 15 * MINUTE;
      return { start, end: start + 30 * MINUTE, ...(seats !== undefined ? { seatsRemaining: seats - (i % 3) } : {}) };
    }),
  });

  it.each(TRANSITIONS)('gives the bytes JSON.stringify gives (%s around %s)', (zone, at) => {
    for (const a of [answer(zone, at), answer(zone, at, 5)]) {
      const rendered = renderSlots(a);
      expect(rendered.body).toBe(referenceBody(a));
      expect(JSON.parse(rendered.body)).toEqual(JSON.parse(referenceBody(a)));
    }
  });

  it('indexes slot boundaries so the notice cut is two slices', () => {
    const a = answer('Europe/London', '2027-03-28T01:00:00Z');
    const rendered = renderSlots(a);
    const earliest = a.slots[10].start;
    const cut = cutAtNotice(rendered, earliest);
    expect(cut.body).toBe(referenceBody({ ...a, slots: a.slots.slice(10) }));
    expect(cut.etag).toBe(`"${rendered.tag}-10"`);
  });
});
