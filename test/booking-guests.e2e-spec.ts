import { createHost, type TestHost } from './support/factories.js';
import { icsProps, TestSmtpServer } from './support/mail.js';
import { PARSERS } from './support/ical-parsers.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { settleDeliveries } from './support/deliveries.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC. Hosts work 09:00-17:00 in New York (EST = UTC-5 until 14 March).
const NOW = '2027-03-01T12:00:00Z';

describe('guests and the phone number on bookings (e2e: PostgreSQL, Redis, in-process SMTP)', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    t = await startTestApp({ now: NOW, env: { SMTP_URL: smtp.url, OUTBOX_POLL_INTERVAL_MS: '0', NOTIFY_SWEEP_INTERVAL_MS: '0' } });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  async function hostWithType(body: Record<string, unknown> = {}): Promise<{ host: TestHost; typeId: string; slug: string }> {
    const host = await createHost(t, { time_zone: 'America/New_York' });
    await setWeeklyHours(t, host, 'America/New_York');
    const type = await createMeetingType(t, host, body);
    return { host, typeId: type.id, slug: type.slug };
  }

  /** Mail to an address, whatever case it was written in. */
  const mailTo = (address: string) => smtp.mails.filter((m) => m.to.toLowerCase().includes(address));

  const bookingRows = (typeId: string): Promise<Array<{ id: string }>> =>
    t.dataSource.query(`SELECT id FROM bookings WHERE meeting_type_id = $1`, [typeId]);

  it('guests get the invitation, its update and its cancellation, never the management links', async () => {
    const { host, typeId } = await hostWithType();
    const res = await t
      .http()
      .post('/api/bookings')
      .send({
        meeting_type_id: typeId,
        start_time: '2027-03-02T14:00:00Z',
        ...invitee('g1'),
        // The same guest twice (other case) and the invitee's own address: each address is invited once.
        guests: ['Ada@Example.com', 'ada@example.com', 'inviteeg1@example.com', 'linus@example.com'],
      });
    expect(res.status).toBe(201);
    expect(res.body.invitees[0].guests).toEqual(['Ada@Example.com', 'linus@example.com']);
    const token = res.body.management_token as string;
    await settleDeliveries(t);

    for (const guest of ['ada@example.com', 'linus@example.com']) {
      const mails = mailTo(guest);
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toMatch(/^Invitation: Intro call with .+, Invitee g1 on Tuesday, 2 March 2027, 14:00 \(Europe\/London\)$/);
      expect(mails[0].text).toContain('Invitee g1 (inviteeg1@example.com) invited you to Intro call');
      expect(mails[0].raw).not.toContain(token);
      expect(mails[0].text).not.toContain('Manage this booking');
      // Every calendar client reads the guests as attendees of the same event the invitee got.
      for (const [name, parse] of Object.entries(PARSERS)) {
        const [event] = parse(mails[0].calendars[0].content);
        expect({ name, attendees: event.attendees.map((a) => a.email).sort() }).toEqual({
          name,
          attendees: ['ada@example.com', 'inviteeg1@example.com', 'linus@example.com'],
        });
      }
    }
    const inviteeUid = icsProps(smtp.to('inviteeg1@example.com')[0].calendars[0].content).get('UID');
    expect(icsProps(mailTo('ada@example.com')[0].calendars[0].content).get('UID')).toEqual(inviteeUid);
    // The host and the invitee see who else comes.
    expect(smtp.to(host.email)[0].text).toMatch(/Guests:\s+- Ada@Example\.com\s+- linus@example\.com/);
    expect(smtp.to('inviteeg1@example.com')[0].text).toContain('  - linus@example.com');

    const moved = await t
      .http()
      .put(`/api/bookings/${res.body.id}/reschedule`)
      .query({ token })
      .send({ start_time: '2027-03-03T15:00:00Z' });
    expect(moved.status).toBe(200);
    expect(moved.body.invitees[0].guests).toEqual(['Ada@Example.com', 'linus@example.com']);
    await settleDeliveries(t);
    const update = mailTo('ada@example.com').filter((m) => m.subject.startsWith('Rescheduled:'));
    expect(update).toHaveLength(1);
    expect(update[0].text).toContain('The Intro call with');
    expect(icsProps(update[0].calendars[0].content).get('SEQUENCE')).toEqual(['1']);

    await t.http().delete(`/api/bookings/${moved.body.id}`).set(host.auth).send({ reason: 'Ill' }).expect(200);
    await settleDeliveries(t);
    const cancellation = mailTo('linus@example.com').filter((m) => m.subject.startsWith('Cancelled:'));
    expect(cancellation).toHaveLength(1);
    expect(icsProps(cancellation[0].calendars[0].content).get('METHOD')).toEqual(['CANCEL']);
    // No reminders for guests: three mails each, whatever the clock does.
    const roles: Array<{ kind: string; n: number }> = await t.dataSource.query(
      `SELECT kind, count(*)::int AS n FROM notification_deliveries WHERE recipient_role = 'guest' AND booking_id = ANY($1)
        GROUP BY kind ORDER BY kind`,
      [[res.body.id, moved.body.id]],
    );
    expect(roles).toEqual([
      { kind: 'cancellation', n: 2 },
      { kind: 'confirmation', n: 2 },
      { kind: 'reschedule', n: 2 },
    ]);
  });

  it('refuses bad guest lists with a 400 naming the field, and writes nothing', async () => {
    const { typeId } = await hostWithType();
    const groupType = (await hostWithType({ kind: 'group', seats: 5 })).typeId;
    const attempt = (id: string, guests: unknown) =>
      t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: id, start_time: '2027-03-02T15:00:00Z', ...invitee('bad'), guests });

    const notEmail = await attempt(typeId, ['ada@example.com', 'nope']);
    expect(notEmail.status).toBe(400);
    expect(notEmail.body.message).toContain('each of guests must be a valid email address');
    expect((await attempt(typeId, 'ada@example.com')).status).toBe(400);
    const tooMany = await attempt(
      typeId,
      Array.from({ length: 11 }, (_, i) => `g${i}@example.com`),
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toContain('at most 10 guests');
    const group = await attempt(groupType, ['ada@example.com']);
    expect(group.status).toBe(400);
    expect(group.body.errors).toEqual([expect.objectContaining({ field: 'guests', codes: ['not_applicable'] })]);
    expect(await bookingRows(typeId)).toEqual([]);
    expect(await bookingRows(groupType)).toEqual([]);
  });

  it('the booking page asks for a phone number only when the type texts a reminder, and takes guests', async () => {
    const { host, typeId, slug } = await hostWithType({ reminders: [{ offset_minutes: 60, channel: 'sms' }] });
    const plain = await hostWithType({ slug: 'plain-call' });
    const page = (h: TestHost, s: string) =>
      `/${h.username}/${s}/book?start=${encodeURIComponent('2027-03-02T16:00:00.000Z')}&tz=Europe%2FLondon`;
    const withSms = await t.http().get(page(host, slug)).expect(200);
    expect(withSms.text).toContain('id="phone"');
    expect(withSms.text).toContain('id="guests"');
    const without = await t.http().get(page(plain.host, plain.slug)).expect(200);
    expect(without.text).not.toContain('id="phone"');

    const form = {
      start: '2027-03-02T16:00:00.000Z',
      tz: 'Europe/London',
      name: 'Phoebe Phone',
      email: 'phoebe@example.com',
    };
    const badPhone = await t
      .http()
      .post(`/${host.username}/${slug}/book`)
      .type('form')
      .send({ ...form, phone: 'call me', guests: 'ada@example.com' });
    expect(badPhone.status).toBe(400);
    expect(badPhone.text).toContain('id="phone-error"');
    expect(badPhone.text).toContain('value="call me"'); // what was typed stays
    expect(await bookingRows(typeId)).toEqual([]);

    const ok = await t
      .http()
      .post(`/${host.username}/${slug}/book`)
      .type('form')
      .send({ ...form, phone: '+1 202 555 0143', guests: 'ada@example.com,\nlinus@example.com' });
    expect(ok.status).toBe(303);
    const [row] = await t.dataSource.query<Array<{ phone: string; guests: string[] }>>(
      `SELECT i.phone, i.guests FROM booking_invitees i JOIN bookings b ON b.id = i.booking_id WHERE b.meeting_type_id = $1`,
      [typeId],
    );
    expect(row).toEqual({ phone: '+1 202 555 0143', guests: ['ada@example.com', 'linus@example.com'] });
  });

  it("erasing a guest's address removes it from the guest lists of the host's bookings", async () => {
    const { host, typeId } = await hostWithType();
    const res = await t
      .http()
      .post('/api/bookings')
      .send({
        meeting_type_id: typeId,
        start_time: '2027-03-04T14:00:00Z',
        ...invitee('er'),
        guests: ['Erase.Me@example.com', 'keep@example.com'],
      })
      .expect(201);
    await t.http().post('/api/privacy/erase-invitee').set(host.auth).send({ email: 'erase.me@example.com' }).expect(200);
    const booking = await t.http().get(`/api/bookings/${res.body.id}`).set(host.auth).expect(200);
    expect(booking.body.invitees[0]).toMatchObject({ name: 'Invitee er', guests: ['keep@example.com'] });
  });
});
