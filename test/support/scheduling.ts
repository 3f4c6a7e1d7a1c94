import type { TestApp } from './test-app.js';
import type { TestHost } from './factories.js';

export const WEEKDAYS_9_TO_5 = [1, 2, 3, 4, 5].map((d) => ({ day_of_week: d, start_time: '09:00', end_time: '17:00' }));

/** Replaces the host's default weekly schedule through the API. */
export async function setWeeklyHours(
  t: TestApp,
  host: TestHost,
  timeZone: string,
  rules = WEEKDAYS_9_TO_5,
  overrides: Array<{ date: string; intervals: Array<{ start_time: string; end_time: string }> }> = [],
) {
  await t
    .http()
    .post('/api/availability/rules')
    .set(host.auth)
    .send({ time_zone: timeZone, rules, overrides })
    .expect((res) => {
      if (res.status >= 300) throw new Error(`setting rules failed: ${res.status} ${JSON.stringify(res.body)}`);
    });
}

/** Creates a meeting type through the API and returns its body. */
export async function createMeetingType(t: TestApp, host: TestHost, body: Record<string, unknown>) {
  const res = await t
    .http()
    .post('/api/meeting-types')
    .set(host.auth)
    .send({ name: 'Intro call', duration_minutes: 30, ...body });
  if (res.status !== 201) throw new Error(`creating meeting type failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; slug: string } & Record<string, unknown>;
}

/** A team whose members all accepted, for round robin and collective types. */
export async function createTeam(t: TestApp, admin: TestHost, members: TestHost[]) {
  const team = await t.http().post('/api/teams').set(admin.auth).send({ name: 'Sales' }).expect(201);
  for (const m of members) {
    const invite = await t.http().post(`/api/teams/${team.body.id}/invitations`).set(admin.auth).send({ email: m.email }).expect(201);
    await t
      .http()
      .post(`/api/teams/invitations/${invite.body.token}/accept`)
      .set(m.auth)
      .expect((res) => {
        if (res.status >= 300) throw new Error(`accept failed: ${res.status} ${JSON.stringify(res.body)}`);
      });
  }
  return team.body as { id: string };
}

export const invitee = (n: number | string, extra: Record<string, unknown> = {}) => ({
  invitee_name: `Invitee ${n}`,
  invitee_email: `invitee${n}@example.com`,
  time_zone: 'Europe/London',
  ...extra,
});

/** A booking row as reschedules chain them: the original and its successors share one iCalendar UID. */
export interface ChainedBooking {
  id: string;
  status: string;
  start_time: Date;
  end_time: Date;
  ical_sequence: number;
}

/** Every booking row sharing `bookingId`'s iCalendar UID (the original and its reschedules), oldest first. */
export function rescheduleChain(t: TestApp, bookingId: string): Promise<ChainedBooking[]> {
  return t.dataSource.query(
    `SELECT id, status, start_time, end_time, ical_sequence FROM bookings
      WHERE ical_uid = (SELECT ical_uid FROM bookings WHERE id = $1) ORDER BY ical_sequence`,
    [bookingId],
  );
}
