import { OutboxRelay } from '../src/shared/outbox/outbox-relay.js';
import { HOST_PASSWORD, createHost, type TestHost } from './support/factories.js';
import { createMeetingType, invitee, setWeeklyHours } from './support/scheduling.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** GDPR export / account deletion / invitee erasure, and the append-only audit log fed by the outbox. */
describe('privacy and audit (e2e)', () => {
  let t: TestApp;
  const drain = () => t.app.get(OutboxRelay).drain();

  beforeAll(async () => {
    t = await startTestApp({ now: '2027-03-01T12:00:00Z', env: { OUTBOX_POLL_INTERVAL_MS: '0', NOTIFY_SWEEP_INTERVAL_MS: '0' } });
  });
  afterAll(() => t.close());

  async function hostWithType(): Promise<{ host: TestHost; typeId: string }> {
    const host = await createHost(t);
    await setWeeklyHours(t, host, 'Europe/London');
    const type = await createMeetingType(t, host, { slug: `intro-${host.username}` });
    return { host, typeId: type.id };
  }

  async function book(typeId: string, start: string, who: Record<string, unknown>) {
    const res = await t
      .http()
      .post('/api/bookings')
      .send({ meeting_type_id: typeId, start_time: start, ...who });
    if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; management_token: string };
  }

  const slotStarts = async (typeId: string) =>
    (
      await t.http().get('/api/availability/slots').query({ meeting_type_id: typeId, date: '2027-03-02', timezone: 'UTC' }).expect(200)
    ).body.slots.map((s: { start_time: string }) => s.start_time) as string[];

  describe('audit log', () => {
    it('records create, reschedule and cancel with who and when; only the host can read it', async () => {
      const { host, typeId } = await hostWithType();
      const other = await createHost(t);
      const b = await book(typeId, '2027-03-02T10:00:00Z', invitee('aud', { answers: {} }));
      const moved = await t
        .http()
        .put(`/api/bookings/${b.id}/reschedule`)
        .query({ token: b.management_token })
        .send({ start_time: '2027-03-02T11:00:00Z' })
        .expect(200);
      const newId = moved.body.id as string;
      await t.http().delete(`/api/bookings/${newId}`).set(host.auth).send({ reason: 'sick' }).expect(200);
      await drain();

      const trail = await t.http().get('/api/audit').query({ booking_id: b.id }).set(host.auth).expect(200);
      const actions = trail.body.entries.map((e: { action: string; actor_type: string }) => `${e.action}:${e.actor_type}`);
      expect(actions).toEqual(['booking.created:invitee', 'booking.rescheduled:invitee']);
      const newTrail = await t.http().get('/api/audit').query({ booking_id: newId }).set(host.auth).expect(200);
      expect(
        newTrail.body.entries.map((e: { action: string; actor_type: string; actor_id: string }) => [e.action, e.actor_type, e.actor_id]),
      ).toEqual([
        ['booking.rescheduled', 'invitee', expect.any(String)],
        ['booking.cancelled', 'host', host.id],
      ]);
      const resched = newTrail.body.entries[0];
      expect(resched.details).toMatchObject({
        previous_booking_id: b.id,
        previous_start_time: '2027-03-02T10:00:00.000Z',
        start_time: '2027-03-02T11:00:00.000Z',
      });
      expect(resched.occurred_at).toMatch(/Z$/);
      // No personal data in the trail.
      expect(JSON.stringify(trail.body) + JSON.stringify(newTrail.body)).not.toMatch(/inviteeaud@example.com|Invitee aud|sick/);

      // The host's recent entries, without a booking filter.
      const mine = await t.http().get('/api/audit').set(host.auth).expect(200);
      expect(mine.body.entries).toHaveLength(3);
      // Another host sees nothing of it; anonymous callers are refused.
      await t.http().get('/api/audit').query({ booking_id: b.id }).set(other.auth).expect(404);
      expect((await t.http().get('/api/audit').set(other.auth).expect(200)).body.entries).toEqual([]);
      await t.http().get('/api/audit').query({ booking_id: b.id }).expect(401);
      await t.http().get('/api/audit').query({ booking_id: 'nope' }).set(host.auth).expect(400);

      // Replaying the outbox (at-least-once delivery) adds nothing.
      await t.dataSource.query(`UPDATE outbox_consumer_offsets SET last_txid = '0', last_event_id = 0 WHERE consumer = 'audit'`);
      await drain();
      expect((await t.http().get('/api/audit').set(host.auth).expect(200)).body.entries).toHaveLength(3);
    });

    it('is append-only: UPDATE, DELETE and TRUNCATE are rejected by the database', async () => {
      const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM audit_log`);
      expect(count).toBeGreaterThan(0);
      await expect(t.dataSource.query(`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow(/append-only/);
      await expect(t.dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
      await expect(t.dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
      const [{ after }] = await t.dataSource.query(`SELECT count(*)::int AS after FROM audit_log WHERE action <> 'forged'`);
      expect(after).toBe(count);
    });
  });

  describe('GDPR', () => {
    it("exports the host's data and their invitees' personal data, never secrets", async () => {
      const { host, typeId } = await hostWithType();
      await t.http().post('/api/api-keys').set(host.auth).send({ name: 'ci' }).expect(201);
      await book(typeId, '2027-03-02T13:00:00Z', invitee('exp', { answers: {} }));
      await drain();
      const res = await t.http().get('/api/users/me/export').set(host.auth).expect(200);
      expect(res.headers['content-disposition']).toMatch(/attachment/);
      const data = res.body;
      expect(data.user).toMatchObject({ id: host.id, email: host.email, username: host.username });
      expect(data.meeting_types.map((m: { id: string }) => m.id)).toEqual([typeId]);
      expect(data.schedules[0].rules).toHaveLength(5);
      expect(data.api_keys).toEqual([expect.objectContaining({ name: 'ci', prefix: expect.any(String) })]);
      expect(data.bookings).toHaveLength(1);
      expect(data.bookings[0].invitees[0]).toMatchObject({ name: 'Invitee exp', email: 'inviteeexp@example.com' });
      expect(data.audit_log.map((e: { action: string }) => e.action)).toEqual(['booking.created']);
      const text = JSON.stringify(data);
      expect(text).not.toMatch(/password|argon2|key_hash|management_token|token_hash|_enc"/);
      await t.http().get('/api/users/me/export').expect(401);
    });

    it("erases an invitee's personal data from the host's bookings, keeping the times (availability unchanged)", async () => {
      const { host, typeId } = await hostWithType();
      const { host: otherHost, typeId: otherType } = await hostWithType();
      const before = await slotStarts(typeId);
      const b1 = await book(typeId, '2027-03-02T14:00:00Z', invitee('era', { answers: {} }));
      const b2 = await book(typeId, '2027-03-02T15:00:00Z', {
        ...invitee('era', { answers: {} }),
        invitee_email: 'INVITEEERA@example.com',
      });
      const keep = await book(typeId, '2027-03-02T16:00:00Z', invitee('keep', { answers: {} }));
      const elsewhere = await book(otherType, '2027-03-02T14:00:00Z', invitee('era', { answers: {} }));
      const taken = await slotStarts(typeId);
      expect(taken).not.toContain('2027-03-02T14:00:00Z');

      await t.http().post('/api/privacy/erase-invitee').set(host.auth).send({ email: 'nope' }).expect(400);
      await t.http().post('/api/privacy/erase-invitee').send({ email: 'inviteeera@example.com' }).expect(401);
      const res = await t.http().post('/api/privacy/erase-invitee').set(host.auth).send({ email: 'InviteeEra@example.com' }).expect(200);
      expect(res.body).toEqual({ erased_invitees: 2, bookings: 2 });

      for (const id of [b1.id, b2.id]) {
        const b = await t.http().get(`/api/bookings/${id}`).set(host.auth).expect(200);
        expect(b.body.status).toBe('confirmed');
        expect(JSON.stringify(b.body)).not.toMatch(/inviteeera|Invitee era/i);
        expect(JSON.stringify(b.body)).toContain('[erased]');
      }
      const kept = await t.http().get(`/api/bookings/${keep.id}`).set(host.auth).expect(200);
      expect(JSON.stringify(kept.body)).toContain('inviteekeep@example.com');
      // Another host's booking with the same invitee is theirs to erase, not this host's.
      const theirs = await t.http().get(`/api/bookings/${elsewhere.id}`).set(otherHost.auth).expect(200);
      expect(JSON.stringify(theirs.body)).toContain('inviteeera@example.com');
      // Availability is exactly as before the erasure.
      expect(await slotStarts(typeId)).toEqual(taken);
      expect(before.length).toBeGreaterThan(taken.length);
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM booking_invitees i JOIN bookings b ON b.id = i.booking_id
          WHERE lower(i.email) = 'inviteeera@example.com' AND b.host_user_id = $1`,
        [host.id],
      );
      expect(n).toBe(0);
      const audit = await t.http().get('/api/audit').set(host.auth).expect(200);
      expect(audit.body.entries[0]).toMatchObject({ action: 'invitee.erased', actor_type: 'host', actor_id: host.id });
    });

    it('deletes the account and its data; bookings and invitee data go with it; other hosts are untouched', async () => {
      const { host, typeId } = await hostWithType();
      const { host: bystander, typeId: bystanderType } = await hostWithType();
      const key = (await t.http().post('/api/api-keys').set(host.auth).send({ name: 'ci' }).expect(201)).body.key as string;
      const b = await book(typeId, '2027-03-03T10:00:00Z', invitee('del', { answers: {} }));
      const kept = await book(bystanderType, '2027-03-03T10:00:00Z', invitee('del', { answers: {} }));
      await drain();

      await t.http().delete('/api/users/me').expect(401);
      await t.http().delete('/api/users/me').set(host.auth).send({ password: HOST_PASSWORD }).expect(204);

      await t.http().get('/api/users/me').set('Authorization', `Bearer ${key}`).expect(401);
      await t.http().get(`/api/users/${host.id}`).expect(404);
      const q = (sql: string, p: unknown[]) => t.dataSource.query(sql, p);
      expect(await q(`SELECT id FROM meeting_types WHERE id = $1`, [typeId])).toEqual([]);
      await t.http().get('/api/availability/slots').query({ meeting_type_id: typeId, date: '2027-03-03', timezone: 'UTC' }).expect(404);
      expect(await q(`SELECT id FROM bookings WHERE id = $1`, [b.id])).toEqual([]);
      expect(await q(`SELECT id FROM booking_invitees WHERE booking_id = $1`, [b.id])).toEqual([]);
      expect(await q(`SELECT id FROM notification_deliveries WHERE booking_id = $1`, [b.id])).toEqual([]);
      expect(await q(`SELECT id FROM api_keys WHERE user_id = $1`, [host.id])).toEqual([]);
      const [entry] = await q(`SELECT action, actor_id FROM audit_log WHERE action = 'account.deleted' AND actor_id = $1`, [host.id]);
      expect(entry).toBeDefined();
      // The other host, and their booking with the same invitee, are untouched.
      await t.http().get('/api/users/me').set(bystander.auth).expect(200);
      const theirs = await t.http().get(`/api/bookings/${kept.id}`).set(bystander.auth).expect(200);
      expect(JSON.stringify(theirs.body)).toContain('inviteedel@example.com');
    });
  });
});
