import type { BookingView } from '../../booking/domain/booking-views.js';

/** A BookingView for unit tests of pure code (a host in New York, an invitee in Berlin). */
export function sampleView(overrides: Partial<BookingView> = {}): BookingView {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    icalUid: 'b-11111111@kairos.test',
    sequence: 0,
    status: 'confirmed',
    confirmationExpiresAt: null,
    startTime: new Date('2027-03-09T15:00:00Z'),
    endTime: new Date('2027-03-09T15:30:00Z'),
    location: { type: 'video', url: 'https://meet.example.com/abc' },
    conference: null,
    cancellationReason: null,
    rescheduledFromId: null,
    rescheduledToId: null,
    updatedAt: new Date('2027-03-01T09:00:00Z'),
    meetingType: {
      id: '22222222-2222-4222-8222-222222222222',
      name: 'Intro call',
      slug: 'intro',
      durationMinutes: 30,
      reminders: [
        { offset_minutes: 1440, channel: 'email' },
        { offset_minutes: 60, channel: 'email' },
      ],
      ownerId: '33333333-3333-4333-8333-333333333333',
    },
    hosts: [{ id: '33333333-3333-4333-8333-333333333333', name: 'Hana Host', email: 'hana@example.com', timeZone: 'America/New_York' }],
    invitees: [
      {
        id: '44444444-4444-4444-8444-444444444444',
        name: 'Ivo Invitee',
        email: 'ivo@example.com',
        timeZone: 'Europe/Berlin',
        phone: '+4915112345678',
        status: 'active',
        answers: { topic: 'pricing' },
        guests: [],
        utm: null,
        manageUrl: 'http://kairos.test/b/x?token=mgt_secret',
        cancelUrl: 'http://kairos.test/b/x/cancel?token=mgt_secret',
        rescheduleUrl: 'http://kairos.test/b/x/reschedule?token=mgt_secret',
      },
    ],
    ...overrides,
  };
}
