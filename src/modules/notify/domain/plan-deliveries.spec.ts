import { sampleView } from './notify-fixtures.js';
import { planDeliveries } from './plan-deliveries.js';

const NOW = new Date('2027-03-01T12:00:00Z');
const payload = {
  booking_id: '11111111-1111-4111-8111-111111111111', meeting_type_id: 'mt', host_user_ids: [],
  start_time: '2027-03-09T15:00:00.000Z', end_time: '2027-03-09T15:30:00.000Z', invitee_id: null, sequence: 0,
};
const hook = { id: '55555555-5555-4555-8555-555555555555', userId: '33333333-3333-4333-8333-333333333333', events: ['invitee.created'] };

describe('planDeliveries', () => {
  it('created: confirmation to invitee and host, future reminders, subscribed webhooks; deterministic', () => {
    const input = { eventType: 'booking.created' as const, payload, view: sampleView(), webhooks: [hook], now: NOW, smsEnabled: false };
    const plan = planDeliveries(input);
    expect(plan.deliveries.map((d) => `${d.kind}/${d.recipientRole}/${d.channel}`).sort()).toEqual([
      'confirmation/host/email', 'confirmation/invitee/email', 'reminder/invitee/email', 'reminder/invitee/email', 'webhook/webhook/webhook',
    ]);
    expect(plan.deliveries.filter((d) => d.kind === 'reminder').map((d) => d.dueAt.toISOString()).sort())
      .toEqual(['2027-03-08T15:00:00.000Z', '2027-03-09T14:00:00.000Z']);
    expect(planDeliveries(input).deliveries.map((d) => d.id)).toEqual(plan.deliveries.map((d) => d.id));
    expect(new Set(plan.deliveries.map((d) => d.id)).size).toBe(plan.deliveries.length);
    expect(plan.withdraw).toEqual([]);
    expect(JSON.stringify(plan.deliveries)).not.toContain('mgt_secret'); // no management tokens at rest
  });

  it('skips reminders whose moment has passed; SMS only with a phone and a provider', () => {
    const view = sampleView({ meetingType: { ...sampleView().meetingType, reminders: [{ offset_minutes: 60 * 24 * 10, channel: 'email' }, { offset_minutes: 60, channel: 'sms' }] } });
    const noSms = planDeliveries({ eventType: 'booking.created', payload, view, webhooks: [], now: NOW, smsEnabled: false });
    expect(noSms.deliveries.filter((d) => d.kind === 'reminder')).toEqual([]);
    const sms = planDeliveries({ eventType: 'booking.created', payload, view, webhooks: [], now: NOW, smsEnabled: true });
    expect(sms.deliveries.filter((d) => d.kind === 'reminder').map((d) => [d.channel, d.recipient])).toEqual([['sms', '+4915112345678']]);
  });

  it('rescheduled: new revision rows, withdraws older reminders of this booking and all of the previous one', () => {
    const moved = { ...payload, booking_id: 'new-id', sequence: 1, previous: { booking_id: 'old-id', start_time: 'x', end_time: 'y' } };
    const plan = planDeliveries({ eventType: 'booking.rescheduled', payload: moved, view: sampleView({ sequence: 1 }), webhooks: [], now: NOW, smsEnabled: false });
    expect(plan.deliveries.filter((d) => d.kind === 'reschedule')).toHaveLength(2);
    expect(plan.deliveries.every((d) => d.revision === 1)).toBe(true);
    expect(plan.withdraw).toEqual([
      { bookingId: 'new-id', belowRevision: 1, inviteeId: null },
      { bookingId: 'old-id', belowRevision: null, inviteeId: null },
    ]);
  });

  it('cancelled: cancellation mails, no reminders, all reminders withdrawn; webhook only if subscribed', () => {
    const plan = planDeliveries({ eventType: 'booking.cancelled', payload: { ...payload, sequence: 2, reason: 'ill' }, view: sampleView(), webhooks: [hook], now: NOW, smsEnabled: false });
    expect(plan.deliveries.map((d) => d.kind).sort()).toEqual(['cancellation', 'cancellation']);
    expect(plan.withdraw).toEqual([{ bookingId: payload.booking_id, belowRevision: null, inviteeId: null }]);
  });
});
