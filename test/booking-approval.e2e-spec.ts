import { BookingApprovals } from '../src/modules/booking/application/booking-approval.service.js';
import { googleEventIdFor } from '../src/modules/calendar/infrastructure/google-calendar.adapter.js';
import { DeliveryDispatcher } from '../src/modules/notify/application/delivery-dispatcher.js';
import { FakeGoogleCalendar } from './support/fake-google-calendar.js';
import request from 'supertest';
import { createHost, HOST_PASSWORD, type TestHost } from './support/factories.js';
import { parseWithIcalJs, parseWithNodeIcal } from './support/ical-parsers.js';
import { type ReceivedMail, TestSmtpServer, TestWebhookReceiver } from './support/mail.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { settleDeliveries } from './support/deliveries.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC. Hosts work 09:00-17:00 in New York (EST = UTC-5 until 14 March).
const NOW = '2027-03-01T12:00:00Z';
const TUE_9AM_NY = '2027-03-02T14:00:00Z';
const TUE_10AM_NY = '2027-03-02T15:00:00Z';
const WED_9AM_NY = '2027-03-03T14:00:00Z';
const MIN = 60_000;

interface BookingBody {
  id: string;
  status: string;
  start_time: string;
  confirmation_expires_at: string | null;
  management_token: string;
}

describe('approval before confirming (e2e: requires_confirmation, PostgreSQL or the embedded database)', () => {
  let smtp: TestSmtpServer;
  let hooks: TestWebhookReceiver;
  let google: FakeGoogleCalendar;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    hooks = await new TestWebhookReceiver().start();
    google = await new FakeGoogleCalendar().start();
    google.now = () => t.clock!.now().getTime();
    t = await startTestApp({
      now: NOW,
      env: {
        ...google.env,
        ENCRYPTION_KEY: `k1:${'ab'.repeat(32)}`,
        SMTP_URL: smtp.url,
        // The tests drive the relay, the deliveries and the expiry job, and move the pinned clock.
        OUTBOX_POLL_INTERVAL_MS: '0',
        NOTIFY_SWEEP_INTERVAL_MS: '0',
        APPROVAL_EXPIRY_INTERVAL_MS: '0',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    await hooks.close();
    await google.stop();
  });
  afterEach(() => t.clock!.set(NOW));

  // The sweep hands over what fell due while the pinned clock moved (queued jobs wait in real time).
  const settle = async () => {
    await t.app.get(DeliveryDispatcher).sweep();
    await settleDeliveries(t);
  };

  async function approvalHost(body: Record<string, unknown> = {}): Promise<{ host: TestHost; typeId: string }> {
    const host = await createHost(t, { time_zone: 'America/New_York' });
    await setWeeklyHours(t, host, 'America/New_York');
    const type = await createMeetingType(t, host, { requires_confirmation: true, confirmation_expiry_minutes: 120, ...body });
    return { host, typeId: type.id };
  }

  const book = (typeId: string, start: string, n: string) =>
    t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: start, ...invitee(n) });

  async function booked(typeId: string, start: string, n: string): Promise<BookingBody> {
    const res = await book(typeId, start, n);
    if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as BookingBody;
  }

  const slotStarts = async (typeId: string, query: Record<string, string>) =>
    (
      await t
        .http()
        .get('/api/availability/slots')
        .query({ meeting_type_id: typeId, timezone: 'UTC', ...query })
        .expect(200)
    ).body.slots.map((s: { start_time: string }) => s.start_time) as string[];

  const events = async (bookingId: string): Promise<string[]> =>
    (await t.dataSource.query(`SELECT event_type FROM outbox_events WHERE booking_id = $1 ORDER BY id`, [bookingId])).map(
      (r: { event_type: string }) => r.event_type,
    );

  /** The URL of a link in a mail's text (`Label: url`). */
  const linkIn = (mail: ReceivedMail, label: string) => {
    const found = new RegExp(`^${label}: (\\S+)$`, 'm').exec(mail.text)?.[1];
    if (!found) throw new Error(`no "${label}" link in: ${mail.text}`);
    return new URL(found);
  };

  async function webhookFor(host: TestHost) {
    await t
      .http()
      .post('/api/webhooks')
      .set(host.auth)
      .send({ url: hooks.url, events: ['invitee.pending', 'invitee.confirmed', 'invitee.declined', 'invitee.expired', 'invitee.created'] })
      .expect(201);
  }
  const hookBodies = (bookingId: string) =>
    hooks.requests
      .map((r) => JSON.parse(r.body) as { event: string; payload: Record<string, unknown> })
      .filter((b) => b.payload.booking_id === bookingId);

  it('meeting type fields: defaults, bounds, null resets, not for group types', async () => {
    const host = await createHost(t, { time_zone: 'America/New_York' });
    const plain = await createMeetingType(t, host, { slug: 'plain' });
    expect(plain).toMatchObject({ requires_confirmation: false, confirmation_expiry_minutes: 1440 });
    const tooShort = await t
      .http()
      .post('/api/meeting-types')
      .set(host.auth)
      .send({ name: 'X', duration_minutes: 30, requires_confirmation: true, confirmation_expiry_minutes: 2 })
      .expect(400);
    expect(tooShort.body.errors).toEqual([expect.objectContaining({ field: 'confirmation_expiry_minutes' })]);
    const notBoolean = await t
      .http()
      .post('/api/meeting-types')
      .set(host.auth)
      .send({ name: 'X', duration_minutes: 30, requires_confirmation: 'yes' })
      .expect(400);
    expect(notBoolean.body.errors).toEqual([expect.objectContaining({ field: 'requires_confirmation' })]);
    const group = await t
      .http()
      .post('/api/meeting-types')
      .set(host.auth)
      .send({ name: 'G', duration_minutes: 30, kind: 'group', seats: 5, requires_confirmation: true })
      .expect(400);
    expect(group.body.errors).toEqual([expect.objectContaining({ field: 'requires_confirmation', codes: ['not_applicable'] })]);

    const updated = await t
      .http()
      .put(`/api/meeting-types/${plain.id}`)
      .set(host.auth)
      .send({ requires_confirmation: true, confirmation_expiry_minutes: 90 })
      .expect(200);
    expect(updated.body).toMatchObject({ requires_confirmation: true, confirmation_expiry_minutes: 90 });
    const reset = await t
      .http()
      .put(`/api/meeting-types/${plain.id}`)
      .set(host.auth)
      .send({ requires_confirmation: null, confirmation_expiry_minutes: null })
      .expect(200);
    expect(reset.body).toMatchObject({ requires_confirmation: false, confirmation_expiry_minutes: 1440 });
  });

  it('a request is pending, holds its slot (slots, a second booker 409), mails without .ics; confirming sends the invitation once', async () => {
    const { host, typeId } = await approvalHost();
    await webhookFor(host);
    expect(await slotStarts(typeId, { date: '2027-03-02' })).toContain(TUE_9AM_NY);

    const request = await booked(typeId, TUE_9AM_NY, 'p1');
    // 120 minutes after it was made (12:00Z), well before the meeting.
    expect(request).toMatchObject({ status: 'pending', confirmation_expires_at: '2027-03-01T14:00:00Z' });
    expect(await slotStarts(typeId, { date: '2027-03-02' })).not.toContain(TUE_9AM_NY);
    const second = await book(typeId, TUE_9AM_NY, 'p2').expect(409);
    expect(second.body).toMatchObject({ status_code: 409, error: 'Conflict' });
    // No invitation while it waits: the .ics download says why.
    const ics = await t.http().get(`/api/bookings/${request.id}/ics`).query({ token: request.management_token }).expect(409);
    expect(ics.body.message).toMatch(/confirm/);

    await settle();
    const [received] = smtp.to('inviteep1@example.com');
    expect(smtp.to('inviteep1@example.com')).toHaveLength(1);
    expect(received.subject).toMatch(/^Request received: Intro call with .* on Tuesday, 2 March 2027, 14:00 \(Europe\/London\)$/);
    expect(received.text).toContain('This is not a confirmation yet.');
    expect(received.calendars).toHaveLength(0);
    const [ask] = smtp.to(host.email);
    expect(smtp.to(host.email)).toHaveLength(1);
    expect(ask.subject).toBe('Please confirm: Intro call with Invitee p1 on Tuesday, 2 March 2027, 09:00 (America/New_York)');
    expect(ask.calendars).toHaveLength(0);
    expect(linkIn(ask, 'Confirm').pathname).toBe(`/booking/${request.id}/approval`);
    expect(linkIn(ask, 'Decline').searchParams.get('action')).toBe('decline');
    // Reminders wait for the confirmation.
    const reminders = await t.dataSource.query(`SELECT id FROM notification_deliveries WHERE booking_id = $1 AND kind = 'reminder'`, [
      request.id,
    ]);
    expect(reminders).toHaveLength(0);
    expect(hookBodies(request.id).map((b) => [b.event, b.payload.status])).toEqual([['invitee.pending', 'pending']]);

    const confirmed = await t.http().post(`/api/bookings/${request.id}/confirm`).set(host.auth).expect(200);
    expect(confirmed.body).toMatchObject({ id: request.id, status: 'confirmed', confirmation_expires_at: null });
    // Confirming again changes nothing and says so the same way.
    await t.http().post(`/api/bookings/${request.id}/confirm`).set(host.auth).expect(200);
    const refused = await t.http().post(`/api/bookings/${request.id}/decline`).set(host.auth).send({}).expect(409);
    expect(refused.body.message).toMatch(/already confirmed/);
    expect(await events(request.id)).toEqual(['booking.created', 'booking.confirmed']);

    await settle();
    const toInvitee = smtp.to('inviteep1@example.com');
    expect(toInvitee.map((m) => m.subject)).toEqual([received.subject, expect.stringMatching(/^Confirmed: Intro call with /)]);
    const invitation = toInvitee[1].calendars;
    expect(invitation).toHaveLength(1);
    for (const parse of [parseWithIcalJs, parseWithNodeIcal]) {
      const [event] = parse(invitation[0].content);
      expect(event).toMatchObject({ sequence: 0, status: 'CONFIRMED' });
      expect(event.attendees.map((a) => a.email)).toContain('inviteep1@example.com');
    }
    const toHost = smtp.to(host.email);
    expect(toHost.map((m) => m.subject)).toEqual([
      ask.subject,
      'Confirmed: Intro call with Invitee p1 on Tuesday, 2 March 2027, 09:00 (America/New_York)',
    ]);
    expect(toHost[1].calendars).toHaveLength(1);
    const planned = await t.dataSource.query(`SELECT due_at FROM notification_deliveries WHERE booking_id = $1 AND kind = 'reminder'`, [
      request.id,
    ]);
    expect(planned.map((r: { due_at: Date }) => r.due_at.toISOString()).sort()).toEqual([
      '2027-03-01T14:00:00.000Z',
      '2027-03-02T13:00:00.000Z',
    ]);
    await t.http().get(`/api/bookings/${request.id}/ics`).query({ token: request.management_token }).expect(200);
    expect(hookBodies(request.id).map((b) => [b.event, b.payload.status])).toEqual([
      ['invitee.pending', 'pending'],
      ['invitee.confirmed', 'confirmed'],
    ]);
  });

  it('decline frees the slot and tells the invitee the reason (no .ics); confirming it afterwards is 409', async () => {
    const { host, typeId } = await approvalHost();
    await webhookFor(host);
    const request = await booked(typeId, TUE_10AM_NY, 'd1');
    await settle();
    const declined = await t
      .http()
      .post(`/api/bookings/${request.id}/decline`)
      .set(host.auth)
      .send({ reason: 'I am travelling that week' })
      .expect(200);
    expect(declined.body).toMatchObject({ status: 'declined', cancellation_reason: 'I am travelling that week' });
    await t.http().post(`/api/bookings/${request.id}/decline`).set(host.auth).expect(200); // again: unchanged
    const late = await t.http().post(`/api/bookings/${request.id}/confirm`).set(host.auth).expect(409);
    expect(late.body.message).toBe('this booking request was declined and cannot be confirmed');
    const cancel = await t.http().delete(`/api/bookings/${request.id}`).query({ token: request.management_token }).expect(409);
    expect(cancel.body.message).toMatch(/declined/);

    expect(await slotStarts(typeId, { date: '2027-03-02' })).toContain(TUE_10AM_NY);
    expect(await booked(typeId, TUE_10AM_NY, 'd2')).toMatchObject({ status: 'pending' });

    await settle();
    const mails = smtp.to('inviteed1@example.com');
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Request received: /),
      expect.stringMatching(/^Declined: Intro call with .* on Tuesday, 2 March 2027, 15:00 \(Europe\/London\)$/),
    ]);
    expect(mails[1].text).toContain('Reason: I am travelling that week');
    expect(mails.flatMap((m) => m.calendars)).toHaveLength(0);
    // The host declined it themself: only their request mail.
    expect(smtp.to(host.email).filter((m) => m.subject.includes('Invitee d1'))).toHaveLength(1);
    const hook = hookBodies(request.id).find((b) => b.event === 'invitee.declined');
    expect(hook?.payload).toMatchObject({ status: 'declined', decline: { reason: 'I am travelling that week' } });
    expect(await events(request.id)).toEqual(['booking.created', 'booking.declined']);
  });

  it('past its deadline a request is free at once (slots, a new booking) before the job runs; expired once, mails and webhook', async () => {
    const { host, typeId } = await approvalHost();
    await webhookFor(host);
    const request = await booked(typeId, WED_9AM_NY, 'e1');
    expect(await slotStarts(typeId, { date: '2027-03-03' })).not.toContain(WED_9AM_NY);
    await settle();

    t.clock!.set('2027-03-01T14:00:00Z'); // its deadline
    // The engine reads it as free from that instant (a range not cached yet, so computed now).
    expect(await slotStarts(typeId, { date: '2027-03-03', end_date: '2027-03-04' })).toContain(WED_9AM_NY);
    const confirm = await t.http().post(`/api/bookings/${request.id}/confirm`).set(host.auth).expect(409);
    expect(confirm.body.message).toMatch(/^this booking request expired at 2027-03-01T14:00:00.000Z without an answer/);
    // The 409 recorded the expiry; a second answer sees it.
    expect((await t.http().get(`/api/bookings/${request.id}`).set(host.auth).expect(200)).body.status).toBe('expired');

    const next = await booked(typeId, WED_9AM_NY, 'e2');
    expect(next.status).toBe('pending');
    // The job finds it done (it may end other tests' requests due by now): the expiry was recorded once.
    await t.app.get(BookingApprovals).expireDue();
    expect(await events(request.id)).toEqual(['booking.created', 'booking.expired']);

    await settle();
    const mails = smtp.to('inviteee1@example.com');
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Request received: /),
      expect.stringMatching(/^Not confirmed: Intro call with .* on Wednesday, 3 March 2027, 14:00 \(Europe\/London\)$/),
    ]);
    expect(mails.flatMap((m) => m.calendars)).toHaveLength(0);
    expect(smtp.to(host.email).map((m) => m.subject)).toContain(
      'Expired: request from Invitee e1 for Intro call on Wednesday, 3 March 2027, 09:00 (America/New_York)',
    );
    expect(hookBodies(request.id).map((b) => b.event)).toEqual(['invitee.pending', 'invitee.expired']);
  });

  it('the expiry job marks unanswered requests expired, once; a new booker meeting one ends it in its own transaction', async () => {
    const quiet = await approvalHost({ confirmation_expiry_minutes: 30 });
    const busy = await approvalHost({ confirmation_expiry_minutes: 30 });
    const unanswered = await booked(quiet.typeId, TUE_9AM_NY, 'j1');
    const met = await booked(busy.typeId, TUE_10AM_NY, 'j2');
    t.clock!.advance(31 * MIN);
    const taker = await booked(busy.typeId, TUE_10AM_NY, 'j3');
    expect(taker.status).toBe('pending');
    expect((await t.http().get(`/api/bookings/${met.id}`).set(busy.host.auth).expect(200)).body.status).toBe('expired');
    expect((await t.http().get(`/api/bookings/${unanswered.id}`).set(quiet.host.auth).expect(200)).body.status).toBe('pending');

    const jobs = t.app.get(BookingApprovals);
    expect(await jobs.expireDue()).toBeGreaterThanOrEqual(1);
    expect(await jobs.expireDue()).toBe(0);
    expect((await t.http().get(`/api/bookings/${unanswered.id}`).set(quiet.host.auth).expect(200)).body.status).toBe('expired');
    for (const id of [unanswered.id, met.id]) expect(await events(id)).toEqual(['booking.created', 'booking.expired']);
    const live = await t.dataSource.query(`SELECT booking_id FROM booking_hosts WHERE user_id = ANY($1) AND is_live`, [
      [quiet.host.id, busy.host.id],
    ]);
    expect(live).toEqual([{ booking_id: taker.id }]);
    await settle();
  });

  it('a request expires at its start at the latest', async () => {
    const { typeId } = await approvalHost({ confirmation_expiry_minutes: 43_200 });
    const request = await booked(typeId, TUE_9AM_NY, 's1');
    expect(request.confirmation_expires_at).toBe(TUE_9AM_NY);
    await settle();
  });

  it('signed links: GET shows a button and changes nothing; POST confirms; altered, foreign or expired links are refused', async () => {
    const { host, typeId } = await approvalHost();
    const request = await booked(typeId, TUE_9AM_NY, 'l1');
    await settle();
    const ask = smtp.to(host.email).find((m) => m.subject.includes('Invitee l1'))!;
    const confirmUrl = linkIn(ask, 'Confirm');
    const path = `${confirmUrl.pathname}${confirmUrl.search}`;

    // A mail scanner following the link: a page, no answer.
    const page = await t.http().get(path).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Confirm this booking?');
    expect(page.text).toContain('<button type="submit">Confirm booking</button>');
    expect(page.headers['cache-control']).toMatch(/no-store/);
    expect((await t.http().get(`/api/bookings/${request.id}`).set(host.auth)).body.status).toBe('pending');

    const params = Object.fromEntries(confirmUrl.searchParams);
    const tamper = async (changes: Record<string, string>, status: number) => {
      const q = new URLSearchParams({ ...params, ...changes }).toString();
      await t.http().get(`${confirmUrl.pathname}?${q}`).expect(status);
      await t.http().post(confirmUrl.pathname).type('form').send(q).expect(status);
    };
    await tamper({ action: 'decline' }, 403); // signed for confirm only
    await tamper({ sig: `${params.sig.slice(0, -2)}AA` }, 403);
    await tamper({ expires: String(Number(params.expires) + 86_400) }, 403);
    await tamper({ sig: '' }, 403);
    const other = await approvalHost();
    await tamper({ host: other.host.id }, 403);
    // The same signature on another booking.
    const elsewhere = await booked(other.typeId, TUE_9AM_NY, 'l2');
    await t.http().get(`/booking/${elsewhere.id}/approval${confirmUrl.search}`).expect(403);
    expect((await t.http().get(`/api/bookings/${request.id}`).set(host.auth)).body.status).toBe('pending');

    const done = await t.http().post(confirmUrl.pathname).type('form').send(new URLSearchParams(params).toString()).expect(200);
    expect(done.text).toContain('Booking confirmed');
    expect((await t.http().get(`/api/bookings/${request.id}`).set(host.auth)).body.status).toBe('confirmed');
    // A second click: already confirmed, still 200.
    const again = await t.http().post(confirmUrl.pathname).type('form').send(new URLSearchParams(params).toString()).expect(200);
    expect(again.text).toContain('It was already confirmed');

    // The decline link of an answered request shows where it stands; POST is 409.
    const declineUrl = linkIn(ask, 'Decline');
    const stale = await t.http().get(`${declineUrl.pathname}${declineUrl.search}`).expect(200);
    expect(stale.text).toContain('This request is confirmed');
    expect(stale.text).not.toContain('<form');
    const conflict = await t
      .http()
      .post(declineUrl.pathname)
      .type('form')
      .send(new URLSearchParams(Object.fromEntries(declineUrl.searchParams)).toString())
      .expect(409);
    expect(conflict.text).toContain('already confirmed');
    await settle();
  });

  it('signed links: decline with a reason; a link past its expiry is 410', async () => {
    const { host, typeId } = await approvalHost();
    const first = await booked(typeId, TUE_9AM_NY, 'k1');
    const second = await booked(typeId, TUE_10AM_NY, 'k2');
    await settle();
    const mailFor = (n: string) => smtp.to(host.email).find((m) => m.subject.includes(`Invitee ${n}`))!;

    const decline = linkIn(mailFor('k1'), 'Decline');
    const form = await t.http().get(`${decline.pathname}${decline.search}`).expect(200);
    expect(form.text).toContain('Decline this request?');
    expect(form.text).toContain('name="reason"');
    const body = new URLSearchParams({ ...Object.fromEntries(decline.searchParams), reason: 'Fully booked,\nsorry' });
    const declined = await t.http().post(decline.pathname).type('form').send(body.toString()).expect(200);
    expect(declined.text).toContain('Request declined');
    const after = await t.http().get(`/api/bookings/${first.id}`).set(host.auth).expect(200);
    expect(after.body).toMatchObject({ status: 'declined', cancellation_reason: 'Fully booked, sorry' });

    t.clock!.set('2027-03-01T14:00:01Z'); // past the second request's deadline, and its links'
    const confirm = linkIn(mailFor('k2'), 'Confirm');
    const gone = await t.http().get(`${confirm.pathname}${confirm.search}`).expect(410);
    expect(gone.text).toContain('This link has expired');
    await t
      .http()
      .post(confirm.pathname)
      .type('form')
      .send(new URLSearchParams(Object.fromEntries(confirm.searchParams)).toString())
      .expect(410);
    expect((await t.http().get(`/api/bookings/${second.id}`).set(host.auth)).body.status).toBe('pending');
    await settle();
  });

  it('only the hosts answer: another host 404, no credentials 401, an unknown id 404, a bad id 400', async () => {
    const { host, typeId } = await approvalHost();
    const request = await booked(typeId, TUE_9AM_NY, 'z1');
    const stranger = await createHost(t);
    await t.http().post(`/api/bookings/${request.id}/confirm`).set(stranger.auth).expect(404);
    await t.http().post(`/api/bookings/${request.id}/decline`).set(stranger.auth).send({}).expect(404);
    await t.http().post(`/api/bookings/${request.id}/confirm`).expect(401);
    await t.http().post(`/api/bookings/${request.id}/confirm`).query({ token: request.management_token }).expect(401);
    await t.http().post('/api/bookings/00000000-0000-4000-8000-000000000000/confirm').set(host.auth).expect(404);
    await t.http().post('/api/bookings/not-a-uuid/confirm').set(host.auth).expect(400);
    const long = await t
      .http()
      .post(`/api/bookings/${request.id}/decline`)
      .set(host.auth)
      .send({ reason: 'x'.repeat(1001) })
      .expect(400);
    expect(long.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    expect((await t.http().get(`/api/bookings/${request.id}`).set(host.auth)).body.status).toBe('pending');
    await settle();
  });

  it('the invitee may cancel a request (no .ics), and a rescheduled request stays pending and asks the host again', async () => {
    const { host, typeId } = await approvalHost();
    const moved = await booked(typeId, TUE_9AM_NY, 'r1');
    await settle();
    t.clock!.advance(10 * MIN);
    const res = await t
      .http()
      .put(`/api/bookings/${moved.id}/reschedule`)
      .query({ token: moved.management_token })
      .send({ start_time: TUE_10AM_NY })
      .expect(200);
    // A fresh deadline: the host is asked anew.
    expect(res.body).toMatchObject({ status: 'pending', start_time: TUE_10AM_NY, confirmation_expires_at: '2027-03-01T14:10:00Z' });
    expect(await slotStarts(typeId, { date: '2027-03-02' })).toContain(TUE_9AM_NY);
    await settle();
    const asks = smtp.to(host.email).filter((m) => m.subject.startsWith('Please confirm: Intro call with Invitee r1'));
    expect(asks).toHaveLength(2);
    expect(linkIn(asks[1], 'Confirm').pathname).toBe(`/booking/${res.body.id}/approval`);
    const moveMail = smtp.to('inviteer1@example.com').at(-1)!;
    expect(moveMail.subject).toMatch(/^Rescheduled: /);
    expect(moveMail.text).toContain('It still waits for the host to confirm it');
    expect(moveMail.calendars).toHaveLength(0);
    // The old id is no longer the one to answer.
    const old = await t.http().post(`/api/bookings/${moved.id}/confirm`).set(host.auth).expect(409);
    expect(old.body.message).toMatch(/rescheduled/);

    const cancelled = await t.http().delete(`/api/bookings/${res.body.id}`).query({ token: moved.management_token }).expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await slotStarts(typeId, { date: '2027-03-02' })).toContain(TUE_10AM_NY);
    await settle();
    const last = smtp.to('inviteer1@example.com').at(-1)!;
    expect(last.subject).toMatch(/^Cancelled: /);
    expect(last.calendars).toHaveLength(0);
    await t.http().post(`/api/bookings/${res.body.id}/confirm`).set(host.auth).expect(409);
  });

  it("the host's calendar gets the event once the request is confirmed, never for a declined one", async () => {
    const { host, typeId } = await approvalHost();
    // Connect Google through the fake's OAuth dance: our 302, its consent page, its 302 back to our callback.
    google.account = `${host.username}@gmail.test`;
    const start = await t.http().get('/api/integrations/google/oauth').set(host.auth).expect(302);
    const back = await fetch(new URL(start.headers.location), { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    await t.http().get(`${callback.pathname}${callback.search}`).set('Accept', 'application/json').expect(200);

    const kept = await booked(typeId, TUE_9AM_NY, 'c1');
    const refused = await booked(typeId, TUE_10AM_NY, 'c2');
    await settle();
    expect(google.event('primary-cal', googleEventIdFor(kept.id))).toBeUndefined();
    expect(google.event('primary-cal', googleEventIdFor(refused.id))).toBeUndefined();

    await t.http().post(`/api/bookings/${kept.id}/confirm`).set(host.auth).expect(200);
    await t.http().post(`/api/bookings/${refused.id}/decline`).set(host.auth).send({}).expect(200);
    await settle();
    expect(google.event('primary-cal', googleEventIdFor(kept.id))).toMatchObject({
      status: 'confirmed',
      start: { dateTime: '2027-03-02T14:00:00.000Z' },
    });
    expect(google.event('primary-cal', googleEventIdFor(refused.id))).toBeUndefined();
  });

  it('racing answers (confirms and declines at once): one outcome, one event', async () => {
    const { host, typeId } = await approvalHost();
    const request = await booked(typeId, TUE_9AM_NY, 'q1');
    const kinds = Array.from({ length: 12 }, (_, i) => (i % 2 ? 'confirm' : 'decline'));
    const answers = await Promise.all(
      kinds.map((kind, i) =>
        t
          .http()
          .post(`/api/bookings/${request.id}/${kind}`)
          .set(host.auth)
          .send(kind === 'decline' ? { reason: `r${i}` } : {}),
      ),
    );
    const outcome = (await t.http().get(`/api/bookings/${request.id}`).set(host.auth).expect(200)).body.status as string;
    expect(['confirmed', 'declined']).toContain(outcome);
    // Every answer of the winning kind is 200 (the first changed it, the others found it so); every other one is 409.
    expect(answers.map((res, i) => `${kinds[i]} ${res.status}`).sort()).toEqual(
      kinds.map((kind) => `${kind} ${outcome.startsWith(kind) ? 200 : 409}`).sort(),
    );
    expect(await events(request.id)).toEqual(['booking.created', `booking.${outcome}`]);
    await settle();
  });

  it('admin: requests awaiting an answer are listed with Confirm and Decline (session and CSRF, no browser)', async () => {
    const { host, typeId } = await approvalHost();
    const first = await booked(typeId, TUE_9AM_NY, 'a1');
    const second = await booked(typeId, TUE_10AM_NY, 'a2');
    const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const admin = request.agent(t.app.getHttpServer());
    const login = await admin.get('/admin/login').expect(200);
    await admin
      .post('/admin/login')
      .type('form')
      .send({ email: host.email, password: HOST_PASSWORD, _csrf: csrfOf(login.text) })
      .expect(303);

    const page = await admin.get('/admin').expect(200);
    expect(page.text).toContain('Requests awaiting your answer');
    expect(page.text).toContain(`action="/admin/bookings/${first.id}/confirm"`);
    expect(page.text).toContain(`action="/admin/bookings/${second.id}/decline"`);
    expect(page.text).toMatch(/Answer by 1 Mar 2027, 09:00, or the request expires/); // 14:00Z in New York
    const csrf = csrfOf(page.text);

    // Without the form token: refused, nothing answered.
    await admin.post(`/admin/bookings/${first.id}/confirm`).type('form').send({}).expect(403);
    const confirmed = await admin.post(`/admin/bookings/${first.id}/confirm`).type('form').send({ _csrf: csrf }).expect(303);
    expect(confirmed.headers.location).toBe('/admin?confirmed=1');
    const declined = await admin
      .post(`/admin/bookings/${second.id}/decline`)
      .type('form')
      .send({ _csrf: csrf, reason: 'Not this week' })
      .expect(303);
    expect(declined.headers.location).toBe('/admin?declined=1');
    expect((await t.http().get(`/api/bookings/${first.id}`).set(host.auth)).body.status).toBe('confirmed');
    expect((await t.http().get(`/api/bookings/${second.id}`).set(host.auth)).body).toMatchObject({
      status: 'declined',
      cancellation_reason: 'Not this week',
    });
    const after = await admin.get('/admin?confirmed=1').expect(200);
    expect(after.text).toContain('The booking was confirmed; the invitee gets the invitation.');
    expect(after.text).not.toContain('Requests awaiting your answer');
    expect(after.text).toMatch(new RegExp(`id="booking-${second.id}"[^]*?<span class="badge">declined</span>`));
    // Answering again from a stale page: the reason, as a page.
    const stale = await admin.post(`/admin/bookings/${second.id}/confirm`).type('form').send({ _csrf: csrf }).expect(409);
    expect(stale.text).toContain('this booking request was declined and cannot be confirmed');
    // Another host's request: 404.
    const other = await approvalHost();
    const foreign = await booked(other.typeId, TUE_9AM_NY, 'a3');
    await admin.post(`/admin/bookings/${foreign.id}/confirm`).type('form').send({ _csrf: csrf }).expect(404);
    await settle();
  });

  it('20 concurrent bookers on a requires_confirmation slot: exactly one pending request, 19 answered 409', async () => {
    const { host, typeId } = await approvalHost();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => book(typeId, WED_9AM_NY, `race${i}`)));
    expect(results.filter((r) => r.status === 201).map((r) => r.body.status)).toEqual(['pending']);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    const live = await t.dataSource.query(`SELECT booking_id FROM booking_hosts WHERE user_id = $1 AND is_live`, [host.id]);
    expect(live).toHaveLength(1);
    await settle();
  });
});
