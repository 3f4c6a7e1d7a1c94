import { createHost, type TestHost } from './support/factories.js';
import { createMeetingType, createTeam } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const NOW = '2027-03-01T12:00:00.000Z';

/** POST /api/meeting-types/:id/duplicate: the owner's copy with every setting, at a free slug, off until turned on. */
describe('duplicating a meeting type (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
  });
  afterAll(() => t.close());

  const duplicate = (host: TestHost, id: string) => t.http().post(`/api/meeting-types/${id}/duplicate`).set(host.auth);
  const get = async (host: TestHost, id: string) => (await t.http().get(`/api/meeting-types/${id}`).set(host.auth).expect(200)).body;

  it('copies every setting, question and reminder, names it "(copy)" and leaves it off', async () => {
    const host = await createHost(t);
    const other = await t.http().post('/api/schedules').set(host.auth).send({ name: 'Evenings', rules: [] }).expect(201);
    const source = await createMeetingType(t, host, {
      name: 'Strategy session',
      slug: 'strategy',
      description: 'Bring your questions.',
      location: { type: 'phone', value: '+44 20 7946 0000' },
      duration_minutes: 45,
      duration_options: [30, 45, 60],
      buffer_before_minutes: 10,
      buffer_after_minutes: 5,
      slot_interval_minutes: 15,
      minimum_notice_minutes: 120,
      booking_window_days: 30,
      max_bookings_per_day: 4,
      max_bookings_per_week: 10,
      cancellation_cutoff_minutes: 1440,
      schedule_id: other.body.id,
      is_secret: true,
      requires_confirmation: true,
      confirmation_expiry_minutes: 240,
      questions: [
        { label: 'Company', type: 'text', required: true },
        { label: 'Topic', type: 'single_choice', options: ['Sales', 'Support, billing'] },
      ],
      reminders: [{ offset_minutes: 30, channel: 'email', recipients: ['invitee', 'host'] }],
    });

    const res = await duplicate(host, source.id).expect(201);
    const copy = res.body;
    expect(copy.id).not.toBe(source.id);
    const { id: _a, name: _b, slug: _c, is_active: _d, booking_url: _e, created_at: _f, updated_at: _g, ...settings } = source;
    expect(copy).toMatchObject({ ...settings, name: 'Strategy session (copy)', slug: 'strategy-copy', is_active: false });
    expect(copy.booking_url).toMatch(/\/strategy-copy$/);
    expect(await get(host, copy.id)).toEqual(copy);
    // The source is untouched.
    expect(await get(host, source.id)).toMatchObject({ name: 'Strategy session', slug: 'strategy', is_active: true });
    // Off: its public address answers nothing until the owner turns it on.
    await t.http().get(`/${host.username}/strategy-copy`).expect(404);
  });

  it('takes the next free slug: -copy, -copy-2, -copy-3, and a copy of a copy', async () => {
    const host = await createHost(t);
    const source = await createMeetingType(t, host, { name: 'Intro call', slug: 'intro' });
    const slugs = [];
    for (let i = 0; i < 3; i++) slugs.push((await duplicate(host, source.id).expect(201)).body.slug);
    expect(slugs).toEqual(['intro-copy', 'intro-copy-2', 'intro-copy-3']);
    // A slug taken by an unrelated type counts too.
    await createMeetingType(t, host, { name: 'Taken', slug: 'intro-copy-4' });
    expect((await duplicate(host, source.id).expect(201)).body.slug).toBe('intro-copy-5');
    const copyOfCopy = (await duplicate(host, (await t.http().get('/api/meeting-types').set(host.auth)).body[1].id).expect(201)).body;
    expect(copyOfCopy).toMatchObject({ name: 'Intro call (copy) (copy)', slug: 'intro-copy-copy' });
    // Another host's slugs do not matter.
    const someoneElse = await createHost(t);
    const theirs = await createMeetingType(t, someoneElse, { name: 'Intro call', slug: 'intro' });
    expect((await duplicate(someoneElse, theirs.id).expect(201)).body.slug).toBe('intro-copy');
  });

  it('gives concurrent copies distinct slugs', async () => {
    const host = await createHost(t);
    const source = await createMeetingType(t, host, { name: 'Rush', slug: 'rush' });
    const results = await Promise.all(Array.from({ length: 5 }, () => duplicate(host, source.id)));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.slug)).size).toBe(5);
  });

  it('copies the hosts of a team type', async () => {
    const admin = await createHost(t);
    const grace = await createHost(t);
    const team = await createTeam(t, admin, [grace]);
    const source = await createMeetingType(t, admin, {
      name: 'Sales',
      kind: 'round_robin',
      team_id: team.id,
      host_ids: [admin.id, grace.id],
    });
    const copy = (await duplicate(admin, source.id).expect(201)).body;
    expect(copy).toMatchObject({ kind: 'round_robin', team_id: team.id, is_active: false });
    expect([...copy.host_ids].sort()).toEqual([admin.id, grace.id].sort());
  });

  it("answers 404 for another host's type or an unknown id, 400 for a malformed id and 401 without a token", async () => {
    const owner = await createHost(t);
    const intruder = await createHost(t);
    const source = await createMeetingType(t, owner, { name: 'Private', slug: 'private' });
    const refused = await duplicate(intruder, source.id).expect(404);
    expect(refused.body).toMatchObject({ status_code: 404 });
    await duplicate(owner, '00000000-0000-4000-8000-000000000000').expect(404);
    expect((await duplicate(owner, 'not-a-uuid').expect(400)).body.status_code).toBe(400);
    await t.http().post(`/api/meeting-types/${source.id}/duplicate`).expect(401);
    // Nothing was made by the refusals.
    expect((await t.http().get('/api/meeting-types').set(owner.auth).expect(200)).body).toHaveLength(1);
    expect((await t.http().get('/api/meeting-types').set(intruder.auth).expect(200)).body).toHaveLength(0);
  });
});
