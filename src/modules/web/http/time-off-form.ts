// The admin's time off form: a start and an end as a date and a time in the host's zone (wall clock, turned into
// instants with the slot engine's zone arithmetic, never the server's zone), a reason and a teammate to send
// invitees to. Whether the range makes sense (end after start, not over, at most a year) is the time off rules'.
import { minuteOfDay, wallTimeToInstant } from '../../availability/domain/wall-clock.js';
import { formatDateStringIn, formatDateTimeIn } from '../../../shared/i18n/format.js';
import { type Translate, translatorFor } from '../../../shared/i18n/i18n.js';
import { formatClock, formatDateString, formatDateTime, isRealDate, localDate } from '../domain/web-time.js';

/** The form's words when the caller gives no language (unit specs): English. */
const ENGLISH: Translate = translatorFor('en');
import { type Errors, type Form, type FormFields, one } from './admin-forms.js';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** API field → where its problems are shown (the instants come from the date and time boxes). */
export const TIME_OFF_FORM_FIELDS: FormFields = {
  start_date: 'start_time',
  end_date: 'end_time',
  reason: 'reason',
  redirect_to: 'redirect_to_user_id',
};

export interface TimeOffRequest {
  start: Date;
  end: Date;
  reason: string | null;
  redirectToUserId: string | null;
}

/**
 * The post as a time off request in `zone`. An empty start time is the start of that day; an empty end time is the
 * end of the end date (the next midnight), so "3 Aug to 7 Aug" with no times is five whole days off.
 */
export function timeOffRequestOf(body: Form, zone: string, errors: Errors, t: Translate = ENGLISH): TimeOffRequest | null {
  const start = instantOf(one(body.start_date), one(body.start_time), 0, 'start', zone, errors, t);
  const end = instantOf(one(body.end_date), one(body.end_time), 1440, 'end', zone, errors, t);
  if (start === null || end === null) return null;
  return {
    start: new Date(start),
    end: new Date(end),
    reason: one(body.reason) || null,
    redirectToUserId: one(body.redirect_to) || null,
  };
}

function instantOf(
  date: string,
  time: string,
  emptyTime: number,
  which: 'start' | 'end',
  zone: string,
  errors: Errors,
  t: Translate,
): number | null {
  let ok = true;
  if (!isRealDate(date)) {
    errors[`${which}_date`] = date
      ? t('admin.timeOff.realDate')
      : t(which === 'start' ? 'admin.timeOff.firstDayMissing' : 'admin.timeOff.lastDayMissing');
    ok = false;
  }
  if (time && !TIME.test(time)) {
    errors[`${which}_time`] = t('admin.timeOff.timeFormat');
    ok = false;
  }
  return ok ? wallTimeToInstant(date, time ? minuteOfDay(time) : emptyTime, zone) : null;
}

/** "Friday, 26 March 2027 – Monday, 29 March 2027" for whole local days, else both ends with their times. */
export function timeOffLabel(start: number, end: number, zone: string, t: Translate = ENGLISH, locale = 'en-GB'): string {
  const english = locale === 'en' || locale === 'en-GB';
  const day = (date: string) => (english ? formatDateString(date) : formatDateStringIn(date, locale));
  const instant = (ms: number) => (english ? formatDateTime(ms, zone) : formatDateTimeIn(ms, zone, false, locale));
  if (formatClock(start, zone, false) === '00:00' && formatClock(end, zone, false) === '00:00') {
    const first = localDate(start, zone);
    const last = localDate(end - 1, zone); // the end is the midnight after the last day
    return first === last ? t('admin.timeOff.allDay', { date: day(first) }) : `${day(first)} – ${day(last)}`;
  }
  return `${instant(start)} – ${instant(end)}`;
}
