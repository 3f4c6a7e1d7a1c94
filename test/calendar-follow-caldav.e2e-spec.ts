import { parseVEvents } from '../src/modules/calendar/domain/ical.js';
import { settleDeliveries } from './support/deliveries.js';
import { createHost, type TestHost } from './support/factories.js';
import { icsProps, TestSmtpServer, TestWebhookReceiver } from './support/mail.js';
import { RadicaleServer } from './support/radicale.js';
import { createMeetingType, invitee, setWeeklyHours, rescheduleChain } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC; the host works 09:00-17:00 in London (GMT = UTC). The sync window ends 90 days on.
const NOW = '2027-03-01T12:00:00Z';
const PASSWORD = 'fay-app-password';

describe('two-way sync follows the host in a CalDAV calendar (e2e against a real Radicale)', () => {
  let t: TestApp;
  let radicale: RadicaleServer;
  let smtp: TestSmtpServer;
  let receiver: TestWebhookReceiver;
  let host: TestHost;
  let typeId: string;
  let integrationId: string;

  beforeAll(async () => {
    radicale = await new RadicaleServer({ fay: PASSWORD }).start();
    smtp = await new TestSmtpServer().start();
    receiver = await new TestWebhookReceiver().start();
    t = await startTestApp({
      now: NOW,
      env: {
        SMTP_URL: smtp.url,
        OUTBOX_POLL_INTERVAL_MS: '0',
        NOTIFY_SWEEP_INTERVAL_MS: '0',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        ENCRYPTION_KEY: `k1:${'cd'.repeat(32)}`,
        CALENDAR_PRIVATE_URL_ALLOWLIST: radicale.allowlistEntry,
        NOTIFY_HOST_MOVE_DELAY_SECONDS: '0', // the mails about a host's move go at once (their wait: calendar-follow)
      },
    });
    host = await createHost(t, { time_zone: 'Europe/London' });
    await setWeeklyHours(t, host, 'Europe/London');
    typeId = (await createMeetingType(t, host, { name: 'Demo', duration_minutes: 30 })).id;
    await radicale.makeCalendar('fay', 'work', 'Work');
    integrationId = (
      await t
        .http()
        .post('/api/integrations/caldav')
        .set(host.auth)
        .send({ server_url: radicale.url, username: 'fay', password: PASSWORD })
        .expect(201)
    ).body.id;
    await t
      .http()
      .post('/api/webhooks')
      .set(host.auth)
      .send({ url: receiver.url, events: ['invitee.rescheduled', 'invitee.canceled'] })
      .expect(201);
  });
  afterAll(async () => {
    await t?.close();
    await radicale?.stop();
    await smtp?.close();
    await receiver?.close();
  });

  const settle = () => settleDeliveries(t);
  const sync = async () => {
    const res = await t.http().post(`/api/integrations/${integrationId}/sync`).set(host.auth).expect(200);
    expect(res.body).toMatchObject({ sync_status: 'synced', sync_error: null });
  };
  const book = async (start: string, n: string) =>
    (
      await t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: typeId, start_time: start, ...invitee(n) })
        .expect(201)
    ).body as { id: string };
  const chain = (bookingId: string) => rescheduleChain(t, bookingId);
  const live = async (bookingId: string) => (await chain(bookingId)).filter((b) => b.status === 'confirmed' || b.status === 'cancelled');
  const objectName = (bookingId: string) => `kairos-${bookingId}`;
  /** Our object as the server holds it now. */
  const stored = async (bookingId: string) => (await radicale.objects('fay', 'work')).get(objectName(bookingId));
  /**
   * The host drags the event in their CalDAV client: the client rewrites the object with the new times, keeps the UID
   * and everything else, and raises SEQUENCE as calendar clients do.
   */
  const hostMoves = async (bookingId: string, start: string, end: string) => {
    const data = (await stored(bookingId))!;
    const stamp = (iso: string) => `${iso.replace(/[-:]/g, '').slice(0, 15)}Z`;
    const sequence = Number(/^SEQUENCE:(\d+)\r?$/m.exec(data)?.[1] ?? 0);
    const moved = data
      .replace(/^DTSTART[^\r\n]*$/m, `DTSTART:${stamp(start)}`)
      .replace(/^DTEND[^\r\n]*$/m, `DTEND:${stamp(end)}`)
      .replace(/^SEQUENCE:\d+$/m, `SEQUENCE:${sequence + 1}`);
    const res = await radicale.request('fay', 'PUT', `/fay/work/${objectName(bookingId)}.ics`, moved, {
      'Content-Type': 'text/calendar; charset=utf-8',
    });
    expect([201, 204]).toContain(res.status);
  };
  const ourPuts = (bookingId: string) =>
    radicale.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`${objectName(bookingId)}.ics`));
  const links = async (bookingId: string) =>
    (await t.http().get(`/api/integrations/bookings/${bookingId}/events`).set(host.auth).expect(200)).body;
  const hooksFor = (bookingIds: string[]) =>
    receiver.requests
      .map((r) => JSON.parse(r.body) as { event: string; payload: Record<string, unknown> })
      .filter((b) => bookingIds.includes((b.payload.old_booking_id ?? b.payload.booking_id) as string));
  const rescheduleMails = (n: string) => smtp.to(`invitee${n}@example.com`).filter((m) => m.subject.startsWith('Rescheduled:'));

  it('follows a move of the VEVENT: booking moved (outside hours too), invitee updated with the same UID, webhook says host_calendar; not written back', async () => {
    const booking = await book('2027-03-02T10:00:00Z', 'cf1');
    await settle();
    const uid = icsProps(smtp.to('inviteecf1@example.com')[0].calendars[0].content).get('UID')![0];
    expect(parseVEvents((await stored(booking.id))!)[0].uid).toBe(uid);

    await hostMoves(booking.id, '2027-03-02T18:00:00Z', '2027-03-02T18:45:00Z');
    const putsBefore = ourPuts(booking.id).length;
    await sync();
    await settle();

    const rows = await chain(booking.id);
    expect(rows.map((b) => b.status)).toEqual(['rescheduled', 'confirmed']);
    expect(rows[1]).toMatchObject({
      start_time: new Date('2027-03-02T18:00:00Z'),
      end_time: new Date('2027-03-02T18:45:00Z'),
      ical_sequence: 1,
    });
    const updates = rescheduleMails('cf1');
    expect(updates).toHaveLength(1);
    const ics = icsProps(updates[0].calendars[0].content);
    expect(ics.get('UID')).toEqual([uid]);
    expect(ics.get('SEQUENCE')).toEqual(['1']);
    const hooks = hooksFor([booking.id]);
    expect(hooks).toEqual([
      expect.objectContaining({
        event: 'invitee.rescheduled',
        payload: expect.objectContaining({
          booking_id: rows[1].id,
          rescheduled_by: 'host_calendar',
          start_time: '2027-03-02T18:00:00.000Z',
        }),
      }),
    ]);
    // The host's object is left as they wrote it (not rewritten by us); our link records it at the new time.
    expect(ourPuts(booking.id)).toHaveLength(putsBefore);
    expect(parseVEvents((await stored(booking.id))!)[0]).toMatchObject({ uid, start: { date: '2027-03-02', time: '18:00:00' } });
    expect(await links(rows[1].id)).toEqual([expect.objectContaining({ status: 'synced', host_action: null })]);

    // Syncing again (the ctag moved since: our own link update does not count, the object is unchanged) changes nothing.
    await sync();
    await settle();
    expect(await chain(booking.id)).toHaveLength(2);
    expect(rescheduleMails('cf1')).toHaveLength(1);
  });

  it('our own writes are not taken for host moves: a reschedule through the API is written, read back, and not followed again', async () => {
    const booking = await book('2027-03-03T10:00:00Z', 'cf2');
    await settle();
    await sync();
    const moved = (
      await t.http().put(`/api/bookings/${booking.id}/reschedule`).set(host.auth).send({ start_time: '2027-03-03T14:00:00Z' }).expect(200)
    ).body;
    // Written by us (a new ETag, a raised SEQUENCE, the new times), then read back twice.
    await settle();
    expect(parseVEvents((await stored(booking.id))!)[0]).toMatchObject({ start: { date: '2027-03-03', time: '14:00:00' } });
    await sync();
    await sync();
    await settle();
    const rows = await chain(booking.id);
    expect(rows.map((b) => [b.status, b.start_time.toISOString()])).toEqual([
      ['rescheduled', '2027-03-03T10:00:00.000Z'],
      ['confirmed', '2027-03-03T14:00:00.000Z'],
    ]);
    expect(hooksFor([booking.id]).filter((h) => h.payload.rescheduled_by === 'host_calendar')).toEqual([]);
    expect(await links(moved.id)).toEqual([expect.objectContaining({ status: 'synced', host_action: null })]);
  });

  it('the same move seen by two syncs at once, and by the job running twice, has one outcome', async () => {
    const booking = await book('2027-03-04T10:00:00Z', 'cf3');
    await settle();
    await hostMoves(booking.id, '2027-03-04T11:00:00Z', '2027-03-04T11:30:00Z');
    await Promise.all([sync(), sync()]);
    await sync();
    await settle();
    await sync();
    await settle();
    expect(await chain(booking.id)).toHaveLength(2);
    expect((await live(booking.id))[0].start_time).toEqual(new Date('2027-03-04T11:00:00Z'));
    expect(rescheduleMails('cf3')).toHaveLength(1);
    expect(hooksFor([booking.id])).toHaveLength(1);
  });

  it('two quick moves: the last one wins', async () => {
    const booking = await book('2027-03-05T10:00:00Z', 'cf4');
    await settle();
    await hostMoves(booking.id, '2027-03-05T13:00:00Z', '2027-03-05T13:30:00Z');
    await sync();
    // Moved again before our outbox caught up with the first move.
    await hostMoves(booking.id, '2027-03-05T14:00:00Z', '2027-03-05T15:00:00Z');
    await sync();
    await settle();
    await sync();
    await settle();
    const rows = await chain(booking.id);
    expect(rows.map((b) => b.status)).toEqual(['rescheduled', 'rescheduled', 'confirmed']);
    expect(rows[2]).toMatchObject({ start_time: new Date('2027-03-05T14:00:00Z'), end_time: new Date('2027-03-05T15:00:00Z') });
    expect(parseVEvents((await stored(booking.id))!)[0]).toMatchObject({ start: { date: '2027-03-05', time: '14:00:00' } });
    const updates = rescheduleMails('cf4');
    expect(updates.at(-1)!.calendars[0].content).toContain('SEQUENCE:2');
  });

  it('a move onto another booking keeps the old time, flags the link and mails the host once', async () => {
    const first = await book('2027-03-08T10:00:00Z', 'cf5');
    const other = await book('2027-03-08T12:00:00Z', 'cf6');
    await settle();
    await hostMoves(first.id, '2027-03-08T12:15:00Z', '2027-03-08T12:45:00Z');
    await sync();
    await sync();
    await settle();
    expect(await chain(first.id)).toEqual([expect.objectContaining({ status: 'confirmed', start_time: new Date('2027-03-08T10:00:00Z') })]);
    expect(await chain(other.id)).toEqual([expect.objectContaining({ status: 'confirmed', start_time: new Date('2027-03-08T12:00:00Z') })]);
    expect(await links(first.id)).toEqual([
      expect.objectContaining({
        status: 'host_moved',
        host_action: 'flagged',
        last_error: expect.stringContaining('collides with another booking'),
      }),
    ]);
    expect(smtp.to(host.email).filter((m) => m.subject.startsWith('Not moved:'))).toHaveLength(1);
    // Sent as a delivery row of its own kind, like every other mail (retries: calendar-follow).
    expect(
      await t.dataSource.query(
        `SELECT status, recipient_role FROM notification_deliveries WHERE booking_id = $1 AND kind = 'host_move_conflict'`,
        [first.id],
      ),
    ).toEqual([{ status: 'sent', recipient_role: 'host' }]);
    expect(rescheduleMails('cf5')).toHaveLength(0);
    expect(hooksFor([first.id])).toHaveLength(0);
  });

  it('a move out of the sync window is fetched by URL and followed as a move, not a deletion', async () => {
    const booking = await book('2027-03-09T10:00:00Z', 'cf7');
    await settle();
    await sync();
    // 1 September: beyond the 90-day window, so the calendar-query no longer lists the object.
    await hostMoves(booking.id, '2027-09-01T10:00:00Z', '2027-09-01T10:30:00Z');
    const gets = () => radicale.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`${objectName(booking.id)}.ics`)).length;
    const before = gets();
    await sync();
    await settle();
    expect(gets()).toBe(before + 1);
    const rows = await chain(booking.id);
    expect(rows.map((b) => [b.status, b.start_time.toISOString()])).toEqual([
      ['rescheduled', '2027-03-09T10:00:00.000Z'],
      ['confirmed', '2027-09-01T10:00:00.000Z'],
    ]);
    expect(rescheduleMails('cf7')).toHaveLength(1);
    // The daily full read does not list it either: fetched again, found where we recorded it, nothing happens.
    await t.dataSource.query(`UPDATE calendar_selections SET full_synced_at = NULL WHERE integration_id = $1`, [integrationId]);
    await sync();
    await settle();
    expect(await chain(booking.id)).toHaveLength(2);
    expect(await links(rows[1].id)).toEqual([expect.objectContaining({ status: 'synced', host_action: null })]);
  });

  it('a deleted object is a deletion: flagged, or the booking cancelled when the connection says so', async () => {
    const kept = await book('2027-03-10T10:00:00Z', 'cf8');
    await settle();
    await radicale.deleteEvent('fay', 'work', objectName(kept.id));
    await sync();
    await settle();
    expect(await chain(kept.id)).toEqual([expect.objectContaining({ status: 'confirmed' })]);
    expect(await links(kept.id)).toEqual([expect.objectContaining({ status: 'host_deleted', host_action: 'flagged' })]);

    await t.http().patch(`/api/integrations/${integrationId}`).set(host.auth).send({ cancel_booking_on_delete: true }).expect(200);
    try {
      const dropped = await book('2027-03-10T14:00:00Z', 'cf9');
      await settle();
      await radicale.deleteEvent('fay', 'work', objectName(dropped.id));
      await sync();
      await sync();
      await settle();
      expect(await chain(dropped.id)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
      expect(smtp.to('inviteecf9@example.com').filter((m) => m.subject.startsWith('Cancelled:'))).toHaveLength(1);
      // The booking's cancellation then deletes what is left of the event (already gone).
      expect(await links(dropped.id)).toEqual([expect.objectContaining({ status: 'deleted', host_action: 'cancelled' })]);
    } finally {
      await t.http().patch(`/api/integrations/${integrationId}`).set(host.auth).send({ cancel_booking_on_delete: false }).expect(200);
    }
  });
});
