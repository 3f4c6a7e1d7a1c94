import { createHost, type TestHost } from './support/factories.js';
import { FakeGoogleCalendar } from './support/fake-google-calendar.js';
import { createMeetingType, createTeam, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Monday 1 March 2027, 12:00 UTC; London is on GMT. The busy event is on Tuesday 2 March, 10:00-11:00.
const NOW = '2027-03-01T12:00:00Z';
const LONDON = 'Europe/London';
const SECRET_TITLE = 'Divorce lawyer: confidential';
const CALENDAR_NAME = 'Ada work calendar';

/**
 * busy_calendar (issue #19) with a real connected calendar: a Google calendar (the local fake) synced into the
 * cache, then explained. The host learns which calendar blocks, never the event's title; anonymous callers and
 * signed-in strangers learn only that the host is busy.
 */
describe('explain: a busy event of a connected calendar (e2e against a local fake Google)', () => {
  let t: TestApp;
  let google: FakeGoogleCalendar;

  beforeAll(async () => {
    google = await new FakeGoogleCalendar().start();
    google.now = () => t.clock!.now().getTime();
    google.calendars.get('primary-cal')!.summary = CALENDAR_NAME;
    t = await startTestApp({ now: NOW, env: { ...google.env, OUTBOX_POLL_INTERVAL_MS: '0', ENCRYPTION_KEY: `k1:${'ab'.repeat(32)}` } });
  });
  afterAll(async () => {
    await t.close();
    await google.stop();
  });

  /** Connects `host`'s Google account through the fake's consent page and syncs it once. */
  async function connectAndSync(host: TestHost): Promise<void> {
    google.account = `${host.username}@gmail.test`;
    const start = await t.http().get('/api/integrations/google/oauth').set(host.auth).expect(302);
    const back = await fetch(new URL(start.headers.location), { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    const connected = await t.http().get(`${callback.pathname}${callback.search}`).set('Accept', 'application/json').expect(200);
    await t.http().post(`/api/integrations/${connected.body.id}/sync`).set(host.auth).expect(200);
  }

  const explain = (typeId: string, auth?: Record<string, string>) => {
    const req = t
      .http()
      .get('/api/availability/explain')
      .query({ meeting_type_id: typeId, start_time: '2027-03-02T10:00:00Z', timezone: LONDON });
    return (auth ? req.set(auth) : req).expect(200);
  };

  it('names the calendar to the host, never the title; anonymous callers and strangers get the code only', async () => {
    const ada = await createHost(t, { time_zone: LONDON });
    const stranger = await createHost(t, { time_zone: LONDON });
    await setWeeklyHours(t, ada, LONDON);
    const type = await createMeetingType(t, ada, { duration_minutes: 30 });
    google.putEvent('primary-cal', {
      id: 'private1',
      summary: SECRET_TITLE,
      description: 'Bring the papers',
      location: 'Secret street 1',
      start: { dateTime: '2027-03-02T10:00:00Z' },
      end: { dateTime: '2027-03-02T11:00:00Z' },
    });
    await connectAndSync(ada);

    const asHost = await explain(type.id, ada.auth);
    expect(asHost.body).toMatchObject({ bookable: false });
    expect(asHost.body.reasons).toEqual([
      {
        code: 'busy_calendar',
        message: `the host's calendar "${CALENDAR_NAME}" has a busy event then`,
        interval: { start: '2027-03-02T10:00:00Z', end: '2027-03-02T11:00:00Z' },
        detail: { calendar: CALENDAR_NAME },
      },
    ]);
    const hostBody = JSON.stringify(asHost.body);
    for (const secret of [SECRET_TITLE, 'Divorce', 'papers', 'Secret street']) expect(hostBody).not.toContain(secret);

    for (const auth of [undefined, stranger.auth]) {
      const res = await explain(type.id, auth);
      expect(res.body.bookable).toBe(false);
      expect(res.body.reasons).toEqual([{ code: 'busy_calendar', message: 'the host is busy then' }]);
      const body = JSON.stringify(res.body);
      for (const secret of [SECRET_TITLE, 'Divorce', CALENDAR_NAME, 'gmail.test', ada.id]) expect(body).not.toContain(secret);
    }
  });

  it('a round-robin team: each host sees the blocking member and calendar; the public sees the code once', async () => {
    const ada = await createHost(t, { time_zone: LONDON });
    const bob = await createHost(t, { time_zone: LONDON });
    await setWeeklyHours(t, ada, LONDON);
    await setWeeklyHours(t, bob, LONDON, [{ day_of_week: 1, start_time: '09:00', end_time: '17:00' }]); // not Tuesdays
    const team = await createTeam(t, ada, [bob]);
    const type = await createMeetingType(t, ada, {
      kind: 'round_robin',
      team_id: team.id,
      host_ids: [ada.id, bob.id],
      duration_minutes: 30,
    });
    google.calendars.get('primary-cal')!.events.clear();
    google.putEvent('primary-cal', {
      id: 'private2',
      summary: SECRET_TITLE,
      start: { dateTime: '2027-03-02T10:00:00Z' },
      end: { dateTime: '2027-03-02T10:30:00Z' },
    });
    await connectAndSync(ada);

    for (const viewer of [ada, bob]) {
      const res = await explain(type.id, viewer.auth);
      expect(res.body.bookable).toBe(false);
      expect(res.body.reasons).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'busy_calendar', host_id: ada.id, detail: { calendar: CALENDAR_NAME } }),
          expect.objectContaining({ code: 'outside_hours', host_id: bob.id }),
        ]),
      );
      expect(JSON.stringify(res.body)).not.toContain(SECRET_TITLE);
    }
    const anonymous = await explain(type.id);
    expect(anonymous.body.reasons).toEqual(
      expect.arrayContaining([
        { code: 'busy_calendar', message: 'the host is busy then' },
        expect.objectContaining({ code: 'outside_hours' }),
      ]),
    );
    const body = JSON.stringify(anonymous.body);
    for (const secret of [SECRET_TITLE, CALENDAR_NAME, ada.id, bob.id]) expect(body).not.toContain(secret);
  });
  it("says the reasons in the caller's language (lang, else Accept-Language, else English); codes never change", async () => {
    const ada = await createHost(t, { time_zone: LONDON });
    await setWeeklyHours(t, ada, LONDON);
    const type = await createMeetingType(t, ada, { duration_minutes: 30, minimum_notice_minutes: 60 * 24 * 2 });
    google.calendars.get('primary-cal')!.events.clear();
    google.putEvent('primary-cal', {
      id: 'private3',
      summary: SECRET_TITLE,
      start: { dateTime: '2027-03-02T10:00:00Z' },
      end: { dateTime: '2027-03-02T11:00:00Z' },
    });
    await connectAndSync(ada);
    const query = { meeting_type_id: type.id, start_time: '2027-03-02T10:00:00Z' };

    const german = await t
      .http()
      .get('/api/availability/explain')
      .query(query)
      .set(ada.auth)
      .set('Accept-Language', 'de-AT, en;q=0.5')
      .expect(200);
    expect(german.headers['content-language']).toBe('de');
    expect(german.body.reasons).toEqual([
      { code: 'minimum_notice', message: 'Buchungen brauchen 2880 Minuten Vorlauf' },
      expect.objectContaining({
        code: 'busy_calendar',
        message: `der Kalender „${CALENDAR_NAME}“ des Gastgebers hat dann einen belegten Termin`,
        detail: { calendar: CALENDAR_NAME },
      }),
    ]);
    expect(JSON.stringify(german.body)).not.toContain(SECRET_TITLE);

    // lang wins over the header; anonymous callers get the generic sentence in their language.
    const french = await t
      .http()
      .get('/api/availability/explain')
      .query({ ...query, lang: 'fr' })
      .set('Accept-Language', 'de')
      .expect(200);
    expect(french.headers['content-language']).toBe('fr');
    expect(french.body.reasons).toEqual([
      { code: 'minimum_notice', message: 'les réservations demandent un préavis de 2880 minutes' },
      { code: 'busy_calendar', message: 'l’hôte est occupé à ce moment-là' },
    ]);
    const japanese = await t.http().get('/api/availability/explain').query(query).set('Accept-Language', 'ja').expect(200);
    expect(japanese.body.reasons.map((r: { code: string }) => r.code)).toEqual(['minimum_notice', 'busy_calendar']);
    expect(japanese.body.reasons[1].message).toBe('ホストはその時間は予定があります');

    // A language Kairos does not speak: the header falls back to English, the parameter is a 400 naming it.
    const fallback = await t.http().get('/api/availability/explain').query(query).set('Accept-Language', 'sv-SE').expect(200);
    expect(fallback.headers['content-language']).toBe('en');
    expect(fallback.body.reasons[0].message).toBe("bookings need 2880 minutes' notice");
    const bad = await t
      .http()
      .get('/api/availability/explain')
      .query({ ...query, lang: 'sv' })
      .expect(400);
    expect(bad.body).toMatchObject({ status_code: 400 });
    expect(JSON.stringify(bad.body)).toContain('lang must be one of en, de, fr, es, pt-BR, ja');
  });
});
