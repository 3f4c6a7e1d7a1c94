import { SlotsService } from '../src/modules/availability/application/slots.service.js';
import { createHost } from './support/factories.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { RedisProcess } from './support/redis-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const NOW = '2027-03-01T12:00:00Z';
/** Long enough that, without the writer's wait, the reading replica would still hold the old epoch. */
const LEASE_MS = '3000';

/**
 * A cache hit reads the PostgreSQL cache epoch from a per-replica lease, not from PostgreSQL. A replica whose version
 * bump misses Redis steps the epoch and waits the lease out before answering: once its write has answered, no other
 * replica serves an entry from before it, although that replica read the epoch a moment earlier and Redis (its
 * own) never saw the bump.
 */
describe('slot cache epoch lease across replicas (e2e, real PostgreSQL + Redis)', () => {
  let reader: TestApp;
  let writer: TestApp;
  let writersRedis: RedisProcess;
  beforeAll(async () => {
    writersRedis = await new RedisProcess().start();
    reader = await startTestApp({ now: NOW, env: { SLOT_CACHE_EPOCH_LEASE_MS: LEASE_MS } });
    writer = await startTestApp({
      now: NOW,
      database: reader.database!,
      env: { REDIS_URL: writersRedis.url, SLOT_CACHE_EPOCH_LEASE_MS: LEASE_MS, REDIS_COMMAND_TIMEOUT_MS: '200' },
    });
  });
  afterAll(async () => {
    // The writer closes cleanly once it is connected to its Redis again (its queues' connections wait for it).
    await writersRedis?.start();
    for (let i = 0; writer && i < 200; i++) {
      const ready = await writer.http().get('/health/ready');
      if ((ready.body as { details?: { redis?: { status?: string } } }).details?.redis?.status === 'up') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await writer?.close({ keepDatabase: true });
    await reader?.close();
    await writersRedis?.destroy();
  });

  it('a bump that missed Redis retires the entries other replicas hold leases for, by the time the write answers', async () => {
    const host = await createHost(reader, { time_zone: 'UTC' });
    await setWeeklyHours(reader, host, 'UTC');
    const type = await createMeetingType(reader, host, {});
    const query = { meeting_type_id: type.id, date: '2027-03-02', timezone: 'UTC' };
    const before = await reader.http().get('/api/availability/slots').query(query).expect(200);
    const request = { meetingTypeId: type.id, date: query.date, timeZone: query.timezone };
    expect((await reader.app.get(SlotsService).findRendered(request)).cached).toBe(true); // epoch leased just now

    await writersRedis.stop('SIGTERM'); // the writer's bump cannot reach Redis: it steps the epoch instead
    const taken = before.body.slots[0].start_time as string;
    await writer
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: type.id, start_time: taken, ...invitee(1) })
      .expect(201);

    const after = await reader.http().get('/api/availability/slots').query(query).expect(200);
    expect(after.body.slots.map((s: { start_time: string }) => s.start_time)).not.toContain(taken);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    // And the reader caches again under the new epoch.
    expect((await reader.app.get(SlotsService).findRendered(request)).cached).toBe(true);
  });

  it('the same holds for the meeting type snapshot a replica reuses on the cold path', async () => {
    const host = await createHost(reader, { time_zone: 'UTC' });
    await setWeeklyHours(reader, host, 'UTC');
    const type = await createMeetingType(reader, host, {});
    const durationOn = async (date: string) =>
      (await reader.http().get('/api/availability/slots').query({ meeting_type_id: type.id, date, timezone: 'UTC' }).expect(200)).body
        .duration_minutes as number;
    // Three cold requests: the second verifies the reader's snapshot of the type, the third reuses it.
    for (const date of ['2027-03-03', '2027-03-04', '2027-03-05']) expect(await durationOn(date)).toBe(30);

    // The writer's Redis is still down (above): the type's version bump steps the epoch instead.
    await writer.http().put(`/api/meeting-types/${type.id}`).set(host.auth).send({ duration_minutes: 45 }).expect(200);
    expect(await durationOn('2027-03-08')).toBe(45);
    expect(await durationOn('2027-03-05')).toBe(45);
  });
});
