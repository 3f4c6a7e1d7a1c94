import type { BookingView } from '../../booking/domain/booking-views.js';
import { sampleView } from './notify-fixtures.js';
import { planDeliveries } from './plan-deliveries.js';

const NOW = new Date('2027-03-01T12:00:00Z');
const payload = {
  booking_id: '11111111-1111-4111-8111-111111111111',
  meeting_type_id: 'mt',
  host_user_ids: [],
  start_time: '2027-03-09T15:00:00.000Z',
  end_time: '2027-03-09T15:30:00.000Z',
  invitee_id: null,
  sequence: 0,
};
const hook = { id: '55555555-5555-4555-8555-555555555555', userId: '33333333-3333-4333-8333-333333333333', events: ['invitee.created'] };

describe('planDeliveries', () => {
  it('created: confirmation to invitee and host, future reminders, subscribed webhooks; deterministic', () => {
    const input = { eventType: 'booking.created' as const, payload, view: sampleView(), webhooks: [hook], now: NOW, smsEnabled: false };
    const plan = planDeliveries(input);
    expect(plan.deliveries.map((d) => `${d.kind}/${d.recipientRole}/${d.channel}`).sort()).toEqual([
      'confirmation/host/email',
      'confirmation/invitee/email',
      'reminder/invitee/email',
      'reminder/invitee/email',
      'webhook/webhook/webhook',
    ]);
    expect(
      plan.deliveries
        .filter((d) => d.kind === 'reminder')
        .map((d) => d.dueAt.toISOString())
        .sort(),
    ).toEqual(['2027-03-08T15:00:00.000Z', '2027-03-09T14:00:00.000Z']);
    expect(planDeliveries(input).deliveries.map((d) => d.id)).toEqual(plan.deliveries.map((d) => d.id));
    expect(new Set(plan.deliveries.map((d) => d.id)).size).toBe(plan.deliveries.length);
    expect(plan.withdraw).toEqual([]);
    expect(JSON.stringify(plan.deliveries)).not.toContain('mgt_secret'); // no management tokens at rest
  });

  it("guests: the invitee's invitation, update and cancellation by email, never reminders; in the webhook as event_guests", () => {
    const base = sampleView();
    const view = sampleView({ invitees: [{ ...base.invitees[0], guests: ['Ada@example.com', 'linus@example.com'] }] });
    const hooks = [{ ...hook, events: ['invitee.created', 'invitee.canceled'] }];
    const created = planDeliveries({ eventType: 'booking.created', payload, view, webhooks: hooks, now: NOW, smsEnabled: false });
    const toGuests = created.deliveries.filter((d) => d.recipientRole === 'guest');
    expect(toGuests.map((d) => [d.kind, d.channel, d.recipient, d.recipientId])).toEqual([
      ['confirmation', 'email', 'Ada@example.com', base.invitees[0].id],
      ['confirmation', 'email', 'linus@example.com', base.invitees[0].id],
    ]);
    expect(new Set(created.deliveries.map((d) => d.id)).size).toBe(created.deliveries.length);
    const webhook = created.deliveries.find((d) => d.kind === 'webhook')!;
    expect((webhook.payload.body as { payload: { event_guests: unknown } }).payload.event_guests).toEqual([
      { email: 'Ada@example.com' },
      { email: 'linus@example.com' },
    ]);
    const cancelled = planDeliveries({
      eventType: 'booking.cancelled',
      payload: { ...payload, sequence: 1 },
      view: { ...view, status: 'cancelled' },
      webhooks: [],
      now: NOW,
      smsEnabled: false,
    });
    expect(cancelled.deliveries.filter((d) => d.recipientRole === 'guest').map((d) => d.kind)).toEqual(['cancellation', 'cancellation']);
  });

  it('skips reminders whose moment has passed; SMS only with a phone and a provider', () => {
    const view = sampleView({
      meetingType: {
        ...sampleView().meetingType,
        reminders: [
          { offset_minutes: 60 * 24 * 10, channel: 'email' },
          { offset_minutes: 60, channel: 'sms' },
        ],
      },
    });
    const noSms = planDeliveries({ eventType: 'booking.created', payload, view, webhooks: [], now: NOW, smsEnabled: false });
    expect(noSms.deliveries.filter((d) => d.kind === 'reminder')).toEqual([]);
    const sms = planDeliveries({ eventType: 'booking.created', payload, view, webhooks: [], now: NOW, smsEnabled: true });
    expect(sms.deliveries.filter((d) => d.kind === 'reminder').map((d) => [d.channel, d.recipient])).toEqual([['sms', '+4915112345678']]);
  });

  it('rescheduled: new revision rows, withdraws older reminders of this booking and all of the previous one', () => {
    const moved = { ...payload, booking_id: 'new-id', sequence: 1, previous: { booking_id: 'old-id', start_time: 'x', end_time: 'y' } };
    const plan = planDeliveries({
      eventType: 'booking.rescheduled',
      payload: moved,
      view: sampleView({ sequence: 1 }),
      webhooks: [],
      now: NOW,
      smsEnabled: false,
    });
    expect(plan.deliveries.filter((d) => d.kind === 'reschedule')).toHaveLength(2);
    expect(plan.deliveries.every((d) => d.revision === 1)).toBe(true);
    expect(plan.withdraw).toEqual([
      { bookingId: 'new-id', belowRevision: 1, inviteeId: null },
      { bookingId: 'old-id', belowRevision: null, inviteeId: null },
    ]);
  });

  it('rescheduled by the host in their calendar: the mails wait (quick moves make one update), webhooks do not', () => {
    const moved = {
      ...payload,
      booking_id: 'new-id',
      sequence: 1,
      previous: { booking_id: 'old-id', start_time: 'x', end_time: 'y' },
      rescheduled_by: 'host_calendar' as const,
    };
    const plan = planDeliveries({
      eventType: 'booking.rescheduled',
      payload: moved,
      view: sampleView({ sequence: 1 }),
      webhooks: [{ ...hook, events: ['invitee.rescheduled'] }],
      now: NOW,
      smsEnabled: false,
      hostMoveDelayMs: 60_000,
    });
    const mails = plan.deliveries.filter((d) => d.kind === 'reschedule');
    expect(mails).toHaveLength(2);
    for (const m of mails)
      expect(m).toMatchObject({ dueAt: new Date(NOW.getTime() + 60_000), payload: { rescheduled_by: 'host_calendar' } });
    expect(plan.deliveries.filter((d) => d.kind === 'webhook').map((d) => d.dueAt)).toEqual([NOW]);
  });

  it('cancelled: cancellation mails, no reminders, all reminders withdrawn; webhook only if subscribed', () => {
    const plan = planDeliveries({
      eventType: 'booking.cancelled',
      payload: { ...payload, sequence: 2, reason: 'ill' },
      view: sampleView(),
      webhooks: [hook],
      now: NOW,
      smsEnabled: false,
    });
    expect(plan.deliveries.map((d) => d.kind).sort()).toEqual(['cancellation', 'cancellation']);
    expect(plan.withdraw).toEqual([{ bookingId: payload.booking_id, belowRevision: null, inviteeId: null }]);
  });

  describe('host reminders', () => {
    const HOST_A = sampleView().hosts[0];
    const HOST_B = { id: '66666666-6666-4666-8666-666666666666', name: 'Bo Host', email: 'bo@example.com', timeZone: 'Asia/Tokyo' };
    const SECOND = { ...sampleView().invitees[0], id: '77777777-7777-4777-8777-777777777777', email: 'uma@example.com', phone: null };
    const withReminders = (reminders: BookingView['meetingType']['reminders'], over: Partial<BookingView> = {}) =>
      sampleView({ meetingType: { ...sampleView().meetingType, reminders }, ...over });
    const reminders = (plan: ReturnType<typeof planDeliveries>) =>
      plan.deliveries
        .filter((d) => d.kind === 'reminder')
        .map((d) => `${d.recipientRole}/${d.channel}/${d.recipient}/${d.dueAt.toISOString()}`)
        .sort();

    it('without recipients a reminder goes to the invitee only (types saved before host reminders)', () => {
      const plan = planDeliveries({ eventType: 'booking.created', payload, view: sampleView(), webhooks: [], now: NOW, smsEnabled: false });
      expect(plan.deliveries.filter((d) => d.kind === 'reminder').every((d) => d.recipientRole === 'invitee')).toBe(true);
    });

    it('collective: every host of the booking gets it by email, next to or instead of the invitee', () => {
      const view = withReminders(
        [
          { offset_minutes: 1440, channel: 'email', recipients: ['host'] },
          { offset_minutes: 60, channel: 'email', recipients: ['invitee', 'host'] },
        ],
        { hosts: [HOST_A, HOST_B] },
      );
      const plan = planDeliveries({
        eventType: 'booking.created',
        payload: { ...payload, invitee_id: sampleView().invitees[0].id },
        view,
        webhooks: [],
        now: NOW,
        smsEnabled: true,
      });
      expect(reminders(plan)).toEqual([
        'host/email/bo@example.com/2027-03-08T15:00:00.000Z',
        'host/email/bo@example.com/2027-03-09T14:00:00.000Z',
        'host/email/hana@example.com/2027-03-08T15:00:00.000Z',
        'host/email/hana@example.com/2027-03-09T14:00:00.000Z',
        'invitee/email/ivo@example.com/2027-03-09T14:00:00.000Z',
      ]);
      const toHosts = plan.deliveries.filter((d) => d.kind === 'reminder' && d.recipientRole === 'host');
      expect(toHosts.map((d) => d.recipientId).sort()).toEqual([HOST_A.id, HOST_A.id, HOST_B.id, HOST_B.id].sort());
      expect(toHosts.every((d) => d.payload.invitee_id === null && d.visibleTo.includes(HOST_B.id))).toBe(true);
      expect(new Set(plan.deliveries.map((d) => d.id)).size).toBe(plan.deliveries.length);
    });

    it('hosts are never texted: an SMS reminder reaches only invitees with a phone (numbers sent without formatting)', () => {
      const view = withReminders([{ offset_minutes: 60, channel: 'sms', recipients: ['invitee', 'host'] }], {
        invitees: [{ ...sampleView().invitees[0], phone: '+49 (151) 1234-5678' }],
      });
      const plan = planDeliveries({ eventType: 'booking.created', payload, view, webhooks: [], now: NOW, smsEnabled: true });
      expect(reminders(plan)).toEqual(['invitee/sms/+4915112345678/2027-03-09T14:00:00.000Z']);
    });

    it("group: each joining invitee plans the same host reminder (one row), replacing older revisions' host reminders", () => {
      const view = withReminders([{ offset_minutes: 60, channel: 'email', recipients: ['invitee', 'host'] }], {
        invitees: [sampleView().invitees[0], SECOND],
      });
      const first = planDeliveries({
        eventType: 'booking.created',
        payload: { ...payload, invitee_id: sampleView().invitees[0].id },
        view,
        webhooks: [],
        now: NOW,
        smsEnabled: false,
      });
      const second = planDeliveries({
        eventType: 'booking.created',
        payload: { ...payload, invitee_id: SECOND.id },
        view,
        webhooks: [],
        now: NOW,
        smsEnabled: false,
      });
      const hostReminder = (p: typeof first) =>
        p.deliveries.filter((d) => d.kind === 'reminder' && d.recipientRole === 'host').map((d) => d.id);
      expect(hostReminder(first)).toHaveLength(1);
      expect(hostReminder(second)).toEqual(hostReminder(first));
      const inviteeReminder = (p: typeof first) => p.deliveries.find((d) => d.kind === 'reminder' && d.recipientRole === 'invitee')!.id;
      expect(inviteeReminder(second)).not.toBe(inviteeReminder(first));
      expect(second.withdraw).toEqual([{ bookingId: payload.booking_id, belowRevision: 0, inviteeId: null, hostsOnly: true }]);
      // A later revision (a seat was cancelled meanwhile) plans a new host reminder and withdraws the older one.
      const later = planDeliveries({
        eventType: 'booking.created',
        payload: { ...payload, sequence: 1, invitee_id: SECOND.id },
        view: { ...view, sequence: 1 },
        webhooks: [],
        now: NOW,
        smsEnabled: false,
      });
      expect(hostReminder(later)).not.toEqual(hostReminder(first));
      expect(later.withdraw).toEqual([{ bookingId: payload.booking_id, belowRevision: 1, inviteeId: null, hostsOnly: true }]);
    });

    it("cancel: the hosts' reminders go with the meeting, not with one seat of a group", () => {
      const hostsReminded = [{ offset_minutes: 60, channel: 'email' as const, recipients: ['invitee' as const, 'host' as const] }];
      const ivo = sampleView().invitees[0];
      const seatLeft = withReminders(hostsReminded, { invitees: [{ ...ivo, status: 'cancelled' }, SECOND] });
      const oneSeat = planDeliveries({
        eventType: 'booking.cancelled',
        payload: { ...payload, sequence: 1, invitee_id: ivo.id },
        view: seatLeft,
        webhooks: [],
        now: NOW,
        smsEnabled: false,
      });
      expect(oneSeat.withdraw).toEqual([{ bookingId: payload.booking_id, belowRevision: null, inviteeId: ivo.id }]);

      const over = withReminders(hostsReminded, { status: 'cancelled', invitees: [{ ...ivo, status: 'cancelled' }] });
      const lastOne = planDeliveries({
        eventType: 'booking.cancelled',
        payload: { ...payload, sequence: 1, invitee_id: ivo.id },
        view: over,
        webhooks: [],
        now: NOW,
        smsEnabled: false,
      });
      expect(lastOne.withdraw).toEqual([
        { bookingId: payload.booking_id, belowRevision: null, inviteeId: ivo.id },
        { bookingId: payload.booking_id, belowRevision: null, inviteeId: null, hostsOnly: true },
      ]);
      expect(lastOne.deliveries.filter((d) => d.kind === 'reminder')).toEqual([]);
    });

    it("reschedule by the invitee: the old booking's host reminders are withdrawn unless others still meet there", () => {
      const view = withReminders([{ offset_minutes: 60, channel: 'email', recipients: ['host'] }], { id: 'new-id', sequence: 1 });
      const ivo = sampleView().invitees[0];
      const moved = {
        ...payload,
        booking_id: 'new-id',
        sequence: 1,
        invitee_id: ivo.id,
        previous: { booking_id: 'old-id', start_time: 'x', end_time: 'y' },
      };
      const plan = (previousView: BookingView | null) =>
        planDeliveries({ eventType: 'booking.rescheduled', payload: moved, view, webhooks: [], now: NOW, smsEnabled: false, previousView });

      const whole = plan(sampleView({ id: 'old-id', status: 'rescheduled' }));
      expect(whole.deliveries.filter((d) => d.kind === 'reminder').map((d) => [d.recipientRole, d.bookingId, d.revision])).toEqual([
        ['host', 'new-id', 1],
      ]);
      expect(whole.withdraw).toEqual([
        { bookingId: 'new-id', belowRevision: 1, inviteeId: ivo.id },
        { bookingId: 'old-id', belowRevision: null, inviteeId: ivo.id },
        { bookingId: 'old-id', belowRevision: null, inviteeId: null, hostsOnly: true },
        { bookingId: 'new-id', belowRevision: 1, inviteeId: null, hostsOnly: true },
      ]);
      expect(plan(null).withdraw).toContainEqual({ bookingId: 'old-id', belowRevision: null, inviteeId: null, hostsOnly: true });

      const othersStay = plan(sampleView({ id: 'old-id', invitees: [{ ...ivo, status: 'active', id: 'someone-else' }] }));
      expect(othersStay.withdraw).not.toContainEqual(expect.objectContaining({ bookingId: 'old-id', hostsOnly: true }));
    });
  });
});
