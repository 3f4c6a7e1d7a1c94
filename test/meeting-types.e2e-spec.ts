import { MeetingTypesService } from '../src/modules/meeting-types/application/meeting-types.service.js';
import { AvailabilityVersions } from '../src/shared/cache/availability-versions.js';
import { createHost, type TestHost } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const NOW = '2027-03-01T12:00:00.000Z';

describe('meeting types (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
  });
  afterAll(() => t.close());

  const create = (host: TestHost, body: Record<string, unknown>) => t.http().post('/api/meeting-types').set(host.auth).send(body);
  const update = (host: TestHost, id: string, body: Record<string, unknown>) =>
    t.http().put(`/api/meeting-types/${id}`).set(host.auth).send(body);

  /** A team of `admin` whose other members accepted their invitations. */
  async function teamWith(admin: TestHost, members: TestHost[]): Promise<string> {
    const team = await t.http().post('/api/teams').set(admin.auth).send({ name: 'Team' }).expect(201);
    for (const m of members) {
      const inv = await t.http().post(`/api/teams/${team.body.id}/invitations`).set(admin.auth).send({ email: m.email }).expect(201);
      await t.http().post(`/api/teams/invitations/${inv.body.token}/accept`).set(m.auth).expect(200);
    }
    return team.body.id;
  }

  it('creates a one-on-one type with defaults and returns it in snake_case with its booking URL', async () => {
    const host = await createHost(t);
    const res = await create(host, { name: 'Intro Call (30 min)', duration_minutes: 30 }).expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      user_id: host.id,
      name: 'Intro Call (30 min)',
      slug: 'intro-call-30-min',
      description: null,
      location: null,
      kind: 'one_on_one',
      seats: null,
      duration_minutes: 30,
      duration_options: [30], // no choice: the default alone
      recurrence: null,
      team_id: null,
      host_ids: [host.id],
      buffer_before_minutes: 0,
      buffer_after_minutes: 0,
      slot_interval_minutes: null, // = the duration
      minimum_notice_minutes: 0,
      booking_window_days: null,
      max_bookings_per_day: null,
      max_bookings_per_week: null,
      max_bookings_per_month: null,
      max_bookings_per_year: null,
      max_booked_minutes_per_day: null,
      max_booked_minutes_per_week: null,
      max_active_bookings_per_invitee: null,
      cancellation_cutoff_minutes: null,
      reschedule_cutoff_minutes: null,
      booking_window_type: 'calendar_days',
      questions: [],
      reminders: [
        { offset_minutes: 1440, channel: 'email' },
        { offset_minutes: 60, channel: 'email' },
      ],
      schedule_id: null,
      is_active: true,
      is_secret: false,
      requires_confirmation: false,
      confirmation_expiry_minutes: 1440,
      booking_url: `http://kairos.test/${host.username}/intro-call-30-min`,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const got = await t.http().get(`/api/meeting-types/${res.body.id}`).set(host.auth).expect(200);
    expect(got.body).toEqual(res.body);
    const snapshot = await t.app.get(MeetingTypesService).findSnapshot(res.body.id);
    expect(snapshot).toMatchObject({
      ownerId: host.id,
      kind: 'one_on_one',
      durationMinutes: 30,
      slotIntervalMinutes: null,
      minimumNoticeMinutes: 0,
      hosts: [{ userId: host.id, priority: 0, weight: 100 }],
    });
  });

  it('stores every field, generating question ids', async () => {
    const host = await createHost(t);
    const schedule = await t.http().post('/api/schedules').set(host.auth).send({ name: 'Alt', rules: [] }).expect(201);
    const res = await create(host, {
      name: 'Strategy session',
      slug: 'strategy',
      description: 'Deep dive',
      location: { type: 'video', value: 'https://meet.example.com/x' },
      duration_minutes: 45,
      buffer_before_minutes: 10,
      buffer_after_minutes: 240,
      slot_interval_minutes: 15,
      minimum_notice_minutes: 120,
      booking_window_days: 60,
      max_bookings_per_day: 4,
      questions: [
        { label: 'Company name', type: 'text', required: true },
        { label: 'Company name', type: 'long_text' },
        { id: 'size', label: 'Team size', type: 'single_choice', options: ['1-10', '11-50'], required: true },
        { label: 'Topics?', type: 'multi_choice', options: ['Pricing', 'Security'] },
        { label: 'Phone', type: 'phone', required: false },
      ],
      reminders: [{ offset_minutes: 30, channel: 'sms' }],
      schedule_id: schedule.body.id,
      is_active: false,
      is_secret: true,
    }).expect(201);
    expect(res.body).toMatchObject({
      slug: 'strategy',
      description: 'Deep dive',
      location: { type: 'video', value: 'https://meet.example.com/x' },
      duration_minutes: 45,
      buffer_before_minutes: 10,
      buffer_after_minutes: 240,
      slot_interval_minutes: 15,
      minimum_notice_minutes: 120,
      booking_window_days: 60,
      max_bookings_per_day: 4,
      reminders: [{ offset_minutes: 30, channel: 'sms' }],
      schedule_id: schedule.body.id,
      is_active: false,
      is_secret: true,
    });
    expect(res.body.questions).toEqual([
      { id: 'company-name', label: 'Company name', type: 'text', required: true },
      { id: 'company-name-2', label: 'Company name', type: 'long_text', required: false },
      { id: 'size', label: 'Team size', type: 'single_choice', required: true, options: ['1-10', '11-50'] },
      { id: 'topics', label: 'Topics?', type: 'multi_choice', required: false, options: ['Pricing', 'Security'] },
      { id: 'phone', label: 'Phone', type: 'phone', required: false },
    ]);
    // Sent back unchanged (ids included), the questions keep their ids.
    const again = await update(host, res.body.id, { questions: res.body.questions }).expect(200);
    expect(again.body.questions).toEqual(res.body.questions);
    // An empty reminder list is allowed (no reminders).
    expect((await update(host, res.body.id, { reminders: [] }).expect(200)).body.reminders).toEqual([]);
  });

  const valid = { name: 'Call', duration_minutes: 30 };
  it.each([
    ['a missing name', { duration_minutes: 30 }, /name must be a string/],
    ['a missing duration', { name: 'Call' }, /duration_minutes must be an integer from 5 to 720/],
    ['a 4-minute duration', { ...valid, duration_minutes: 4 }, /duration_minutes must be an integer from 5 to 720/],
    ['a 721-minute duration', { ...valid, duration_minutes: 721 }, /duration_minutes must be an integer from 5 to 720/],
    ['a duration as a string', { ...valid, duration_minutes: '30' }, /duration_minutes must be an integer/],
    ['an unknown kind', { ...valid, kind: 'webinar' }, /kind must be one of: one_on_one, group, round_robin, collective/],
    ['an uppercase slug', { ...valid, slug: 'Intro' }, /slug must be lowercase letters, digits/],
    ['a slug with spaces', { ...valid, slug: 'intro call' }, /slug must be lowercase letters, digits/],
    ['a slug with a trailing dash', { ...valid, slug: 'intro-' }, /slug must be lowercase/],
    ['seats on a one-on-one type', { ...valid, seats: 5 }, /seats applies only to group meeting types/],
    ['a group without seats', { ...valid, kind: 'group' }, /seats is required for group meeting types/],
    ['a group of 1', { ...valid, kind: 'group', seats: 1 }, /seats must be an integer from 2 to 1000/],
    ['a group of 1001', { ...valid, kind: 'group', seats: 1001 }, /seats must be an integer from 2 to 1000/],
    ['a buffer of 241', { ...valid, buffer_after_minutes: 241 }, /buffer_after_minutes must be an integer from 0 to 240/],
    ['a negative buffer', { ...valid, buffer_before_minutes: -5 }, /buffer_before_minutes must be an integer from 0 to 240/],
    ['a slot interval of 4', { ...valid, slot_interval_minutes: 4 }, /slot_interval_minutes must be an integer from 5 to 720/],
    ['negative notice', { ...valid, minimum_notice_minutes: -1 }, /minimum_notice_minutes must be an integer/],
    ['a zero booking window', { ...valid, booking_window_days: 0 }, /booking_window_days must be an integer from 1/],
    ['a zero daily limit', { ...valid, max_bookings_per_day: 0 }, /max_bookings_per_day must be an integer from 1/],
    [
      'an unknown location type',
      { ...valid, location: { type: 'skype' } },
      /location.type must be one of: video, phone, in_person, custom, google_meet, microsoft_teams, zoom, jitsi/,
    ],
    ['a location string', { ...valid, location: 'Room 1' }, /location must be an object/],
    ['an unknown question type', { ...valid, questions: [{ label: 'Q', type: 'date' }] }, /question type must be one of/],
    [
      'a choice question without options',
      { ...valid, questions: [{ label: 'Q', type: 'single_choice' }] },
      /questions\.0\.options: a single_choice question needs at least one option/,
    ],
    [
      'a text question with options',
      { ...valid, questions: [{ label: 'Q', type: 'text', options: ['a'] }] },
      /only single_choice and multi_choice questions take options/,
    ],
    [
      'duplicate question ids',
      {
        ...valid,
        questions: [
          { id: 'q', label: 'A', type: 'text' },
          { id: 'q', label: 'B', type: 'text' },
        ],
      },
      /question ids must be unique/,
    ],
    ['duplicate options', { ...valid, questions: [{ label: 'Q', type: 'multi_choice', options: ['a', 'a'] }] }, /options must be unique/],
    ['an empty question label', { ...valid, questions: [{ label: '', type: 'text' }] }, /question label must not be empty/],
    [
      'an unknown reminder channel',
      { ...valid, reminders: [{ offset_minutes: 60, channel: 'pigeon' }] },
      /reminder channel must be email or sms/,
    ],
    [
      'a zero reminder offset',
      { ...valid, reminders: [{ offset_minutes: 0, channel: 'email' }] },
      /offset_minutes must be an integer from 1/,
    ],
    [
      'duplicate reminders',
      {
        ...valid,
        reminders: [
          { offset_minutes: 60, channel: 'email' },
          { offset_minutes: 60, channel: 'email' },
        ],
      },
      /reminders must not repeat/,
    ],
    ['a malformed schedule_id', { ...valid, schedule_id: 'abc' }, /schedule_id must be a UUID/],
    ['an unknown schedule_id', { ...valid, schedule_id: '00000000-0000-4000-8000-000000000000' }, /is not one of your schedules/],
    [
      'host_ids on a one-on-one type',
      { ...valid, host_ids: ['00000000-0000-4000-8000-000000000000'] },
      /host_ids applies only to round_robin and collective/,
    ],
    [
      'team_id on a group type',
      { ...valid, kind: 'group', seats: 3, team_id: '00000000-0000-4000-8000-000000000000' },
      /team_id applies only to round_robin and collective/,
    ],
    [
      'round robin without a team',
      { ...valid, kind: 'round_robin', host_ids: ['00000000-0000-4000-8000-000000000000'] },
      /team_id is required for round_robin meeting types/,
    ],
    [
      'collective without hosts',
      { ...valid, kind: 'collective', team_id: '00000000-0000-4000-8000-000000000000' },
      /host_ids is required for collective meeting types/,
    ],
    ['host ids that are not UUIDs', { ...valid, kind: 'collective', host_ids: ['bob'] }, /host_ids must be user ids/],
    ['an extra field', { ...valid, color: 'red' }, /property color should not exist/],
  ])('rejects %s with 400 and stores nothing', async (_name, body, message) => {
    const host = await createHost(t);
    const res = await create(host, body).expect(400);
    expect(res.body).toMatchObject({ status_code: 400, error: 'Bad Request' });
    expect(res.body.message).toMatch(message);
    const rows = await t.dataSource.query(`SELECT count(*)::int AS n FROM meeting_types WHERE user_id = $1`, [host.id]);
    expect(rows[0].n).toBe(0);
  });

  it("rejects another host's schedule", async () => {
    const host = await createHost(t);
    const other = await createHost(t);
    const theirs = await t.http().post('/api/schedules').set(other.auth).send({ name: 'Theirs', rules: [] }).expect(201);
    const res = await create(host, { ...valid, schedule_id: theirs.body.id }).expect(400);
    expect(res.body.message).toBe(`schedule_id: ${theirs.body.id} is not one of your schedules`);
    expect(res.body.errors).toEqual([
      { field: 'schedule_id', codes: ['not_yours'], messages: [`${theirs.body.id} is not one of your schedules`] },
    ]);
  });

  it('keeps slugs unique per owner (409), not across owners', async () => {
    const host = await createHost(t);
    const other = await createHost(t);
    const first = await create(host, { name: 'Demo', duration_minutes: 30 }).expect(201);
    const explicit = await create(host, { name: 'Another', slug: 'demo', duration_minutes: 30 }).expect(409);
    expect(explicit.body).toMatchObject({
      status_code: 409,
      message: 'slug "demo" is already used by another of your meeting types; choose another slug',
    });
    await create(host, { name: 'Demo', duration_minutes: 60 }).expect(409); // the default slug is taken too
    await create(other, { name: 'Demo', duration_minutes: 30 }).expect(201);
    const second = await create(host, { name: 'Second', duration_minutes: 30 }).expect(201);
    const renamed = await update(host, second.body.id, { slug: 'demo' }).expect(409);
    expect(renamed.body.message).toMatch(/slug "demo" is already used/);
    // Renaming keeps the slug; an explicit slug change moves the booking URL.
    const kept = await update(host, first.body.id, { name: 'Product demo' }).expect(200);
    expect(kept.body.slug).toBe('demo');
    const moved = await update(host, first.body.id, { slug: 'product-demo' }).expect(200);
    expect(moved.body.booking_url).toBe(`http://kairos.test/${host.username}/product-demo`);
  });

  it("lists the caller's types with limit/offset and X-Total-Count", async () => {
    const host = await createHost(t);
    const other = await createHost(t);
    for (const n of [1, 2, 3, 4, 5]) await create(host, { name: `Type ${n}`, duration_minutes: 30 }).expect(201);
    await create(other, { name: 'Not yours', duration_minutes: 30 }).expect(201);
    const all = await t.http().get('/api/meeting-types').set(host.auth).expect(200);
    expect(all.headers['x-total-count']).toBe('5');
    expect(all.body.map((m: { name: string }) => m.name)).toEqual(['Type 1', 'Type 2', 'Type 3', 'Type 4', 'Type 5']);
    const page = await t.http().get('/api/meeting-types?limit=2&offset=2').set(host.auth).expect(200);
    expect(page.body.map((m: { name: string }) => m.name)).toEqual(['Type 3', 'Type 4']);
    expect(page.headers['x-total-count']).toBe('5');
    const bad = await t.http().get('/api/meeting-types?limit=0').set(host.auth).expect(400);
    expect(bad.body.message).toMatch(/limit must be an integer from 1 to 100/);
    await t.http().get('/api/meeting-types?limit=abc').set(host.auth).expect(400);
    await t.http().get('/api/meeting-types?offset=-1').set(host.auth).expect(400);
    await t.http().get('/api/meeting-types').expect(401);
  });

  it('updates with PUT (partial) and revalidates the result', async () => {
    const host = await createHost(t);
    const created = await create(host, { name: 'Call', duration_minutes: 30, buffer_after_minutes: 10 }).expect(201);
    const id = created.body.id;
    const res = await update(host, id, { duration_minutes: 60, description: 'Longer' }).expect(200);
    expect(res.body).toMatchObject({ duration_minutes: 60, description: 'Longer', buffer_after_minutes: 10, name: 'Call' });
    // null clears a nullable field and resets a defaulted one.
    await update(host, id, { reminders: [], questions: [{ label: 'Why?', type: 'text' }] }).expect(200);
    const cleared = await update(host, id, { description: null, buffer_after_minutes: null, reminders: null, questions: null }).expect(200);
    expect(cleared.body).toMatchObject({
      description: null,
      buffer_after_minutes: 0,
      questions: [],
      reminders: [
        { offset_minutes: 1440, channel: 'email' },
        { offset_minutes: 60, channel: 'email' },
      ],
    });
    // Becoming a group needs seats; with them it works; leaving group drops the seats.
    const noSeats = await update(host, id, { kind: 'group' }).expect(400);
    expect(noSeats.body.message).toMatch(/seats is required for group meeting types/);
    expect((await update(host, id, { kind: 'group', seats: 8 }).expect(200)).body).toMatchObject({ kind: 'group', seats: 8 });
    expect((await update(host, id, { seats: 12 }).expect(200)).body.seats).toBe(12);
    expect((await update(host, id, { kind: 'one_on_one' }).expect(200)).body).toMatchObject({ kind: 'one_on_one', seats: null });
    const nullName = await update(host, id, { name: null }).expect(400);
    expect(nullName.body.message).toMatch(/name is required/);
    const badDuration = await update(host, id, { duration_minutes: 1000 }).expect(400);
    expect(badDuration.body.message).toMatch(/duration_minutes must be an integer from 5 to 720/);
    const after = await t.http().get(`/api/meeting-types/${id}`).set(host.auth).expect(200);
    expect(after.body).toMatchObject({ name: 'Call', duration_minutes: 60, kind: 'one_on_one' });
  });

  it("hides other hosts' types (404) and requires auth (401)", async () => {
    const owner = await createHost(t);
    const other = await createHost(t);
    const created = await create(owner, valid).expect(201);
    const id = created.body.id;
    await t.http().get(`/api/meeting-types/${id}`).set(other.auth).expect(404);
    const put = await update(other, id, { name: 'Mine now' }).expect(404);
    expect(put.body.message).toBe('meeting type not found');
    await t.http().delete(`/api/meeting-types/${id}`).set(other.auth).expect(404);
    await t.http().get(`/api/meeting-types/${id}`).expect(401);
    await t.http().put(`/api/meeting-types/${id}`).send({ name: 'x' }).expect(401);
    await t.http().delete(`/api/meeting-types/${id}`).expect(401);
    await t.http().post('/api/meeting-types').send(valid).expect(401);
    await t.http().get('/api/meeting-types/not-a-uuid').set(owner.auth).expect(400);
    expect((await t.http().get(`/api/meeting-types/${id}`).set(owner.auth).expect(200)).body.name).toBe('Call');
  });

  it('deletes an unbooked type; a booked one must be deactivated instead', async () => {
    const host = await createHost(t, { time_zone: 'UTC' });
    const unbooked = await create(host, { name: 'Spare', duration_minutes: 30 }).expect(201);
    await t.http().delete(`/api/meeting-types/${unbooked.body.id}`).set(host.auth).expect(204);
    await t.http().get(`/api/meeting-types/${unbooked.body.id}`).set(host.auth).expect(404);
    expect(await t.app.get(MeetingTypesService).findSnapshot(unbooked.body.id)).toBeNull();

    await t
      .http()
      .post('/api/availability/rules')
      .set(host.auth)
      .send({ rules: [0, 1, 2, 3, 4, 5, 6].map((d) => ({ day_of_week: d, start_time: '00:00', end_time: '24:00' })) })
      .expect(200);
    const booked = await create(host, { name: 'Booked', duration_minutes: 30 }).expect(201);
    await t
      .http()
      .post('/api/bookings')
      .send({
        meeting_type_id: booked.body.id,
        start_time: '2027-03-02T10:00:00Z',
        invitee_name: 'Ivy',
        invitee_email: 'ivy@example.com',
        time_zone: 'UTC',
      })
      .expect(201);
    const refused = await t.http().delete(`/api/meeting-types/${booked.body.id}`).set(host.auth).expect(409);
    expect(refused.body.message).toMatch(/has bookings and cannot be deleted; set is_active to false/);
    await update(host, booked.body.id, { is_active: false }).expect(200);
    const bookings = await t.dataSource.query(`SELECT count(*)::int AS n FROM bookings WHERE meeting_type_id = $1`, [booked.body.id]);
    expect(bookings[0].n).toBe(1);
  });

  describe('team kinds', () => {
    it('round robin needs a team the caller belongs to and hosts who accepted its invitation', async () => {
      const owner = await createHost(t);
      const bob = await createHost(t);
      const carol = await createHost(t);
      const teamId = await teamWith(owner, [bob]);
      const body = {
        name: 'Sales call',
        duration_minutes: 30,
        kind: 'round_robin',
        team_id: teamId,
        host_ids: [owner.id, bob.id, carol.id],
      };

      // Carol was never invited.
      const outsider = await create(owner, body).expect(400);
      expect(outsider.body.message).toBe(`host_ids: must be members of team_id; not members: ${carol.id}`);
      expect(outsider.body.errors).toEqual([expect.objectContaining({ field: 'host_ids', codes: ['not_team_members'] })]);

      // Invited but not yet accepted: still not a member.
      const inv = await t.http().post(`/api/teams/${teamId}/invitations`).set(owner.auth).send({ email: carol.email }).expect(201);
      await create(owner, body).expect(400);
      await t.http().post(`/api/teams/invitations/${inv.body.token}/accept`).set(carol.auth).expect(200);

      const created = await create(owner, body).expect(201);
      expect(created.body).toMatchObject({ kind: 'round_robin', team_id: teamId, user_id: owner.id, seats: null });
      expect([...created.body.host_ids].sort()).toEqual([owner.id, bob.id, carol.id].sort());
      const snapshot = await t.app.get(MeetingTypesService).findSnapshot(created.body.id);
      expect(snapshot?.teamId).toBe(teamId);
      expect(snapshot?.hosts.map((h) => h.userId).sort()).toEqual([owner.id, bob.id, carol.id].sort());
      expect(snapshot?.hosts.every((h) => h.priority === 0 && h.weight === 100)).toBe(true);

      // The owner need not host.
      const noOwner = await create(owner, { ...body, name: 'Bob only', host_ids: [bob.id] }).expect(201);
      expect(noOwner.body.host_ids).toEqual([bob.id]);
      const dup = await create(owner, { ...body, name: 'Dup', host_ids: [bob.id, bob.id] }).expect(400);
      expect(dup.body.message).toMatch(/host_ids must not repeat a host/);
    });

    it('the caller must be a member of the team', async () => {
      const admin = await createHost(t);
      const bob = await createHost(t);
      const stranger = await createHost(t);
      const teamId = await teamWith(admin, [bob]);
      const res = await create(stranger, {
        name: 'X',
        duration_minutes: 30,
        kind: 'collective',
        team_id: teamId,
        host_ids: [bob.id],
      }).expect(400);
      expect(res.body.message).toBe('team_id: you are not a member of this team');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'team_id', codes: ['not_a_member'] })]);
    });

    it('changes between kinds: team fields follow the kind', async () => {
      const owner = await createHost(t);
      const bob = await createHost(t);
      const teamId = await teamWith(owner, [bob]);
      const created = await create(owner, {
        name: 'Panel',
        duration_minutes: 60,
        kind: 'collective',
        team_id: teamId,
        host_ids: [owner.id, bob.id],
      }).expect(201);
      const id = created.body.id;
      // collective -> round_robin keeps the team and hosts.
      const rr = await update(owner, id, { kind: 'round_robin' }).expect(200);
      expect(rr.body).toMatchObject({ kind: 'round_robin', team_id: teamId });
      expect(rr.body.host_ids).toHaveLength(2);
      // -> one_on_one drops them (the owner hosts); sending them with one_on_one is refused.
      const refused = await update(owner, id, { kind: 'one_on_one', team_id: teamId }).expect(400);
      expect(refused.body.message).toMatch(/team_id applies only to round_robin and collective/);
      const single = await update(owner, id, { kind: 'one_on_one' }).expect(200);
      expect(single.body).toMatchObject({ kind: 'one_on_one', team_id: null, host_ids: [owner.id] });
      // Back to a team kind needs the team again.
      const missing = await update(owner, id, { kind: 'collective' }).expect(400);
      expect(missing.body.message).toMatch(/team_id is required for collective meeting types/);
      expect(missing.body.message).toMatch(/host_ids is required for collective meeting types/);
      // A host who leaves the team stops hosting its types; naming them again is refused.
      await update(owner, id, { kind: 'collective', team_id: teamId, host_ids: [owner.id, bob.id] }).expect(200);
      await t.http().delete(`/api/teams/${teamId}/members/${bob.id}`).set(owner.auth).expect(204);
      expect((await update(owner, id, { name: 'Panel 2' }).expect(200)).body.host_ids).toEqual([owner.id]);
      const stale = await update(owner, id, { host_ids: [owner.id, bob.id] }).expect(400);
      expect(stale.body.message).toMatch(/not members: /);
    });

    it('bumps the availability version of every old and new host on each change', async () => {
      const owner = await createHost(t);
      const bob = await createHost(t);
      const teamId = await teamWith(owner, [bob]);
      const versions = t.app.get(AvailabilityVersions);
      const read = async () => (await versions.current([owner.id, bob.id])).map(Number);
      const [o0, b0] = await read();
      const created = await create(owner, {
        name: 'RR',
        duration_minutes: 30,
        kind: 'round_robin',
        team_id: teamId,
        host_ids: [bob.id],
      }).expect(201);
      const [o1, b1] = await read();
      expect(o1).toBe(o0); // not a host
      expect(b1).toBeGreaterThan(b0!);
      await update(owner, created.body.id, { host_ids: [owner.id] }).expect(200);
      const [o2, b2] = await read();
      expect(o2).toBeGreaterThan(o1!);
      expect(b2).toBeGreaterThan(b1!); // removed host: its cached slots for this type are stale too
      await t.http().delete(`/api/meeting-types/${created.body.id}`).set(owner.auth).expect(204);
      const [o3] = await read();
      expect(o3).toBeGreaterThan(o2!);
    });
  });

  describe('public reads for booking pages', () => {
    it('finds active types by username and slug (secret ones too), and lists only active, non-secret ones', async () => {
      const host = await createHost(t);
      const service = t.app.get(MeetingTypesService);
      const listed = await create(host, { name: 'Listed', duration_minutes: 30 }).expect(201);
      const secret = await create(host, { name: 'Secret', duration_minutes: 30, is_secret: true }).expect(201);
      const inactive = await create(host, { name: 'Paused', duration_minutes: 30, is_active: false }).expect(201);

      expect((await service.findPublicSnapshot(host.username, 'listed'))?.id).toBe(listed.body.id);
      expect((await service.findPublicSnapshot(host.username.toUpperCase(), 'LISTED'))?.id).toBe(listed.body.id);
      expect((await service.findPublicSnapshot(host.username, 'secret'))?.id).toBe(secret.body.id);
      expect(await service.findPublicSnapshot(host.username, 'paused')).toBeNull();
      expect(await service.findPublicSnapshot(host.username, 'nope')).toBeNull();
      expect(await service.findPublicSnapshot('no-such-user', 'listed')).toBeNull();
      expect((await service.listPublic(host.username)).map((v) => v.snapshot.id)).toEqual([listed.body.id]);
      expect(await service.listPublic('no-such-user')).toEqual([]);
      // The inactive one is still the owner's to read and edit.
      expect((await service.findSnapshot(inactive.body.id))?.isActive).toBe(false);
      await update(host, inactive.body.id, { is_active: true }).expect(200);
      expect((await service.findPublicSnapshot(host.username, 'paused'))?.id).toBe(inactive.body.id);
    });
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const doc = await t.http().get('/api/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths['/api/meeting-types']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.body.paths['/api/meeting-types/{id}']).sort()).toEqual(['delete', 'get', 'put']);
    const props = doc.body.components.schemas.CreateMeetingTypeDto.properties;
    for (const field of [
      'name',
      'slug',
      'duration_minutes',
      'kind',
      'seats',
      'host_ids',
      'team_id',
      'questions',
      'reminders',
      'schedule_id',
    ]) {
      expect(props[field]).toBeDefined();
    }
    expect(doc.body.components.schemas.CreateMeetingTypeDto.required).toEqual(expect.arrayContaining(['name', 'duration_minutes']));
  });
});
