import type { BookingEventPayload } from '../../booking/domain/booking-views.js';
import type { Conference, ConferenceReadyPayload } from '../../booking/domain/conference.js';
import { planConferenceLink } from './conference-notices.js';
import { sampleView } from './notify-fixtures.js';
import { planDeliveries } from './plan-deliveries.js';

const NOW = new Date('2027-03-01T12:00:00Z');
const meet: Conference = { provider: 'google_meet', joinUrl: 'https://meet.google.com/abc-defg-hij', meetingId: 'abc-defg-hij' };
const ready: ConferenceReadyPayload = {
  booking_id: sampleView().id,
  provider: 'google_meet',
  join_url: meet.joinUrl,
  meeting_id: meet.meetingId,
};
const hook = { id: '55555555-5555-4555-8555-555555555555', userId: sampleView().hosts[0].id, events: ['invitee.conference_ready'] };

describe('planDeliveries with a per-booking video location', () => {
  const payload = (view = sampleView()): BookingEventPayload => ({
    booking_id: view.id,
    meeting_type_id: view.meetingType.id,
    host_user_ids: view.hosts.map((h) => h.id),
    start_time: view.startTime.toISOString(),
    end_time: view.endTime.toISOString(),
    invitee_id: view.invitees[0].id,
    sequence: 0,
  });

  it.each([
    ['before the link exists: promised', null, { conference: null, conference_pending: true }],
    [
      'after: shown',
      meet,
      { conference: { provider: 'google_meet', join_url: meet.joinUrl, meeting_id: meet.meetingId }, conference_pending: false },
    ],
  ])('%s', (_name, conference, expected) => {
    const view = sampleView({ location: { type: 'google_meet' }, conference });
    const plan = planDeliveries({ eventType: 'booking.created', payload: payload(view), view, webhooks: [], now: NOW, smsEnabled: false });
    for (const d of plan.deliveries) expect(d.payload).toMatchObject(expected);
  });

  it('a fixed location plans no conference fields', () => {
    const view = sampleView();
    const plan = planDeliveries({ eventType: 'booking.created', payload: payload(view), view, webhooks: [], now: NOW, smsEnabled: false });
    for (const d of plan.deliveries) expect(d.payload).not.toHaveProperty('conference');
  });
});

describe('planConferenceLink', () => {
  const view = sampleView({ location: { type: 'google_meet' }, conference: meet });
  const plan = (alreadyShown: string[] = [], v = view) =>
    planConferenceLink({ payload: ready, view: v, alreadyShown: new Set(alreadyShown), webhooks: [hook], now: NOW });

  it('one link mail per attendee and host, and one webhook per invitee, with deterministic ids', () => {
    const first = plan();
    expect(first.map((d) => [d.kind, d.recipientRole])).toEqual([
      ['conference_link', 'invitee'],
      ['conference_link', 'host'],
      ['webhook', 'webhook'],
    ]);
    expect(plan().map((d) => d.id)).toEqual(first.map((d) => d.id));
    expect(first[2].payload.body).toMatchObject({
      event: 'invitee.conference_ready',
      payload: { conference: { provider: 'google_meet', join_url: meet.joinUrl, meeting_id: meet.meetingId } },
    });
  });

  it('skips whoever already has the link, and a booking that no longer takes place', () => {
    const invitee = view.invitees[0].id;
    expect(plan([`invitee:${invitee}`, `host:${view.hosts[0].id}`, `webhook:${hook.id}:${invitee}`])).toEqual([]);
    expect(plan([], sampleView({ status: 'cancelled', conference: meet }))).toEqual([]);
  });

  it('a new link for the same booking is a new mail', () => {
    const other = planConferenceLink({
      payload: { ...ready, join_url: 'https://meet.google.com/zzz-zzzz-zzz' },
      view,
      alreadyShown: new Set(),
      webhooks: [],
      now: NOW,
    });
    expect(other[0].id).not.toBe(plan()[0].id);
  });
});
