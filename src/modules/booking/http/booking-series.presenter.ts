import type { BookingRecord } from '../application/booking-records.js';
import type { SeriesResult } from '../application/booking-series.service.js';
import type { ManagementTokens } from '../application/management-tokens.js';
import type { BookingSeriesView } from '../domain/booking-views.js';
import { toApiInstant as iso } from '../../../shared/time/instant.js';
import type { BookingDto, OccurrenceDto, SeriesDto } from './booking.dto.js';

/**
 * The answer to booking a series: the first occurrence as a booking (its usual fields and links) plus
 * `recurring_booking_id` and every occurrence with its own management links (each occurrence is a booking of its
 * own: the invitee cancels or moves one with its token).
 */
export function presentSeriesBooking(first: BookingDto, series: SeriesResult, tokens: ManagementTokens): BookingDto {
  return Object.assign(first, {
    recurring_booking_id: series.seriesId,
    occurrences: series.occurrences.map(({ booking, invitee }) => {
      const links = invitee ? tokens.links(booking.id, invitee.id) : null;
      return {
        id: booking.id,
        start_time: iso(booking.start_time),
        end_time: iso(booking.end_time),
        status: booking.status,
        ...(links ? { management_token: links.token, cancel_url: links.cancelUrl, reschedule_url: links.rescheduleUrl } : {}),
      };
    }),
  });
}

export function presentSeries(view: BookingSeriesView): SeriesDto {
  return {
    recurring_booking_id: view.id,
    frequency: view.frequency,
    time_zone: view.timeZone,
    occurrences: view.occurrences.map((o): OccurrenceDto => ({
      id: o.bookingId,
      start_time: iso(o.start),
      end_time: iso(o.end),
      status: o.status,
    })),
  };
}

/** A booking outside any series, in the series' shape. */
export function presentSingle(b: BookingRecord): SeriesDto {
  return {
    recurring_booking_id: null,
    frequency: null,
    time_zone: b.time_zone,
    occurrences: [{ id: b.id, start_time: iso(b.start_time), end_time: iso(b.end_time), status: b.status }],
  };
}
