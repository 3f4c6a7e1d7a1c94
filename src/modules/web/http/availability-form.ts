// The availability form: a text box of hours per weekday and rows of date overrides, the default schedule's hours
// request built from them, and where the schedule rules' problems are shown.
import type { HoursInput, IntervalInput } from '../../schedules/application/schedules.service.js';
import { canonicalTimeZone } from '../../../shared/validation/time-zone.js';
import { type Errors, type Form, type FormFields, type PlaceField, one, placedBy, rowCount } from './admin-forms.js';

export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** The week as the form lists it, Monday first; `day_N` is the box of day N (0 = Sunday). */
export const DAY_ORDER = [1, 2, 3, 4, 5, 6, 0];
const INTERVAL = /^([01]\d|2[0-3]):([0-5]\d)\s*[-–]\s*(([01]\d|2[0-3]):([0-5]\d)|24:00)$/;
/** An override's hours box with one of these words (or empty) means the whole day is unavailable. */
const DAY_OFF = /^(unavailable|off|closed|none)?$/i;

/** The form's single field → the hours request's field (the weekday boxes and override rows are mapped below). */
export const AVAILABILITY_FORM_FIELDS = { time_zone: 'time_zone' } as const satisfies FormFields;

/** Which form field each rules[i] came from (`day_N`) and which override row each overrides[i] came from. */
export interface AvailabilityFormRows {
  rules: string[];
  overrides: number[];
}

/**
 * The posted boxes as the default schedule's hours. Reading "09:00-17:00, 13:00-17:00" into intervals is the form's
 * own concern (a mistake there is refused beside the box); whether the hours make sense (a real date, start before
 * end, no overlaps) is the schedule rules'.
 */
export function hoursRequestOf(body: Form, errors: Errors): { input: HoursInput; rows: AvailabilityFormRows } {
  const rules: HoursInput['rules'] = [];
  const ruleFields: string[] = [];
  for (const d of DAY_ORDER) {
    const parsed = parseIntervals(one(body[`day_${d}`]));
    if ('error' in parsed) errors[`day_${d}`] = parsed.error;
    else
      for (const x of parsed.intervals) {
        rules.push({ dayOfWeek: d, ...x });
        ruleFields.push(`day_${d}`);
      }
  }
  const overrides: HoursInput['overrides'] = [];
  const overrideRows: number[] = [];
  for (let i = 0; i < rowCount(body, 'ov_date_'); i++) {
    const date = one(body[`ov_date_${i}`]);
    const hours = one(body[`ov_hours_${i}`]);
    if (!date && !hours) continue;
    const parsed = DAY_OFF.test(hours) ? { intervals: [] } : parseIntervals(hours);
    if ('error' in parsed) {
      errors[`ov_hours_${i}`] = parsed.error;
      continue;
    }
    overrides.push({ date, intervals: parsed.intervals });
    overrideRows.push(i);
  }
  // The schedule rules take the zone as given (the API checks it in its request): the form checks its select here.
  const timeZone = canonicalTimeZone(one(body.time_zone));
  if (!timeZone) errors.time_zone = 'Please choose a time zone.';
  return { input: { timeZone: timeZone ?? one(body.time_zone), rules, overrides }, rows: { rules: ruleFields, overrides: overrideRows } };
}

/** "rules.3…" beside the weekday box it came from; "overrides.1.date" beside that row's date, the rest beside its hours. */
export function placeHoursProblem(rows: AvailabilityFormRows): PlaceField {
  const single = placedBy(AVAILABILITY_FORM_FIELDS);
  return (apiField) => {
    const [list, index, sub] = apiField.split('.');
    const n = Number(index);
    if (list === 'rules' && Number.isInteger(n)) return rows.rules[n];
    if (list === 'overrides' && Number.isInteger(n) && n >= 0) {
      const row = rows.overrides.at(n);
      return row === undefined ? undefined : `${sub === 'date' ? 'ov_date' : 'ov_hours'}_${row}`;
    }
    return single(apiField);
  };
}

function parseIntervals(text: string): { intervals: IntervalInput[] } | { error: string } {
  if (!text) return { intervals: [] };
  const intervals: IntervalInput[] = [];
  for (const part of text
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = INTERVAL.exec(part);
    if (!m) return { error: `“${part}” is not a time range; write it like 09:00-17:00 (24-hour clock).` };
    intervals.push({ startTime: `${m[1]}:${m[2]}`, endTime: m[3] });
  }
  return { intervals };
}
