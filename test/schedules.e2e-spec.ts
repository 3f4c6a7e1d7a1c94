import { AvailabilityReadsRepository } from '../src/modules/availability/infrastructure/availability-reads.repository.js';
import { AvailabilityVersions } from '../src/shared/cache/availability-versions.js';
import { createHost, type TestHost } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('availability rules and schedules (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2027-03-01T12:00:00Z' });
  });
  afterAll(() => t.close());

  const weekdays = [1, 2, 3, 4, 5].map((d) => ({ day_of_week: d, start_time: '09:00', end_time: '17:00' }));
  const setRules = (host: TestHost, body: object) => t.http().post('/api/availability/rules').set(host.auth).send(body);

  describe('POST/GET /api/availability/rules (the default schedule)', () => {
    it('returns empty hours in the user zone before any are set', async () => {
      const host = await createHost(t, { time_zone: 'America/New_York' });
      const res = await t.http().get('/api/availability/rules').set(host.auth).expect(200);
      expect(res.body).toEqual({ schedule_id: null, name: 'Working hours', time_zone: 'America/New_York', rules: [], overrides: [] });
    });

    it('creates the default schedule in the user zone, then replaces it wholesale', async () => {
      const host = await createHost(t, { time_zone: 'America/New_York' });
      const first = await setRules(host, {
        rules: [
          ...weekdays,
          { day_of_week: 6, start_time: '20:00', end_time: '24:00' },
          { day_of_week: 1, start_time: '18:00', end_time: '19:30' },
        ],
        overrides: [
          {
            date: '2027-03-15',
            intervals: [
              { start_time: '13:00', end_time: '15:00' },
              { start_time: '10:00', end_time: '11:00' },
            ],
          },
          { date: '2027-03-10', intervals: [] },
        ],
      }).expect(200);
      expect(first.body.schedule_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(first.body.time_zone).toBe('America/New_York');
      expect(first.body.name).toBe('Working hours');
      // Sorted by day, then start; HH:MM strings; 24:00 kept as the end of the day.
      expect(first.body.rules.slice(0, 2)).toEqual([
        { day_of_week: 1, start_time: '09:00', end_time: '17:00' },
        { day_of_week: 1, start_time: '18:00', end_time: '19:30' },
      ]);
      expect(first.body.rules).toContainEqual({ day_of_week: 6, start_time: '20:00', end_time: '24:00' });
      expect(first.body.rules).toHaveLength(7);
      expect(first.body.overrides).toEqual([
        { date: '2027-03-10', intervals: [] },
        {
          date: '2027-03-15',
          intervals: [
            { start_time: '10:00', end_time: '11:00' },
            { start_time: '13:00', end_time: '15:00' },
          ],
        },
      ]);
      const got = await t.http().get('/api/availability/rules').set(host.auth).expect(200);
      expect(got.body).toEqual(first.body);

      const second = await setRules(host, {
        time_zone: 'Asia/Kathmandu',
        rules: [{ day_of_week: 0, start_time: '00:00', end_time: '24:00' }],
      }).expect(200);
      expect(second.body).toEqual({
        schedule_id: first.body.schedule_id,
        name: 'Working hours',
        time_zone: 'Asia/Kathmandu',
        rules: [{ day_of_week: 0, start_time: '00:00', end_time: '24:00' }],
        overrides: [],
      });
      const rows = await t.dataSource.query(`SELECT count(*)::int AS n FROM schedules WHERE user_id = $1`, [host.id]);
      expect(rows[0].n).toBe(1);
    });

    it('allows intervals that touch and several intervals a day', async () => {
      const host = await createHost(t);
      const res = await setRules(host, {
        rules: [
          { day_of_week: 2, start_time: '12:00', end_time: '17:00' },
          { day_of_week: 2, start_time: '09:00', end_time: '12:00' },
        ],
        overrides: [
          {
            date: '2028-02-29',
            intervals: [
              { start_time: '00:00', end_time: '01:00' },
              { start_time: '01:00', end_time: '24:00' },
            ],
          },
        ],
      }).expect(200);
      expect(res.body.rules).toEqual([
        { day_of_week: 2, start_time: '09:00', end_time: '12:00' },
        { day_of_week: 2, start_time: '12:00', end_time: '17:00' },
      ]);
    });

    const rule = (start_time: string, end_time: string, day_of_week: unknown = 1) => ({ day_of_week, start_time, end_time });
    it.each([
      ['hour without a leading zero', { rules: [rule('9:00', '17:00')] }, /start_time must be a time HH:MM/],
      ['hour 25', { rules: [rule('09:00', '25:00')] }, /end_time must be a time HH:MM between 00:01 and 24:00/],
      ['minute 60', { rules: [rule('09:60', '17:00')] }, /start_time must be a time HH:MM between 00:00 and 23:59/],
      ['24:00 as a start', { rules: [rule('24:00', '24:00')] }, /start_time must be a time HH:MM between 00:00 and 23:59/],
      ['24:30 as an end', { rules: [rule('09:00', '24:30')] }, /end_time must be a time HH:MM/],
      ['seconds', { rules: [rule('09:00:00', '17:00')] }, /start_time must be a time HH:MM/],
      ['start after end', { rules: [rule('17:00', '09:00')] }, /rules\.0: start_time 17:00 must be before end_time 09:00/],
      ['start equal to end', { rules: [rule('09:00', '09:00')] }, /start_time 09:00 must be before end_time 09:00/],
      [
        'overlap on one day',
        { rules: [rule('09:00', '12:00'), rule('11:00', '13:00')] },
        /intervals overlap on Monday: 09:00-12:00 and 11:00-13:00/,
      ],
      [
        'a contained interval',
        { rules: [rule('09:00', '17:00', 3), rule('10:00', '11:00', 3)] },
        /intervals overlap on Wednesday: 09:00-17:00 and 10:00-11:00/,
      ],
      ['day_of_week 7', { rules: [rule('09:00', '17:00', 7)] }, /day_of_week must be an integer 0-6/],
      ['day_of_week -1', { rules: [rule('09:00', '17:00', -1)] }, /day_of_week must be an integer 0-6/],
      ['day_of_week as a string', { rules: [rule('09:00', '17:00', '1')] }, /day_of_week must be an integer 0-6/],
      ['day_of_week 1.5', { rules: [rule('09:00', '17:00', 1.5)] }, /day_of_week must be an integer 0-6/],
      ['an unknown zone', { time_zone: 'Mars/Olympus', rules: [] }, /time_zone must be an IANA time zone/],
      ['a zone abbreviation', { time_zone: 'EST', rules: [] }, /time_zone must be an IANA time zone/],
      ['missing rules', { time_zone: 'Europe/London' }, /rules must be an array/],
      ['an extra field', { rules: [], is_admin: true }, /property is_admin should not exist/],
      ['an extra field in a rule', { rules: [{ ...rule('09:00', '10:00'), note: 'x' }] }, /property note should not exist/],
      [
        'a date that does not exist',
        { rules: [], overrides: [{ date: '2027-02-30', intervals: [] }] },
        /overrides\.0\.date: 2027-02-30 is not a real calendar date/,
      ],
      ['February 29 of a common year', { rules: [], overrides: [{ date: '2027-02-29', intervals: [] }] }, /not a real calendar date/],
      ['month 13', { rules: [], overrides: [{ date: '2027-13-01', intervals: [] }] }, /not a real calendar date/],
      ['a malformed date', { rules: [], overrides: [{ date: '1/3/2027', intervals: [] }] }, /date must be a date YYYY-MM-DD/],
      [
        'a datetime as a date',
        { rules: [], overrides: [{ date: '2027-03-01T00:00:00Z', intervals: [] }] },
        /date must be a date YYYY-MM-DD/,
      ],
      [
        'a duplicate override date',
        {
          rules: [],
          overrides: [
            { date: '2027-03-05', intervals: [] },
            { date: '2027-03-05', intervals: [] },
          ],
        },
        /overrides\.1\.date: 2027-03-05 appears more than once/,
      ],
      [
        'overlapping override intervals',
        {
          rules: [],
          overrides: [
            {
              date: '2027-03-05',
              intervals: [
                { start_time: '10:00', end_time: '12:00' },
                { start_time: '11:30', end_time: '13:00' },
              ],
            },
          ],
        },
        /intervals overlap on 2027-03-05: 10:00-12:00 and 11:30-13:00/,
      ],
      [
        'an override interval ending before it starts',
        { rules: [], overrides: [{ date: '2027-03-05', intervals: [{ start_time: '12:00', end_time: '10:00' }] }] },
        /overrides\.0\.intervals\.0: start_time 12:00 must be before end_time 10:00/,
      ],
      ['override without intervals', { rules: [], overrides: [{ date: '2027-03-05' }] }, /intervals must be an array/],
    ])('rejects %s with 400, a message, and no change', async (_name, body, message) => {
      const host = await createHost(t);
      const before = await setRules(host, { rules: weekdays }).expect(200);
      const res = await setRules(host, body).expect(400);
      expect(res.body).toMatchObject({ status_code: 400, error: 'Bad Request' });
      expect(res.body.message).toMatch(message);
      const after = await t.http().get('/api/availability/rules').set(host.auth).expect(200);
      expect(after.body).toEqual(before.body);
    });

    it('lists every problem at once, naming the fields', async () => {
      const host = await createHost(t);
      const res = await setRules(host, {
        rules: [rule('10:00', '09:00', 1), rule('09:00', '12:00', 2), rule('11:00', '13:00', 2)],
        overrides: [{ date: '2027-02-30', intervals: [] }],
      }).expect(400);
      expect(res.body.message).toMatch(/rules\.0: start_time 10:00 must be before end_time 09:00/);
      expect(res.body.message).toMatch(/intervals overlap on Tuesday/);
      expect(res.body.message).toMatch(/2027-02-30 is not a real calendar date/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['rules.0', 'rules.2', 'overrides.0.date']);
    });

    it('requires authentication', async () => {
      await t.http().get('/api/availability/rules').expect(401);
      await t.http().post('/api/availability/rules').send({ rules: [] }).expect(401);
    });

    it('creates exactly one default schedule under concurrent first writes', async () => {
      const host = await createHost(t);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => setRules(host, { rules: [{ day_of_week: 1, start_time: `0${i}:00`, end_time: '10:00' }] })),
      );
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const schedules = await t.dataSource.query(`SELECT id FROM schedules WHERE user_id = $1`, [host.id]);
      expect(schedules).toHaveLength(1);
      const rules = await t.dataSource.query(`SELECT day_of_week FROM availability_rules WHERE user_id = $1`, [host.id]);
      expect(rules).toHaveLength(1); // one whole replacement won; no mix of two
    });

    it('bumps the host availability version on every change', async () => {
      const host = await createHost(t);
      const versions = t.app.get(AvailabilityVersions);
      const [v0] = await versions.current([host.id]);
      await setRules(host, { rules: weekdays }).expect(200);
      const [v1] = await versions.current([host.id]);
      expect(Number(v1)).toBeGreaterThan(Number(v0));
      const created = await t.http().post('/api/schedules').set(host.auth).send({ name: 'Other', rules: [] }).expect(201);
      const [v2] = await versions.current([host.id]);
      expect(Number(v2)).toBeGreaterThan(Number(v1));
      await t.http().put(`/api/schedules/${created.body.id}`).set(host.auth).send({ name: 'Renamed' }).expect(200);
      const [v3] = await versions.current([host.id]);
      expect(Number(v3)).toBeGreaterThan(Number(v2));
      await t.http().delete(`/api/schedules/${created.body.id}`).set(host.auth).expect(204);
      const [v4] = await versions.current([host.id]);
      expect(Number(v4)).toBeGreaterThan(Number(v3));
      // A rejected change bumps nothing.
      await setRules(host, { rules: [rule('10:00', '09:00')] }).expect(400);
      const [v5] = await versions.current([host.id]);
      expect(v5).toBe(v4);
    });
  });

  describe('named schedules', () => {
    it('creates, lists, reads, updates and deletes schedules; one default per host', async () => {
      const host = await createHost(t, { time_zone: 'Australia/Sydney' });
      const first = await t.http().post('/api/schedules').set(host.auth).send({ name: 'Weekdays', rules: weekdays }).expect(201);
      expect(first.body).toMatchObject({ name: 'Weekdays', time_zone: 'Australia/Sydney', is_default: true, overrides: [] });
      expect(first.body.rules).toHaveLength(5);
      // The first schedule is the default, so it is what /availability/rules shows.
      const hours = await t.http().get('/api/availability/rules').set(host.auth).expect(200);
      expect(hours.body.schedule_id).toBe(first.body.id);

      const second = await t
        .http()
        .post('/api/schedules')
        .set(host.auth)
        .send({
          name: 'Evenings',
          time_zone: 'Europe/London',
          rules: [{ day_of_week: 3, start_time: '18:00', end_time: '22:00' }],
          overrides: [{ date: '2027-04-01', intervals: [] }],
        })
        .expect(201);
      expect(second.body.is_default).toBe(false);

      const list = await t.http().get('/api/schedules').set(host.auth).expect(200);
      expect(list.body.map((s: { name: string; is_default: boolean }) => [s.name, s.is_default])).toEqual([
        ['Weekdays', true],
        ['Evenings', false],
      ]);

      // Making the second the default unsets the first.
      const promoted = await t.http().put(`/api/schedules/${second.body.id}`).set(host.auth).send({ is_default: true }).expect(200);
      expect(promoted.body).toMatchObject({ is_default: true, name: 'Evenings', time_zone: 'Europe/London' });
      expect(promoted.body.overrides).toEqual([{ date: '2027-04-01', intervals: [] }]); // untouched by a partial PUT
      const demoted = await t.http().get(`/api/schedules/${first.body.id}`).set(host.auth).expect(200);
      expect(demoted.body.is_default).toBe(false);
      expect((await t.http().get('/api/availability/rules').set(host.auth)).body.schedule_id).toBe(second.body.id);

      // PUT replaces rules when sent, and validates like POST.
      const updated = await t
        .http()
        .put(`/api/schedules/${first.body.id}`)
        .set(host.auth)
        .send({
          name: 'Mornings',
          time_zone: 'Asia/Kolkata',
          rules: [{ day_of_week: 1, start_time: '06:00', end_time: '09:00' }],
        })
        .expect(200);
      expect(updated.body).toMatchObject({
        name: 'Mornings',
        time_zone: 'Asia/Kolkata',
        rules: [{ day_of_week: 1, start_time: '06:00', end_time: '09:00' }],
      });
      const overlapping = await t
        .http()
        .put(`/api/schedules/${first.body.id}`)
        .set(host.auth)
        .send({
          rules: [
            { day_of_week: 1, start_time: '06:00', end_time: '09:00' },
            { day_of_week: 1, start_time: '08:00', end_time: '10:00' },
          ],
        })
        .expect(400);
      expect(overlapping.body.message).toMatch(/overlap on Monday/);
      const badZone = await t.http().put(`/api/schedules/${first.body.id}`).set(host.auth).send({ time_zone: 'Nowhere/City' }).expect(400);
      expect(badZone.body.message).toMatch(/time_zone must be an IANA time zone/);
      const nullName = await t.http().put(`/api/schedules/${first.body.id}`).set(host.auth).send({ name: null }).expect(400);
      expect(nullName.body.message).toMatch(/name/);

      // The default cannot be unset or deleted while other schedules exist.
      const unset = await t.http().put(`/api/schedules/${second.body.id}`).set(host.auth).send({ is_default: false }).expect(400);
      expect(unset.body.message).toMatch(/always has one default schedule/);
      const deleteDefault = await t.http().delete(`/api/schedules/${second.body.id}`).set(host.auth).expect(400);
      expect(deleteDefault.body.message).toMatch(/make another schedule the default before deleting it/);

      await t.http().delete(`/api/schedules/${first.body.id}`).set(host.auth).expect(204);
      await t.http().get(`/api/schedules/${first.body.id}`).set(host.auth).expect(404);
      // The last schedule may go, default or not.
      await t.http().delete(`/api/schedules/${second.body.id}`).set(host.auth).expect(204);
      expect((await t.http().get('/api/schedules').set(host.auth)).body).toEqual([]);
    });

    it('creating a schedule with is_default moves the default', async () => {
      const host = await createHost(t);
      await setRules(host, { rules: weekdays }).expect(200);
      const created = await t
        .http()
        .post('/api/schedules')
        .set(host.auth)
        .send({ name: 'New default', rules: [], is_default: true })
        .expect(201);
      expect(created.body.is_default).toBe(true);
      const defaults = await t.dataSource.query(`SELECT id FROM schedules WHERE user_id = $1 AND is_default`, [host.id]);
      expect(defaults).toEqual([{ id: created.body.id }]);
    });

    it('validates the body', async () => {
      const host = await createHost(t);
      const noName = await t.http().post('/api/schedules').set(host.auth).send({ rules: [] }).expect(400);
      expect(noName.body.message).toMatch(/name must be a string/);
      const emptyName = await t.http().post('/api/schedules').set(host.auth).send({ name: '', rules: [] }).expect(400);
      expect(emptyName.body.message).toMatch(/name must not be empty/);
      const badDefault = await t.http().post('/api/schedules').set(host.auth).send({ name: 'x', rules: [], is_default: 'yes' }).expect(400);
      expect(badDefault.body.message).toMatch(/is_default must be a boolean/);
      const badDate = await t
        .http()
        .post('/api/schedules')
        .set(host.auth)
        .send({ name: 'x', rules: [], overrides: [{ date: '2027-04-31', intervals: [] }] })
        .expect(400);
      expect(badDate.body.message).toMatch(/2027-04-31 is not a real calendar date/);
      expect((await t.http().get('/api/schedules').set(host.auth)).body).toEqual([]);
    });

    it("hides other hosts' schedules (404) and requires auth (401)", async () => {
      const owner = await createHost(t);
      const other = await createHost(t);
      const created = await t.http().post('/api/schedules').set(owner.auth).send({ name: 'Mine', rules: weekdays }).expect(201);
      const id = created.body.id;
      await t.http().get(`/api/schedules/${id}`).set(other.auth).expect(404);
      await t.http().put(`/api/schedules/${id}`).set(other.auth).send({ name: 'Stolen' }).expect(404);
      await t.http().delete(`/api/schedules/${id}`).set(other.auth).expect(404);
      expect((await t.http().get('/api/schedules').set(other.auth)).body).toEqual([]);
      await t.http().get(`/api/schedules/${id}`).expect(401);
      await t.http().get('/api/schedules').expect(401);
      const badId = await t.http().get('/api/schedules/not-a-uuid').set(owner.auth).expect(400);
      expect(badId.body.message).toBe('id must be a UUID');
      const still = await t.http().get(`/api/schedules/${id}`).set(owner.auth).expect(200);
      expect(still.body.name).toBe('Mine');
    });
  });

  describe("the slot engine's hours (AvailabilityReadsRepository.hours)", () => {
    it("gives the chosen schedule to its owner, defaults to the other hosts, and empty hours in the user's zone to hosts without one", async () => {
      const owner = await createHost(t, { time_zone: 'Europe/London' });
      const colleague = await createHost(t, { time_zone: 'Asia/Kolkata' });
      const newcomer = await createHost(t, { time_zone: 'Pacific/Chatham' });
      await setRules(owner, { rules: weekdays, overrides: [{ date: '2027-03-29', intervals: [] }] }).expect(200);
      const special = await t
        .http()
        .post('/api/schedules')
        .set(owner.auth)
        .send({
          name: 'Late',
          time_zone: 'America/New_York',
          rules: [{ day_of_week: 5, start_time: '22:30', end_time: '24:00' }],
          overrides: [{ date: '2027-03-12', intervals: [{ start_time: '01:15', end_time: '02:45' }] }],
        })
        .expect(201);
      await setRules(colleague, { rules: [{ day_of_week: 0, start_time: '00:00', end_time: '01:30' }] }).expect(200);

      const reads = t.app.get(AvailabilityReadsRepository);
      const chosen = await reads.hours([owner.id, colleague.id, newcomer.id], special.body.id);
      expect(chosen.get(owner.id)).toEqual({
        timeZone: 'America/New_York',
        rules: [{ dayOfWeek: 5, startMinute: 1350, endMinute: 1440 }],
        overrides: [{ date: '2027-03-12', intervals: [{ startMinute: 75, endMinute: 165 }] }],
        holidays: null, // follows no country's holidays (PUT /api/availability/holidays)
        limits: null, // no caps of the host's own (GET/PUT /api/availability/limits)
      });
      expect(chosen.get(colleague.id)).toEqual({
        timeZone: 'Asia/Kolkata',
        rules: [{ dayOfWeek: 0, startMinute: 0, endMinute: 90 }],
        overrides: [],
        holidays: null,
        limits: null,
      });
      expect(chosen.get(newcomer.id)).toEqual({ timeZone: 'Pacific/Chatham', rules: [], overrides: [], holidays: null, limits: null });
      // The slots endpoint reads the same hours beside the busy time, in one statement.
      const withBusy = await reads.hoursAndBusy({
        hostIds: [owner.id, colleague.id, newcomer.id],
        scheduleId: special.body.id,
        from: new Date('2027-03-12T00:00:00Z'),
        to: new Date('2027-03-13T00:00:00Z'),
        now: new Date('2027-03-01T00:00:00Z'),
        groupTypeId: null,
      });
      expect(withBusy).toEqual({
        hours: chosen,
        busy: [],
        expiredHoldsLive: false,
        expiredPendingLive: false,
        capCounts: [],
        roundRobin: null,
      });

      const defaults = await reads.hours([owner.id, colleague.id], null);
      expect(defaults.get(owner.id)).toEqual({
        timeZone: 'Europe/London',
        rules: [1, 2, 3, 4, 5].map((d) => ({ dayOfWeek: d, startMinute: 540, endMinute: 1020 })),
        overrides: [{ date: '2027-03-29', intervals: [] }],
        holidays: null,
        limits: null,
      });
      // Another host's schedule id never leaks into a host's hours.
      const foreign = await reads.hours([colleague.id], special.body.id);
      expect(foreign.get(colleague.id)?.timeZone).toBe('Asia/Kolkata');
      expect((await reads.hours([], null)).size).toBe(0);
    });

    it('is exact for dates whatever the server zone (DATE columns never pass through a local Date)', async () => {
      const host = await createHost(t);
      await setRules(host, {
        rules: [],
        overrides: [
          { date: '2027-01-01', intervals: [] },
          { date: '2027-12-31', intervals: [] },
        ],
      }).expect(200);
      const hours = await t.app.get(AvailabilityReadsRepository).hours([host.id], null);
      expect(hours.get(host.id)?.overrides.map((o) => o.date)).toEqual(['2027-01-01', '2027-12-31']);
      const api = await t.http().get('/api/availability/rules').set(host.auth).expect(200);
      expect(api.body.overrides.map((o: { date: string }) => o.date)).toEqual(['2027-01-01', '2027-12-31']);
    });
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const doc = await t.http().get('/api/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths['/api/availability/rules']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.body.paths['/api/schedules']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.body.paths['/api/schedules/{id}']).sort()).toEqual(['delete', 'get', 'put']);
    expect(doc.body.components.schemas.RuleDto.properties.end_time).toBeDefined();
  });
});
