import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/clock/clock.js';
import { canonicalTimeZone } from '../../../shared/validation/time-zone.js';
import { firstDayOfWeek, formatClockIn, formatDateStringIn, formatMonthIn, weekdayNames } from '../../../shared/i18n/format.js';
import { translatorFor } from '../../../shared/i18n/i18n.js';
import { SlotsService } from '../../availability/application/slots.service.js';
import type { MeetingTypeSnapshot } from '../../meeting-types/domain/meeting-type.js';
import {
  addMonths,
  allTimeZones,
  isRealDate,
  lastDayOfMonth,
  localDate,
  monthGrid,
  MONTH_PATTERN,
  offsetLabel,
} from '../domain/web-time.js';
import { BookingDaysOff } from './booking-days-off.js';

export interface PickerQuery {
  month?: string;
  date?: string;
  tz?: string;
  h12?: string;
  /** The meeting length picked (booking page); read by the page, not the picker. */
  duration?: string;
}

export interface PickerOptions {
  type: MeetingTypeSnapshot;
  /** Zone used when the query names none (the host's; the browser script swaps in the invitee's). */
  fallbackZone: string;
  query: PickerQuery;
  /** The page's own path, for the calendar and zone links. */
  path: string;
  /** Extra query parameters every link keeps (e.g. the management token; an embedded page's prefill, several values each). */
  keep?: Record<string, string | string[]>;
  /** Where a slot goes: a link to the form (new bookings) or a button posting the time (reschedule). */
  slotHref?: (startIso: string, tz: string, h12Param: string | undefined) => string;
  /** The meeting length the times are for (one of the type's duration_options); the type's default when absent. */
  durationMinutes?: number;
  /** The page's language (issue #18): labels, dates, clock and week start; English (en-GB forms) when absent. */
  locale?: PickerLocale;
}

export interface PickerLocale {
  locale: string;
  formatLocale: string;
  /** The locale's own clock; `h12=1` / `h12=0` in the query override it. */
  h12Default: boolean;
  /** `lang` the links and forms keep (an explicitly chosen language), or null. */
  keepLang: string | null;
}

const ENGLISH: PickerLocale = { locale: 'en', formatLocale: 'en-GB', h12Default: false, keepLang: null };

/**
 * The month calendar and slot list, shared by the booking page and the reschedule page. Slots come from the same
 * SlotsService as the API, for whole days in the invitee's zone; the server clock decides "today".
 */
@Injectable()
export class BookingPicker {
  constructor(
    private readonly slots: SlotsService,
    private readonly clock: Clock,
    private readonly daysOff: BookingDaysOff,
  ) {}

  normalize(query: PickerQuery, fallbackZone: string, h12Default = false) {
    const given = canonicalTimeZone(query.tz);
    const tz = given ?? fallbackZone;
    const h12 = query.h12 === '1' ? true : query.h12 === '0' ? false : h12Default;
    const today = localDate(this.clock.now(), tz);
    const thisMonth = today.slice(0, 7);
    let month = query.month && MONTH_PATTERN.test(query.month) ? query.month : thisMonth;
    const date = query.date && isRealDate(query.date) ? query.date : undefined;
    if (date && !query.month) month = date.slice(0, 7);
    if (month < thisMonth) month = thisMonth;
    return { tz, h12, today, thisMonth, month, date, zoneGiven: given !== null };
  }

  async build(options: PickerOptions) {
    const loc = options.locale ?? ENGLISH;
    const t = translatorFor(loc.locale);
    const {
      tz,
      h12,
      today,
      thisMonth,
      month,
      date: askedDate,
      zoneGiven,
    } = this.normalize(options.query, options.fallbackZone, loc.h12Default);
    // The clock is in links only when it differs from the locale's own (plain English links stay plain).
    const h12Param = h12 === loc.h12Default ? undefined : h12 ? '1' : '0';
    const keep: Record<string, string | string[]> = { ...options.keep, ...(loc.keepLang ? { lang: loc.keepLang } : {}) };
    const result = await this.slots.find({
      meetingTypeId: options.type.id,
      date: `${month}-01`,
      endDate: lastDayOfMonth(month),
      timeZone: tz,
      ...(options.durationMinutes !== undefined ? { durationMinutes: options.durationMinutes } : {}),
    });
    const byDate = new Map<string, typeof result.slots>();
    for (const slot of result.slots) {
      const d = localDate(slot.start, tz);
      const list = byDate.get(d) ?? [];
      list.push(slot);
      byDate.set(d, list);
    }
    const date = askedDate && askedDate.startsWith(month) ? askedDate : [...byDate.keys()].sort().at(0);

    const href = (params: Record<string, string | undefined>) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...keep, month, tz, h12: h12Param, ...params })) {
        if (Array.isArray(v)) for (const one of v as string[]) q.append(k, one);
        else if (v !== undefined && v !== '') q.set(k, v);
      }
      return `${options.path}?${q.toString()}`;
    };

    const firstDay = firstDayOfWeek(loc.formatLocale);
    const grid = monthGrid(month, firstDay);
    // Days without times that the hosts are away (time off, holidays) read "unavailable" rather than just empty.
    const emptyDays = grid.flat().filter((d) => d.inMonth && d.date >= today && !byDate.has(d.date));
    const off = await this.daysOff.of(
      options.type,
      emptyDays.map((d) => d.date),
      tz,
    );
    const weeks = grid.map((week) =>
      week.map((d) => {
        const count = byDate.get(d.date)?.length ?? 0;
        return {
          ...d,
          available: d.inMonth && count > 0,
          past: d.date < today,
          off: off.has(d.date),
          selected: d.date === date,
          href: href({ date: d.date }),
          label: t(count > 0 ? 'picker.dayWithTimes' : off.has(d.date) ? 'picker.dayOff' : 'picker.dayEmpty', {
            date: formatDateStringIn(d.date, loc.formatLocale),
            count,
          }),
        };
      }),
    );

    const daySlots = (date ? (byDate.get(date) ?? []) : []).map((s) => {
      const iso = new Date(s.start).toISOString();
      return {
        iso,
        label: formatClockIn(s.start, tz, h12, loc.formatLocale),
        href: options.slotHref?.(iso, tz, h12Param),
        seatsRemaining: s.seatsRemaining,
      };
    });

    const now = this.clock.now();
    return {
      tz,
      h12,
      h12Param,
      lang: loc.keepLang,
      weekdays: weekdayNames(loc.formatLocale, firstDay),
      zoneGiven,
      zoneLabel: `${tz} (${offsetLabel(now, tz)})`,
      zones: allTimeZones().map((z) => ({ value: z, selected: z === tz })),
      month,
      monthLabel: formatMonthIn(month, loc.formatLocale),
      prevHref: month > thisMonth ? href({ month: addMonths(month, -1), date: undefined }) : null,
      nextHref: href({ month: addMonths(month, 1), date: undefined }),
      weeks,
      date,
      dateLabel: date ? formatDateStringIn(date, loc.formatLocale) : null,
      slots: daySlots,
      hasSlots: daySlots.length > 0,
      anyOff: off.size > 0,
      dateOff: date !== undefined && off.has(date),
      anyInMonth: byDate.size > 0,
      h12Href: href({ date, h12: loc.h12Default ? undefined : '1' }),
      h24Href: href({ date, h12: loc.h12Default ? '0' : undefined }),
      keep: Object.entries(keep).flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((value) => ({ name, value }))),
      path: options.path,
    };
  }
}
