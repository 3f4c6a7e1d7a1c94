// The availability editors' forms: weekly hours (per weekday a tick and rows of start/end times) and one date
// override (a date, "unavailable" or rows of times). Reading the posted rows, the row edits the no-JS buttons ask for
// (add, remove, copy to weekdays), the hours requests built from them, and where the schedule rules' problems go.
import type { DomainError } from '../../../shared/http/domain-error.js';
import type { IntervalInput, OverrideInput, RuleInput } from '../../schedules/application/schedules.service.js';
import { type Translate, translatorFor } from '../../../shared/i18n/i18n.js';
import { type Errors, type Form, one, rowCount, sentence } from './admin-forms.js';

export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** The form's words when the caller gives no language (the welcome page, unit specs): English. */
const ENGLISH: Translate = translatorFor('en');

/** Weekday names by day number (0 = Sunday) in a language: long ("Montag") and short ("Mo"); English keeps DAYS. */
export interface DayNames {
  long: readonly string[];
  short: readonly string[];
}
export const ENGLISH_DAYS: DayNames = { long: DAYS, short: DAYS.map((d) => d.slice(0, 3)) };

export function dayNamesIn(locale: string): DayNames {
  if (locale === 'en' || locale.startsWith('en-')) return ENGLISH_DAYS;
  const long = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'long' });
  const short = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short' });
  // 2024-01-07 was a Sunday.
  const days = Array.from({ length: 7 }, (_, d) => Date.UTC(2024, 0, 7 + d, 12));
  return { long: days.map((d) => long.format(d)), short: days.map((d) => short.format(d).replace(/\.$/, '')) };
}
/** The week as the form lists it, Monday first; day N is 0 = Sunday. */
export const DAY_ORDER = [1, 2, 3, 4, 5, 6, 0];
export const WEEKDAYS = [1, 2, 3, 4, 5];
/** A new day's first interval. */
export const DEFAULT_ROW: Row = { start: '09:00', end: '17:00' };

/** One interval as typed (kept verbatim so a refused form shows what was written). */
export interface Row {
  start: string;
  end: string;
}
export interface DayForm {
  available: boolean;
  rows: Row[];
}
/** Day number (0 = Sunday) → that day's tick and rows. */
export type WeekForm = Record<number, DayForm>;

/** "9" "9:30" "0930" "09:30" "9.30" "9:30 pm" → "HH:MM"; "24:00" only where `endOfDay`. Null when not a time. */
export function parseTime(text: string, endOfDay = false): string | null {
  const m = /^(\d{1,2})(?:[:.h]?(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/i.exec(text.trim());
  if (!m) return null;
  const [, hours, mins, suffix] = m as unknown as [string, string, string | undefined, string | undefined];
  let h = Number(hours);
  const min = Number(mins ?? '0');
  const half = suffix?.toLowerCase()[0];
  if (half) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (half === 'p' ? 12 : 0);
  }
  if (min > 59) return null;
  if (h === 24 && min === 0 && endOfDay) return '24:00';
  if (h > 23) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/** The interval a "+ Add interval" appends: from the last one's end, an hour long (09:00-17:00 for an empty day). */
export function nextRow(rows: readonly Row[]): Row {
  const last = rows.at(-1);
  const from = last ? parseTime(last.end, true) : null;
  if (!from) return { ...DEFAULT_ROW };
  const [h, m] = from.split(':').map(Number);
  const start = h * 60 + m;
  if (start >= 24 * 60) return { start: '', end: '' };
  const end = Math.min(start + 60, 24 * 60);
  const clock = (n: number) => `${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
  return { start: clock(start), end: clock(end) };
}

/** Rows `${prefix}start_K` / `${prefix}end_K` as posted, the empty ones dropped (the rest renumbered from 0). */
export function rowsOf(body: Form, prefix: string): Row[] {
  const rows: Row[] = [];
  for (let k = 0; k < rowCount(body, `${prefix}start_`); k++) {
    const start = one(body[`${prefix}start_${k}`]);
    const end = one(body[`${prefix}end_${k}`]);
    if (start || end) rows.push({ start, end });
  }
  return rows;
}

/** The stored rules as the weekly form (a day off keeps one 09:00-17:00 row, shown once the day is ticked). */
export function weekFormOf(rules: readonly RuleInput[]): WeekForm {
  const week: WeekForm = {};
  for (const d of DAY_ORDER) {
    const rows = rules.filter((r) => r.dayOfWeek === d).map((r) => ({ start: r.startTime, end: r.endTime }));
    week[d] = rows.length ? { available: true, rows } : { available: false, rows: [{ ...DEFAULT_ROW }] };
  }
  return week;
}

/** The posted weekly form: `avail_D` ticks and `d{D}_start_K` / `d{D}_end_K` rows. */
export function postedWeek(body: Form): WeekForm {
  const week: WeekForm = {};
  for (const d of DAY_ORDER) {
    const rows = rowsOf(body, `d${d}_`);
    week[d] = { available: one(body[`avail_${d}`]) !== '' && rows.length > 0, rows: rows.length ? rows : [{ ...DEFAULT_ROW }] };
  }
  return week;
}

/**
 * The row edits of the no-JS buttons (the script does the same in the page): `add=D`, `remove=D_K`, `copy=D`
 * (to Monday-Friday). Returns a status line for the page, or null when the post was no edit (a save).
 */
export function applyRowEdit(body: Form, week: WeekForm, t: Translate = ENGLISH, names: DayNames = ENGLISH_DAYS): string | null {
  const add = one(body.add);
  const remove = /^([0-6])_(\d{1,2})$/.exec(one(body.remove));
  const copy = one(body.copy);
  if (/^[0-6]$/.test(add)) {
    const day = week[Number(add)];
    if (!day.available) day.available = true;
    else day.rows.push(nextRow(day.rows));
    return t('admin.availability.addedInterval', { day: names.long[Number(add)] });
  }
  if (remove) {
    const day = week[Number(remove[1])];
    day.rows.splice(Number(remove[2]), 1);
    if (day.rows.length === 0) week[Number(remove[1])] = { available: false, rows: [{ ...DEFAULT_ROW }] };
    return t('admin.availability.removedInterval', { day: names.long[Number(remove[1])] });
  }
  if (/^[0-6]$/.test(copy)) {
    const from = week[Number(copy)];
    for (const d of WEEKDAYS) week[d] = { available: from.available, rows: from.rows.map((r) => ({ ...r })) };
    return t('admin.availability.copiedHours', { day: names.long[Number(copy)] });
  }
  return null;
}

/** Reads typed rows as intervals; an unreadable time is refused beside its box (`${prefix}start_K`). */
function intervalsOf(rows: readonly Row[], prefix: string, errors: Errors, t: Translate): IntervalInput[] {
  const intervals: IntervalInput[] = [];
  rows.forEach((row, k) => {
    const start = parseTime(row.start);
    const end = parseTime(row.end, true);
    if (!start)
      errors[`${prefix}start_${k}`] = row.start
        ? t('admin.availability.notAStartTime', { value: row.start })
        : t('admin.availability.giveStart');
    if (!end)
      errors[`${prefix}end_${k}`] = row.end ? t('admin.availability.notAnEndTime', { value: row.end }) : t('admin.availability.giveEnd');
    if (start && end) intervals.push({ startTime: start, endTime: end });
  });
  return intervals;
}

/** The weekly rules of a posted week, with the form row each rule came from (`d{D}_`, K) for placing problems. */
export function rulesOf(week: WeekForm, errors: Errors, t: Translate = ENGLISH): { rules: RuleInput[]; rows: string[] } {
  const rules: RuleInput[] = [];
  const rows: string[] = [];
  for (const d of DAY_ORDER) {
    const day = week[d];
    if (!day.available) continue;
    const before = Object.keys(errors).length;
    const intervals = intervalsOf(day.rows, `d${d}_`, errors, t);
    if (Object.keys(errors).length > before) continue;
    intervals.forEach((x, k) => {
      rules.push({ dayOfWeek: d, ...x });
      rows.push(`d${d}_${k}`);
    });
  }
  return { rules, rows };
}

/** The posted override form: `ov_date`, `ov_kind` (off | hours) and `ov_start_K` / `ov_end_K` rows. */
export interface OverrideForm {
  date: string;
  off: boolean;
  rows: Row[];
}

export function postedOverride(body: Form): OverrideForm {
  const rows = rowsOf(body, 'ov_');
  return { date: one(body.ov_date), off: one(body.ov_kind) !== 'hours', rows: rows.length ? rows : [{ ...DEFAULT_ROW }] };
}

/** `ov_add` / `ov_remove=K` (no-JS): the override form's row edits; true when the post was one. */
export function applyOverrideRowEdit(body: Form, form: OverrideForm): boolean {
  if (one(body.ov_add)) {
    form.off = false;
    form.rows.push(nextRow(form.rows));
    return true;
  }
  const remove = one(body.ov_remove);
  if (/^\d{1,2}$/.test(remove)) {
    form.rows.splice(Number(remove), 1);
    if (form.rows.length === 0) form.rows.push({ ...DEFAULT_ROW });
    return true;
  }
  return false;
}

/** The override a posted form asks for; a missing or unreal date and unreadable times are refused beside their box. */
export function overrideOf(form: OverrideForm, errors: Errors, today: string, t: Translate = ENGLISH): OverrideInput | null {
  if (!form.date) errors.ov_date = t('admin.availability.pickDate');
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date)) errors.ov_date = t('admin.availability.dateFormat');
  else if (form.date < today) errors.ov_date = t('admin.availability.dateFromToday', { today });
  const intervals = form.off ? [] : intervalsOf(form.rows, 'ov_', errors, t);
  return Object.keys(errors).length ? null : { date: form.date, intervals };
}

/**
 * Puts the schedule rules' refusal (fields "rules.N", "overrides.N.date", "overrides.N.intervals.K") beside the form
 * rows: a start not before its end beside the end box, an overlap beside the start box. `ruleRows[N]` is the row
 * prefix and index of rules[N]; `overrideIndex` is the position of the posted override in the overrides sent.
 */
export function placeHoursProblems(
  error: DomainError,
  errors: Errors,
  ruleRows: readonly string[],
  overrideIndex = -1,
  t: Translate = ENGLISH,
): void {
  const put = (key: string, message: string) => {
    errors[key] = errors[key] ? `${errors[key]} ${message}` : message;
  };
  for (const p of error.problems) {
    const message = p.code === 'start_not_before_end' ? t('admin.availability.endAfterStart') : sentence(p.message);
    const [list, index, sub, k] = p.field.split('.');
    const n = Number(index);
    if (list === 'rules' && ruleRows[n]) {
      const [prefix, row] = ruleRows[n].split('_');
      put(`${prefix}_${p.code === 'overlaps' ? 'start' : 'end'}_${row}`, message);
    } else if (list === 'overrides' && n === overrideIndex) {
      put(sub === 'date' ? 'ov_date' : `ov_${p.code === 'overlaps' ? 'start' : 'end'}_${k}`, message);
    } else put('form', message);
  }
  if (error.problems.length === 0) put('form', sentence(error.message));
}

/** "09:00 – 12:00, 13:00 – 17:00" or "Unavailable all day". */
export function intervalsLabel(intervals: readonly IntervalInput[], t: Translate = ENGLISH): string {
  return intervals.length ? intervals.map((x) => `${x.startTime} – ${x.endTime}`).join(', ') : t('admin.availability.offAllDay');
}

/** The 97 quarter hours 00:00 … 24:00 offered by the time boxes. */
export const QUARTER_HOURS: string[] = Array.from(
  { length: 97 },
  (_, i) => `${String(Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`,
);

/** "Mon–Fri 09:00–17:00", "Mon–Wed, Fri 09:00–12:00, 13:00–17:00" or "Mon, Tue, Sat (hours vary)": a week in one line. */
export function weekSummary(rules: readonly RuleInput[], t: Translate = ENGLISH, names: DayNames = ENGLISH_DAYS): string {
  if (rules.length === 0) return t('admin.availability.noWeeklyHours');
  const hoursOf = (d: number) =>
    rules
      .filter((r) => r.dayOfWeek === d)
      .map((r) => `${r.startTime}–${r.endTime}`)
      .sort()
      .join(', ');
  const days = DAY_ORDER.filter((d) => hoursOf(d) !== '');
  // Runs of neighbouring days in the form's order (Monday first): Mon–Wed, Fri.
  const runs: number[][] = [];
  for (const d of days) {
    const run = runs.at(-1);
    if (run && DAY_ORDER.indexOf(d) === DAY_ORDER.indexOf(run[run.length - 1]) + 1) run.push(d);
    else runs.push([d]);
  }
  const short = (d: number) => names.short[d];
  const label = runs.map((r) => (r.length > 2 ? `${short(r[0])}–${short(r[r.length - 1])}` : r.map(short).join(', '))).join(', ');
  const same = days.every((d) => hoursOf(d) === hoursOf(days[0]));
  return same ? `${label} ${hoursOf(days[0])}` : t('admin.availability.hoursVary', { days: label });
}
