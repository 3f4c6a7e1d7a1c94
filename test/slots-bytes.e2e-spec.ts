import { SlotsService, type SlotsRequest } from '../src/modules/availability/application/slots.service.js';
import { zonedIso } from '../src/modules/availability/domain/wall-clock.js';
import { toApiInstant as iso } from '../src/shared/time/instant.js';
import { createHost } from './support/factories.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Tuesday 2027-03-02, 07:00 London (GMT): the host's 09:00-17:00 lies ahead, so notice cuts into it as time moves.
const NOW = '2027-03-02T07:00:00Z';

/**
 * A cache hit of GET /api/availability/slots is the rendered body sent as bytes. These pin that it is the same bytes
 * the uncached path renders, that the notice cut on a hit is exact as the clock moves, that a version bump retires
 * it, and that the ETag answers If-None-Match with 304.
 */
describe('slots answered as cached bytes (e2e, real PostgreSQL + Redis)', () => {
  let cachedApp: TestApp;
  let uncachedApp: TestApp;
  beforeAll(async () => {
    cachedApp = await startTestApp({ now: NOW });
    // A second instance on the same database with the cache off: the reference for every answer.
    uncachedApp = await startTestApp({ now: NOW, database: cachedApp.database!, env: { SLOT_CACHE_TTL_SECONDS: '0' } });
  });
  afterAll(async () => {
    await uncachedApp.close({ keepDatabase: true });
    await cachedApp.close();
  });

  const get = (t: TestApp, query: Record<string, string>, etag?: string) => {
    const req = t.http().get('/api/availability/slots').query(query);
    return etag ? req.set('If-None-Match', etag) : req;
  };
  const setBoth = (instant: string) => {
    cachedApp.clock!.set(instant);
    uncachedApp.clock!.set(instant);
  };

  /** What the controller rendered before bodies were cached: JSON.stringify of the DTO built from slot objects. */
  async function legacyBody(t: TestApp, query: Record<string, string>): Promise<string> {
    const request: SlotsRequest = {
      meetingTypeId: query.meeting_type_id,
      date: query.date,
      endDate: query.end_date,
      timeZone: query.timezone ?? 'UTC',
    };
    const result = await t.app.get(SlotsService).find(request);
    return JSON.stringify({
      time_zone: request.timeZone,
      meeting_type_id: result.meetingType.id,
      duration_minutes: result.meetingType.durationMinutes,
      start_date: result.startDate,
      end_date: result.endDate,
      slots: result.slots.map((s) => ({
        start_time: iso(s.start),
        end_time: iso(s.end),
        local_start_time: zonedIso(s.start, request.timeZone),
        ...(s.seatsRemaining !== undefined ? { seats_remaining: s.seatsRemaining } : {}),
      })),
    });
  }

  async function hostWithType(body: Record<string, unknown>) {
    const host = await createHost(cachedApp, { time_zone: 'Europe/London' });
    await setWeeklyHours(cachedApp, host, 'Europe/London');
    return { host, type: await createMeetingType(cachedApp, host, body) };
  }

  it('a hit is byte-identical to the uncached answer and to the object rendering, across a DST change and with seats', async () => {
    setBoth(NOW);
    for (const body of [{ minimum_notice_minutes: 60 }, { kind: 'group', seats: 4 }]) {
      const { type } = await hostWithType(body);
      // 2027-03-28 is the UK spring-forward: local offsets change inside the range; New York changed on the 14th.
      const query = { meeting_type_id: type.id, date: '2027-03-02', end_date: '2027-03-30', timezone: 'America/New_York' };
      const miss = await get(cachedApp, query).expect(200);
      const hit = await get(cachedApp, query).expect(200);
      const reference = await get(uncachedApp, query).expect(200);
      expect(JSON.parse(miss.text).slots.length).toBeGreaterThan(100);
      expect(hit.text).toBe(miss.text);
      expect(hit.text).toBe(reference.text);
      expect(hit.text).toBe(await legacyBody(cachedApp, query));
      expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(hit.headers.etag).toBe(reference.headers.etag);
      const served = await cachedApp.app
        .get(SlotsService)
        .findRendered({ ...query, meetingTypeId: type.id, endDate: query.end_date, timeZone: query.timezone });
      expect(served.cached).toBe(true);
    }
  });

  it('the notice cut on a hit follows the clock exactly, from the boundary index', async () => {
    setBoth(NOW);
    const { type } = await hostWithType({ minimum_notice_minutes: 90 });
    const query = { meeting_type_id: type.id, date: '2027-03-02', end_date: '2027-03-03', timezone: 'Europe/London' };
    const first = await get(cachedApp, query).expect(200);
    expect(first.body.slots[0].start_time).toBe('2027-03-02T09:00:00Z'); // 07:00 + 90 min = 08:30: all of the day
    const service = cachedApp.app.get(SlotsService);
    const request = { meetingTypeId: type.id, date: query.date, endDate: query.end_date, timeZone: query.timezone };
    // Exactly on a start (09:00 + 90 min = 10:30), one millisecond past it, after the last slot of day one, past both days.
    for (const [now, firstStart] of [
      ['2027-03-02T09:00:00Z', '2027-03-02T10:30:00Z'],
      ['2027-03-02T09:00:00.001Z', '2027-03-02T11:00:00Z'],
      ['2027-03-02T16:00:00Z', '2027-03-03T09:00:00Z'],
      ['2027-03-03T17:00:00Z', undefined],
    ] as const) {
      setBoth(now);
      expect((await service.findRendered(request)).cached).toBe(true);
      const hit = await get(cachedApp, query).expect(200);
      expect(hit.body.slots[0]?.start_time).toBe(firstStart);
      expect(hit.text).toBe((await get(uncachedApp, query).expect(200)).text);
      expect(hit.text).toBe(await legacyBody(uncachedApp, query));
      expect(hit.headers.etag).not.toBe(first.headers.etag);
    }
  });

  it('answers If-None-Match with 304 while nothing changed, and a booking (a version bump) retires the entry and the tag', async () => {
    setBoth(NOW);
    const { type } = await hostWithType({});
    const query = { meeting_type_id: type.id, date: '2027-03-03', timezone: 'Europe/London' };
    const first = await get(cachedApp, query).expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+-0"$/); // strong: the bytes are fixed by it
    const notModified = await get(cachedApp, query, etag).expect(304);
    expect(notModified.text).toBe('');
    await get(uncachedApp, query, etag).expect(304); // the same tag from the uncached path (and any replica)
    await get(cachedApp, query, '"something-else"').expect(200);

    const taken = first.body.slots[2].start_time as string;
    await cachedApp
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: type.id, start_time: taken, ...invitee(1) })
      .expect(201);
    const after = await get(cachedApp, query, etag).expect(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.body.slots.map((s: { start_time: string }) => s.start_time)).not.toContain(taken);
    expect(after.text).toBe((await get(uncachedApp, query).expect(200)).text);
    expect(after.text).toBe(await legacyBody(cachedApp, query));
    await get(cachedApp, query, after.headers.etag as string).expect(304);
  });
});
