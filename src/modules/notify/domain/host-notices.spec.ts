import { deliveryId } from './delivery-id.js';
import { HOST_MOVE_CONFLICT_EVENT, type HostMoveConflictPayload, planHostMoveConflict } from './host-notices.js';
import { sampleView } from './notify-fixtures.js';

const view = sampleView({ sequence: 2 });
const host = view.hosts[0];
const notice: HostMoveConflictPayload = {
  booking_id: view.id,
  link_id: '44444444-4444-4444-8444-444444444444',
  host_id: host.id,
  start_time: '2027-03-09T15:00:00.000Z',
  end_time: '2027-03-09T15:30:00.000Z',
  moved_to: { start_time: '2027-03-09T17:00:00.000Z', end_time: '2027-03-09T17:30:00.000Z' },
  message: 'the host moved the event to 2027-03-09T17:00:00.000Z–2027-03-09T17:30:00.000Z, which collides with another booking',
};
const now = new Date('2027-03-01T12:00:00Z');

describe('planHostMoveConflict', () => {
  it('is one email to the host, due now, about the time the booking stays at', () => {
    expect(planHostMoveConflict(notice, view, now)).toMatchObject({
      bookingId: view.id,
      kind: 'host_move_conflict',
      channel: 'email',
      recipient: host.email,
      recipientRole: 'host',
      recipientId: host.id,
      revision: 2,
      eventType: HOST_MOVE_CONFLICT_EVENT,
      dueAt: now,
      payload: { start_time: notice.start_time, host_move: { ...notice.moved_to, link_id: notice.link_id, message: notice.message } },
    });
  });

  it('has one id per link and moved-to time, whatever the revision, the message or the moment', () => {
    const id = planHostMoveConflict(notice, view, now)!.id;
    expect(planHostMoveConflict({ ...notice, message: 'other words' }, sampleView({ sequence: 5 }), new Date())!.id).toBe(id);
    expect(
      planHostMoveConflict({ ...notice, moved_to: { ...notice.moved_to, end_time: '2027-03-09T18:00:00.000Z' } }, view, now)!.id,
    ).not.toBe(id);
    expect(planHostMoveConflict({ ...notice, link_id: '55555555-5555-4555-8555-555555555555' }, view, now)!.id).not.toBe(id);
    expect(id).not.toBe(
      deliveryId({ bookingId: view.id, kind: 'host_move_conflict', recipient: `host:${host.id}`, revision: 2, about: null }),
    );
  });

  it('plans nothing for someone who no longer hosts the booking', () => {
    expect(planHostMoveConflict({ ...notice, host_id: '66666666-6666-4666-8666-666666666666' }, view, now)).toBeNull();
  });
});
