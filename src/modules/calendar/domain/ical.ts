import { addDays, allDayRange, isKnownZone, type Occurrence, wallToInstant } from './occurrence.js';

/**
 * A small iCalendar (RFC 5545) reader for busy time: VEVENTs with DTSTART/DTEND/DURATION in UTC, with TZID, floating
 * or all-day; RRULE (DAILY/WEEKLY/MONTHLY/YEARLY with INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH), RDATE,
 * EXDATE and RECURRENCE-ID overrides; STATUS and TRANSP. Titles and descriptions are never kept.
 */

export interface IcalTime {
  kind: 'date' | 'utc' | 'zoned' | 'floating';
  date: string; // YYYY-MM-DD
  time: string; // HH:MM:SS ('00:00:00' for dates)
  tzid?: string;
}

/** RRULE parts by name (FREQ, INTERVAL, BYDAY…); absent parts are undefined. */
export type RecurrenceRule = Partial<Record<string, string>>;

export interface VEvent {
  uid: string;
  start: IcalTime;
  end?: IcalTime;
  durationMs?: number;
  durationDays?: number;
  rrule?: RecurrenceRule;
  rdates: IcalTime[];
  exdates: IcalTime[];
  recurrenceId?: IcalTime;
  status: string;
  transparent: boolean;
}

interface Property {
  name: string;
  params: Record<string, string>;
  value: string;
}

function unfold(text: string): string[] {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/\r/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n')
    .filter((l) => l.length > 0);
}

function parseLine(line: string): Property | null {
  // NAME;PARAM=VALUE;PARAM="quoted:value":VALUE
  let i = 0;
  let inQuotes = false;
  for (; i < line.length; i++) {
    const c = line[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (c === ':' && !inQuotes) break;
  }
  if (i >= line.length) return null;
  const head = line.slice(0, i);
  const value = line.slice(i + 1);
  const parts = head.split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  const params: Record<string, string> = {};
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    if (eq > 0) params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"|"$/g, '');
  }
  return { name: parts[0].toUpperCase(), params, value };
}

export function parseIcalTime(value: string, params: Record<string, string>): IcalTime | null {
  const v = value.trim();
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(v);
  if (!m) return null;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (!m[4] || params.VALUE === 'DATE') return { kind: 'date', date, time: '00:00:00' };
  const time = `${m[4]}:${m[5]}:${m[6]}`;
  if (m[7]) return { kind: 'utc', date, time };
  if (params.TZID) return { kind: 'zoned', date, time, tzid: params.TZID };
  return { kind: 'floating', date, time };
}

function parseDuration(value: string): { ms: number; days: number } | null {
  // Groups that did not take part in the match are undefined.
  const m: (string | undefined)[] | null = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(value.trim());
  if (!m) return null;
  const sign = m[1] === '-' ? -1 : 1;
  const days = (Number(m[2] ?? 0) * 7 + Number(m[3] ?? 0)) * sign;
  const ms = ((Number(m[4] ?? 0) * 60 + Number(m[5] ?? 0)) * 60 + Number(m[6] ?? 0)) * 1000 * sign;
  return { ms, days };
}

/** Every VEVENT of an iCalendar text (VCALENDAR with one or more events, as in a feed or a CalDAV object). */
export function parseVEvents(text: string): VEvent[] {
  const events: VEvent[] = [];
  let current: (Partial<VEvent> & { rdates: IcalTime[]; exdates: IcalTime[] }) | null = null;
  let depth = 0; // nested components inside a VEVENT (VALARM) are skipped
  for (const line of unfold(text)) {
    const prop = parseLine(line);
    if (!prop) continue;
    if (prop.name === 'BEGIN') {
      if (prop.value.toUpperCase() === 'VEVENT' && !current) current = { rdates: [], exdates: [], status: 'CONFIRMED', transparent: false };
      else if (current) depth++;
      continue;
    }
    if (prop.name === 'END') {
      if (current && depth > 0) depth--;
      else if (current && prop.value.toUpperCase() === 'VEVENT') {
        if (current.uid && current.start) events.push(current as VEvent);
        current = null;
      }
      continue;
    }
    if (!current || depth > 0) continue;
    switch (prop.name) {
      case 'UID':
        current.uid = prop.value.trim();
        break;
      case 'DTSTART':
        current.start = parseIcalTime(prop.value, prop.params) ?? undefined;
        break;
      case 'DTEND':
        current.end = parseIcalTime(prop.value, prop.params) ?? undefined;
        break;
      case 'DURATION': {
        const d = parseDuration(prop.value);
        if (d) {
          current.durationMs = d.ms;
          current.durationDays = d.days;
        }
        break;
      }
      case 'RRULE':
        current.rrule = Object.fromEntries(
          prop.value
            .split(';')
            .map((kv) => kv.split('=') as [string, string | undefined])
            .map(([k, v]) => [k.toUpperCase(), v ?? '']),
        );
        break;
      case 'RDATE':
      case 'EXDATE':
        for (const part of prop.value.split(',')) {
          const t = parseIcalTime(part.split('/')[0], prop.params);
          if (t) (prop.name === 'RDATE' ? current.rdates : current.exdates).push(t);
        }
        break;
      case 'RECURRENCE-ID':
        current.recurrenceId = parseIcalTime(prop.value, prop.params) ?? undefined;
        break;
      case 'STATUS':
        current.status = prop.value.trim().toUpperCase();
        break;
      case 'TRANSP':
        current.transparent = prop.value.trim().toUpperCase() === 'TRANSPARENT';
        break;
    }
  }
  return events;
}

/** The instant of an iCalendar time; floating times and unknown TZIDs are read in the host's zone. */
export function icalInstant(t: IcalTime, hostZone: string): Date {
  if (t.kind === 'utc') return new Date(`${t.date}T${t.time}Z`);
  if (t.kind === 'zoned' && isKnownZone(t.tzid)) return wallToInstant(t.date, t.time, t.tzid);
  return wallToInstant(t.date, t.time, hostZone);
}

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate(); // month is 1-based here
}

function ymd(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Days of one month matching BYDAY (with optional ordinals) or BYMONTHDAY, or the given default day. */
function monthDays(year: number, month: number, rule: RecurrenceRule, defaultDay: number): string[] {
  const last = daysInMonth(year, month);
  if (rule.BYDAY) {
    const out = new Set<number>();
    for (const spec of rule.BYDAY.split(',')) {
      const m = /^([+-]?\d{1,2})?(SU|MO|TU|WE|TH|FR|SA)$/.exec(spec.trim().toUpperCase());
      if (!m) continue;
      const wd = WEEKDAYS.indexOf(m[2]);
      const matching: number[] = [];
      for (let d = 1; d <= last; d++) if (dayOfWeek(ymd(year, month, d)) === wd) matching.push(d);
      if (!m[1]) matching.forEach((d) => out.add(d));
      else {
        const n = Number(m[1]);
        const d = n > 0 ? matching[n - 1] : matching[matching.length + n];
        if (d) out.add(d);
      }
    }
    let days = [...out];
    if (rule.BYMONTHDAY) {
      const md = rule.BYMONTHDAY.split(',')
        .map(Number)
        .map((n) => (n < 0 ? last + n + 1 : n));
      days = days.filter((d) => md.includes(d));
    }
    return days.sort((a, b) => a - b).map((d) => ymd(year, month, d));
  }
  if (rule.BYMONTHDAY) {
    return rule.BYMONTHDAY.split(',')
      .map(Number)
      .map((n) => (n < 0 ? last + n + 1 : n))
      .filter((d) => d >= 1 && d <= last)
      .sort((a, b) => a - b)
      .map((d) => ymd(year, month, d));
  }
  return defaultDay <= last ? [ymd(year, month, defaultDay)] : [];
}

/** Local dates of a series' occurrences, in order, from DTSTART's date until `untilDate` (inclusive) or COUNT. */
export function expandRuleDates(
  startDate: string,
  rule: RecurrenceRule,
  untilDate: string,
  isAfterUntil: (date: string) => boolean,
): string[] {
  const freq = rule.FREQ;
  const interval = Math.max(1, Number(rule.INTERVAL ?? 1) || 1);
  const count = rule.COUNT ? Number(rule.COUNT) : Infinity;
  const out: string[] = [];
  const [y0, m0, d0] = startDate.split('-').map(Number);
  let produced = 0;
  const emit = (dates: string[]): boolean => {
    for (const date of dates) {
      if (date < startDate) continue;
      if (date > untilDate || isAfterUntil(date) || produced >= count) return false;
      out.push(date);
      produced++;
    }
    return true;
  };
  const maxSteps = 20_000;
  for (let k = 0; k < maxSteps; k++) {
    let dates: string[];
    if (freq === 'DAILY') dates = [addDays(startDate, k * interval)];
    else if (freq === 'WEEKLY') {
      const monday = addDays(startDate, -((dayOfWeek(startDate) + 6) % 7));
      const weekStart = addDays(monday, k * interval * 7);
      const days = rule.BYDAY
        ? rule.BYDAY.split(',')
            .map((s) => WEEKDAYS.indexOf(s.trim().toUpperCase().slice(-2)))
            .filter((d) => d >= 0)
        : [dayOfWeek(startDate)];
      dates = [...new Set(days)].map((wd) => addDays(weekStart, (wd + 6) % 7)).sort();
    } else if (freq === 'MONTHLY') {
      const index = m0 - 1 + k * interval;
      dates = monthDays(y0 + Math.floor(index / 12), (index % 12) + 1, rule, d0);
    } else if (freq === 'YEARLY') {
      const year = y0 + k * interval;
      const months = rule.BYMONTH
        ? rule.BYMONTH.split(',')
            .map(Number)
            .sort((a, b) => a - b)
        : [m0];
      dates = months.flatMap((month) => monthDays(year, month, rule.BYDAY || rule.BYMONTHDAY ? rule : {}, d0));
    } else return [startDate];
    if (!emit(dates)) break;
    if (dates.length > 0 && dates[0] > untilDate) break;
  }
  return out;
}

/**
 * The occurrences of the events of one iCalendar object/feed that overlap [from, to). Series are expanded in the
 * zone of their DTSTART (so DST moves them correctly); all-day events become the host's local days.
 */
export function occurrencesOf(events: VEvent[], hostZone: string, from: Date, to: Date, keyOf: (e: VEvent) => string): Occurrence[] {
  const overrides = new Map<string, Array<{ event: VEvent; recurrenceId: IcalTime }>>();
  const masters: VEvent[] = [];
  for (const e of events) {
    if (e.recurrenceId) overrides.set(e.uid, [...(overrides.get(e.uid) ?? []), { event: e, recurrenceId: e.recurrenceId }]);
    else masters.push(e);
  }
  const out: Occurrence[] = [];
  const single = (e: VEvent, start: IcalTime): Occurrence | null => {
    if (e.status === 'CANCELLED') return null;
    const base = {
      externalEventId: keyOf(e),
      busy: !e.transparent,
      status: e.status === 'TENTATIVE' ? ('tentative' as const) : ('confirmed' as const),
    };
    if (start.kind === 'date') {
      const days =
        e.end?.kind === 'date' ? Math.round((Date.parse(e.end.date) - Date.parse(e.start.date)) / 86_400_000) : (e.durationDays ?? 1) || 1;
      const { start: s, end } = allDayRange(start.date, addDays(start.date, Math.max(1, days)), hostZone);
      return { ...base, start: s, end, allDay: true };
    }
    const s = icalInstant(start, hostZone);
    let lengthMs: number;
    if (e.end) lengthMs = icalInstant(e.end, hostZone).getTime() - icalInstant(e.start, hostZone).getTime();
    else lengthMs = (e.durationDays ?? 0) * 86_400_000 + (e.durationMs ?? 0);
    return { ...base, start: s, end: new Date(s.getTime() + Math.max(0, lengthMs)), allDay: false };
  };
  for (const e of masters) {
    const starts: IcalTime[] = [];
    if (e.rrule) {
      const zone = e.start.kind === 'zoned' && isKnownZone(e.start.tzid) ? e.start.tzid : hostZone;
      const until = e.rrule.UNTIL ? parseIcalTime(e.rrule.UNTIL, {}) : null;
      const untilInstant = until ? icalInstant(until, zone).getTime() : Infinity;
      const lastDate = addDays(to.toISOString().slice(0, 10), 2);
      const dates = expandRuleDates(e.start.date, e.rrule, lastDate, (date) => {
        if (!until) return false;
        const t = e.start.kind === 'date' ? new Date(`${date}T00:00:00Z`).getTime() : icalInstant({ ...e.start, date }, hostZone).getTime();
        return until.kind === 'date' ? date > until.date : t > untilInstant;
      });
      starts.push(...dates.map((date) => ({ ...e.start, date })));
    } else starts.push(e.start);
    starts.push(...e.rdates);
    const excluded = new Set(e.exdates.map((x) => (x.kind === 'date' ? x.date : icalInstant(x, hostZone).toISOString())));
    const replaced = new Set(
      (overrides.get(e.uid) ?? []).map(({ recurrenceId: r }) => (r.kind === 'date' ? r.date : icalInstant(r, hostZone).toISOString())),
    );
    const seen = new Set<string>();
    for (const s of starts) {
      const id = s.kind === 'date' ? s.date : icalInstant(s, hostZone).toISOString();
      const idDate = s.kind === 'date' ? s.date : id;
      if (seen.has(id) || excluded.has(id) || excluded.has(s.date) || replaced.has(idDate) || (replaced.has(s.date) && s.kind === 'date'))
        continue;
      seen.add(id);
      const occ = single(e, s);
      if (occ) out.push(occ);
    }
  }
  for (const list of overrides.values()) {
    for (const { event: o } of list) {
      const occ = single(o, o.start);
      if (occ) out.push(occ);
    }
  }
  return out.filter((o) => o.end.getTime() > from.getTime() && o.start.getTime() < to.getTime());
}
