import { Injectable } from '@nestjs/common';
import { AvailabilityVersions } from '../../../shared/cache/availability-versions.js';
import { Clock } from '../../../shared/clock/clock.js';
import { invalidFields } from '../../../shared/http/domain-error.js';
import {
  type HolidaySetting,
  type ZonedHoliday,
  holidayCountries,
  holidayRegions,
  holidaysInZone,
  resolveHolidaySetting,
} from '../domain/holidays.js';
import { localDateOf } from '../domain/wall-clock.js';
import { TimeOffRepository } from '../infrastructure/time-off.repository.js';

export type { HolidaySetting, ZonedHoliday } from '../domain/holidays.js';

export interface HolidaySettingView {
  setting: HolidaySetting | null;
  countryName: string | null;
  regionName: string | null;
}

export interface HolidayYearView extends HolidaySettingView {
  year: number;
  timeZone: string;
  holidays: ZonedHoliday[];
}

/**
 * A host's opt-in to public holidays (date-holidays dataset). The slot engine reads the setting with the host's hours
 * and takes each holiday as a whole day off in the schedule's zone (holidays.ts); here the host sets it and lists a
 * year's holidays with their names (what the admin shows).
 */
@Injectable()
export class HolidaysService {
  constructor(
    private readonly store: TimeOffRepository,
    private readonly versions: AvailabilityVersions,
    private readonly clock: Clock,
  ) {}

  /** `country: null` opts out. Unknown country or region: 400 naming the field. */
  async set(hostId: string, country: string | null, region: string | null | undefined): Promise<HolidaySettingView> {
    let setting: HolidaySetting | null = null;
    if (country !== null) {
      const resolved = resolveHolidaySetting(country, region);
      if (resolved.problems.length > 0) throw invalidFields(resolved.problems);
      setting = resolved.setting;
    } else if (region !== null && region !== undefined) {
      throw invalidFields([
        { field: 'region', code: 'without_country', message: 'region needs a country; send {"country": null} alone to opt out' },
      ]);
    }
    await this.store.setHolidaySetting(hostId, setting, this.clock.now());
    await this.versions.bump([hostId]);
    return describe(setting);
  }

  /** What a host can choose from: every country of the dataset with its regions, by code (for the admin's form). */
  countries(language?: string): { code: string; name: string; regions: { code: string; name: string }[] }[] {
    const lang = datasetLanguage(language);
    const pairs = (map: Record<string, string>) =>
      Object.entries(map)
        .map(([code, name]) => ({ code, name }))
        .sort((a, b) => a.code.localeCompare(b.code));
    return pairs(holidayCountries(lang)).map((c) => ({ ...c, regions: pairs(holidayRegions(c.code, lang)) }));
  }

  async get(hostId: string): Promise<HolidaySettingView> {
    return describe(await this.store.getHolidaySetting(hostId));
  }

  /**
   * The host's holidays of a local year (default: the current year in their zone), placed in their default
   * schedule's zone (else their profile's). A meeting type on another schedule takes them in that schedule's zone.
   * `language` (a locale such as "de" or "pt-BR") names them in that language where the dataset can, else in English.
   */
  async year(hostId: string, year: number | undefined, language?: string): Promise<HolidayYearView> {
    const lang = datasetLanguage(language);
    const setting = await this.store.getHolidaySetting(hostId);
    const timeZone = (await this.store.homeZone(hostId)) ?? 'UTC';
    const y = year ?? Number(localDateOf(this.clock.now().getTime(), timeZone).slice(0, 4));
    return { ...describe(setting, lang), year: y, timeZone, holidays: setting ? holidaysInZone(setting, y, timeZone, lang) : [] };
  }
}

/** The dataset's language code for a locale ("pt-BR" -> "pt"); English when none is given. */
function datasetLanguage(locale: string | undefined): string | undefined {
  return locale ? locale.split('-')[0].toLowerCase() : undefined;
}

function describe(setting: HolidaySetting | null, language?: string): HolidaySettingView {
  if (!setting) return { setting: null, countryName: null, regionName: null };
  return {
    setting,
    countryName: holidayCountries(language)[setting.country] ?? null,
    regionName: setting.region ? (holidayRegions(setting.country, language)[setting.region] ?? null) : null,
  };
}
