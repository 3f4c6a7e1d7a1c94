// Dates and times for people, by Intl for a locale, always in an explicit IANA zone (never the server's).
// English keeps Kairos's long-standing forms ("Tuesday, 9 March 2027", "09:30"); other locales take Intl's.

const cache = new Map<string, Intl.DateTimeFormat>();
function dtf(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

const isEnglish = (locale: string) => locale === 'en' || locale.startsWith('en-');

/** Whether the locale's own clock is the 12-hour one (en-US, es-MX, …); en-GB, de, fr, ja, pt-BR: 24 hours. */
export function prefers12Hour(locale: string): boolean {
  const cycle = dtf(locale, { hour: 'numeric', timeZone: 'UTC' }).resolvedOptions().hourCycle;
  return cycle === 'h12' || cycle === 'h11';
}

/** "9:30 AM" / "09:30" (English), "09:30" (de), "9:30" / "午前9:30" (ja) in the zone; h12 picks the clock. */
export function formatClockIn(instant: Date | number, zone: string, h12: boolean, locale: string): string {
  const options: Intl.DateTimeFormatOptions = isEnglish(locale)
    ? // English keeps en-US's "9:30 AM" and the zero-padded "09:30" Kairos always showed.
      { timeZone: zone, hour: h12 ? 'numeric' : '2-digit', minute: '2-digit', hourCycle: h12 ? 'h12' : 'h23' }
    : { timeZone: zone, timeStyle: 'short', hourCycle: h12 ? 'h12' : 'h23' };
  return dtf(isEnglish(locale) ? 'en-US' : locale, options).format(new Date(instant));
}

/** "Tuesday, 9 March 2027" (en-GB), "Dienstag, 9. März 2027", "2027年3月9日火曜日" for an instant in a zone. */
export function formatLongDateIn(instant: Date | number, zone: string, locale: string): string {
  return dtf(locale === 'en' ? 'en-GB' : locale, {
    timeZone: zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(instant));
}

/** A calendar date string ("2027-03-09") in long form. */
export const formatDateStringIn = (date: string, locale: string): string =>
  formatLongDateIn(Date.parse(`${date}T12:00:00Z`), 'UTC', locale);

/** "March 2027", "März 2027", "2027年3月" for "2027-03". */
export function formatMonthIn(month: string, locale: string): string {
  return dtf(locale === 'en' ? 'en-GB' : locale, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(
    Date.parse(`${month}-01T12:00:00Z`),
  );
}

/** "Tuesday, 9 March 2027, 09:30 – 10:00" in the zone. */
export function formatRangeIn(start: Date, end: Date, zone: string, h12: boolean, locale: string): string {
  return `${formatLongDateIn(start, zone, locale)}, ${formatClockIn(start, zone, h12, locale)} – ${formatClockIn(end, zone, h12, locale)}`;
}

/** "1 Mar 2027, 14:05" style: a short date and time in the zone. */
export function formatDateTimeIn(instant: Date | number, zone: string, h12: boolean, locale: string): string {
  return dtf(locale === 'en' ? 'en-GB' : locale, {
    timeZone: zone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: h12 ? 'numeric' : '2-digit',
    minute: '2-digit',
    hourCycle: h12 ? 'h12' : 'h23',
  }).format(new Date(instant));
}

/** Where weeks start, by CLDR: Intl.Locale weekInfo when the runtime has it, else this table (1 = Monday, 7 = Sunday). */
const FIRST_DAY_BY_REGION: Record<string, number> = { US: 7, CA: 7, BR: 7, JP: 7, MX: 7, IL: 7, PH: 7, AU: 1, GB: 1 };
const FIRST_DAY_BY_LANGUAGE: Record<string, number> = { en: 7, ja: 7, pt: 7, de: 1, fr: 1, es: 1 };

export function firstDayOfWeek(locale: string): number {
  try {
    const l = new Intl.Locale(locale) as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number };
      weekInfo?: { firstDay: number };
    };
    const info = l.getWeekInfo?.() ?? l.weekInfo;
    if (info && info.firstDay >= 1 && info.firstDay <= 7) {
      // A bare language ("en", "ja") has no region: CLDR's answer for it is the world's (Monday); use its main region.
      if (l.region || !(l.language in FIRST_DAY_BY_LANGUAGE)) return info.firstDay;
    }
    const byRegion = l.region ? FIRST_DAY_BY_REGION[l.region] : undefined;
    if (byRegion !== undefined) return byRegion;
    return FIRST_DAY_BY_LANGUAGE[l.language] ?? 1;
  } catch {
    return 1;
  }
}

/** The seven weekday names from `firstDay` (1 = Monday … 7 = Sunday): short ("Mo", "月") and long ("Monday", "月曜日"). */
export function weekdayNames(locale: string, firstDay: number): Array<{ short: string; long: string }> {
  const tag = locale === 'en' ? 'en-GB' : locale;
  const short = dtf(tag, { timeZone: 'UTC', weekday: 'short' });
  const long = dtf(tag, { timeZone: 'UTC', weekday: 'long' });
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) => {
    const day = Date.UTC(2024, 0, 1 + ((firstDay - 1 + i) % 7), 12);
    const s = short.format(day).replace(/\.$/, '');
    // English keeps its two-letter headers (Mo, Tu, …); other locales Intl's short form.
    return { short: isEnglish(locale) ? s.slice(0, 2) : s, long: long.format(day) };
  });
}
