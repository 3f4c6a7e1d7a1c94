import type { BookingEventPayload } from '../../booking/domain/booking-views.js';
import { planNoShowWebhooks } from './no-show-notices.js';
import { sampleView } from './notify-fixtures.js';

const NOW = new Date('2027-03-09T16:00:00Z');
const view = sampleView();
const host = view.hosts[0].id;
const payload: BookingEventPayload = {
  booking_id: view.id,
  meeting_type_id: view.meetingType.id,
  host_user_ids: [host],
  start_time: view.startTime.toISOString(),
  end_time: view.endTime.toISOString(),
  invitee_id: view.invitees[0].id,
  marked_by: host,
  sequence: 0,
};
const hook = (events: string[], userId = host) => ({ id: '55555555-5555-4555-8555-555555555555', userId, events });

describe('planNoShowWebhooks', () => {
  it('sends invitee.no_show to subscribed webhooks of the booking hosts, no mail', () => {
    const [d, ...rest] = planNoShowWebhooks({
      eventType: 'booking.no_show_marked',
      eventId: '7',
      payload,
      view,
      webhooks: [hook(['invitee.no_show'])],
      now: NOW,
    });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ kind: 'webhook', channel: 'webhook', eventType: 'invitee.no_show', recipientId: hook([]).id });
    expect(d.payload.body).toMatchObject({
      event: 'invitee.no_show',
      payload: { booking_id: view.id, invitee: { id: view.invitees[0].id }, no_show: { marked_at: NOW.toISOString(), marked_by: host } },
    });
  });

  it('sends the undo as invitee.no_show_deleted; each outbox event is its own message, a replay the same', () => {
    const plan = (eventType: 'booking.no_show_marked' | 'booking.no_show_cleared', eventId: string) =>
      planNoShowWebhooks({ eventType, eventId, payload, view, webhooks: [hook(['invitee.no_show', 'invitee.no_show_deleted'])], now: NOW });
    const undo = plan('booking.no_show_cleared', '8');
    expect(undo[0]).toMatchObject({ eventType: 'invitee.no_show_deleted', payload: { body: { payload: { no_show: null } } } });
    expect(plan('booking.no_show_marked', '7')[0].id).not.toBe(plan('booking.no_show_marked', '9')[0].id);
    expect(plan('booking.no_show_marked', '7')[0].id).toBe(plan('booking.no_show_marked', '7')[0].id);
  });

  it('skips unsubscribed webhooks, other users’ webhooks and unknown invitees', () => {
    const input = { eventType: 'booking.no_show_marked' as const, eventId: '7', payload, view, now: NOW };
    expect(planNoShowWebhooks({ ...input, webhooks: [hook(['invitee.created'])] })).toEqual([]);
    expect(planNoShowWebhooks({ ...input, webhooks: [hook(['invitee.no_show'], '99999999-9999-4999-8999-999999999999')] })).toEqual([]);
    expect(planNoShowWebhooks({ ...input, payload: { ...payload, invitee_id: 'gone' }, webhooks: [hook(['invitee.no_show'])] })).toEqual(
      [],
    );
  });
});
