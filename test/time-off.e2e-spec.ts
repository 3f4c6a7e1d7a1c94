import { randomUUID } from 'node:crypto';
import { createHost, type TestHost } from './support/factories.js';
import { OpenApiContract } from './support/openapi-contract.js';
import { createMeetingType, createTeam, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday. Every date below is ahead of it; notice and window stay out of the way.
const NOW = '2027-03-01T12:00:00Z';

describe('time off and public holidays (e2e, PostgreSQL + Redis)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
  });
  afterAll(() => t.close());

  const slots = (typeId: string, date: string, timezone = 'Europe/London') =>
    t.http().get('/api/availability/slots').query({ meeting_type_id: typeId, date, timezone }).expect(200);
  const starts = (res: { body: { slots: Array<{ start_time: string }> } }) => res.body.slots.map((s) => s.start_time);
  const addTimeOff = (host: TestHost, body: Record<string, unknown>) =>
    t.http().post('/api/availability/time-off').set(host.auth).send(body);
  const fieldsOf = (body: { errors?: Array<{ field: string }> }) => (body.errors ?? []).map((e) => e.field);

  describe('CRUD, validation and authorization', () => {
    let host: TestHost;
    let other: TestHost;
    beforeAll(async () => {
      host = await createHost(t);
      other = await createHost(t);
    });

    it('creates, lists (upcoming first, or by from/to) and deletes the host’s own ranges', async () => {
      const later = await addTimeOff(host, { start_time: '2027-04-10T00:00:00Z', end_time: '2027-04-12T00:00:00Z' }).expect(201);
      const sooner = await addTimeOff(host, {
        start_time: '2027-03-20T09:00:00+01:00',
        end_time: '2027-03-21T00:00:00Z',
        reason: '  Dentist  ',
      }).expect(201);
      expect(sooner.body).toEqual({
        id: expect.any(String),
        start_time: '2027-03-20T08:00:00Z',
        end_time: '2027-03-21T00:00:00Z',
        reason: 'Dentist',
        redirect_to_user_id: null,
        created_at: NOW,
      });
      const list = await t.http().get('/api/availability/time-off').set(host.auth).expect(200);
      expect(list.body.map((r: { id: string }) => r.id)).toEqual([sooner.body.id, later.body.id]);
      const april = await t
        .http()
        .get('/api/availability/time-off')
        .query({ from: '2027-04-01T00:00:00Z', to: '2027-05-01T00:00:00Z' })
        .set(host.auth)
        .expect(200);
      expect(april.body.map((r: { id: string }) => r.id)).toEqual([later.body.id]);

      // Another host sees none of it and cannot delete it.
      expect((await t.http().get('/api/availability/time-off').set(other.auth).expect(200)).body).toEqual([]);
      const denied = await t.http().delete(`/api/availability/time-off/${later.body.id}`).set(other.auth).expect(404);
      expect(denied.body).toMatchObject({ status_code: 404 });
      await t.http().delete(`/api/availability/time-off/${later.body.id}`).set(host.auth).expect(204);
      await t.http().delete(`/api/availability/time-off/${later.body.id}`).set(host.auth).expect(404);
      await t.http().delete('/api/availability/time-off/not-a-uuid').set(host.auth).expect(400);
      const after = await t.http().get('/api/availability/time-off').set(host.auth).expect(200);
      expect(after.body.map((r: { id: string }) => r.id)).toEqual([sooner.body.id]);
    });

    it('needs a host: anonymous callers get 401', async () => {
      await t.http().get('/api/availability/time-off').expect(401);
      await t
        .http()
        .post('/api/availability/time-off')
        .send({ start_time: '2027-04-10T00:00:00Z', end_time: '2027-04-11T00:00:00Z' })
        .expect(401);
      await t.http().delete(`/api/availability/time-off/${randomUUID()}`).expect(401);
      await t.http().put('/api/availability/holidays').send({ country: 'DE' }).expect(401);
      await t.http().get('/api/availability/holidays').expect(401);
    });

    it('answers every bad input with a 400 naming the field', async () => {
      const stranger = await createHost(t);
      const cases: Array<[Record<string, unknown>, string, RegExp]> = [
        [{ start_time: '2027-04-10T00:00:00Z', end_time: '2027-04-09T00:00:00Z' }, 'end_time', /after start_time/],
        [{ start_time: '2027-04-10T00:00:00Z', end_time: '2027-04-10T00:00:00Z' }, 'end_time', /after start_time/],
        [{ start_time: '2027-04-10T00:00:00Z', end_time: '2028-04-12T00:00:00Z' }, 'end_time', /366 days/],
        [{ start_time: '2027-02-01T00:00:00Z', end_time: '2027-02-02T00:00:00Z' }, 'end_time', /in the future/],
        [{ start_time: 'tomorrow', end_time: '2027-04-11T00:00:00Z' }, 'start_time', /ISO 8601/],
        [{ end_time: '2027-04-11T00:00:00Z' }, 'start_time', /ISO 8601/],
        [{ start_time: '2027-04-10T00:00:00Z', end_time: '2027-04-11T00:00:00Z', reason: 'one\ntwo' }, 'reason', /single line/],
        [{ start_time: '2027-04-10T00:00:00Z', end_time: '2027-04-11T00:00:00Z', reason: 'x'.repeat(201) }, 'reason', /200/],
        [
          { start_time: '2027-04-10T00:00:00Z', end_time: '2027-04-11T00:00:00Z', redirect_to_user_id: 'bob' },
          'redirect_to_user_id',
          /UUID/,
        ],
        [
          { start_time: '2027-04-10T00:00:00Z', end_time: '2027-04-11T00:00:00Z', redirect_to_user_id: host.id },
          'redirect_to_user_id',
          /not yourself/,
        ],
        [
          { start_time: '2027-04-10T00:00:00Z', end_time: '2027-04-11T00:00:00Z', redirect_to_user_id: stranger.id },
          'redirect_to_user_id',
          /member of one of your teams/,
        ],
        [
          { start_time: '2027-04-10T00:00:00Z', end_time: '2027-04-11T00:00:00Z', redirect_to_user_id: randomUUID() },
          'redirect_to_user_id',
          /member of one of your teams/,
        ],
        [{ start_time: '2027-04-10T00:00:00Z', end_time: '2027-04-11T00:00:00Z', user_id: other.id }, 'user_id', /should not exist/],
      ];
      for (const [body, field, message] of cases) {
        const res = await addTimeOff(host, body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(fieldsOf(res.body)).toContain(field);
        expect(res.body.message).toMatch(message);
      }
      const badQuery = await t.http().get('/api/availability/time-off').query({ from: 'yesterday' }).set(host.auth).expect(400);
      expect(fieldsOf(badQuery.body)).toContain('from');
      // Nothing was written by the refused requests.
      expect((await t.http().get('/api/availability/time-off').query({ from: '2027-04-09T00:00:00Z' }).set(host.auth)).body).toEqual([]);
    });
  });

  it('slots inside time off disappear, come back after DELETE (cached slots are invalidated), and booking there is 409', async () => {
    const host = await createHost(t, { time_zone: 'Europe/London' });
    await setWeeklyHours(t, host, 'Europe/London');
    const type = await createMeetingType(t, host, { duration_minutes: 30 });
    const before = starts(await slots(type.id, '2027-03-03'));
    expect(before).toHaveLength(16); // 09:00-17:00 UTC (London is on GMT in March)
    expect(starts(await slots(type.id, '2027-03-03'))).toEqual(before); // served from the cache

    const off = await addTimeOff(host, { start_time: '2027-03-03T10:00:00Z', end_time: '2027-03-03T12:00:00Z', reason: 'Offsite' }).expect(
      201,
    );
    const during = starts(await slots(type.id, '2027-03-03'));
    expect(during).toEqual(before.filter((s) => s < '2027-03-03T10:00:00Z' || s >= '2027-03-03T12:00:00Z'));
    expect(during).toHaveLength(12);

    const refused = await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: type.id, start_time: '2027-03-03T10:30:00Z', ...invitee('off-1') })
      .expect(409);
    expect(refused.body).toMatchObject({ status_code: 409 });
    await t.http().post('/api/slots/holds').send({ meeting_type_id: type.id, start_time: '2027-03-03T11:00:00Z' }).expect(409);
    await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: type.id, start_time: '2027-03-03T12:00:00Z', ...invitee('off-2') })
      .expect(201);

    await t.http().delete(`/api/availability/time-off/${off.body.id}`).set(host.auth).expect(204);
    const back = starts(await slots(type.id, '2027-03-03'));
    expect(back).toEqual(before.filter((s) => s !== '2027-03-03T12:00:00Z')); // all back but the booked one
    await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: type.id, start_time: '2027-03-03T10:30:00Z', ...invitee('off-3') })
      .expect(201);
  });

  it('a host who follows Bavarian holidays offers nothing on Corpus Christi in Berlin time, and can opt out', async () => {
    const host = await createHost(t, { time_zone: 'Europe/Berlin' });
    await setWeeklyHours(t, host, 'Europe/Berlin');
    const type = await createMeetingType(t, host, { duration_minutes: 60 });
    // Thursday 27 May 2027 is Corpus Christi, a public holiday in Bavaria but not in Germany as a whole.
    const open = starts(await slots(type.id, '2027-05-27', 'Europe/Berlin'));
    expect(open[0]).toBe('2027-05-27T07:00:00Z'); // 09:00 CEST
    expect(open).toHaveLength(8);

    const set = await t.http().put('/api/availability/holidays').set(host.auth).send({ country: 'de', region: 'DE-BY' }).expect(200);
    expect(set.body).toEqual({ country: 'DE', region: 'BY', country_name: expect.any(String), region_name: 'Bayern' });
    expect(starts(await slots(type.id, '2027-05-27', 'Europe/Berlin'))).toEqual([]);
    expect(starts(await slots(type.id, '2027-05-28', 'Europe/Berlin'))).toHaveLength(8);
    await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: type.id, start_time: '2027-05-27T07:00:00Z', ...invitee('holiday-1') })
      .expect(409);

    const year = await t.http().get('/api/availability/holidays').query({ year: 2027 }).set(host.auth).expect(200);
    expect(year.body).toMatchObject({ country: 'DE', region: 'BY', year: 2027, time_zone: 'Europe/Berlin' });
    expect(year.body.holidays).toContainEqual({
      date: '2027-05-27',
      days: 1,
      name: 'Corpus Christi',
      type: 'public',
      start_time: '2027-05-26T22:00:00Z',
      end_time: '2027-05-27T22:00:00Z',
    });
    // Germany as a whole has no Corpus Christi: the region decides.
    await t.http().put('/api/availability/holidays').set(host.auth).send({ country: 'DE' }).expect(200);
    expect(starts(await slots(type.id, '2027-05-27', 'Europe/Berlin'))).toEqual(open);
    const national = await t.http().get('/api/availability/holidays').query({ year: 2027 }).set(host.auth).expect(200);
    expect(national.body.holidays.map((h: { date: string }) => h.date)).not.toContain('2027-05-27');

    await t.http().put('/api/availability/holidays').set(host.auth).send({ country: 'DE', region: 'BY' }).expect(200);
    expect(starts(await slots(type.id, '2027-05-27', 'Europe/Berlin'))).toEqual([]);
    const out = await t.http().put('/api/availability/holidays').set(host.auth).send({ country: null }).expect(200);
    expect(out.body).toEqual({ country: null, region: null, country_name: null, region_name: null });
    expect(starts(await slots(type.id, '2027-05-27', 'Europe/Berlin'))).toEqual(open);
    expect((await t.http().get('/api/availability/holidays').query({ year: 2027 }).set(host.auth).expect(200)).body.holidays).toEqual([]);
  });

  it('places a holiday in the host’s own zone: a New York host on US holidays is off on Monday 5 July 2027, New York time', async () => {
    const host = await createHost(t, { time_zone: 'America/New_York' });
    await setWeeklyHours(t, host, 'America/New_York');
    const type = await createMeetingType(t, host, { duration_minutes: 60 });
    await t.http().put('/api/availability/holidays').set(host.auth).send({ country: 'US', region: 'NY' }).expect(200);
    // Independence Day falls on a Sunday in 2027: the Monday is its substitute.
    expect(starts(await slots(type.id, '2027-07-05', 'America/New_York'))).toEqual([]);
    const tuesday = starts(await slots(type.id, '2027-07-06', 'America/New_York'));
    expect(tuesday[0]).toBe('2027-07-06T13:00:00Z'); // 09:00 EDT
    const year = await t.http().get('/api/availability/holidays').query({ year: 2027 }).set(host.auth).expect(200);
    expect(year.body.holidays).toContainEqual(
      expect.objectContaining({ date: '2027-07-05', start_time: '2027-07-05T04:00:00Z', end_time: '2027-07-06T04:00:00Z' }),
    );
  });

  it('refuses unknown countries and regions with a 400 naming the field', async () => {
    const host = await createHost(t);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ country: 'XX' }, 'country'],
      [{ country: 'Germany' }, 'country'],
      [{ country: 42 }, 'country'],
      [{}, 'country'],
      [{ country: 'DE', region: 'ZZ' }, 'region'],
      [{ country: 'DE', region: 'US-NY' }, 'region'],
      [{ country: null, region: 'BY' }, 'region'],
      [{ country: 'DE', state: 'BY' }, 'state'],
    ];
    for (const [body, field] of cases) {
      const res = await t.http().put('/api/availability/holidays').set(host.auth).send(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(fieldsOf(res.body)).toContain(field);
    }
    const countries = await t.http().get('/api/availability/holidays/countries').set(host.auth).expect(200);
    expect(countries.body.length).toBeGreaterThan(100);
    expect(countries.body.find((c: { code: string }) => c.code === 'DE').regions).toContainEqual({ code: 'BY', name: 'Bayern' });
    expect(countries.body.find((c: { code: string }) => c.code === 'BY').regions).toEqual([]);
    await t.http().get('/api/availability/holidays/countries').expect(401);
    const badYear = await t.http().get('/api/availability/holidays').query({ year: 'soon' }).set(host.auth).expect(400);
    expect(fieldsOf(badYear.body)).toContain('year');
    expect((await t.http().get('/api/availability/holidays').set(host.auth).expect(200)).body).toMatchObject({
      country: null,
      holidays: [],
    });
  });

  it('while the host is away, the public API and page say until when and offer the teammate’s matching type', async () => {
    const host = await createHost(t, { name: 'Ada Away', time_zone: 'Europe/London' });
    const mate = await createHost(t, { name: 'Sam Stand-in', time_zone: 'Europe/London' });
    await setWeeklyHours(t, host, 'Europe/London');
    await setWeeklyHours(t, mate, 'Europe/London');
    const type = await createMeetingType(t, host, { slug: 'intro-call', duration_minutes: 30 });
    const other = await createMeetingType(t, host, { name: 'Deep dive', slug: 'deep-dive', duration_minutes: 90 });
    await createMeetingType(t, mate, { name: 'Quick chat', slug: 'quick-chat', duration_minutes: 30 });
    const mateIntro = await createMeetingType(t, mate, { slug: 'intro-call', duration_minutes: 45 });
    const team = await createTeam(t, host, [mate]);
    const shared = await createMeetingType(t, host, {
      name: 'Either of us',
      slug: 'either',
      kind: 'round_robin',
      team_id: team.id,
      host_ids: [host.id, mate.id],
    });

    const away = (query: Record<string, string>) => t.http().get('/api/availability/away').query(query);
    expect((await away({ user_id: host.id }).expect(200)).body).toEqual({ away: null });

    // From yesterday for a week, then a second range straight after: one absence until 15 March.
    await addTimeOff(host, {
      start_time: '2027-02-28T00:00:00Z',
      end_time: '2027-03-08T00:00:00Z',
      reason: 'Ski trip',
      redirect_to_user_id: mate.id,
    }).expect(201);
    await addTimeOff(host, { start_time: '2027-03-08T00:00:00Z', end_time: '2027-03-15T00:00:00Z' }).expect(201);

    const same = await away({ user_id: host.id, meeting_type_id: type.id }).expect(200);
    expect(same.body).toEqual({
      away: {
        until: '2027-03-15T00:00:00Z',
        reason: 'Ski trip',
        redirect: {
          user: { id: mate.id, name: 'Sam Stand-in', username: mate.username },
          meeting_type_slug: 'intro-call',
          meeting_type_id: mateIntro.id,
          url: expect.stringMatching(new RegExp(`/${mate.username}/intro-call$`)),
        },
      },
    });
    // No type of that slug or duration: the teammate's page itself.
    const none = await away({ user_id: host.id, meeting_type_id: other.id }).expect(200);
    expect(none.body.away.redirect).toMatchObject({
      meeting_type_slug: null,
      url: expect.stringMatching(new RegExp(`/${mate.username}$`)),
    });
    await away({ user_id: host.id, meeting_type_id: mateIntro.id }).expect(404); // not one of this host's types
    await away({ user_id: 'nobody' }).expect(400);
    expect(starts(await slots(type.id, '2027-03-03'))).toEqual([]);

    const page = await t.http().get(`/${host.username}/intro-call`).expect(200);
    expect(page.text).toContain('Ada Away is away until 15 Mar 2027, 00:00 (Europe/London) (Ski trip).');
    expect(page.text).toMatch(new RegExp(`<a href="[^"]*/${mate.username}/intro-call">Sam Stand-in</a>`));
    // A round robin the teammate also hosts is still bookable (with them): no notice there.
    expect((await t.http().get(`/${host.username}/${shared.slug}`).expect(200)).text).not.toContain('is away until');
    expect(starts(await slots(shared.id, '2027-03-03'))).toHaveLength(16);
    const profile = await t.http().get(`/${host.username}`).query({ tz: 'America/New_York' }).expect(200);
    expect(profile.text).toContain('Ada Away is away until 14 Mar 2027, 20:00 (America/New_York)');
    expect(profile.text).toMatch(new RegExp(`<a href="[^"]*/${mate.username}">Sam Stand-in</a>`));

    // A teammate who has left the team is no longer offered.
    await t.http().delete(`/api/teams/${team.id}/members/${mate.id}`).set(host.auth).expect(204);
    const left = await away({ user_id: host.id, meeting_type_id: type.id }).expect(200);
    expect(left.body.away).toEqual({ until: '2027-03-15T00:00:00Z', reason: 'Ski trip', redirect: null });
    expect((await t.http().get(`/${host.username}/intro-call`).expect(200)).text).not.toContain('Sam Stand-in');

    // The host's GDPR export carries their time off and holiday setting.
    await t.http().put('/api/availability/holidays').set(host.auth).send({ country: 'GB', region: 'ENG' }).expect(200);
    const exported = await t.http().get('/api/users/me/export').set(host.auth).expect(200);
    expect(exported.body.time_off.map((r: { reason: string | null }) => r.reason)).toEqual(['Ski trip', null]);
    expect(exported.body.holiday_settings).toMatchObject({ country: 'GB', region: 'ENG' });

    // Back on 15 March: no notice.
    t.clock?.set('2027-03-15T00:00:00Z');
    try {
      expect((await away({ user_id: host.id }).expect(200)).body).toEqual({ away: null });
      expect((await t.http().get(`/${host.username}/intro-call`).expect(200)).text).not.toContain('is away until');
    } finally {
      t.clock?.set(NOW);
    }
  });
  it('every answer of these endpoints matches the OpenAPI document (status, headers, schema)', async () => {
    const contract = new OpenApiContract((await t.http().get('/api/openapi.json').expect(200)).body);
    const host = await createHost(t, { name: 'Contract Host' });
    const mate = await createHost(t);
    await createTeam(t, host, [mate]);
    const type = await createMeetingType(t, host, { slug: 'contract-call' });
    await createMeetingType(t, mate, { slug: 'contract-call' });
    const created = await contract.check(
      await addTimeOff(host, {
        start_time: '2027-02-28T00:00:00Z',
        end_time: '2027-03-02T00:00:00Z',
        reason: 'Away',
        redirect_to_user_id: mate.id,
      }),
    );
    expect(created.status).toBe(201);
    await contract.check(await addTimeOff(host, { start_time: '2027-03-02T00:00:00Z', end_time: '2027-03-01T00:00:00Z' }));
    await contract.check(await t.http().get('/api/availability/time-off').set(host.auth));
    await contract.check(await t.http().get('/api/availability/time-off').query({ limit: 0 }).set(host.auth));
    await contract.check(await t.http().get('/api/availability/away').query({ user_id: host.id, meeting_type_id: type.id }));
    await contract.check(await t.http().get('/api/availability/away').query({ user_id: mate.id }));
    await contract.check(await t.http().get('/api/availability/away').query({ user_id: host.id, meeting_type_id: randomUUID() }));
    await contract.check(await t.http().put('/api/availability/holidays').set(host.auth).send({ country: 'DE', region: 'BY' }));
    await contract.check(await t.http().put('/api/availability/holidays').set(host.auth).send({ country: 'XX' }));
    await contract.check(await t.http().get('/api/availability/holidays').query({ year: 2027 }).set(host.auth));
    await contract.check(await t.http().get('/api/availability/holidays/countries').set(host.auth));
    await contract.check(await t.http().put('/api/availability/holidays').set(host.auth).send({ country: null }));
    await contract.check(await t.http().delete(`/api/availability/time-off/${created.body.id}`).set(host.auth));
    await contract.check(await t.http().delete(`/api/availability/time-off/${created.body.id}`).set(host.auth));
    await contract.check(await t.http().get('/api/availability/time-off'));
    expect(contract.problems).toEqual([]);
    expect(contract.seen.size).toBeGreaterThanOrEqual(12);
  });
});
