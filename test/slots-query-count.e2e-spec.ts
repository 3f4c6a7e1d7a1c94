import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { settleDeliveries } from './support/deliveries.js';
import { createHost } from './support/factories.js';
import { createMeetingType, createTeam, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { USE_EMBEDDED_DB } from './support/test-env.js';

// The slots read path is benchmarked (docs/performance.md): its SQL round trips are counted here so a refactor that
// adds one fails a test instead of a benchmark. A cold request reads hours and busy time in one statement ('inputs'),
// prepared once per connection on PostgreSQL (RawStatements; unnamed on the embedded database's shared session).
describe('slots read path: SQL statements per request', () => {
  let t: TestApp;
  let statements: { mock: { calls: unknown[][] }; mockClear(): void; mockRestore(): void };
  beforeAll(async () => {
    // The cache epoch is leased per replica (availability-versions.ts): a lease longer than this test makes the
    // statement lists exact; only the first request reads the epoch.
    // The periodic delivery sweep and approval expiry are off: their polls would land between a request's statements
    // (the bookings' mails still go out through the queue, which settleDeliveries waits for).
    t = await startTestApp({
      now: '2027-03-01T12:00:00Z',
      env: { SLOT_CACHE_EPOCH_LEASE_MS: '600000', NOTIFY_SWEEP_INTERVAL_MS: '0', APPROVAL_EXPIRY_INTERVAL_MS: '0' },
    });
    const pool = (t.app.get(DataSource).driver as unknown as { master: { Client: { prototype: { query: () => unknown } } } }).master;
    statements = jest.spyOn(pool.Client.prototype, 'query') as never;
  });
  afterAll(async () => {
    statements.mockRestore();
    await t.close();
  });

  /**
   * Waits until the work a booking sets off in the background (the notify and calendar consumers of its outbox
   * events) has stopped issuing statements, so that they are not counted as the next request's.
   */
  const settled = async () => {
    // Relayed to every consumer and sent first: a quiet window alone was too short on a loaded CI machine, where a
    // consumer's next statement came more than 250 ms after its last.
    await settleDeliveries(t);
    for (let i = 0; i < 40; i++) {
      statements.mockClear();
      await new Promise((r) => setTimeout(r, 250));
      const busy = statements.mock.calls.some(
        (c) => !/outbox|advisory/.test(String(typeof c[0] === 'string' ? c[0] : (c[0] as { text: string }).text)),
      );
      if (!busy) return;
    }
    throw new Error('background statements did not stop');
  };
  /** The statements' names (prepared statements) of the last request, by what they read. */
  let names = new Map<string, string | undefined>();
  /** What each statement of the request reads, in order; background work (outbox relay, locks) is left out. */
  const statementsOf = async (query: Record<string, string>): Promise<string[]> => {
    statements.mockClear();
    await t.http().get('/api/availability/slots').query(query).expect(200);
    names = new Map();
    return statements.mock.calls
      .map((c) => (typeof c[0] === 'string' ? { text: c[0] } : (c[0] as { text: string; name?: string })))
      .filter(({ text }) => !/outbox|advisory/.test(text))
      .map(({ text: sql, name }) => {
        if (/availability_cache_epoch/.test(sql)) return 'cache epoch';
        if (/FROM users u\s+LEFT JOIN schedules/.test(sql) && /FROM booking_hosts/.test(sql)) {
          names.set('inputs', name);
          return 'inputs';
        }
        if (/FROM users u\s+LEFT JOIN schedules/.test(sql)) return 'host hours';
        if (/FROM booking_hosts/.test(sql)) return 'busy';
        if (/SELECT version\(\)/.test(sql)) return 'server version';
        if (/FROM booking_invitees/.test(sql)) return 'invitee counts';
        if (/FROM calendar_integrations/.test(sql)) return 'calendar sync state';
        return /FROM "(\w+)"/.exec(sql)?.[1] ?? sql.slice(0, 60);
      });
  };

  it('one-on-one and team types, by id and by address, cold and warm', async () => {
    const host = await createHost(t);
    const member = await createHost(t);
    await setWeeklyHours(t, host, 'UTC');
    await setWeeklyHours(t, member, 'UTC');
    const single = await createMeetingType(t, host, { slug: 'single' });
    const team = await createTeam(t, host, [member]);
    const collective = await createMeetingType(t, host, {
      slug: 'team',
      kind: 'collective',
      team_id: team.id,
      host_ids: [host.id, member.id],
    });
    // Pool connections warmed, and the epoch read: leased from here on, no request below reads it.
    expect(await statementsOf({ meeting_type_id: single.id, date: '2027-03-02', timezone: 'UTC' })).toContain('cache epoch');

    const singleById = ['meeting_types', 'inputs'];
    expect(await statementsOf({ meeting_type_id: single.id, date: '2027-03-03', timezone: 'UTC' })).toEqual(singleById);
    expect(await statementsOf({ username: host.username, slug: 'single', date: '2027-03-04', timezone: 'UTC' })).toEqual([
      'users',
      ...singleById,
    ]);
    const teamById = ['meeting_types', 'meeting_type_hosts', 'inputs'];
    // On-demand calendar sync looks a host's connections up once per CALENDAR_ON_DEMAND_AFTER_SECONDS per replica:
    // the first request here is the first to name the member.
    expect(await statementsOf({ meeting_type_id: collective.id, date: '2027-03-05', timezone: 'UTC' })).toEqual([
      'meeting_types',
      'meeting_type_hosts',
      'calendar sync state',
      'inputs',
    ]);
    expect(await statementsOf({ meeting_type_id: collective.id, date: '2027-03-06', timezone: 'UTC' })).toEqual(teamById);
    expect(await statementsOf({ username: host.username, slug: 'team', date: '2027-03-08', timezone: 'UTC' })).toEqual([
      'users',
      ...teamById,
    ]);
    // From the third cold request for a type on, its snapshot is reused while its versions stand (read with the
    // hosts' versions in one MGET): the second read it after its versions, which verified it.
    expect(await statementsOf({ meeting_type_id: single.id, date: '2027-03-09', timezone: 'UTC' })).toEqual(['inputs']);
    // A prepared statement on PostgreSQL; unnamed on the embedded database, whose pooled connections share one session.
    expect(names.get('inputs')).toBe(USE_EMBEDDED_DB ? undefined : 'kairos_hours_and_busy');
    expect(await statementsOf({ meeting_type_id: collective.id, date: '2027-03-09', timezone: 'UTC' })).toEqual(['inputs']);
    // By address: keyed apart from the id; the second request verifies, the third reuses.
    const byAddress = (date: string) => statementsOf({ username: host.username, slug: 'team', date, timezone: 'UTC' });
    expect(await byAddress('2027-03-09')).toEqual(['users', ...teamById]);
    expect(await byAddress('2027-03-10')).toEqual(['inputs']);
    // A write to the type bumps its version: the next request reads it again, and shows the change.
    await t.http().put(`/api/meeting-types/${single.id}`).set(host.auth).send({ duration_minutes: 45 }).expect(200);
    expect(await statementsOf({ meeting_type_id: single.id, date: '2027-03-10', timezone: 'UTC' })).toEqual(singleById);
    const after = await t.http().get('/api/availability/slots').query({ meeting_type_id: single.id, date: '2027-03-10', timezone: 'UTC' });
    expect(after.body.duration_minutes).toBe(45);
    expect(await statementsOf({ meeting_type_id: single.id, date: '2027-03-11', timezone: 'UTC' })).toEqual(['inputs']);
    // Warm: the entry and the host versions come from Redis, the epoch from the lease: no SQL at all.
    expect(await statementsOf({ meeting_type_id: single.id, date: '2027-03-11', timezone: 'UTC' })).toEqual([]);
    // Once that period has passed, the warm path looks the host up again (once), and finds nothing to sync.
    t.clock!.advance(121_000);
    expect(await statementsOf({ meeting_type_id: single.id, date: '2027-03-11', timezone: 'UTC' })).toEqual(['calendar sync state']);
    expect(await statementsOf({ meeting_type_id: single.id, date: '2027-03-11', timezone: 'UTC' })).toEqual([]);
  });

  it("a round-robin type with capped hosts reads their counts in the same statement; a cap's change re-reads the type", async () => {
    const host = await createHost(t);
    const member = await createHost(t);
    await setWeeklyHours(t, host, 'UTC');
    await setWeeklyHours(t, member, 'UTC');
    const team = await createTeam(t, host, [member]);
    const rr = await createMeetingType(t, host, { slug: 'capped', kind: 'round_robin', team_id: team.id, host_ids: [host.id, member.id] });
    await t.http().put(`/api/meeting-types/${rr.id}/hosts/${member.id}`).set(host.auth).send({ max_bookings_per_period: 1 }).expect(200);
    const ask = (date: string) => statementsOf({ meeting_type_id: rr.id, date, timezone: 'UTC' });
    await ask('2027-03-02'); // connections warmed, calendar sync state looked up
    await ask('2027-03-03');
    expect(await ask('2027-03-04')).toEqual(['inputs']);
    expect(names.get('inputs')).toBe(USE_EMBEDDED_DB ? undefined : 'kairos_hours_and_busy');
    // The cap is part of the type's snapshot: its change bumps the type's version and the host's.
    await t.http().put(`/api/meeting-types/${rr.id}/hosts/${member.id}`).set(host.auth).send({ max_bookings_per_period: 0 }).expect(200);
    expect(await ask('2027-03-04')).toEqual(['meeting_types', 'meeting_type_hosts', 'inputs']);
  });

  it('a group type with bookings in the range reads their seat counts in a second statement, and only then', async () => {
    const host = await createHost(t);
    await setWeeklyHours(t, host, 'UTC');
    const group = await createMeetingType(t, host, { slug: 'group', kind: 'group', seats: 3 });
    const start = '2027-03-02T09:00:00Z';
    for (const n of ['g1', 'g2']) {
      await t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: group.id, start_time: start, ...invitee(n) })
        .expect(201);
    }
    await settled();
    // (The host's calendar connections may be looked up here, once per period: not what this test counts.)
    const cold = (date: string) =>
      statementsOf({ meeting_type_id: group.id, date, timezone: 'UTC' }).then((list) => list.filter((s) => s !== 'calendar sync state'));
    expect(await cold('2027-03-02')).toEqual(['meeting_types', 'inputs', 'invitee counts']);
    expect(await cold('2027-03-10')).toEqual(['meeting_types', 'inputs']); // a week later: no booking near it
    const slots = await t.http().get('/api/availability/slots').query({ meeting_type_id: group.id, date: '2027-03-02', timezone: 'UTC' });
    expect(slots.body.slots[0]).toMatchObject({ start_time: start, seats_remaining: 1 });
    // Any other kind never reads seat counts, bookings of its own in the range or not: the engine ignores them.
    const single = await createMeetingType(t, host, { slug: 'single-seat' });
    await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: single.id, start_time: '2027-03-02T11:00:00Z', ...invitee('s1') })
      .expect(201);
    await settled();
    const singleCold = await statementsOf({ meeting_type_id: single.id, date: '2027-03-02', timezone: 'UTC' });
    expect(singleCold.filter((s) => s !== 'calendar sync state')).toEqual(['meeting_types', 'inputs']);
  });
});
