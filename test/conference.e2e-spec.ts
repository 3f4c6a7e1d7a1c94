import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { CalendarEventWriter } from '../src/modules/calendar/application/calendar-event-writer.service.js';
import { ZoomAdapter } from '../src/modules/conferencing/infrastructure/zoom.adapter.js';
import { OutboxRelay } from '../src/shared/outbox/outbox-relay.js';
import { settleDeliveries } from './support/deliveries.js';
import { createHost, type TestHost } from './support/factories.js';
import { FakeGoogleCalendar } from './support/fake-google-calendar.js';
import { FakeMicrosoftGraph } from './support/fake-microsoft-graph.js';
import { FakeZoom } from './support/fake-zoom.js';
import { PARSERS } from './support/ical-parsers.js';
import { type ReceivedMail, TestSmtpServer, TestWebhookReceiver } from './support/mail.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC; hosts work 09:00-17:00 in London (GMT = UTC until 28 March).
const NOW = '2027-03-01T12:00:00Z';
const JITSI = 'https://jitsi.example.org';

/** LOCATION and the conference properties of the first VEVENT, as two third-party parsers read them (they must agree). */
function conferenceProps(ics: string) {
  const vevent = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!;
  const fromIcalJs = {
    location: vevent.getFirstPropertyValue('location') as string | null,
    google: (vevent.getFirstPropertyValue('x-google-conference') as string | null) ?? null,
    teams: (vevent.getFirstPropertyValue('x-microsoft-skypeteamsmeetingurl') as string | null) ?? null,
    description: String(vevent.getFirstPropertyValue('description') ?? ''),
  };
  const event = Object.values(nodeIcal.sync.parseICS(ics)).find((c) => c?.type === 'VEVENT') as unknown as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : v && typeof v === 'object' && 'val' in v ? String(v.val) : null);
  expect(text(event.location)).toBe(fromIcalJs.location);
  return fromIcalJs;
}

describe('a video link per booking (e2e: Jitsi, Google Meet, Teams, Zoom against local fakes)', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let receiver: TestWebhookReceiver;
  let google: FakeGoogleCalendar;
  let graph: FakeMicrosoftGraph;
  let zoom: FakeZoom;
  let relay: OutboxRelay;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    receiver = await new TestWebhookReceiver().start();
    google = await new FakeGoogleCalendar().start();
    graph = await new FakeMicrosoftGraph().start();
    zoom = await new FakeZoom().start();
    t = await startTestApp({
      now: NOW,
      env: {
        ...google.env,
        ...graph.env,
        ...zoom.env,
        SMTP_URL: smtp.url,
        JITSI_BASE_URL: `${JITSI}/`,
        OUTBOX_POLL_INTERVAL_MS: '0',
        NOTIFY_SWEEP_INTERVAL_MS: '0',
        CALENDAR_POLL_INTERVAL_SECONDS: '0',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        ENCRYPTION_KEY: `k1:${'cd'.repeat(32)}`,
      },
    });
    google.now = () => t.clock!.now().getTime();
    relay = t.app.get(OutboxRelay);
    // Rate limits: wait out short Retry-Afters inline without slowing the suite.
    Object.assign(t.app.get(ZoomAdapter).transportOptions, { sleep: () => Promise.resolve() });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([smtp.close(), receiver.close(), google.stop(), graph.stop(), zoom.stop()]);
  });

  /** Every consumer until nothing is left (a link made after COMMIT writes its own event), then every delivery sent. */
  async function settle() {
    for (let round = 0; round < 4 && (await relay.drain()) > 0; round++);
    await settleDeliveries(t);
  }

  async function hostWithWebhook(): Promise<TestHost> {
    const host = await createHost(t, { time_zone: 'Europe/London' });
    await setWeeklyHours(t, host, 'Europe/London');
    await t
      .http()
      .post('/api/webhooks')
      .set(host.auth)
      .send({ url: receiver.url, events: ['invitee.created', 'invitee.rescheduled', 'invitee.conference_ready'] })
      .expect(201);
    return host;
  }

  async function book(typeId: string, start: string, n: string) {
    const res = await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: start, ...invitee(n) });
    if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; management_token: string; conference: unknown };
  }

  const getBooking = async (id: string, token: string) =>
    (await t.http().get(`/api/bookings/${id}`).query({ token }).expect(200)).body as {
      id: string;
      conference: { provider: string; join_url: string; meeting_id: string } | null;
    };
  const reschedule = async (host: TestHost, id: string, start: string) =>
    (await t.http().put(`/api/bookings/${id}/reschedule`).set(host.auth).send({ start_time: start }).expect(200)).body as {
      id: string;
      conference: { join_url: string } | null;
    };
  const hooksFor = (bookingId: string) =>
    receiver.requests
      .map((r) => JSON.parse(r.body) as { event: string; payload: { booking_id: string; conference: unknown } })
      .filter((b) => b.payload.booking_id === bookingId);
  const ics = (mail: ReceivedMail) => mail.calendars.find((c) => c.contentType.startsWith('text/calendar'))!.content;

  async function connectGoogle(host: TestHost) {
    google.account = `${host.username}@gmail.test`;
    const start = await t.http().get('/api/integrations/google/oauth').set(host.auth).expect(302);
    const back = await fetch(new URL(start.headers.location), { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    await t.http().get(`${callback.pathname}${callback.search}`).set('Accept', 'application/json').expect(200);
  }

  async function connectMicrosoft(host: TestHost) {
    const start = await t.http().get('/api/integrations/microsoft/oauth').set(host.auth).set('Accept', 'application/json').expect(200);
    const back = await fetch(new URL(start.body.authorization_url), { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    await t.http().get(`${callback.pathname}${callback.search}`).set('Accept', 'application/json').expect(200);
  }

  async function connectZoom(host: TestHost) {
    const start = await t.http().get('/api/conferencing/zoom/connect').set(host.auth).set('Accept', 'application/json').expect(200);
    const consent = new URL(start.body.authorization_url);
    expect(consent.origin + consent.pathname).toBe(`${zoom.url}/oauth/authorize`);
    expect(consent.searchParams.get('redirect_uri')).toBe('http://kairos.test/api/conferencing/zoom/callback');
    const back = await fetch(consent, { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    const res = await t.http().get(`${callback.pathname}${callback.search}`).set('Accept', 'application/json').expect(200);
    return res.body as { id: string; status: string; account_email: string };
  }

  it('meeting types: per-booking kinds take no value, and need the account that makes the link (400 naming the field)', async () => {
    const host = await createHost(t);
    const save = (location: Record<string, unknown>) =>
      t.http().post('/api/meeting-types').set(host.auth).send({ name: 'Call', duration_minutes: 30, location });
    const withValue = await save({ type: 'jitsi', value: 'https://meet.jit.si/fixed' }).expect(400);
    expect(withValue.body.errors).toEqual([expect.objectContaining({ field: 'location.value', codes: ['not_allowed'] })]);
    for (const [type, needs] of [
      ['google_meet', /Google calendar/],
      ['microsoft_teams', /Microsoft 365 calendar/],
      ['zoom', /Zoom account/],
    ] as const) {
      const res = await save({ type }).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'location.type', codes: ['not_connected'] })]);
      expect(res.body.message).toMatch(needs);
    }
    await save({ type: 'unknown_kind' }).expect(400);
    await save({ type: 'jitsi' }).expect(201);
  });

  it('Jitsi: an unguessable room made with the booking (no API call), in its first mails, invitation and webhook; reschedule keeps it', async () => {
    const host = await hostWithWebhook();
    const type = await createMeetingType(t, host, { location: { type: 'jitsi' } });
    // Tuesday 2 March 2027, 10:00 London.
    const created = await book(type.id, '2027-03-02T10:00:00Z', 'j1');
    const room = {
      provider: 'jitsi',
      join_url: expect.stringMatching(/^https:\/\/jitsi\.example\.org\/Kairos-[0-9a-f]{32}$/),
      meeting_id: expect.stringMatching(/^Kairos-[0-9a-f]{32}$/),
    };
    expect(created.conference).toEqual(room);
    await settle();

    const booking = await getBooking(created.id, created.management_token);
    expect(booking.conference).toEqual(created.conference);
    const joinUrl = booking.conference!.join_url;
    const other = await book(type.id, '2027-03-02T11:00:00Z', 'j2');
    expect((other.conference as { join_url: string }).join_url).not.toBe(joinUrl);

    // Exactly one mail each, with the link; a replay of every event sends nothing more.
    for (const to of ['inviteej1@example.com', host.email]) {
      const mails = smtp.to(to).filter((m) => m.subject.includes('Invitee j1') || to !== host.email);
      expect(mails.map((m) => m.subject)).toEqual([expect.stringMatching(/^(Confirmed|New booking):/)]);
      expect(mails[0].text).toContain(`Join with Jitsi Meet: ${joinUrl}`);
      expect(mails[0].text).not.toContain('will be sent');
      expect(conferenceProps(ics(mails[0]))).toMatchObject({ location: joinUrl, google: null });
      expect(conferenceProps(ics(mails[0])).description).toContain(joinUrl);
      for (const parse of Object.values(PARSERS)) expect(parse(ics(mails[0]))[0].status).toBe('CONFIRMED');
    }
    await t.dataSource.query(
      `UPDATE outbox_consumer_offsets SET last_txid = '0', last_event_id = 0 WHERE consumer IN ('notify', 'conferencing')`,
    );
    await settle();
    expect(smtp.to('inviteej1@example.com')).toHaveLength(1);
    expect((await getBooking(created.id, created.management_token)).conference!.join_url).toBe(joinUrl);

    expect(hooksFor(created.id).map((h) => [h.event, h.payload.conference])).toEqual([
      ['invitee.created', { provider: 'jitsi', join_url: joinUrl, meeting_id: booking.conference!.meeting_id }],
    ]);

    // The confirmation page shows the link.
    const page = await t.http().get(`/booking/${created.id}`).query({ token: created.management_token, booked: '1' }).expect(200);
    expect(page.text).toContain(`href="${joinUrl}"`);

    // Moved: the same room, shown in the update itself (no second link mail).
    const moved = await reschedule(host, created.id, '2027-03-03T11:00:00Z');
    expect(moved.conference!.join_url).toBe(joinUrl);
    expect((await getBooking(moved.id, created.management_token)).conference!.join_url).toBe(joinUrl);
    await settle();
    const update = smtp.to('inviteej1@example.com').slice(1);
    expect(update.map((m) => m.subject)).toEqual([expect.stringMatching(/^Rescheduled:/)]);
    expect(update[0].text).toContain(joinUrl);
    expect(conferenceProps(ics(update[0])).location).toBe(joinUrl);
    expect(hooksFor(moved.id).map((h) => [h.event, (h.payload.conference as { join_url: string } | null)?.join_url])).toEqual([
      ['invitee.rescheduled', joinUrl],
    ]);

    // Cancelled: no link any more.
    await t.http().delete(`/api/bookings/${moved.id}`).set(host.auth).expect(200);
    await settle();
    expect((await getBooking(moved.id, created.management_token)).conference).toBeNull();
  });

  it('Google Meet: made on the host’s event (conferenceDataVersion=1), read back, kept when moved; retried after 500 and 401', async () => {
    const host = await hostWithWebhook();
    await connectGoogle(host);
    const type = await createMeetingType(t, host, { location: { type: 'google_meet' } });

    // A 500 first: the write is recorded as failed and retried later with the same requestId.
    google.failNext(/\/calendars\/primary-cal\/events$/, 1);
    const created = await book(type.id, '2027-03-02T13:00:00Z', 'g1');
    await settle();
    expect((await getBooking(created.id, created.management_token)).conference).toBeNull();
    expect(smtp.to('inviteeg1@example.com').map((m) => m.text)).toEqual([expect.stringContaining('The video link will be sent by email.')]);
    const pending = await t.http().get(`/booking/${created.id}`).query({ token: created.management_token, booked: '1' }).expect(200);
    expect(pending.text).toContain('The link will be sent by email.');

    // Meanwhile the token was revoked early: the retry is answered 401, refreshes once and tries again.
    google.oauth.expireAccessTokens();
    const refreshes = google.oauth.refreshCount;
    t.clock!.advance(5 * 60_000);
    await t.app.get(CalendarEventWriter).retryDue();
    expect(google.oauth.refreshCount).toBe(refreshes + 1);
    await settle();

    const inserts = google.requestsTo('POST', /\/calendars\/primary-cal\/events$/);
    expect(inserts.length).toBeGreaterThanOrEqual(2);
    const last = inserts.at(-1)!;
    expect(last.query.get('conferenceDataVersion')).toBe('1');
    const requestId = last.body.conferenceData.createRequest.requestId as string;
    expect(last.body.conferenceData.createRequest.conferenceSolutionKey).toEqual({ type: 'hangoutsMeet' });
    expect(inserts.every((r) => r.body.conferenceData.createRequest.requestId === requestId)).toBe(true);

    const booking = await getBooking(created.id, created.management_token);
    const event = google.liveEvents('primary-cal').find((e) => e.extendedProperties?.private?.kairosBookingId === created.id)!;
    expect(booking.conference).toEqual({
      provider: 'google_meet',
      join_url: event.hangoutLink,
      meeting_id: (event.conferenceData as { conferenceId: string }).conferenceId,
    });
    const joinUrl = booking.conference!.join_url;
    expect(joinUrl).toMatch(/^https:\/\/meet\.google\.com\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);

    const [, linkMail] = smtp.to('inviteeg1@example.com');
    expect(linkMail.subject).toMatch(/^Your meeting link:/);
    expect(linkMail.text).toContain(`Join with Google Meet: ${joinUrl}`);
    expect(conferenceProps(ics(linkMail))).toMatchObject({ location: joinUrl, google: joinUrl });
    expect(smtp.to(host.email).map((m) => m.subject)).toEqual([
      expect.stringMatching(/^New booking:/),
      expect.stringMatching(/^Your meeting link:/),
    ]);
    expect(hooksFor(created.id).map((h) => h.event)).toEqual(['invitee.created', 'invitee.conference_ready']);

    // Moved: the same event is patched with the same requestId, so Google keeps the Meet.
    const moved = await reschedule(host, created.id, '2027-03-04T14:00:00Z');
    await settle();
    expect((await getBooking(moved.id, created.management_token)).conference!.join_url).toBe(joinUrl);
    expect(google.meets.size).toBe(1);
    expect(google.event('primary-cal', event.id)!.location).toBe(joinUrl); // the moved event names its Meet as its place
    const patch = google.requestsTo('PATCH', /\/calendars\/primary-cal\/events\//).at(-1)!;
    expect(patch.body.conferenceData.createRequest.requestId).toBe(requestId);
    expect(
      smtp
        .to('inviteeg1@example.com')
        .slice(2)
        .map((m) => m.subject),
    ).toEqual([expect.stringMatching(/^Rescheduled:/)]);

    // Cancelled: the calendar context deletes the event (and the Meet with it); the booking shows no link.
    await t.http().delete(`/api/bookings/${moved.id}`).set(host.auth).expect(200);
    await settle();
    expect(google.event('primary-cal', event.id)!.status).toBe('cancelled');
    expect((await getBooking(moved.id, created.management_token)).conference).toBeNull();
  });

  it('Google Meet still being made ("pending"): the write is retried until the link is there', async () => {
    const host = await hostWithWebhook();
    await connectGoogle(host);
    const type = await createMeetingType(t, host, { location: { type: 'google_meet' } });
    google.meetPendingFor = 1;
    const created = await book(type.id, '2027-03-05T10:00:00Z', 'g2');
    await settle();
    expect((await getBooking(created.id, created.management_token)).conference).toBeNull();
    t.clock!.advance(5 * 60_000);
    await t.app.get(CalendarEventWriter).retryDue();
    await settle();
    expect((await getBooking(created.id, created.management_token)).conference).toMatchObject({ provider: 'google_meet' });
  });

  it('Microsoft Teams: isOnlineMeeting on the Graph event, onlineMeeting.joinUrl read back and kept when moved', async () => {
    const host = await hostWithWebhook();
    await connectMicrosoft(host);
    const type = await createMeetingType(t, host, { location: { type: 'microsoft_teams' } });
    graph.rateLimit(/\/me\/calendars\/[^/]+\/events$/, 1, 1);
    const created = await book(type.id, '2027-03-02T15:00:00Z', 't1');
    await settle();

    // Graph throttled the first create (429, Retry-After: 1): waited out, then made once.
    expect(graph.requestsTo('POST', /\/me\/calendars\/[^/]+\/events$/)).toHaveLength(2);
    const create = graph.requestsTo('POST', /\/me\/calendars\/[^/]+\/events$/).at(-1)!;
    expect(create.body).toMatchObject({ isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness', transactionId: created.id });
    const booking = await getBooking(created.id, created.management_token);
    expect(booking.conference).toEqual({
      provider: 'microsoft_teams',
      join_url: expect.stringMatching(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//),
      meeting_id: expect.stringMatching(/^AAMkEv-/),
    });
    const joinUrl = booking.conference!.join_url;
    const [, linkMail] = smtp.to('inviteet1@example.com');
    expect(linkMail.text).toContain(`Join with Microsoft Teams: ${joinUrl}`);
    expect(conferenceProps(ics(linkMail))).toMatchObject({ location: joinUrl, teams: joinUrl, google: null });
    expect(hooksFor(created.id).at(-1)).toMatchObject({
      event: 'invitee.conference_ready',
      payload: { conference: { join_url: joinUrl } },
    });

    const moved = await reschedule(host, created.id, '2027-03-03T15:00:00Z');
    await settle();
    expect((await getBooking(moved.id, created.management_token)).conference!.join_url).toBe(joinUrl);
    expect(graph.teamsMeetings.size).toBe(1);
  });

  it('Zoom: OAuth connection (tokens encrypted), a meeting per booking, moved by PATCH, deleted on cancel; 429/500/401 handled', async () => {
    const host = await hostWithWebhook();
    const connection = await connectZoom(host);
    expect(connection).toMatchObject({ status: 'active', account_email: 'ada@zoom.test' });
    const [row] = await t.dataSource.query(`SELECT * FROM conferencing_connections WHERE id = $1`, [connection.id]);
    for (const raw of [...zoom.accessTokens.keys(), ...zoom.refreshTokens.keys()]) expect(JSON.stringify(row)).not.toContain(raw);
    expect(row.access_token_enc).toMatch(/^v1\.k1\./);
    await t.http().get('/api/conferencing/zoom').set(host.auth).expect(200);
    const type = await createMeetingType(t, host, { location: { type: 'zoom' } });

    // A rate limit (Retry-After) is waited out; a 500 stops this consumer until the next poll, then it goes on.
    zoom.rateLimitZoom(/\/users\/me\/meetings$/, 1, 1);
    zoom.failZoom(/\/users\/me\/meetings$/, 1, 'POST');
    const created = await book(type.id, '2027-03-02T11:00:00Z', 'z1');
    await expect(relay.drain()).rejects.toThrow(/conferencing|answered 500/);
    expect(zoom.liveMeetings()).toHaveLength(0);
    await settle();
    expect(zoom.liveMeetings()).toHaveLength(1);
    const [meeting] = zoom.liveMeetings();
    expect(meeting).toMatchObject({ type: 2, start_time: '2027-03-02T11:00:00Z', duration: 30, timezone: 'UTC' });
    const booking = await getBooking(created.id, created.management_token);
    expect(booking.conference).toEqual({ provider: 'zoom', join_url: meeting.join_url, meeting_id: String(meeting.id) });
    const [confirmation, linkMail] = smtp.to('inviteez1@example.com');
    expect(confirmation.text).toContain('The video link will be sent by email.');
    expect(linkMail.text).toContain(`Join with Zoom: ${meeting.join_url}`);
    expect(conferenceProps(ics(linkMail)).location).toBe(meeting.join_url);
    expect(hooksFor(created.id).map((h) => h.event)).toEqual(['invitee.created', 'invitee.conference_ready']);

    // Moved with an access token Zoom no longer accepts: 401, one refresh (the refresh token rotates), PATCH again.
    zoom.expireAccessTokens();
    const moved = await reschedule(host, created.id, '2027-03-05T12:00:00Z');
    await settle();
    expect(zoom.refreshCount).toBe(1);
    expect(zoom.liveMeetings()).toEqual([expect.objectContaining({ id: meeting.id, start_time: '2027-03-05T12:00:00Z' })]);
    expect((await getBooking(moved.id, created.management_token)).conference!.join_url).toBe(meeting.join_url);
    const [rotated] = await t.dataSource.query(`SELECT refresh_token_enc FROM conferencing_connections WHERE id = $1`, [connection.id]);
    expect(rotated.refresh_token_enc).not.toBe(row.refresh_token_enc);

    // Cancelled: the Zoom meeting is deleted.
    await t.http().delete(`/api/bookings/${moved.id}`).set(host.auth).expect(200);
    await settle();
    expect(zoom.deleted).toEqual([meeting.id]);
    expect((await getBooking(moved.id, created.management_token)).conference).toBeNull();

    // The host's data export lists the connection (never its tokens) and each booking's meeting.
    const exported = await t.http().get('/api/users/me/export').set(host.auth).expect(200);
    expect(exported.body.conferencing_connections).toEqual([expect.objectContaining({ id: connection.id, provider: 'zoom' })]);
    expect(JSON.stringify(exported.body)).not.toMatch(/eyJz[mr]\./);
    expect(exported.body.bookings.find((b: { id: string }) => b.id === created.id).conference).toMatchObject({ provider: 'zoom' });

    // Disconnected: zoom types can no longer be saved.
    await t.http().delete('/api/conferencing/zoom').set(host.auth).expect(204);
    await t
      .http()
      .put(`/api/meeting-types/${type.id}`)
      .set(host.auth)
      .send({ name: 'Call', duration_minutes: 30, location: { type: 'zoom' } })
      .expect(400);
  });

  it('Zoom: a token past its expiry is refreshed first; a create whose answer was lost is found again, not made twice', async () => {
    const host = await hostWithWebhook();
    await connectZoom(host);
    const type = await createMeetingType(t, host, { location: { type: 'zoom' } });
    const before = zoom.liveMeetings().length;
    zoom.loseCreateAnswers = 1;
    // Past the access token's announced expiry: refreshed before the first call, not after a 401.
    const refreshes = zoom.refreshCount;
    t.clock!.advance(2 * 3600_000);
    const created = await book(type.id, '2027-03-08T10:00:00Z', 'z2');
    await expect(relay.drain()).rejects.toThrow(/502/);
    await settle();
    const made = zoom.liveMeetings().slice(before);
    expect(made).toHaveLength(1);
    expect(zoom.refreshCount).toBe(refreshes + 1);
    expect((await getBooking(created.id, created.management_token)).conference).toMatchObject({
      provider: 'zoom',
      meeting_id: String(made[0].id),
    });
  });

  it('Zoom callback: a forged state is refused (400) and counts as a failed credential check', async () => {
    const res = await t
      .http()
      .get('/api/conferencing/zoom/callback')
      .query({ code: 'x', state: 'forged.state' })
      .set('Accept', 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/state/);
  });
});
