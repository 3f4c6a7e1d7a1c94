import type { BookingEventPayload, BookingEventType } from '../../booking/domain/booking-views.js';
import { sampleView } from './notify-fixtures.js';
import { planDeliveries } from './plan-deliveries.js';

/** Approval (requires_confirmation): what each event of a request's life sends, and what it does not. */
const NOW = new Date('2027-03-01T12:00:00Z');
const base: BookingEventPayload = {
  booking_id: '11111111-1111-4111-8111-111111111111',
  meeting_type_id: 'mt',
  host_user_ids: [],
  start_time: '2027-03-09T15:00:00.000Z',
  end_time: '2027-03-09T15:30:00.000Z',
  invitee_id: null,
  sequence: 0,
};
const EVENTS = ['invitee.created', 'invitee.pending', 'invitee.confirmed', 'invitee.declined', 'invitee.expired', 'invitee.rescheduled'];
const hook = { id: '55555555-5555-4555-8555-555555555555', userId: '33333333-3333-4333-8333-333333333333', events: EVENTS };

function plan(eventType: BookingEventType, payload: Partial<BookingEventPayload> = {}, status = sampleView().status) {
  const view = sampleView({ status, confirmationExpiresAt: status === 'pending' ? new Date('2027-03-02T12:00:00Z') : null });
  return planDeliveries({ eventType, payload: { ...base, ...payload }, view, webhooks: [hook], now: NOW, smsEnabled: false });
}
const summary = (p: ReturnType<typeof plan>) => p.deliveries.map((d) => `${d.kind}/${d.recipientRole}/${d.eventType}`).sort();
const webhookBody = (p: ReturnType<typeof plan>) => p.deliveries.find((d) => d.kind === 'webhook')?.payload.body as Record<string, any>;

describe('planDeliveries for approval', () => {
  it('a request: "request" mails to both sides, no reminders, the invitee.pending webhook', () => {
    const p = plan('booking.created', { pending: true, invitee_id: '44444444-4444-4444-8444-444444444444' }, 'pending');
    expect(summary(p)).toEqual(['request/host/booking.created', 'request/invitee/booking.created', 'webhook/webhook/invitee.pending']);
    expect(p.deliveries.every((d) => d.kind === 'webhook' || d.payload.pending === true)).toBe(true);
    expect(webhookBody(p).payload).toMatchObject({ status: 'pending', confirmation_expires_at: '2027-03-02T12:00:00.000Z' });
  });

  it('confirmed: the confirmation (with its invitation) to both sides, and now the reminders', () => {
    const p = plan('booking.confirmed');
    expect(summary(p)).toEqual([
      'confirmation/host/booking.confirmed',
      'confirmation/invitee/booking.confirmed',
      'reminder/invitee/booking.confirmed',
      'reminder/invitee/booking.confirmed',
      'webhook/webhook/invitee.confirmed',
    ]);
    expect(p.deliveries.some((d) => d.payload.pending)).toBe(false);
    expect(webhookBody(p).payload.status).toBe('confirmed');
    // Other ids than the request's mails: both go, once each.
    const request = plan('booking.created', { pending: true }, 'pending');
    const ids = new Set(request.deliveries.map((d) => d.id));
    expect(p.deliveries.filter((d) => ids.has(d.id))).toEqual([]);
  });

  it('declined: only the invitee is told, with the reason; webhook invitee.declined', () => {
    const p = plan('booking.declined', { pending: true, reason: 'Travelling', cancelled_by: 'host' }, 'declined');
    expect(summary(p)).toEqual(['declined/invitee/booking.declined', 'webhook/webhook/invitee.declined']);
    expect(p.deliveries[0].payload.reason).toBe('Travelling');
    expect(webhookBody(p).payload).toMatchObject({ status: 'declined', decline: { reason: 'Travelling' } });
    expect(p.withdraw).toEqual([{ bookingId: base.booking_id, belowRevision: null, inviteeId: null }]);
  });

  it('expired: both sides are told; webhook invitee.expired', () => {
    const p = plan('booking.expired', { pending: true }, 'expired');
    expect(summary(p)).toEqual(['expired/host/booking.expired', 'expired/invitee/booking.expired', 'webhook/webhook/invitee.expired']);
    expect(webhookBody(p).payload.status).toBe('expired');
  });

  it('a request moved: the invitee gets the reschedule (pending, no reminders), the host is asked again', () => {
    const previous = { booking_id: '66666666-6666-4666-8666-666666666666', start_time: base.start_time, end_time: base.end_time };
    const p = plan('booking.rescheduled', { pending: true, previous, sequence: 1 }, 'pending');
    expect(summary(p)).toEqual([
      'request/host/booking.rescheduled',
      'reschedule/invitee/booking.rescheduled',
      'webhook/webhook/invitee.rescheduled',
    ]);
    expect(webhookBody(p).payload.status).toBe('pending');
  });

  it('a confirmed booking created directly still says invitee.created', () => {
    expect(summary(plan('booking.created'))).toContain('webhook/webhook/invitee.created');
  });
});
