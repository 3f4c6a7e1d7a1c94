import { createHost } from './support/factories.js';
import { createMeetingType, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Pinned clock well before the dates queried, so notice and window never interfere unless a test sets them.
const NOW = '2027-03-01T12:00:00Z';

describe('slots endpoint (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
  });
  afterAll(() => t.close());

  const slots = (query: Record<string, string>) => t.http().get('/api/availability/slots').query(query);
  const starts = (body: { slots: Array<{ start_time: string }> }) => body.slots.map((s) => s.start_time);

  it('a 01:00-04:00 window is 2 hours on the spring-forward night and 4 hours on the fall-back night', async () => {
    const host = await createHost(t, { time_zone: 'America/New_York' });
    await setWeeklyHours(t, host, 'America/New_York', [{ day_of_week: 0, start_time: '01:00', end_time: '04:00' }]);
    const type = await createMeetingType(t, host, { duration_minutes: 60 });
    const spring = await slots({ meeting_type_id: type.id, date: '2027-03-14', timezone: 'America/New_York' }).expect(200);
    // 01:00 EST = 06:00Z; 02:00 does not exist; 03:00 EDT = 07:00Z; the window ends at 04:00 EDT = 08:00Z.
    expect(starts(spring.body)).toEqual(['2027-03-14T06:00:00Z', '2027-03-14T07:00:00Z']);
    expect(spring.body.slots.map((s: { local_start_time: string }) => s.local_start_time)).toEqual([
      '2027-03-14T01:00:00-05:00',
      '2027-03-14T03:00:00-04:00',
    ]);
    const fall = await slots({ meeting_type_id: type.id, date: '2027-11-07', timezone: 'America/New_York' }).expect(200);
    // 01:00 EDT (first, earlier instant) = 05:00Z; then 4 hours of elapsed time to 04:00 EST = 09:00Z.
    expect(starts(fall.body)).toEqual(['2027-11-07T05:00:00Z', '2027-11-07T06:00:00Z', '2027-11-07T07:00:00Z', '2027-11-07T08:00:00Z']);
  });

  it('an invitee day across the date line collects slots from two host days', async () => {
    const host = await createHost(t, { time_zone: 'Pacific/Kiritimati' });
    await setWeeklyHours(
      t,
      host,
      'Pacific/Kiritimati',
      [0, 1, 2, 3, 4, 5, 6].map((d) => ({ day_of_week: d, start_time: '09:00', end_time: '17:00' })),
    );
    const type = await createMeetingType(t, host, { duration_minutes: 60 });
    // Kiritimati is UTC+14 and Pago Pago UTC-11: one Pago Pago day overlaps two Kiritimati days (offset 25 hours).
    const res = await slots({ meeting_type_id: type.id, date: '2027-03-10', timezone: 'Pacific/Pago_Pago' }).expect(200);
    expect(res.body.slots).toHaveLength(8);
    for (const s of res.body.slots) expect(s.local_start_time.startsWith('2027-03-10T')).toBe(true);
    expect(res.body.slots[0].local_start_time).toBe('2027-03-10T08:00:00-11:00');
  });

  it('honours overrides, notice, the booking window and ranges up to 62 days', async () => {
    const host = await createHost(t, { time_zone: 'Europe/London' });
    await setWeeklyHours(t, host, 'Europe/London', undefined, [
      { date: '2027-03-02', intervals: [] },
      { date: '2027-03-03', intervals: [{ start_time: '10:00', end_time: '11:00' }] },
    ]);
    const type = await createMeetingType(t, host, { duration_minutes: 30, minimum_notice_minutes: 24 * 60, booking_window_days: 10 });
    const week = await slots({ meeting_type_id: type.id, date: '2027-03-01', end_date: '2027-03-05', timezone: 'Europe/London' }).expect(
      200,
    );
    const days = new Set(starts(week.body).map((s) => s.slice(0, 10)));
    expect(days.has('2027-03-01')).toBe(false); // inside the 24h notice
    expect(days.has('2027-03-02')).toBe(false); // day off override (and notice until 12:00)
    expect(starts(week.body).filter((s) => s.startsWith('2027-03-03'))).toEqual(['2027-03-03T10:00:00Z', '2027-03-03T10:30:00Z']);
    const far = await slots({ meeting_type_id: type.id, date: '2027-03-20', end_date: '2027-04-30', timezone: 'Europe/London' }).expect(
      200,
    );
    expect(far.body.slots).toHaveLength(0); // beyond the 10-day window
    await slots({ meeting_type_id: type.id, date: '2027-03-01', end_date: '2027-05-01', timezone: 'UTC' }).expect(200);
  });

  it('answers bad input with 400/404 and a message', async () => {
    const host = await createHost(t);
    const type = await createMeetingType(t, host, {});
    const cases: Array<[Record<string, string>, number, RegExp]> = [
      [{ meeting_type_id: type.id, date: '2027-03-01', timezone: 'Mars/Base' }, 400, /timezone must be an IANA time zone/],
      [{ meeting_type_id: type.id, date: '2027-02-30', timezone: 'UTC' }, 400, /date must be a real calendar date/],
      [{ meeting_type_id: type.id, date: '03/01/2027', timezone: 'UTC' }, 400, /YYYY-MM-DD/],
      [{ meeting_type_id: type.id, date: '2027-03-01', end_date: '2027-06-01', timezone: 'UTC' }, 400, /at most 62 days/],
      [{ meeting_type_id: type.id, date: '2027-03-05', end_date: '2027-03-01', timezone: 'UTC' }, 400, /end_date must not be before date/],
      [{ meeting_type_id: 'abc', date: '2027-03-01' }, 400, /meeting_type_id must be a UUID/],
      [{ date: '2027-03-01' }, 400, /meeting_type_id, or username and slug/],
      [{ meeting_type_id: '00000000-0000-4000-8000-000000000000', date: '2027-03-01' }, 404, /meeting type not found/],
      [{ username: 'nobody-here', slug: 'x', date: '2027-03-01' }, 404, /meeting type not found/],
      [{ meeting_type_id: type.id, date: '2027-03-01', color: 'red' }, 400, /color should not exist/],
    ];
    for (const [query, status, message] of cases) {
      const res = await slots(query);
      expect({ status: res.status, message: res.body.message }).toEqual({ status, message: expect.stringMatching(message) });
    }
  });

  it('serves the public form by username and slug, and a cached answer never outlives a change', async () => {
    const host = await createHost(t, { time_zone: 'Europe/London' });
    await setWeeklyHours(t, host, 'Europe/London');
    const type = await createMeetingType(t, host, { slug: 'chat' });
    const q = { username: host.username, slug: 'chat', date: '2027-03-03', timezone: 'Europe/London' };
    const first = await slots(q).expect(200);
    expect(first.body.slots).toHaveLength(16);
    await slots(q).expect(200); // now cached
    await setWeeklyHours(t, host, 'Europe/London', [{ day_of_week: 3, start_time: '09:00', end_time: '10:00' }]);
    const after = await slots(q).expect(200);
    expect(after.body.slots).toHaveLength(2);
    expect(after.body.meeting_type_id).toBe(type.id);
  });
});
