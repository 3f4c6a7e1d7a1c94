import { translate } from '../../../shared/i18n/i18n.js';
import type { CapLimits } from '../domain/booking-caps.js';
import type { BusySourceKind, HostAvailability, Interval, SlotQuery } from '../domain/slot-engine.types.js';
import { type ExplainMessageName, type ExplainReason, explainStart } from '../domain/slot-explain.js';
import { explainMessage, explainMessageKey, localizeReasons } from './explain-messages.js';
import { publicReasons } from './slot-explain.service.js';

// Monday 8 March 2027 in UTC; the host works 09:00-17:00 on weekdays.
const at = (hhmm: string, date = '2027-03-08') => Date.parse(`${date}T${hhmm}:00Z`);
const MIN = 60_000;
const NO_CAPS: CapLimits = {
  maxBookingsPerDay: null,
  maxBookingsPerWeek: null,
  maxBookingsPerMonth: null,
  maxBookingsPerYear: null,
  maxBookedMinutesPerDay: null,
  maxBookedMinutesPerWeek: null,
};

function host(extra: Partial<HostAvailability> = {}, id = 'h0'): HostAvailability {
  const rules = [1, 2, 3, 4, 5].map((dayOfWeek) => ({ dayOfWeek, startMinute: 9 * 60, endMinute: 17 * 60 }));
  return { hostId: id, timeZone: 'UTC', rules, overrides: [], busy: [], limitedBookingStarts: [], ...extra };
}

function query(extra: Partial<SlotQuery> = {}): SlotQuery {
  return {
    rangeStart: at('00:00'),
    rangeEnd: at('00:00', '2027-03-15'),
    now: at('00:00', '2027-03-01'),
    durationMinutes: 30,
    intervalMinutes: 0,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    bookingWindowDays: null,
    maxBookingsPerDay: null,
    kind: 'one_on_one',
    ...extra,
  };
}

const busy = (kind: BusySourceKind, start: number, end: number): Interval => ({
  start,
  end,
  source: { kind, start, end, ...(kind === 'holiday' ? { name: 'Some Day' } : {}) },
});

const capped = (typeCaps: Partial<CapLimits>, scope: 'type' | 'host', kind: SlotQuery['kind'] = 'one_on_one') => {
  const limits = { ...NO_CAPS, ...typeCaps };
  const booked = [{ start: at('09:00'), minutes: 60 }];
  return {
    hosts: [host({ caps: { weekStart: 1, hostLimits: scope === 'host' ? limits : null, typeBookings: booked, allBookings: booked } })],
    q: query({ kind, typeCaps: scope === 'type' ? limits : null }),
  };
};

/** One setup per sentence the engine says, and the start it explains. */
const CASES: Array<[string, HostAvailability[], SlotQuery, number]> = [
  ['notice', [host()], query({ now: at('08:00'), minimumNoticeMinutes: 240 }), at('10:00')],
  ['grid', [host()], query({ intervalMinutes: 30 }), at('09:10')],
  [
    'common grid',
    [host(), host({ rules: [1, 2, 3, 4, 5].map((dayOfWeek) => ({ dayOfWeek, startMinute: 9 * 60 + 10, endMinute: 17 * 60 })) }, 'h1')],
    query({ kind: 'collective', intervalMinutes: 30 }),
    at('09:30'),
  ],
  ['override', [host({ overrides: [{ date: '2027-03-08', intervals: [] }] })], query(), at('10:00')],
  ['hours', [host()], query(), at('18:00')],
  ['window', [host()], query({ now: at('08:00'), bookingWindowDays: 0 }), at('10:00', '2027-03-09')],
  ...(['booking', 'pending_booking', 'hold', 'calendar', 'time_off', 'holiday'] as const).map(
    (kind): [string, HostAvailability[], SlotQuery, number] => [
      kind,
      [host({ busy: [busy(kind, at('10:00'), at('10:30'))] })],
      query(),
      at('10:00'),
    ],
  ),
  [
    'buffer before',
    [host({ busy: [{ ...busy('booking', at('09:00'), at('09:50')), end: at('09:50') + 15 * MIN }] })],
    query({ bufferBeforeMinutes: 15 }),
    at('10:00'),
  ],
  ['buffer after', [host({ busy: [busy('booking', at('10:40'), at('11:10'))] })], query({ bufferAfterMinutes: 15 }), at('10:00')],
  ['seats', [host()], query({ kind: 'group', seats: 1, seatsTaken: new Map([[at('10:00'), 1]]) }), at('10:00')],
  ['weekly cap (type)', capped({ maxBookingsPerWeek: 1 }, 'type').hosts, capped({ maxBookingsPerWeek: 1 }, 'type').q, at('11:00')],
  ['daily cap (host)', capped({ maxBookingsPerDay: 1 }, 'host').hosts, capped({ maxBookingsPerDay: 1 }, 'host').q, at('11:00')],
  [
    'minutes cap (type)',
    capped({ maxBookedMinutesPerDay: 60 }, 'type').hosts,
    capped({ maxBookedMinutesPerDay: 60 }, 'type').q,
    at('11:00'),
  ],
  [
    'monthly cap, per host',
    capped({ maxBookingsPerMonth: 1 }, 'type', 'round_robin').hosts,
    capped({ maxBookingsPerMonth: 1 }, 'type', 'round_robin').q,
    at('11:00'),
  ],
  [
    'round-robin host cap',
    [host({ roundRobinCap: { limit: 2, bookingsInPeriod: 2, period: 'rolling_30_days' } })],
    query({ kind: 'round_robin' }),
    at('11:00'),
  ],
];

describe('explain reasons in every language (issue #19)', () => {
  const reasons: ExplainReason[] = CASES.flatMap(([label, hosts, q, start]) => {
    const e = explainStart(hosts, q, start);
    if (e.reasons.length === 0) throw new Error(`${label}: no reason`);
    return e.reasons;
  });

  it('the catalog says in English exactly what the engine says, for every sentence the engine has', () => {
    const named = new Set<ExplainMessageName>();
    for (const r of reasons) {
      named.add(r.text.name);
      expect([r.code, translate('en', explainMessageKey(r.text), r.text.values)]).toEqual([r.code, r.message]);
    }
    for (const r of publicReasons(reasons)) expect(translate('en', explainMessageKey(r.text), r.text.values)).toBe(r.message);
    expect([...named].sort()).toEqual(
      [
        'minimumNotice',
        'notOnGrid',
        'notOnGridCommon',
        'override',
        'outsideHours',
        'bookingWindow',
        'busyBooking',
        'pendingApproval',
        'held',
        'busyCalendar',
        'timeOff',
        'holiday',
        'bufferBefore',
        'bufferAfter',
        'seatsFull',
        'capBookings',
        'capMinutes',
        'capRoundRobin',
      ].sort(),
    );
    // The per-host wording of a team type's own cap.
    expect(reasons.map((r) => r.message)).toContain('this meeting type takes at most 1 booking a month per host (max_bookings_per_month)');
    expect(translate('en', 'explain.busyPublic')).toBe('the host is busy then');
    expect(translate('en', 'explain.busyCalendarNamed', { calendar: 'Work' })).toBe('the host\'s calendar "Work" has a busy event then');
  });

  it('other languages change the sentences, never the codes or details', () => {
    const german = localizeReasons(reasons, 'de');
    expect(german.map((r) => [r.code, r.detail, r.interval, r.hostId])).toEqual(
      reasons.map((r) => [r.code, r.detail, r.interval, r.hostId]),
    );
    expect(german.map((r) => r.message)).toEqual(
      expect.arrayContaining(['Buchungen brauchen 240 Minuten Vorlauf', 'der Gastgeber hat dann eine andere Buchung']),
    );
    expect(german.map((r) => r.message)).toContain(
      'diese Terminart nimmt höchstens 1 Buchung pro Monat je Gastgeber an (max_bookings_per_month)',
    );
    for (const locale of ['fr', 'es', 'pt-BR', 'ja'] as const) {
      for (const r of reasons) {
        const said = explainMessage(r, locale);
        expect(said).not.toBe(r.message);
        expect(said).not.toMatch(/^explain\./);
      }
    }
    expect(localizeReasons(reasons, 'en')).toBe(reasons);
  });
});
