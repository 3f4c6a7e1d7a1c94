// The invitee's pages for the meeting features of issue #17: lengths to pick, requests a host confirms, recurring series.
import type { BookingView } from '../../booking/domain/booking-views.js';
import type { MeetingTypeSnapshot, RecurrenceFrequency } from '../../meeting-types/domain/meeting-type.js';
import { formatClockIn, formatLongDateIn, formatRangeIn } from '../../../shared/i18n/format.js';
import { translatorFor } from '../../../shared/i18n/i18n.js';

/** The page's language for these labels: the catalog and the formatting tag (English, en-GB forms, when absent). */
export interface LabelLocale {
  locale: string;
  formatLocale: string;
}
const ENGLISH: LabelLocale = { locale: 'en', formatLocale: 'en-GB' };

type Lengths = Pick<MeetingTypeSnapshot, 'durationMinutes' | 'durationOptions'>;

/** The length asked for (`?duration=60`) when the type offers it; anything else is the type's default. */
export function pickedDuration(type: Lengths, raw: unknown): number {
  const value = Number(typeof raw === 'string' ? raw.trim() : Array.isArray(raw) ? raw[0] : NaN);
  return type.durationOptions?.includes(value) ? value : type.durationMinutes;
}

/** The `duration` parameter the page's links keep: none for the default, so plain links stay plain. */
export const durationParam = (type: Lengths, minutes: number): Record<string, string> =>
  minutes === type.durationMinutes ? {} : { duration: String(minutes) };

/** "15 min · 30 min · 60 min" links for a type with several lengths (null: only one). */
export function durationChoices(type: Lengths, picked: number, hrefOf: (minutes: number) => string, loc: LabelLocale = ENGLISH) {
  if (!type.durationOptions || type.durationOptions.length < 2) return null;
  return type.durationOptions.map((minutes) => ({
    minutes,
    label: lengthLabel(minutes, loc),
    href: hrefOf(minutes),
    current: minutes === picked,
  }));
}

export const lengthLabel = (minutes: number, loc: LabelLocale = ENGLISH): string =>
  translatorFor(loc.locale)('common.minutes', { minutes });

const frequencyLabel = (frequency: RecurrenceFrequency, loc: LabelLocale): string => translatorFor(loc.locale)(`frequency.${frequency}`);

/** The form's "Repeat weekly: N occurrences" select (1 = just the date picked, Calendly's default), or null. */
export function repeatChoice(type: Pick<MeetingTypeSnapshot, 'recurrence'>, raw: unknown, loc: LabelLocale = ENGLISH) {
  if (!type.recurrence) return null;
  const t = translatorFor(loc.locale);
  const max = type.recurrence.maxOccurrences;
  const chosen = occurrencesOf(type, raw);
  return {
    label: t('form.repeat', { frequency: type.recurrence.frequency }),
    options: Array.from({ length: max }, (_, i) => ({
      value: i + 1,
      label: i === 0 ? t('form.justThisDate') : t('form.occurrences', { count: i + 1 }),
      selected: i + 1 === chosen,
    })),
  };
}

/** The occurrences asked for, 1 when none or the type repeats not (out of range: the API's 400 names the field). */
export function occurrencesOf(type: Pick<MeetingTypeSnapshot, 'recurrence'>, raw: unknown): number {
  const value = Number(typeof raw === 'string' ? raw.trim() || '1' : Array.isArray(raw) ? raw[0] : 1);
  return type.recurrence && Number.isInteger(value) ? value : 1;
}

/** How a booking that is not simply confirmed reads on the manage page (null for confirmed and cancelled). */
export function statusNotice(view: BookingView, hostName: string, tz: string, h12: boolean, loc: LabelLocale = ENGLISH) {
  const t = translatorFor(loc.locale);
  const host = hostName;
  switch (view.status) {
    case 'pending':
      return {
        status: t('manage.noticePending'),
        text: view.confirmationExpiresAt
          ? t('manage.noticePendingUntil', {
              host,
              until: `${formatLongDateIn(view.confirmationExpiresAt, tz, loc.formatLocale)}, ${formatClockIn(view.confirmationExpiresAt, tz, h12, loc.formatLocale)}`,
            })
          : t('manage.noticePendingText', { host }),
      };
    case 'declined':
      return {
        status: t('manage.noticeDeclined'),
        text: view.cancellationReason
          ? t('manage.noticeDeclinedReason', { host, reason: view.cancellationReason })
          : t('manage.noticeDeclinedText', { host }),
      };
    case 'expired':
      return { status: t('manage.noticeExpired'), text: t('manage.noticeExpiredText', { host }) };
    default:
      return null;
  }
}

const OCCURRENCE_STATUSES = new Set(['pending', 'confirmed', 'cancelled', 'rescheduled', 'declined', 'expired']);

/** The series' dates for the manage page: each a link to its own page (the same token manages them all). */
export function seriesDates(
  view: BookingView,
  tz: string,
  h12: boolean,
  hrefOf: (bookingId: string) => string,
  loc: LabelLocale = ENGLISH,
) {
  const series = view.series;
  if (!series || series.occurrences.length < 2) return null;
  const t = translatorFor(loc.locale);
  const occurrences = series.occurrences.map((o) => ({
    when: formatRangeIn(o.start, o.end, tz, h12, loc.formatLocale),
    status: OCCURRENCE_STATUSES.has(o.status) ? t(`status.${o.status}` as 'status.pending') : o.status,
    standing: o.status === 'confirmed' || o.status === 'pending',
    current: o.bookingId === view.id,
    href: hrefOf(o.bookingId),
  }));
  return { frequency: frequencyLabel(series.frequency, loc), occurrences, remaining: occurrences.filter((o) => o.standing).length };
}
