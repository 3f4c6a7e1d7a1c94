// Words the admin shows for bookings in the host's language: status and frequency codes, and the words the pure
// view builders of web/domain take (their English defaults live there; here they come from the catalog).
import type { MessageKey, Translate } from '../../../shared/i18n/i18n.js';
import { weekdayNames } from '../../../shared/i18n/format.js';
import type { ListFilterWords, ListStatus } from '../domain/booking-list-filter.js';
import type { HistoryWords } from '../domain/booking-details-view.js';
import { ENGLISH_CHART_WORDS, type ChartWords } from '../domain/insights-charts.js';

type Words = Partial<Record<string, MessageKey>>;
const word = (words: Words, code: string, t: Translate, fallback = code): string => {
  const key = words[code];
  return key ? t(key) : fallback;
};

/** A booking's status as a short badge word ("cancelled", "abgesagt"). */
const STATUS_BADGES: Words = {
  pending: 'admin.bookings.badge.pending',
  confirmed: 'admin.bookings.badge.confirmed',
  cancelled: 'admin.bookings.badge.cancelled',
  declined: 'admin.bookings.badge.declined',
  expired: 'admin.bookings.badge.expired',
  rescheduled: 'admin.bookings.badge.rescheduled',
};
export const statusBadge = (status: string, t: Translate): string => word(STATUS_BADGES, status, t);

const FREQUENCY_WORDS: Words = {
  weekly: 'admin.bookings.frequency.weekly',
  every_two_weeks: 'admin.bookings.frequency.everyTwoWeeks',
  monthly: 'admin.bookings.frequency.monthly',
};
/** "weekly", "alle zwei Wochen"; an unknown code as words. */
export const frequencyWord = (frequency: string, t: Translate): string => word(FREQUENCY_WORDS, frequency, t, frequency.replace(/_/g, ' '));

/** A code's word from a table of message keys (delivery kinds, roles, statuses), else the fallback. */
export const codeWord = word;

const LIST_STATUS_LABELS: Record<ListStatus, MessageKey> = {
  upcoming: 'admin.bookings.list.status.upcoming',
  past: 'admin.bookings.list.status.past',
  pending: 'admin.bookings.list.status.pending',
  cancelled: 'admin.bookings.list.status.cancelled',
  all: 'admin.bookings.list.status.all',
  confirmed: 'admin.bookings.list.status.confirmed',
  declined: 'admin.bookings.list.status.declined',
  expired: 'admin.bookings.list.status.expired',
  rescheduled: 'admin.bookings.list.status.rescheduled',
};
export const listStatusLabel = (status: ListStatus, t: Translate): string => t(LIST_STATUS_LABELS[status]);

export const listFilterWords = (t: Translate): ListFilterWords => ({
  status: t('admin.bookings.list.error.status'),
  date: t('admin.bookings.list.error.date'),
  order: t('admin.bookings.list.error.order'),
  range: (max) => t('admin.bookings.list.error.range', { max }),
  searchLength: (max) => t('admin.bookings.list.error.searchLength', { max }),
  searchText: t('admin.bookings.list.error.searchText'),
  page: t('admin.bookings.list.error.page'),
});

export const historyWords = (t: Translate): HistoryWords => ({
  what: {
    'booking.created': t('admin.bookings.what.created'),
    'booking.rescheduled': t('admin.bookings.what.rescheduled'),
    'booking.cancelled': t('admin.bookings.what.cancelled'),
    'booking.confirmed': t('admin.bookings.what.confirmed'),
    'booking.declined': t('admin.bookings.what.declined'),
    'booking.expired': t('admin.bookings.what.expired'),
  },
  calendar: t('admin.bookings.by.calendar'),
  invitee: (name) => t('admin.bookings.by.invitee', { name }),
  host: (name) => t('admin.bookings.by.host', { name }),
  someInvitee: t('admin.bookings.by.someInvitee'),
  someHost: t('admin.bookings.by.someHost'),
});

const isEnglish = (locale: string) => locale === 'en' || locale.startsWith('en-');

/** The insights charts' words; English keeps the charts' own forms ("22 Mar", "Mon"). */
export function chartWords(t: Translate, formatLocale: string): ChartWords {
  if (isEnglish(formatLocale)) return ENGLISH_CHART_WORDS;
  const dayMonth = new Intl.DateTimeFormat(formatLocale, { timeZone: 'UTC', day: 'numeric', month: 'short' });
  const bars = {
    created: 'admin.insights.barCreated',
    cancelled: 'admin.insights.barCancelled',
    noShows: 'admin.insights.barNoShows',
  } as const;
  return {
    series: { created: t('admin.insights.created'), cancelled: t('admin.insights.cancelled'), noShows: t('admin.insights.noShows') },
    bar: (series, week, count) => t(bars[series], { week, count }),
    weeksDescription: (weeks, start, peak) => t('admin.insights.weeksDesc', { weeks, start, peak }),
    noWeeks: t('admin.insights.noWeeks'),
    peakNone: t('admin.insights.peakNone'),
    peak: (count, week) => t('admin.insights.peak', { count, week }),
    heatCell: (slot, count) => t('admin.insights.heatCell', { slot, count }),
    busiest: (slot, count) => t('admin.insights.busiest', { slot, count }),
    noMeetings: t('admin.insights.noMeetings'),
    // From Sunday: the insights' weekday 0.
    weekdays: weekdayNames(formatLocale, 7),
    shortDate: (date) => dayMonth.format(Date.parse(`${date}T12:00:00Z`)),
  };
}
