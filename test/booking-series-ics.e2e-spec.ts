import { createHost, type TestHost } from './support/factories.js';
import { settleDeliveries } from './support/deliveries.js';
import { EXPANDERS } from './support/ical-recurrence.js';
import { PARSERS } from './support/ical-parsers.js';
import { icsProps, TestSmtpServer } from './support/mail.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC. The host works 09:00-17:00 in New York (US DST from 14 March); the invitee books
// 14:00 London time (UK DST from 28 March), so the series stays at 14:00 London: 14:00 UTC, then 13:00 UTC.
const NOW = '2027-03-01T12:00:00Z';
const LONDON_2PM = ['2027-03-02T14:00:00Z', '2027-03-09T14:00:00Z', '2027-03-16T14:00:00Z', '2027-03-23T14:00:00Z', '2027-03-30T13:00:00Z'];
const ms = (iso: string) => iso.replace('Z', '.000Z');

interface Occurrence {
  id: string;
  start_time: string;
  management_token: string;
}

describe('recurring series: one invitation with RRULE, EXDATE and overrides, one mail each way (e2e)', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let host: TestHost;
  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    t = await startTestApp({
      now: NOW,
      env: { SMTP_URL: smtp.url, OUTBOX_POLL_INTERVAL_MS: '0', NOTIFY_SWEEP_INTERVAL_MS: '0' },
    });
    host = await createHost(t, { time_zone: 'America/New_York' });
    await setWeeklyHours(t, host, 'America/New_York');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const calendarOf = (mail: { calendars: Array<{ content: string }> }) => mail.calendars[0]?.content ?? '';
  const ics = async (bookingId: string, token: string) =>
    (await t.http().get(`/api/bookings/${bookingId}/ics`).query({ token }).expect(200)).text;

  it('books, cancels one, moves one and cancels the rest, and every client expands the same dates', async () => {
    const type = await createMeetingType(t, host, { recurrence: { frequency: 'weekly', max_occurrences: 10 } });
    const email = 'series-invitee@example.com';
    const res = await t
      .http()
      .post('/api/bookings')
      .send({
        meeting_type_id: type.id,
        start_time: LONDON_2PM[0],
        ...invitee('series', { invitee_email: email, time_zone: 'Europe/London' }),
        occurrences: 5,
      })
      .expect(201);
    const occurrences = res.body.occurrences as Occurrence[];
    expect(occurrences.map((o) => o.start_time)).toEqual(LONDON_2PM);
    await settleDeliveries(t);

    // One confirmation to the invitee and one to the host, listing every date; the series' invitation attached.
    const confirmations = smtp.to(email);
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0].subject).toMatch(/^Confirmed: .* and 4 more dates$/);
    expect(confirmations[0].text).toContain('All 5 dates (recurring):');
    expect(smtp.to(host.email).filter((m) => m.subject.startsWith('New booking'))).toHaveLength(1);
    const invitation = calendarOf(confirmations[0]);
    const props = icsProps(invitation);
    expect(props.get('METHOD')).toEqual(['REQUEST']);
    expect(props.get('RRULE')).toEqual(['FREQ=WEEKLY;INTERVAL=1;COUNT=5']);
    expect(invitation).toMatch(/DTSTART;TZID=Europe\/London:20270302T140000/);
    for (const [name, parse] of Object.entries(PARSERS)) {
      const events = parse(invitation);
      expect({ name, uids: [...new Set(events.map((e) => e.uid))].length }).toEqual({ name, uids: 1 });
    }
    for (const [name, expand] of Object.entries(EXPANDERS)) {
      expect({ name, starts: expand(invitation).map((i) => i.start) }).toEqual({ name, starts: LONDON_2PM.map(ms) });
    }

    // Cancel the 2nd: its mail cancels that date (RECURRENCE-ID); the series' invitation then lists it in EXDATE.
    await t.http().delete(`/api/bookings/${occurrences[1].id}`).query({ token: occurrences[1].management_token }).expect(200);
    await settleDeliveries(t);
    const cancelOne = smtp.to(email).filter((m) => m.subject.startsWith('Cancelled'));
    expect(cancelOne).toHaveLength(1);
    const cancelIcs = calendarOf(cancelOne[0]);
    expect(icsProps(cancelIcs).get('METHOD')).toEqual(['CANCEL']);
    expect(cancelIcs).toMatch(/RECURRENCE-ID;TZID=Europe\/London:20270309T140000/);
    const afterCancel = await ics(occurrences[0].id, occurrences[0].management_token);
    expect(afterCancel).toMatch(/EXDATE;TZID=Europe\/London:20270309T140000/);
    for (const [name, expand] of Object.entries(EXPANDERS)) {
      const starts = expand(afterCancel).map((i) => i.start);
      expect({ name, starts }).toEqual({ name, starts: [0, 2, 3, 4].map((i) => ms(LONDON_2PM[i])) });
    }

    // Move the 3rd two hours later: an override in its place, same UID, a higher SEQUENCE.
    const before = Number(icsProps(afterCancel).get('SEQUENCE')?.[0]);
    await t
      .http()
      .put(`/api/bookings/${occurrences[2].id}/reschedule`)
      .query({ token: occurrences[2].management_token })
      .send({ start_time: '2027-03-16T16:00:00Z' })
      .expect(200);
    const afterMove = await ics(occurrences[0].id, occurrences[0].management_token);
    expect(Math.min(...(icsProps(afterMove).get('SEQUENCE') ?? []).map(Number))).toBeGreaterThan(before);
    for (const [name, expand] of Object.entries(EXPANDERS)) {
      const instances = expand(afterMove).map((i) => [i.recurrenceId, i.start, i.end]);
      expect({ name, instances }).toEqual({
        name,
        instances: [
          [ms(LONDON_2PM[0]), ms(LONDON_2PM[0]), '2027-03-02T14:30:00.000Z'],
          [ms(LONDON_2PM[2]), '2027-03-16T16:00:00.000Z', '2027-03-16T16:30:00.000Z'],
          [ms(LONDON_2PM[3]), ms(LONDON_2PM[3]), '2027-03-23T14:30:00.000Z'],
          [ms(LONDON_2PM[4]), ms(LONDON_2PM[4]), '2027-03-30T13:30:00.000Z'],
        ],
      });
    }
    for (const parse of Object.values(PARSERS)) expect(new Set(parse(afterMove).map((e) => e.uid)).size).toBe(1);
    await settleDeliveries(t);

    // Cancel the rest: one mail for the series, cancelling it whole.
    const mailsBefore = smtp.to(email).filter((m) => m.subject.startsWith('Cancelled')).length;
    await t.http().delete(`/api/bookings/${occurrences[0].id}/series`).query({ token: res.body.management_token }).expect(200);
    await settleDeliveries(t);
    const cancelAll = smtp
      .to(email)
      .filter((m) => m.subject.startsWith('Cancelled'))
      .slice(mailsBefore);
    expect(cancelAll).toHaveLength(1);
    expect(cancelAll[0].text).toContain('Cancelled dates of the series (5):');
    const cancelAllIcs = calendarOf(cancelAll[0]);
    expect(icsProps(cancelAllIcs).get('METHOD')).toEqual(['CANCEL']);
    expect(icsProps(cancelAllIcs).get('STATUS')).toEqual(['CANCELLED']);
    expect(icsProps(cancelAllIcs).get('RRULE')).toEqual(['FREQ=WEEKLY;INTERVAL=1;COUNT=5']);
    // Exactly one confirmation ever, through the outbox.
    expect(smtp.to(email).filter((m) => m.subject.startsWith('Confirmed'))).toHaveLength(1);
  });
});
