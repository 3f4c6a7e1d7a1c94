import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createHost, type TestHost } from './support/factories.js';
import { createMeetingType, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Booking creation is benchmarked (docs/performance.md, issue 16): every booking of a host waits for the one before
// it (the host's advisory lock), so each statement from the lock to the unlock is paid in series. They are counted
// here so a change that adds one fails a test instead of a benchmark.
describe('booking creation: SQL statements per request', () => {
  let t: TestApp;
  let statements: { mock: { calls: unknown[][] }; mockClear(): void; mockRestore(): void };
  beforeAll(async () => {
    // No outbox relay or delivery sweep (0: off) runs during a request here: the lists are the request's own statements.
    t = await startTestApp({
      now: '2027-03-01T12:00:00Z',
      env: { OUTBOX_POLL_INTERVAL_MS: '0', NOTIFY_SWEEP_INTERVAL_MS: '0' },
    });
    const pool = (t.app.get(DataSource).driver as unknown as { master: { Client: { prototype: { query: () => unknown } } } }).master;
    statements = jest.spyOn(pool.Client.prototype, 'query') as never;
  });
  afterAll(async () => {
    statements.mockRestore();
    await t.close();
  });

  const label = (sql: string): string => {
    if (/pg_advisory_lock\(hashtextextended/.test(sql)) return /BEGIN ISOLATION LEVEL SERIALIZABLE/.test(sql) ? 'lock, begin' : 'lock';
    if (/^BEGIN ISOLATION LEVEL SERIALIZABLE$|^START TRANSACTION$/.test(sql)) return 'begin';
    if (/^SET TRANSACTION ISOLATION LEVEL/.test(sql)) return 'isolation level';
    if (/^COMMIT; SELECT pg_advisory_unlock/.test(sql)) return 'commit, unlock';
    if (/^COMMIT$/.test(sql)) return 'commit';
    if (/pg_advisory_unlock\(hashtextextended/.test(sql)) return 'unlock';
    if (/FROM users u\s+LEFT JOIN schedules/.test(sql)) return 'host hours';
    if (/FROM calendar_integrations/.test(sql)) return 'calendar sync state';
    if (/availability_cache_epoch/.test(sql)) return 'cache epoch';
    if (/DELETE FROM slot_holds/.test(sql)) return /UPDATE booking_hosts/.test(sql) ? 'end expired holds' : 'forget old holds';
    if (/UPDATE booking_hosts bh SET is_live = false FROM slot_holds/.test(sql)) return 'end expired holds';
    if (/FROM booking_hosts bh\s+LEFT JOIN booking_keys/.test(sql)) return 'busy';
    if (/FROM booking_invitees\s+WHERE booking_id = ANY/.test(sql)) return 'invitee counts';
    if (/INSERT INTO bookings/.test(sql)) return /INSERT INTO booking_hosts/.test(sql) ? 'insert booking and hosts' : 'insert booking';
    if (/INSERT INTO booking_hosts/.test(sql)) return 'insert hosts';
    if (/gen_random_uuid\(\) AS id/.test(sql)) return 'new invitee id';
    if (/INSERT INTO booking_invitees/.test(sql))
      return /INSERT INTO outbox_events/.test(sql) ? 'insert invitee and event' : 'insert invitee';
    if (/INSERT INTO outbox_events/.test(sql)) return 'insert event';
    if (/FROM idempotency_keys/.test(sql)) return 'idempotency key';
    if (/INSERT INTO idempotency_keys/.test(sql)) return 'insert idempotency key';
    return /FROM "(\w+)"/.exec(sql)?.[1] ?? sql.slice(0, 60);
  };

  /** What each statement of one booking request does, in order; on-demand calendar sync look-ups (once per period per host, beside the hours read) and reads of the cache epoch (leased per replica, availability-versions.ts) are left out. */
  const statementsOf = async (body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<string[]> => {
    statements.mockClear();
    await t.http().post('/api/bookings').set(headers).send(body).expect(201);
    return statements.mock.calls
      .map((c) => label(String(typeof c[0] === 'string' ? c[0] : (c[0] as { text?: string }).text)))
      .filter((what) => what !== 'calendar sync state' && what !== 'cache epoch');
  };

  async function oneOnOne(): Promise<{ host: TestHost; typeId: string }> {
    const host = await createHost(t, { time_zone: 'UTC' });
    await setWeeklyHours(t, host, 'UTC');
    const type = await createMeetingType(t, host, { slug: 'intro' });
    return { host, typeId: type.id };
  }

  const invitee = (start: string, n: number) => ({
    start_time: start,
    invitee_name: `Invitee ${n}`,
    invitee_email: `invitee${n}@example.com`,
    time_zone: 'UTC',
  });

  // Inside the host's lock: one round trip to take it and begin, the busy read of the re-check, one write of the
  // booking with its host rows, one of the invitee with the outbox event, one to commit and unlock.
  const transaction = ['lock, begin', 'busy', 'insert booking and hosts', 'insert invitee and event', 'commit, unlock'];

  it('one on one, with and without an Idempotency-Key', async () => {
    const { typeId } = await oneOnOne();
    // The first booking warms the pool.
    await statementsOf({ meeting_type_id: typeId, ...invitee('2027-03-02T09:00:00.000Z', 1) });
    // Bookings of the type around the time: a one-on-one type counts no invitees (only group seats need them).
    expect(await statementsOf({ meeting_type_id: typeId, ...invitee('2027-03-02T10:00:00.000Z', 2) })).toEqual([
      'meeting_types',
      'host hours',
      ...transaction,
    ]);
    expect(
      await statementsOf({ meeting_type_id: typeId, ...invitee('2027-03-02T11:00:00.000Z', 3) }, { 'Idempotency-Key': 'count-me-once' }),
    ).toEqual([
      'meeting_types',
      'idempotency key',
      'host hours',
      'lock, begin',
      'idempotency key',
      ...transaction.slice(1, -1),
      'insert idempotency key',
      'commit, unlock',
    ]);
  });

  it('expired holds near the time are ended in the transaction, only then', async () => {
    const { typeId } = await oneOnOne();
    await statementsOf({ meeting_type_id: typeId, ...invitee('2027-03-02T09:00:00.000Z', 6) });
    await t.http().post('/api/slots/holds').send({ meeting_type_id: typeId, start_time: '2027-03-02T10:00:00.000Z' }).expect(201);
    t.clock!.advance(11 * 60_000); // the hold has expired; its host row is still live
    try {
      expect(await statementsOf({ meeting_type_id: typeId, ...invitee('2027-03-02T10:00:00.000Z', 7) })).toEqual([
        'meeting_types',
        'host hours',
        'lock, begin',
        'busy',
        'end expired holds',
        ...transaction.slice(2),
      ]);
      expect(await statementsOf({ meeting_type_id: typeId, ...invitee('2027-03-02T11:00:00.000Z', 8) })).toEqual([
        'meeting_types',
        'host hours',
        ...transaction,
      ]);
    } finally {
      t.clock!.advance(-11 * 60_000);
    }
  });
});
