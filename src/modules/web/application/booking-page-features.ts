// The invitee's pages for the meeting features of issue #17: lengths to pick, requests a host confirms, recurring series.
import type { BookingView } from '../../booking/domain/booking-views.js';
import type { MeetingTypeSnapshot, RecurrenceFrequency } from '../../meeting-types/domain/meeting-type.js';
import { formatClock, formatLongDate, formatRange } from '../domain/web-time.js';

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
export function durationChoices(type: Lengths, picked: number, hrefOf: (minutes: number) => string) {
  if (!type.durationOptions || type.durationOptions.length < 2) return null;
  return type.durationOptions.map((minutes) => ({
    minutes,
    label: lengthLabel(minutes),
    href: hrefOf(minutes),
    current: minutes === picked,
  }));
}

export const lengthLabel = (minutes: number): string => `${minutes} min`;

const REPEATS: Record<RecurrenceFrequency, string> = { weekly: 'weekly', every_two_weeks: 'every two weeks', monthly: 'monthly' };

/** The form's "Repeat weekly: N occurrences" select (1 = just the date picked, Calendly's default), or null. */
export function repeatChoice(type: Pick<MeetingTypeSnapshot, 'recurrence'>, raw: unknown) {
  if (!type.recurrence) return null;
  const max = type.recurrence.maxOccurrences;
  const chosen = occurrencesOf(type, raw);
  return {
    label: `Repeat ${REPEATS[type.recurrence.frequency]}`,
    options: Array.from({ length: max }, (_, i) => ({
      value: i + 1,
      label: i === 0 ? '1 (just this date)' : `${i + 1} occurrences`,
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
export function statusNotice(view: BookingView, hostName: string, tz: string, h12: boolean) {
  switch (view.status) {
    case 'pending':
      return {
        status: 'Pending',
        text: `${hostName} will confirm or decline this request${
          view.confirmationExpiresAt
            ? `; the time is held for you until ${formatLongDate(view.confirmationExpiresAt, tz)}, ${formatClock(view.confirmationExpiresAt, tz, h12)}`
            : ''
        }.`,
      };
    case 'declined':
      return {
        status: 'Declined',
        text: `${hostName} declined this request${view.cancellationReason ? `: ${view.cancellationReason}` : ''}.`,
      };
    case 'expired':
      return { status: 'Expired', text: `${hostName} did not answer this request in time; the time is free again.` };
    default:
      return null;
  }
}

const OCCURRENCE_STATUS: Record<string, string> = {
  pending: 'pending',
  confirmed: 'confirmed',
  cancelled: 'cancelled',
  rescheduled: 'moved',
  declined: 'declined',
  expired: 'expired',
};

/** The series' dates for the manage page: each a link to its own page (the same token manages them all). */
export function seriesDates(view: BookingView, tz: string, h12: boolean, hrefOf: (bookingId: string) => string) {
  const series = view.series;
  if (!series || series.occurrences.length < 2) return null;
  const occurrences = series.occurrences.map((o) => ({
    when: formatRange(o.start, o.end, tz, h12),
    status: OCCURRENCE_STATUS[o.status] ?? o.status,
    standing: o.status === 'confirmed' || o.status === 'pending',
    current: o.bookingId === view.id,
    href: hrefOf(o.bookingId),
  }));
  return { frequency: REPEATS[series.frequency], occurrences, remaining: occurrences.filter((o) => o.standing).length };
}
