// The admin bookings list's filter, read from its query string (pure: the caller passes "now" and the host's zone).
// Dates are calendar days in the host's zone; the range always bounds start_time (the partition key, ADR 0014).

import { addDays, dayNumberOf, localDateOf, wallTimeToInstant } from '../../availability/domain/wall-clock.js';
import { isRealDate } from './web-time.js';

export const LIST_STATUSES = [
  'upcoming',
  'past',
  'pending',
  'cancelled',
  'all',
  'confirmed',
  'declined',
  'expired',
  'rescheduled',
] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

export const STATUS_LABELS: Record<ListStatus, string> = {
  upcoming: 'Upcoming',
  past: 'Past',
  pending: 'Pending requests',
  cancelled: 'Cancelled, declined or expired',
  all: 'All (except moved)',
  confirmed: 'Confirmed',
  declined: 'Declined',
  expired: 'Expired',
  rescheduled: 'Moved (rescheduled)',
};

/** The filter's problems in words (English here; the admin passes the host's language). */
export interface ListFilterWords {
  status: string;
  date: string;
  order: string;
  range: (max: number) => string;
  searchLength: (max: number) => string;
  searchText: string;
  page: string;
}

/** The widest range one page (or one CSV export) covers. */
export const MAX_RANGE_DAYS = 366;
export const PAGE_SIZE = 25;
export const MAX_SEARCH_LENGTH = 200;
const MAX_PAGE = 10_000;

export interface BookingListQuery {
  from?: unknown;
  to?: unknown;
  status?: unknown;
  q?: unknown;
  page?: unknown;
}

/** What the form shows (as typed, normalised) and what the query asks for. */
export interface BookingListFilter {
  from: string;
  to: string;
  status: ListStatus;
  q: string;
  page: number;
  search: {
    startFrom: Date;
    startTo: Date;
    statuses?: string[];
    endAfter?: Date;
    endAtOrBefore?: Date;
    search?: string;
    descending: boolean;
  };
}

const ENGLISH_FILTER_WORDS: ListFilterWords = {
  status: 'Choose one of the listed statuses.',
  date: 'Enter a date as YYYY-MM-DD.',
  order: 'The end date must be on or after the start date.',
  range: (max) => `Choose a range of at most ${max} days.`,
  searchLength: (max) => `Search for at most ${max} characters.`,
  searchText: 'Search for plain text.',
  page: 'That page does not exist.',
};

const text = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').trim();

/** The default range of each status filter, in days from today: the near future, the recent past, or both. */
function defaultRange(status: ListStatus, today: string): { from: string; to: string } {
  if (status === 'upcoming' || status === 'pending') return { from: today, to: addDays(today, 60) };
  if (status === 'past') return { from: addDays(today, -30), to: today };
  return { from: addDays(today, -30), to: addDays(today, 60) };
}

/**
 * The filter for the list and its CSV export, or the problems per field (from, to, status, q, page). A missing field
 * takes its default; an invalid one is an error, never silently replaced.
 */
export function bookingListFilterOf(
  query: BookingListQuery,
  now: Date,
  zone: string,
  words: ListFilterWords = ENGLISH_FILTER_WORDS,
): { filter: BookingListFilter; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const statusText = text(query.status) || 'upcoming';
  const status: ListStatus = (LIST_STATUSES as readonly string[]).includes(statusText) ? (statusText as ListStatus) : 'upcoming';
  if (status !== statusText) errors.status = words.status;
  const today = localDateOf(now.getTime(), zone);
  const defaults = defaultRange(status, today);
  const fromText = text(query.from);
  const toText = text(query.to);
  const from = fromText || defaults.from;
  let to = toText || defaults.to;
  if (!isRealDate(from)) errors.from = words.date;
  if (!isRealDate(to)) errors.to = words.date;
  if (!errors.from && !errors.to) {
    // Only "from" given: the default span after it (so a from after the default "to" still reads well).
    if (fromText && !toText && to < from) to = addDays(from, 60);
    const days = dayNumberOf(to) - dayNumberOf(from);
    if (days < 0) errors.to = words.order;
    else if (days >= MAX_RANGE_DAYS) errors.to = words.range(MAX_RANGE_DAYS);
  }
  const q = text(query.q).replace(/\s+/g, ' ');
  if (q.length > MAX_SEARCH_LENGTH) errors.q = words.searchLength(MAX_SEARCH_LENGTH);
  // eslint-disable-next-line no-control-regex
  else if (/[\u0000-\u001f\u007f]/.test(q)) errors.q = words.searchText;
  const pageText = text(query.page) || '1';
  const page = /^\d{1,6}$/.test(pageText) ? Number(pageText) : NaN;
  if (!(page >= 1 && page <= MAX_PAGE)) errors.page = words.page;

  const bounded = !errors.from && !errors.to;
  const startFrom = new Date(bounded ? wallTimeToInstant(from, 0, zone) : now.getTime());
  const startTo = new Date(bounded ? wallTimeToInstant(to, 1440, zone) : now.getTime());
  const search: BookingListFilter['search'] = { startFrom, startTo, descending: false, ...(q ? { search: q } : {}) };
  switch (status) {
    case 'upcoming':
      Object.assign(search, { statuses: ['confirmed', 'pending'], endAfter: now });
      break;
    case 'past':
      Object.assign(search, { statuses: ['confirmed'], endAtOrBefore: now, descending: true });
      break;
    case 'cancelled':
      Object.assign(search, { statuses: ['cancelled', 'declined', 'expired'], descending: true });
      break;
    case 'all':
      // A moved booking lives on as the booking it became: listed once, at its new time.
      Object.assign(search, { statuses: ['pending', 'confirmed', 'cancelled', 'declined', 'expired'] });
      break;
    default:
      search.statuses = [status];
  }
  return { filter: { from, to, status, q, page: Number.isFinite(page) ? page : 1, search }, errors };
}

/** The query string of a filter (page 1 unless given), for links that keep it: paging, export, back from details. */
export function filterQuery(filter: Pick<BookingListFilter, 'from' | 'to' | 'status' | 'q'>, page?: number): string {
  const params = new URLSearchParams({ status: filter.status, from: filter.from, to: filter.to });
  if (filter.q) params.set('q', filter.q);
  if (page && page > 1) params.set('page', String(page));
  return params.toString();
}
