// Public holidays from the date-holidays dataset (npm), as days off in a host's zone. Pure: the dataset is code
// shipped with the package, read by country/region and year, and memoized here; nothing is stored per day.
//
// The dataset gives each holiday as a LOCAL date (plus a start wall time for the few that begin at noon or 14:00)
// whatever the process zone is. We never use its instants (they are computed in the country's first zone); the
// day becomes instants in the host's own IANA zone with the engine's wall-clock arithmetic, so a holiday on a DST
// day is 23 or 25 hours long, and a host in New York who follows German holidays is off on Berlin's dates.
import Holidays from 'date-holidays';
import type { Problem } from '../../../shared/http/domain-error.js';
import type { Interval } from './slot-engine.types.js';
import { dayNumberOf, localDateOf, wallDayToInstant } from './wall-clock.js';

/** The host's opt-in: an ISO 3166-1 country and optionally one of its subdivisions (the dataset's state code). */
export interface HolidaySetting {
  country: string;
  region: string | null;
}

/**
 * The dataset's types that take a host's day: `public` holidays, and `bank` holidays ("banks and offices are closed":
 * Christmas Eve afternoon in Germany, Midsummer Eve in Sweden, 2-3 January in Japan). Not `optional` (many people
 * take the day off, e.g. Christmas Eve in the US), `school` or `observance` (Mother's Day): those are working days.
 */
export const HOLIDAY_TYPES = ['public', 'bank'] as const;
export type HolidayType = (typeof HOLIDAY_TYPES)[number];
const TAKEN = new Set<string>(HOLIDAY_TYPES);

/** One holiday as the dataset gives it, in local terms. */
export interface Holiday {
  /** Its first local date, YYYY-MM-DD. */
  date: string;
  /** How many local dates it lasts: 1 mostly, 3 for Eid al-Fitr or Korean New Year in some countries. */
  days: number;
  /** Minute of the first date it begins at: 0 mostly; 840 for Germany's Christmas Eve (from 14:00). */
  startMinute: number;
  name: string;
  type: HolidayType;
}

/** A holiday placed in a zone: [start, end) in epoch ms. */
export interface ZonedHoliday extends Holiday, Interval {}

const DAY = 86_400_000;
/** Bounds the memo: hosts share country/region/year entries, so a few hundred cover everyone. */
const MAX_CACHED = 2_000;
const LANGUAGE = 'en';

let directory: Holidays | undefined;
/** The dataset's country/state directory (an instance without a country answers queries only). */
function dataset(): Holidays {
  directory ??= new Holidays();
  return directory;
}

/** Supported countries: code -> name (English, or in `language` where the dataset has it). */
export function holidayCountries(language = LANGUAGE): Record<string, string> {
  return dataset().getCountries(language);
}

/** The regions (states, provinces) the dataset knows for a country: code -> name; {} for none or unknown. */
export function holidayRegions(country: string, language = LANGUAGE): Record<string, string> {
  // Typed as always an object, but undefined for a country without regions (BY, IS) or one it does not know.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  return dataset().getStates(country, language) ?? {};
}

/**
 * Checks and normalizes a host's choice against the dataset: country as an ISO 3166-1 alpha-2 code it knows
 * ("de" -> "DE"), region as one of that country's codes ("BY", or the ISO 3166-2 form "DE-BY"). Problems name the
 * field, so the API answers 400 with `errors` and the admin can show them beside its fields.
 */
export function resolveHolidaySetting(
  country: string,
  region: string | null | undefined,
): { setting: HolidaySetting | null; problems: Problem[] } {
  const code = country.trim().toUpperCase();
  const countries = holidayCountries();
  if (!Object.hasOwn(countries, code)) {
    return {
      setting: null,
      problems: [
        {
          field: 'country',
          code: 'unknown_country',
          message: `country must be an ISO 3166-1 code the holiday dataset knows, such as "DE" or "US"`,
        },
      ],
    };
  }
  if (region === null || region === undefined || region.trim() === '') return { setting: { country: code, region: null }, problems: [] };
  let regionCode = region.trim().toUpperCase();
  if (regionCode.startsWith(`${code}-`)) regionCode = regionCode.slice(code.length + 1);
  const regions = holidayRegions(code);
  if (!Object.hasOwn(regions, regionCode)) {
    const known = Object.keys(regions);
    const hint =
      known.length === 0
        ? `${code} has no regions in the dataset`
        : `one of ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}`;
    return {
      setting: null,
      problems: [{ field: 'region', code: 'unknown_region', message: `region must be a region of ${code}: ${hint}` }],
    };
  }
  return { setting: { country: code, region: regionCode }, problems: [] };
}

const datasets = new Map<string, Holidays>();
const byYear = new Map<string, Holiday[]>();
const zoned = new Map<string, ZonedHoliday[]>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, value);
  return value;
}

function datasetFor(setting: HolidaySetting): Holidays {
  const key = `${setting.country}-${setting.region ?? ''}`;
  return (
    datasets.get(key) ??
    remember(datasets, key, setting.region ? new Holidays(setting.country, setting.region) : new Holidays(setting.country))
  );
}

// "2027-12-24 14:00:00", or "2027-03-09 00:00:00 -0600" for a holiday that begins the evening before (Islamic
// calendar): the date part is the day off; that evening is not.
const DATASET_DATE = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2})/;

/** The holidays of one local year that take the day (HOLIDAY_TYPES), in date order, with English names (or `language`'s). */
export function holidaysOfYear(setting: HolidaySetting, year: number, language = LANGUAGE): Holiday[] {
  const key = `${setting.country}-${setting.region ?? ''}:${year}:${language}`;
  const cached = byYear.get(key);
  if (cached) return cached;
  const list: Holiday[] = [];
  const source = datasetFor(setting);
  // The language, else English (a dataset without the language's names would otherwise fall back to whichever
  // language it was last asked for); English callers (the slot engine) ask for 'en' alone.
  source.setLanguages(language === LANGUAGE ? [LANGUAGE] : [language, LANGUAGE]);
  for (const h of source.getHolidays(year)) {
    if (!TAKEN.has(h.type)) continue;
    const m = DATASET_DATE.exec(h.date);
    if (!m) continue;
    const startMinute = /[+-]\d{4}$/.test(h.date) ? 0 : Number(m[2]) * 60 + Number(m[3]);
    // Its length in elapsed time, rounded to whole local dates (a DST day is 23 or 25 hours in the dataset's zone).
    const days = Math.max(1, Math.round((startMinute * 60_000 + h.end.getTime() - h.start.getTime()) / DAY));
    list.push({ date: m[1], days, startMinute, name: h.name, type: h.type as HolidayType });
  }
  return remember(byYear, key, list);
}

/** The year's holidays as instants in `timeZone`: from the start wall time of the first date to the midnight after the last. */
export function holidaysInZone(setting: HolidaySetting, year: number, timeZone: string, language = LANGUAGE): ZonedHoliday[] {
  const key = `${setting.country}-${setting.region ?? ''}:${year}:${timeZone}:${language}`;
  const cached = zoned.get(key);
  if (cached) return cached;
  const list = holidaysOfYear(setting, year, language).map((h) => {
    const first = dayNumberOf(h.date);
    return { ...h, start: wallDayToInstant(first, h.startMinute, timeZone), end: wallDayToInstant(first + h.days, 0, timeZone) };
  });
  return remember(zoned, key, list);
}

/**
 * Busy time for the slot engine: the holidays overlapping [range.start, range.end) in the host's zone. The local
 * years read start one early, so a holiday of several days that began in December still counts in January.
 */
export function holidayIntervals(setting: HolidaySetting, timeZone: string, range: Interval, named = false): Interval[] {
  if (range.end <= range.start) return [];
  const first = Number(localDateOf(range.start, timeZone).slice(0, 4)) - 1;
  const last = Number(localDateOf(range.end, timeZone).slice(0, 4));
  const out: Interval[] = [];
  for (let year = first; year <= last; year++) {
    for (const h of holidaysInZone(setting, year, timeZone)) {
      if (h.start < range.end && h.end > range.start) {
        out.push(
          named
            ? { start: h.start, end: h.end, source: { kind: 'holiday', start: h.start, end: h.end, name: h.name } }
            : { start: h.start, end: h.end },
        );
      }
    }
  }
  return out;
}
