import { Injectable } from '@nestjs/common';
import { DomainError, notFound } from '../../../shared/http/domain-error.js';
import { UsersService } from '../../identity/application/users.service.js';
import { MeetingTypesService } from '../../meeting-types/application/meeting-types.service.js';
import { BookingRepository, type BookingSearch } from '../infrastructure/booking.repository.js';
import { BookingSeriesRepository, seriesFacts } from '../infrastructure/booking-series.repository.js';
import { seriesView } from '../domain/recurrence.js';
import type { BookingSeriesView } from '../domain/booking-views.js';
import type { BookingRecord, InviteeRecord, RoundRobinStats } from './booking-records.js';
import type { Actor } from './booking-commands.service.js';
import { mayManage } from '../domain/booking-policy.js';
import type { BookingView } from '../domain/booking-views.js';
import type { Conference } from '../domain/conference.js';
import { BookingDirectory } from './booking-directory.js';
import { BookingConferences } from './booking-conferences.service.js';
import { ManagementTokens } from './management-tokens.js';

type ListFilter = { status?: string; from?: Date; to?: Date; limit: number; offset: number; includeArchived?: boolean };

export interface BookingWithPeople {
  booking: BookingRecord;
  hostIds: string[];
  invitees: InviteeRecord[];
}

export interface Caller {
  userId?: string;
  token?: string;
}

/** Reads bookings for the API (with access checks) and for other contexts (BookingDirectory). */
@Injectable()
export class BookingQueries extends BookingDirectory {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly tokens: ManagementTokens,
    private readonly users: UsersService,
    private readonly meetingTypes: MeetingTypesService,
    private readonly seriesRows: BookingSeriesRepository,
    private readonly conferences: BookingConferences,
  ) {
    super();
  }

  /**
   * Each host's live bookings of a round-robin type since `periodStart` and their latest booking since `lookBackFrom`:
   * the very counts the booking command ranks hosts by (the round-robin report replays its choices from them).
   */
  roundRobinTallies(meetingTypeId: string, hostIds: string[], periodStart: Date, lookBackFrom: Date): Promise<RoundRobinStats> {
    return this.bookings.roundRobinStats(meetingTypeId, hostIds, periodStart, lookBackFrom);
  }

  /**
   * Who may act on a booking: one of its hosts or the meeting type's owner, or the invitee whose token it is.
   * Everyone else sees 404 (no hint that the booking exists); nobody at all gets 401.
   */
  async authorize(bookingId: string, caller: Caller): Promise<{ booking: BookingRecord; actor: Actor }> {
    if (!caller.userId && !caller.token) {
      throw new DomainError('unauthorized', 'sign in as the host, or pass the management token as ?token=');
    }
    const booking = await this.bookings.findBooking(bookingId);
    if (!booking) throw notFound('booking');
    if (caller.token) {
      const invitee = await this.bookings.findInviteeByTokenHash(this.tokens.hashOf(caller.token));
      if (invitee && invitee.booking_id === booking.id) return { booking, actor: { kind: 'invitee', invitee } };
      // A recurring series: the token of one occurrence manages every occurrence the same person booked with it
      // (the one confirmation mail carries one link for all the dates).
      const same = invitee ? await this.sameSeriesInvitee(invitee, booking.id) : null;
      if (same) return { booking, actor: { kind: 'invitee', invitee: same } };
    }
    if (caller.userId) {
      const hostIds = await this.bookings.findHostIds(booking.id);
      const type = await this.meetingTypes.findSnapshot(booking.meeting_type_id);
      if (mayManage(caller.userId, hostIds, type?.ownerId)) {
        return { booking, actor: { kind: 'host', userId: caller.userId } };
      }
    }
    throw notFound('booking');
  }

  /**
   * The booking a management token belongs to now. Rescheduling moves the invitee to a new booking id, so links in
   * earlier mails (old id, same token) are followed here to the booking as it is now; null when the token is unknown.
   */
  async currentBookingIdForToken(token: string): Promise<string | null> {
    if (!token) return null;
    const invitee = await this.bookings.findInviteeByTokenHash(this.tokens.hashOf(token));
    return invitee?.booking_id ?? null;
  }

  /** The booking a rescheduled one became (following rescheduled_to over several moves); the view itself otherwise. */
  async currentOf(view: BookingView): Promise<BookingView> {
    let current = view;
    for (let hop = 0; hop < 50 && current.status === 'rescheduled' && current.rescheduledToId; hop++) {
      const next = await this.getView(current.rescheduledToId);
      if (!next) break;
      current = next;
    }
    return current;
  }

  /** The booking's video meeting (its predecessor's while its own record is not written yet). */
  async conferenceOf(booking: BookingRecord): Promise<Conference | null> {
    const found = await this.conferences.ofBookings([
      { id: booking.id, rescheduledFromId: booking.rescheduled_from_id, status: booking.status },
    ]);
    return found.get(booking.id) ?? null;
  }

  inviteesOf(bookingId: string): Promise<InviteeRecord[]> {
    return this.bookings.findInvitees(bookingId);
  }

  hostIdsOf(bookingId: string): Promise<string[]> {
    return this.bookings.findHostIds(bookingId);
  }

  listForHost(hostId: string, filter: ListFilter) {
    return this.bookings.listForHost(hostId, filter);
  }

  /** The admin's bookings list: a bounded start range, statuses, invitee search; stable (start_time, id) order. */
  searchForHost(hostId: string, filter: BookingSearch) {
    return this.bookings.searchForHost(hostId, filter);
  }

  /** A page of a host's bookings with each one's hosts and invitees: three reads whatever the page size. */
  async pageForHost(hostId: string, filter: ListFilter): Promise<{ entries: BookingWithPeople[]; total: number }> {
    const { rows, total } = await this.bookings.listForHost(hostId, filter);
    const ids = rows.map((b) => b.id);
    const [hostIdsOf, inviteesOf, conferenceOf] = await Promise.all([
      this.bookings.findHostIdsOf(ids),
      this.bookings.findInviteesOf(ids),
      this.conferences.ofBookings(rows.map((b) => ({ id: b.id, rescheduledFromId: b.rescheduled_from_id, status: b.status }))),
    ]);
    const entries = rows.map((booking) => ({
      booking: { ...booking, conference: conferenceOf.get(booking.id) ?? null },
      hostIds: hostIdsOf.get(booking.id) ?? [],
      invitees: inviteesOf.get(booking.id) ?? [],
    }));
    return { entries, total };
  }

  async getView(bookingId: string): Promise<BookingView | null> {
    return (await this.getViews([bookingId]))[0] ?? null;
  }

  /** Views of several bookings (in the given order, unknown ids left out) in a fixed number of queries. */
  async getViews(bookingIds: string[]): Promise<BookingView[]> {
    const bookings = await this.bookings.findBookings(bookingIds);
    if (bookings.length === 0) return [];
    const ids = bookings.map((b) => b.id);
    const typeIds = [...new Set(bookings.map((b) => b.meeting_type_id))];
    const [hostIdsOf, inviteesOf, types, seriesOf, conferenceOf] = await Promise.all([
      this.bookings.findHostIdsOf(ids),
      this.bookings.findInviteesOf(ids),
      Promise.all(typeIds.map((id) => this.meetingTypes.findSnapshot(id))),
      this.seriesViewsOf(ids),
      this.conferences.ofBookings(bookings.map((b) => ({ id: b.id, rescheduledFromId: b.rescheduled_from_id, status: b.status }))),
    ]);
    const typeById = new Map(types.filter((t) => t !== null).map((t) => [t.id, t]));
    const users = await this.users.findByIds([...new Set([...hostIdsOf.values()].flat())]);
    const userById = new Map(users.map((u) => [u.id, u]));
    const byId = new Map(bookings.map((b) => [b.id, b]));
    return bookingIds.flatMap((bookingId) => {
      const booking = byId.get(bookingId);
      if (!booking) return [];
      const type = typeById.get(booking.meeting_type_id);
      const hostIds = hostIdsOf.get(booking.id) ?? [];
      return [
        {
          id: booking.id,
          icalUid: booking.ical_uid,
          sequence: booking.ical_sequence,
          status: booking.status,
          confirmationExpiresAt: booking.confirmation_expires_at ? new Date(booking.confirmation_expires_at) : null,
          startTime: new Date(booking.start_time),
          endTime: new Date(booking.end_time),
          location: booking.location,
          conference: conferenceOf.get(booking.id) ?? null,
          cancellationReason: booking.cancellation_reason,
          rescheduledFromId: booking.rescheduled_from_id,
          rescheduledToId: booking.rescheduled_to_id,
          updatedAt: new Date(booking.updated_at),
          meetingType: {
            id: booking.meeting_type_id,
            name: type?.name ?? 'Meeting',
            slug: type?.slug ?? '',
            // The booking's own length: an invitee may have picked another of the type's duration_options.
            durationMinutes: Math.round((+booking.end_time - +booking.start_time) / 60_000),
            reminders: type?.reminders ?? [],
            ownerId: type?.ownerId ?? booking.host_user_id,
          },
          ...(seriesOf.has(booking.id) ? { series: seriesOf.get(booking.id) } : {}),
          hosts: hostIds
            .map((id) => userById.get(id))
            .filter((h) => h !== undefined)
            .map((h) => ({ id: h.id, name: h.name, email: h.email, timeZone: h.timeZone, locale: h.locale })),
          invitees: (inviteesOf.get(booking.id) ?? []).map((i) => {
            const links = this.tokens.links(booking.id, i.id);
            return {
              id: i.id,
              name: i.name,
              email: i.email,
              timeZone: i.time_zone,
              locale: i.locale,
              phone: i.phone,
              status: i.status,
              answers: i.answers,
              guests: i.guests,
              noShowAt: i.no_show_at ?? null,
              utm: i.utm ?? null,
              manageUrl: links.manageUrl,
              cancelUrl: links.cancelUrl,
              rescheduleUrl: links.rescheduleUrl,
            };
          }),
        },
      ];
    });
  }

  /** The invitee row of `bookingId` that is `invitee` in another occurrence of the same series, or null. */
  private async sameSeriesInvitee(invitee: InviteeRecord, bookingId: string): Promise<InviteeRecord | null> {
    const series = await this.seriesRows.seriesIdsOf([invitee.booking_id, bookingId]);
    const seriesId = series.get(bookingId);
    if (!seriesId || series.get(invitee.booking_id) !== seriesId) return null;
    const email = invitee.email.toLowerCase();
    return (await this.bookings.findInvitees(bookingId)).find((i) => i.email.toLowerCase() === email) ?? null;
  }

  /** The recurring series of those bookings that are occurrences of one: one query when none is, four otherwise. */
  private async seriesViewsOf(bookingIds: string[]): Promise<Map<string, BookingSeriesView>> {
    const seriesIdOf = await this.seriesRows.seriesIdsOf(bookingIds);
    const seriesIds = [...new Set(seriesIdOf.values())];
    const [rows, membersOf] = await Promise.all([this.seriesRows.findSeries(seriesIds), this.seriesRows.findMembersOf(seriesIds)]);
    const views = new Map<string, BookingSeriesView>();
    for (const row of rows) views.set(row.id, seriesView(seriesFacts(row, membersOf.get(row.id) ?? [])));
    const out = new Map<string, BookingSeriesView>();
    for (const [bookingId, seriesId] of seriesIdOf) {
      const view = views.get(seriesId);
      if (view) out.set(bookingId, view);
    }
    return out;
  }
}
