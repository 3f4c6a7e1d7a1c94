import { startTestApp, type TestApp } from './support/test-app.js';
import { createHost } from './support/factories.js';

describe('identity (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const validUser = (n: string) => ({
    email: `${n}@example.com`,
    name: 'Ada Lovelace',
    password: 'correct-horse',
    time_zone: 'Europe/London',
    username: n,
  });

  it('creates a user and never returns the password', async () => {
    const res = await t.http().post('/api/users').send(validUser('ada')).expect(201);
    expect(res.body).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace', username: 'ada', time_zone: 'Europe/London' });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(res.body)).not.toMatch(/password|argon/);
  });

  it.each([
    ['missing field', { email: 'x@example.com', name: 'X', password: 'longenough', username: 'xx' }, /time_zone/],
    ['unknown zone', { ...validUser('bob'), time_zone: 'Mars/Olympus' }, /time_zone must be an IANA time zone/],
    ['bad email', { ...validUser('bob'), email: 'not-an-email' }, /email must be a valid email/],
    ['short password', { ...validUser('bob'), password: 'short' }, /password must be at least 8/],
    ['bad username', { ...validUser('bob'), username: 'Bad Name!' }, /username must be/],
    ['extra field', { ...validUser('bob'), is_admin: true }, /property is_admin should not exist/],
    ['reserved username', { ...validUser('bob'), username: 'admin' }, /reserved/],
  ])('rejects %s with 400 and a message', async (_name, body, message) => {
    const res = await t.http().post('/api/users').send(body).expect(400);
    expect(res.body).toMatchObject({ status_code: 400, error: 'Bad Request' });
    expect(res.body.message).toMatch(message);
  });

  it('rejects a duplicate email or username with 409', async () => {
    await t.http().post('/api/users').send(validUser('carol')).expect(201);
    const sameEmail = await t
      .http()
      .post('/api/users')
      .send({ ...validUser('carol2'), email: 'CAROL@example.com' })
      .expect(409);
    expect(sameEmail.body.message).toMatch(/email/);
    const sameName = await t
      .http()
      .post('/api/users')
      .send({ ...validUser('carol'), email: 'other@example.com' })
      .expect(409);
    expect(sameName.body.message).toMatch(/username/);
  });

  it('logs in and returns a bearer token; wrong password is 401', async () => {
    await t.http().post('/api/users').send(validUser('dan')).expect(201);
    const ok = await t.http().post('/api/auth/login').send({ email: 'dan@example.com', password: 'correct-horse' }).expect(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number), access_token: expect.any(String) });
    const bad = await t.http().post('/api/auth/login').send({ email: 'dan@example.com', password: 'wrong-password' }).expect(401);
    expect(bad.body).toMatchObject({ status_code: 401, message: 'email or password is incorrect' });
    await t.http().post('/api/auth/login').send({ email: 'nobody@example.com', password: 'whatever1' }).expect(401);
  });

  it('shows all fields to the user and public fields to others', async () => {
    const host = await createHost(t);
    const other = await createHost(t);
    const self = await t.http().get(`/api/users/${host.id}`).set(host.auth).expect(200);
    expect(self.body.email).toBe(host.email);
    const seenByOther = await t.http().get(`/api/users/${host.id}`).set(other.auth).expect(200);
    expect(seenByOther.body.email).toBeUndefined();
    const anonymous = await t.http().get(`/api/users/${host.id}`).expect(200);
    expect(Object.keys(anonymous.body).sort()).toEqual(['id', 'name', 'time_zone', 'username']);
    await t.http().get('/api/users/00000000-0000-4000-8000-000000000000').expect(404);
    const badId = await t.http().get('/api/users/not-a-uuid').expect(400);
    expect(badId.body.message).toBe('id must be a UUID');
  });

  it('requires auth on host endpoints', async () => {
    const res = await t.http().get('/api/users/me').expect(401);
    expect(res.body).toMatchObject({ status_code: 401, error: 'Unauthorized' });
    await t.http().get('/api/users/me').set('Authorization', 'Bearer nonsense').expect(401);
    await t.http().get('/api/users/me').set('Authorization', 'Basic abc').expect(401);
  });

  it('creates, uses, lists and revokes API keys', async () => {
    const host = await createHost(t);
    const created = await t.http().post('/api/api-keys').set(host.auth).send({ name: 'ci' }).expect(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^kai_/);
    const me = await t.http().get('/api/users/me').set('Authorization', `Bearer ${key}`).expect(200);
    expect(me.body.id).toBe(host.id);
    const list = await t.http().get('/api/api-keys').set(host.auth).expect(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0].key).toBeUndefined();
    const other = await createHost(t);
    await t.http().delete(`/api/api-keys/${created.body.id}`).set(other.auth).expect(404);
    await t.http().delete(`/api/api-keys/${created.body.id}`).set(host.auth).expect(200);
    await t.http().get('/api/users/me').set('Authorization', `Bearer ${key}`).expect(401);
    // Stored hashed: the secret is nowhere in the table.
    const rows = await t.dataSource.query(`SELECT * FROM api_keys`);
    expect(JSON.stringify(rows)).not.toContain(key);
    await t.http().post('/api/api-keys').set(host.auth).send({}).expect(400);
  });

  it('answers client mistakes with 4xx JSON, never 500', async () => {
    const notFound = await t.http().get('/api/nope').expect(404);
    expect(notFound.body).toMatchObject({ status_code: 404, error: 'Not Found' });
    const malformed = await t.http().post('/api/users').set('Content-Type', 'application/json').send('{"email":').expect(400);
    expect(malformed.body.status_code).toBe(400);
    const huge = 'x'.repeat(1024 * 1024 + 10);
    const tooLarge = await t
      .http()
      .post('/api/users')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: huge }))
      .expect(413);
    expect(tooLarge.body).toMatchObject({ status_code: 413, message: 'Request body is larger than 1 MB' });
    const wrongType = await t
      .http()
      .post('/api/users')
      .send({ ...validUser('eve'), name: 42 })
      .expect(400);
    expect(wrongType.body.message).toMatch(/name must be a string/);
  });

  it('serves the OpenAPI document and health checks', async () => {
    const doc = await t.http().get('/api/openapi.json').expect(200);
    expect(doc.body.paths['/api/users']).toBeDefined();
    expect(doc.body.components.securitySchemes.bearer).toBeDefined();
    await t.http().get('/health/live').expect(200);
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
  });
});
