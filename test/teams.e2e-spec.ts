import { TeamsService } from '../src/modules/teams/application/teams.service.js';
import { createHost, type TestHost } from './support/factories.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const NOW = '2027-03-01T12:00:00.000Z';
const DAY_MS = 24 * 60 * 60 * 1000;

describe('teams (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock!.set(NOW));

  const createTeam = async (admin: TestHost, name = 'Sales') =>
    (await t.http().post('/api/teams').set(admin.auth).send({ name }).expect(201)).body;
  const invite = async (admin: TestHost, teamId: string, email: string) =>
    (await t.http().post(`/api/teams/${teamId}/invitations`).set(admin.auth).send({ email }).expect(201)).body;
  const accept = (user: TestHost, token: string) => t.http().post(`/api/teams/invitations/${token}/accept`).set(user.auth);

  it('creates a team with the caller as its admin, and lists it for members only', async () => {
    const admin = await createHost(t);
    const stranger = await createHost(t);
    const team = await createTeam(admin, '  Customer Success  ');
    expect(team).toMatchObject({ name: 'Customer Success', created_by: admin.id, role: 'admin' });
    expect(team.members).toEqual([
      { user_id: admin.id, name: expect.any(String), username: admin.username, role: 'admin', joined_at: NOW },
    ]);
    const mine = await t.http().get('/api/teams').set(admin.auth).expect(200);
    expect(mine.body).toEqual([
      { id: team.id, name: 'Customer Success', created_by: admin.id, created_at: expect.any(String), role: 'admin' },
    ]);
    expect((await t.http().get('/api/teams').set(stranger.auth).expect(200)).body).toEqual([]);
    await t.http().get(`/api/teams/${team.id}`).set(admin.auth).expect(200);
    const hidden = await t.http().get(`/api/teams/${team.id}`).set(stranger.auth).expect(404);
    expect(hidden.body).toMatchObject({ status_code: 404, message: 'team not found' });
    await t.http().get(`/api/teams/${team.id}`).expect(401);
    await t.http().get('/api/teams').expect(401);
    await t.http().post('/api/teams').send({ name: 'x' }).expect(401);
    const badId = await t.http().get('/api/teams/nope').set(admin.auth).expect(400);
    expect(badId.body.message).toBe('id must be a UUID');
  });

  it.each([
    ['a missing name', {}, /name must be a string/],
    ['an empty name', { name: '' }, /name must not be empty/],
    ['a blank name', { name: '   ' }, /name must not be empty/],
    ['an extra field', { name: 'x', plan: 'pro' }, /property plan should not exist/],
  ])('rejects %s with 400', async (_n, body, message) => {
    const admin = await createHost(t);
    const res = await t.http().post('/api/teams').set(admin.auth).send(body).expect(400);
    expect(res.body.message).toMatch(message);
    expect((await t.http().get('/api/teams').set(admin.auth)).body).toEqual([]);
  });

  it('invites by email, stores only a hash of the token, and the invited user joins by accepting', async () => {
    const admin = await createHost(t);
    const grace = await createHost(t, { email: `Grace-${Date.now()}@Example.com` });
    const team = await createTeam(admin);
    const invitation = await invite(admin, team.id, grace.email.toUpperCase());
    expect(invitation).toEqual({
      id: expect.any(String),
      team_id: team.id,
      email: grace.email.toLowerCase(),
      token: expect.stringMatching(/^inv_[A-Za-z0-9_-]{40,}$/),
      expires_at: new Date(Date.parse(NOW) + 7 * DAY_MS).toISOString(),
    });
    const rows = await t.dataSource.query(`SELECT * FROM team_invitations WHERE id = $1`, [invitation.id]);
    expect(JSON.stringify(rows)).not.toContain(invitation.token);

    // Not yet a member.
    await t.http().get(`/api/teams/${team.id}`).set(grace.auth).expect(404);
    const joined = await accept(grace, invitation.token).expect(200);
    expect(joined.body).toMatchObject({ id: team.id, role: 'member' });
    expect(joined.body.members.map((m: { user_id: string; role: string }) => [m.user_id, m.role])).toEqual([
      [admin.id, 'admin'],
      [grace.id, 'member'],
    ]);
    await t.http().get(`/api/teams/${team.id}`).set(grace.auth).expect(200);
    expect((await t.http().get('/api/teams').set(grace.auth)).body.map((x: { id: string }) => x.id)).toEqual([team.id]);

    const service = t.app.get(TeamsService);
    expect(await service.isMember(team.id, grace.id)).toBe(true);
    expect(await service.areMembers(team.id, [admin.id, grace.id, grace.id])).toBe(true);
    const outsider = await createHost(t);
    expect(await service.areMembers(team.id, [admin.id, outsider.id])).toBe(false);
    expect(await service.isMember(team.id, outsider.id)).toBe(false);
  });

  it('refuses the wrong user, a reused token, an expired token and an unknown token', async () => {
    const admin = await createHost(t);
    const invitee = await createHost(t);
    const impostor = await createHost(t);
    const team = await createTeam(admin);

    const first = await invite(admin, team.id, invitee.email);
    const wrong = await accept(impostor, first.token).expect(403);
    expect(wrong.body.message).toMatch(/sent to a different email address/);
    await t.http().get(`/api/teams/${team.id}`).set(impostor.auth).expect(404);

    await accept(invitee, first.token).expect(200);
    const reused = await accept(invitee, first.token).expect(410);
    expect(reused.body).toMatchObject({ status_code: 410, error: 'Gone', message: 'this invitation has already been used' });

    // Expiry: valid until 7 days after creation, to the millisecond.
    const other = await createHost(t);
    const second = await invite(admin, team.id, other.email);
    t.clock!.advance(7 * DAY_MS - 1);
    const third = await invite(admin, team.id, other.email); // created later, expires later
    t.clock!.advance(1);
    const expired = await accept(other, second.token).expect(410);
    expect(expired.body.message).toMatch(/invitation has expired/);
    await accept(other, third.token).expect(200);

    await accept(invitee, 'inv_doesnotexist').expect(404);
    await t.http().post(`/api/teams/invitations/${first.token}/accept`).expect(401);
  });

  it('lets exactly one of several concurrent accepts of one invitation win', async () => {
    const admin = await createHost(t);
    const invitee = await createHost(t);
    const team = await createTeam(admin);
    const { token } = await invite(admin, team.id, invitee.email);
    const results = await Promise.all(Array.from({ length: 8 }, () => accept(invitee, token)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 410, 410, 410, 410, 410, 410, 410]);
    const members = await t.dataSource.query(`SELECT user_id FROM team_members WHERE team_id = $1`, [team.id]);
    expect(members).toHaveLength(2);
  });

  it('only admins invite; members and strangers cannot; inviting a member is a conflict', async () => {
    const admin = await createHost(t);
    const member = await createHost(t);
    const stranger = await createHost(t);
    const team = await createTeam(admin);
    await accept(member, (await invite(admin, team.id, member.email)).token).expect(200);

    const byMember = await t.http().post(`/api/teams/${team.id}/invitations`).set(member.auth).send({ email: 'x@example.com' }).expect(403);
    expect(byMember.body.message).toBe('only team admins can invite members');
    await t.http().post(`/api/teams/${team.id}/invitations`).set(stranger.auth).send({ email: 'x@example.com' }).expect(404);
    const already = await t.http().post(`/api/teams/${team.id}/invitations`).set(admin.auth).send({ email: member.email }).expect(409);
    expect(already.body.message).toMatch(/already a member/);
    const badEmail = await t.http().post(`/api/teams/${team.id}/invitations`).set(admin.auth).send({ email: 'nope' }).expect(400);
    expect(badEmail.body.message).toMatch(/email must be a valid email address/);
    await t
      .http()
      .post(`/api/teams/00000000-0000-4000-8000-000000000000/invitations`)
      .set(admin.auth)
      .send({ email: 'x@example.com' })
      .expect(404);
    const count = await t.dataSource.query(`SELECT count(*)::int AS n FROM team_invitations WHERE team_id = $1`, [team.id]);
    expect(count[0].n).toBe(1);
  });

  it('removes members: admins remove anyone, members themselves; the last admin stays', async () => {
    const admin = await createHost(t);
    const alice = await createHost(t);
    const bob = await createHost(t);
    const team = await createTeam(admin);
    for (const user of [alice, bob]) await accept(user, (await invite(admin, team.id, user.email)).token).expect(200);

    const notAdmin = await t.http().delete(`/api/teams/${team.id}/members/${bob.id}`).set(alice.auth).expect(403);
    expect(notAdmin.body.message).toBe('only team admins can remove other members');
    await t.http().delete(`/api/teams/${team.id}/members/${alice.id}`).set(alice.auth).expect(204); // leaves
    await t.http().get(`/api/teams/${team.id}`).set(alice.auth).expect(404);
    await t.http().delete(`/api/teams/${team.id}/members/${bob.id}`).set(admin.auth).expect(204);
    await t.http().delete(`/api/teams/${team.id}/members/${bob.id}`).set(admin.auth).expect(404);
    const last = await t.http().delete(`/api/teams/${team.id}/members/${admin.id}`).set(admin.auth).expect(400);
    expect(last.body.message).toMatch(/at least one admin/);
    await t.http().delete(`/api/teams/${team.id}/members/${admin.id}`).set(bob.auth).expect(404);
    const view = await t.http().get(`/api/teams/${team.id}`).set(admin.auth).expect(200);
    expect(view.body.members.map((m: { user_id: string }) => m.user_id)).toEqual([admin.id]);
    await t.http().delete(`/api/teams/${team.id}/members/not-a-uuid`).set(admin.auth).expect(400);
  });

  it("a removed member stops hosting the team's meeting types: no longer offered or assigned", async () => {
    const admin = await createHost(t, { time_zone: 'UTC' });
    const bob = await createHost(t, { time_zone: 'UTC' });
    const team = await createTeam(admin);
    await accept(bob, (await invite(admin, team.id, bob.email)).token).expect(200);
    // Bob alone works on Tuesdays, so Tuesday slots exist only through him.
    await setWeeklyHours(t, admin, 'UTC', [{ day_of_week: 1, start_time: '09:00', end_time: '17:00' }]);
    await setWeeklyHours(t, bob, 'UTC', [{ day_of_week: 2, start_time: '09:00', end_time: '17:00' }]);
    const type = await createMeetingType(t, admin, { kind: 'round_robin', team_id: team.id, host_ids: [admin.id, bob.id] });
    const tuesday = () =>
      t.http().get('/api/availability/slots').query({ meeting_type_id: type.id, date: '2027-03-02', timezone: 'UTC' }).expect(200);
    expect((await tuesday()).body.slots.length).toBeGreaterThan(0); // cached with Bob in it

    await t.http().delete(`/api/teams/${team.id}/members/${bob.id}`).set(admin.auth).expect(204);
    const after = await t.http().get(`/api/meeting-types/${type.id}`).set(admin.auth).expect(200);
    expect(JSON.stringify(after.body)).not.toContain(bob.id);
    expect((await tuesday()).body.slots).toEqual([]);
    await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: type.id, start_time: '2027-03-02T10:00:00Z', ...invitee(1) })
      .expect(409);
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const doc = await t.http().get('/api/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths['/api/teams']).sort()).toEqual(['get', 'post']);
    expect(doc.body.paths['/api/teams/{id}'].get).toBeDefined();
    expect(doc.body.paths['/api/teams/{id}/invitations'].post).toBeDefined();
    expect(doc.body.paths['/api/teams/invitations/{token}/accept'].post).toBeDefined();
    expect(doc.body.paths['/api/teams/{id}/members/{userId}'].delete).toBeDefined();
  });
});
