import type { EntityManager } from 'typeorm';
import { invalid, invalidFields } from '../../../shared/http/domain-error.js';
import type { MeetingTypeSnapshot } from '../../meeting-types/domain/meeting-type.js';
import { validateAnswers } from '../domain/answers.js';
import type { BookingEventPayload } from '../domain/booking-views.js';
import { guestsProblem, normalizeGuests } from '../domain/guests.js';
import type { BookingRepository } from '../infrastructure/booking.repository.js';
import type { CreateBookingInput } from './booking-commands.service.js';
import type { BookingRecord, InviteeRecord } from './booking-records.js';
import type { ManagementTokens } from './management-tokens.js';

/** What a booking request says of its invitee, checked: answers against the type's questions, guests normalised. */
export interface CheckedInvitee {
  answers: Record<string, string | string[]>;
  guests: string[];
}

/** 400 naming the fields when the answers or the guests do not fit the type (single bookings and series alike). */
export function checkInvitee(type: MeetingTypeSnapshot, input: CreateBookingInput): CheckedInvitee {
  const checked = validateAnswers(type.questions, input.answers);
  if (!checked.ok) throw invalid(checked.problems.flatMap((p) => p.messages).join('; '), { errors: checked.problems });
  const guests = normalizeGuests(input.guests ?? [], input.inviteeEmail);
  const refused = guestsProblem(type.kind, guests);
  if (refused) throw invalidFields([refused]);
  return { answers: checked.answers, guests };
}

/**
 * The invitee's row and its `booking.created` event, in the booking's transaction (one statement). `extra`: what the
 * event says beyond the booking itself (pending, the series it belongs to).
 */
export function insertInviteeCreated(
  deps: { bookings: BookingRepository; tokens: ManagementTokens },
  manager: EntityManager,
  booking: BookingRecord,
  hostIds: string[],
  input: CreateBookingInput,
  invitee: CheckedInvitee,
  extra: Pick<BookingEventPayload, 'pending' | 'series'> = {},
): Promise<InviteeRecord> {
  return deps.bookings.insertInviteeWithEvent(
    manager,
    {
      bookingId: booking.id,
      name: input.inviteeName,
      email: input.inviteeEmail,
      timeZone: input.timeZone,
      phone: input.phone,
      answers: invitee.answers,
      guests: invitee.guests,
      utm: input.utm ?? null,
      locale: input.locale ?? 'en',
    },
    (id) => deps.tokens.hashFor(id),
    (inviteeId) => ({
      type: 'booking.created',
      payload: {
        booking_id: booking.id,
        meeting_type_id: booking.meeting_type_id,
        host_user_ids: hostIds,
        start_time: booking.start_time.toISOString(),
        end_time: booking.end_time.toISOString(),
        invitee_id: inviteeId,
        sequence: booking.ical_sequence,
        ...extra,
      },
    }),
  );
}
