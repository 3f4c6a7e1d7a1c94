import { sampleView } from '../../notify/domain/notify-fixtures.js';
import { describeBooking, meetingRequestFor } from './booking-event.js';

describe('meetingRequestFor', () => {
  const view = sampleView({ location: { type: 'google_meet' } });
  const hostId = view.hosts[0].id;
  const payload = { host_user_ids: [hostId, 'other-host'] };

  it('asks the organizer’s Google event for a Meet, with a requestId stable over reschedules (from the UID)', () => {
    const request = meetingRequestFor(view, payload, hostId, 'google');
    expect(request).toEqual({ provider: 'google_meet', requestId: expect.stringMatching(/^kairos-[0-9a-f]{32}$/) });
    const moved = sampleView({ id: 'another-booking-id', location: { type: 'google_meet' }, sequence: 3 });
    expect(meetingRequestFor(moved, payload, hostId, 'google')).toEqual(request);
  });

  it('nothing for another host, another calendar provider, or a location without a per-booking meeting', () => {
    expect(meetingRequestFor(view, payload, 'other-host', 'google')).toBeNull();
    expect(meetingRequestFor(view, payload, hostId, 'microsoft')).toBeNull();
    expect(meetingRequestFor(sampleView(), payload, hostId, 'google')).toBeNull();
    expect(meetingRequestFor(sampleView({ location: { type: 'microsoft_teams' } }), payload, hostId, 'microsoft')).toMatchObject({
      provider: 'microsoft_teams',
    });
  });

  it('the event’s location is the link once it exists, never the kind', () => {
    expect(describeBooking(view).location).toBeNull();
    const withLink = sampleView({
      location: { type: 'google_meet' },
      conference: { provider: 'google_meet', joinUrl: 'https://meet.google.com/a-b-c', meetingId: 'a-b-c' },
    });
    expect(describeBooking(withLink).location).toBe('https://meet.google.com/a-b-c');
  });
});
