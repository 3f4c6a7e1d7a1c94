import type http from 'node:http';
import { OnDemandSync } from '../src/modules/calendar/application/on-demand-sync.service.js';
import { CalendarLocks } from '../src/modules/calendar/infrastructure/calendar-locks.js';
import { createHost, type TestHost } from './support/factories.js';
import { FakeGoogleCalendar, type FakeRequest, json } from './support/fake-google-calendar.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { USE_EMBEDDED_DB } from './support/test-env.js';

// Session advisory locks cannot tell two instances apart on the embedded database's one session.
const onServerPostgres = USE_EMBEDDED_DB ? it.skip : it;

// Monday 1 March 2027, 12:00 UTC; the host works 9 to 5 in London (GMT until 28 March).
const NOW = '2027-03-01T12:00:00Z';
const TUE = '2027-03-02';
const AFTER_SECONDS = 120;

describe('on-demand calendar sync on the slots path (e2e against a local fake Google)', () => {
  let t: TestApp;
  let google: FakeGoogleCalendar;
  let onDemand: OnDemandSync;

  beforeAll(async () => {
    google = await new FakeGoogleCalendar().start();
    google.now = () => t.clock!.now().getTime();
    t = await startTestApp({
      now: NOW,
      env: {
        ...google.env,
        OUTBOX_POLL_INTERVAL_MS: '0',
        ENCRYPTION_KEY: `k1:${'ab'.repeat(32)}`,
        CALENDAR_ON_DEMAND_AFTER_SECONDS: String(AFTER_SECONDS),
        // Wide enough for a loaded CI machine to finish a sync against the local fake inside the bound.
        CALENDAR_ON_DEMAND_WAIT_MS: '3000',
      },
    });
    onDemand = t.app.get(OnDemandSync);
  });
  afterAll(async () => {
    await onDemand.idle();
    await t.close();
    await google.stop();
  });
  beforeEach(() => {
    google.calendars.get('primary-cal')!.events.clear();
    t.clock!.set(NOW);
  });

  async function connect(host: TestHost): Promise<string> {
    google.account = `${host.username}@gmail.test`;
    const start = await t.http().get('/api/integrations/google/oauth').set(host.auth).expect(302);
    const back = await fetch(start.headers.location, { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    const res = await t.http().get(`${callback.pathname}${callback.search}`).set('Accept', 'application/json').expect(200);
    return res.body.id as string;
  }

  async function hostWithConnection() {
    const host = await createHost(t, { time_zone: 'Europe/London' });
    await setWeeklyHours(t, host, 'Europe/London');
    const type = await createMeetingType(t, host, { duration_minutes: 30 });
    const id = await connect(host); // synced at NOW
    return { host, type, id };
  }

  const slotStarts = async (typeId: string) => {
    const res = await t
      .http()
      .get('/api/availability/slots')
      .query({ meeting_type_id: typeId, date: TUE, timezone: 'Europe/London' })
      .expect(200);
    return res.body.slots.map((s: { start_time: string }) => s.start_time) as string[];
  };
  const eventLists = () => google.requestsTo('GET', /\/calendars\/primary-cal\/events$/).length;
  const meeting = { id: 'late', start: { dateTime: '2027-03-02T10:00:00Z' }, end: { dateTime: '2027-03-02T11:00:00Z' } };

  it('syncs a stale connection before answering: an event added since the last sync is busy in the very next answer', async () => {
    const { type } = await hostWithConnection();
    expect(await slotStarts(type.id)).toContain('2027-03-02T10:00:00Z'); // cached, before the event exists
    google.putEvent('primary-cal', meeting);
    t.clock!.advance((AFTER_SECONDS + 1) * 1000);
    const lists = eventLists();

    const slots = await slotStarts(type.id);
    expect(slots).not.toContain('2027-03-02T10:00:00Z');
    expect(slots).not.toContain('2027-03-02T10:30:00Z');
    expect(slots).toContain('2027-03-02T11:00:00Z');
    expect(eventLists()).toBe(lists + 1);
    // Synced now: the next requests within the period neither look up nor sync again.
    await slotStarts(type.id);
    expect(eventLists()).toBe(lists + 1);
  });

  it('leaves a fresh connection alone', async () => {
    const { type } = await hostWithConnection();
    google.putEvent('primary-cal', meeting);
    t.clock!.advance((AFTER_SECONDS - 10) * 1000);
    const [lists, started] = [eventLists(), onDemand.started];
    expect(await slotStarts(type.id)).toContain('2027-03-02T10:00:00Z'); // the poller or push will bring it in
    expect(eventLists()).toBe(lists);
    expect(onDemand.started).toBe(started);
  });

  it("honours a rate-limited connection's next_sync_at (Retry-After)", async () => {
    const { type, id } = await hostWithConnection();
    google.putEvent('primary-cal', meeting);
    t.clock!.advance((AFTER_SECONDS + 1) * 1000);
    await t.dataSource.query(`UPDATE calendar_integrations SET next_sync_at = $2 WHERE id = $1`, [
      id,
      new Date(t.clock!.now().getTime() + 60_000),
    ]);
    const lists = eventLists();
    expect(await slotStarts(type.id)).toContain('2027-03-02T10:00:00Z');
    expect(eventLists()).toBe(lists);

    t.clock!.advance(61_000); // the provider's Retry-After has passed
    expect(await slotStarts(type.id)).not.toContain('2027-03-02T10:00:00Z');
    expect(eventLists()).toBe(lists + 1);
  });

  it('two concurrent slots requests start one provider sync, and both see its result', async () => {
    const { type } = await hostWithConnection();
    google.putEvent('primary-cal', meeting);
    t.clock!.advance((AFTER_SECONDS + 1) * 1000);
    const [lists, started] = [eventLists(), onDemand.started];
    const answers = await Promise.all([slotStarts(type.id), slotStarts(type.id)]);
    for (const slots of answers) expect(slots).not.toContain('2027-03-02T10:00:00Z');
    expect(eventLists()).toBe(lists + 1);
    expect(onDemand.started).toBe(started + 1);
  });

  onServerPostgres('a connection another replica is syncing (its advisory sync lock is held) is not synced again', async () => {
    const { type, id } = await hostWithConnection();
    t.clock!.advance((AFTER_SECONDS + 1) * 1000);
    const [lists, started] = [eventLists(), onDemand.started];
    // The lock taken on a session of its own, as another replica would hold it during its sync.
    await t.app.get(CalendarLocks).whileSyncing(id, false, async () => {
      expect(await slotStarts(type.id)).toContain('2027-03-02T10:00:00Z');
    });
    expect(onDemand.started).toBe(started + 1); // tried, found the lock taken ('busy'), asked the provider nothing
    expect(eventLists()).toBe(lists);
  });

  it('a hanging provider does not hold the answer: it comes from the cache, and the late result bumps the version', async () => {
    const { type } = await hostWithConnection();
    expect(await slotStarts(type.id)).toContain('2027-03-02T10:00:00Z');
    google.putEvent('primary-cal', meeting);
    t.clock!.advance((AFTER_SECONDS + 1) * 1000);
    const hung: http.ServerResponse[] = [];
    const hang = (req: FakeRequest, res: http.ServerResponse) => {
      if (!/\/calendars\/primary-cal\/events$/.test(req.path)) return false;
      hung.push(res);
      return true;
    };
    google.interceptors.push(hang);
    const started = onDemand.started;
    try {
      // Answered after the wait bound, from the cache (the event is not known yet), while the sync still hangs.
      expect(await slotStarts(type.id)).toContain('2027-03-02T10:00:00Z');
      expect(onDemand.started).toBe(started + 1);
      expect(hung).toHaveLength(1);
      // Requests that follow do not start another sync of the connection nor wait for the hanging one again.
      expect(await slotStarts(type.id)).toContain('2027-03-02T10:00:00Z');
      expect(onDemand.started).toBe(started + 1);
    } finally {
      google.interceptors.splice(google.interceptors.indexOf(hang), 1);
    }
    // The provider answers at last: the late sync bumps the host's version, and the next answer has the event.
    for (const res of hung) {
      const items = [{ ...meeting, status: 'confirmed' }];
      json(res, 200, { kind: 'calendar#events', timeZone: 'Europe/London', items, nextSyncToken: 'st-0' });
    }
    await onDemand.idle();
    expect(await slotStarts(type.id)).not.toContain('2027-03-02T10:00:00Z');
  });

  describe("the booking's re-check uses the freshest busy time", () => {
    const book = (typeId: string, n: string) =>
      t
        .http()
        .post('/api/bookings')
        .send({ meeting_type_id: typeId, start_time: '2027-03-02T10:00:00Z', ...invitee(n) });

    it('a busy event the host added after the slots were read is seen: 409 with a clear body, nothing stored', async () => {
      const { type, host } = await hostWithConnection();
      expect(await slotStarts(type.id)).toContain('2027-03-02T10:00:00Z');
      google.putEvent('primary-cal', meeting); // added in Google after the invitee saw the slots
      t.clock!.advance((AFTER_SECONDS + 1) * 1000);
      const lists = eventLists();

      const res = await book(type.id, 'od1').expect(409);
      expect(res.body).toMatchObject({
        status_code: 409,
        error: 'Conflict',
        message: expect.stringContaining('That time is not available'),
        start_time: '2027-03-02T10:00:00.000Z',
      });
      expect(eventLists()).toBe(lists + 1);
      expect(await t.dataSource.query(`SELECT id FROM bookings WHERE host_user_id = $1`, [host.id])).toEqual([]);
      // The slots answer agrees (the same sync filled the cache).
      expect(await slotStarts(type.id)).not.toContain('2027-03-02T10:00:00Z');
    });

    it('a provider that fails or hangs does not fail the booking: it is decided from the cache', async () => {
      const { type } = await hostWithConnection();
      google.putEvent('primary-cal', meeting); // not seen: the provider cannot be read
      t.clock!.advance((AFTER_SECONDS + 1) * 1000);
      const mark = google.interceptors.length;
      google.failNext(/\/calendars\/primary-cal\/events$/, 10); // 500s, retries included
      await book(type.id, 'od2').expect(201);
      await onDemand.idle();
      google.interceptors.splice(mark);

      google.calendars.get('primary-cal')!.events.clear(); // the fake's one calendar serves every host: start afresh
      const other = await hostWithConnection();
      google.putEvent('primary-cal', meeting); // not seen either: the provider hangs
      t.clock!.advance((AFTER_SECONDS + 1) * 1000);
      const hung: http.ServerResponse[] = [];
      const hang = (req: FakeRequest, res: http.ServerResponse) => {
        if (!/\/calendars\/primary-cal\/events$/.test(req.path)) return false;
        hung.push(res);
        return true;
      };
      google.interceptors.push(hang);
      try {
        await book(other.type.id, 'od3').expect(201); // after the wait bound, from the cache
        expect(hung).toHaveLength(1);
      } finally {
        google.interceptors.splice(google.interceptors.indexOf(hang), 1);
        for (const res of hung) json(res, 200, { kind: 'calendar#events', items: [], nextSyncToken: 'st-0' });
      }
      await onDemand.idle();
    });
  });
});
